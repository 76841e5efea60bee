"""Frame folders as extractors write them: names, first index, strays, gaps."""
from pathlib import Path

import cv2
import numpy as np
import pytest

from vim_mmaction.datasets import EpisodicDataset, FewShotVideoDataset
from vim_mmaction.datasets.frame_folder import FrameFolder, scan_frame_folder

from ..helpers import write_split

NUM_FRAMES = 8


def brightness(position: int) -> int:
    """Grey level of the ``position``-th frame (0-based) of a folder."""
    return 20 + 25 * position


def write_frames(folder: Path, tmpl: str, first: int,
                 num_frames: int = NUM_FRAMES) -> None:
    """Write ``num_frames`` flat grey frames named ``tmpl`` from ``first``."""
    folder.mkdir(parents=True, exist_ok=True)
    for position in range(num_frames):
        frame = np.full((16, 16, 3), brightness(position), np.uint8)
        cv2.imwrite(str(folder / tmpl.format(first + position)), frame)


def frames_dataset(root: Path, lines, pipeline=(), **kwargs):
    split = write_split(root / 'list.txt', lines)
    return FewShotVideoDataset(
        split,
        pipeline=list(pipeline),
        data_prefix=dict(video=str(root / 'frames')),
        test_mode=True,
        **kwargs)


def decode_pipeline(num_clips: int) -> list:
    return [
        dict(
            type='SampleFrames',
            clip_len=1,
            frame_interval=1,
            num_clips=num_clips,
            test_mode=True),
        dict(type='RawFrameDecode'),
    ]


LAYOUTS = [('img_{:05}.jpg', 1), ('{:08}.jpg', 1), ('{:05}.jpg', 0),
           ('frame_{:06}.png', 0), ('img_{:05}.jpg', 0), ('{:06}.png', 1)]


@pytest.mark.parametrize('tmpl,first', LAYOUTS)
@pytest.mark.parametrize('num_clips', [4, NUM_FRAMES])
def test_the_frames_asked_for_are_the_frames_read(tmp_path, tmpl, first,
                                                   num_clips):
    write_frames(tmp_path / 'frames' / 'wave' / 'v1', tmpl, first)
    dataset = frames_dataset(
        tmp_path, ['wave/v1'], pipeline=decode_pipeline(num_clips))
    results = dataset[0]
    assert results['total_frames'] == NUM_FRAMES
    # Segment centres of num_clips equal segments of the 8 frames.
    positions = (np.arange(num_clips) * NUM_FRAMES // num_clips +
                 NUM_FRAMES // num_clips // 2)
    np.testing.assert_allclose([img.mean() for img in results['imgs']],
                               [brightness(p) for p in positions],
                               atol=2)


def test_stray_files_are_not_frames(tmp_path):
    folder = tmp_path / 'frames' / 'wave' / 'v1'
    write_frames(folder, 'img_{:05}.jpg', 1)
    for stray in ('.DS_Store', 'Thumbs.db', 'notes.txt', 'img_00001.txt'):
        (folder / stray).write_bytes(b'not a frame')
    dataset = frames_dataset(
        tmp_path, ['wave/v1'], pipeline=decode_pipeline(NUM_FRAMES))
    results = dataset[0]
    assert results['total_frames'] == NUM_FRAMES
    assert len(results['imgs']) == NUM_FRAMES


def test_a_gap_names_the_folder_and_the_missing_frame(tmp_path):
    folder = tmp_path / 'frames' / 'wave' / 'v1'
    write_frames(folder, 'img_{:05}.jpg', 1)
    (folder / 'img_00005.jpg').unlink()
    dataset = frames_dataset(tmp_path, ['wave/v1'])
    with pytest.raises(FileNotFoundError) as error:
        dataset.get_data_info(0)
    message = str(error.value)
    assert str(folder) in message
    assert "'img_00005.jpg' (index 5) is missing" in message
    assert f"{tmp_path / 'list.txt'}:1" in message


def test_a_folder_without_frames_is_an_error(tmp_path):
    folder = tmp_path / 'frames' / 'wave' / 'v1'
    folder.mkdir(parents=True)
    (folder / 'Thumbs.db').write_bytes(b'')
    dataset = frames_dataset(tmp_path, ['wave/v1'])
    with pytest.raises(FileNotFoundError, match='no frame files'):
        dataset.get_data_info(0)


def test_explicit_template_and_start_index_win(tmp_path):
    # An extractor that wrote RGB and flow frames into one folder.
    folder = tmp_path / 'frames' / 'wave' / 'v1'
    write_frames(folder, 'img_{:05}.jpg', 1)
    write_frames(folder, 'flow_x_{:05}.jpg', 1, num_frames=NUM_FRAMES + 2)
    write_frames(folder, 'flow_y_{:05}.jpg', 1, num_frames=NUM_FRAMES + 2)
    info = frames_dataset(
        tmp_path, ['wave/v1'], filename_tmpl='img_{:05}.jpg').get_data_info(0)
    assert (info['filename_tmpl'], info['start_index'],
            info['total_frames']) == ('img_{:05}.jpg', 1, NUM_FRAMES)
    # An explicit start index the folder does not have is refused.
    explicit = frames_dataset(
        tmp_path, ['wave/v1'], filename_tmpl='img_{:05}.jpg', start_index=0)
    with pytest.raises(FileNotFoundError, match=r"'img_00000.jpg' \(index 0"):
        explicit.get_data_info(0)


def test_two_sequences_of_equal_length_are_ambiguous(tmp_path):
    folder = tmp_path / 'frames' / 'wave' / 'v1'
    write_frames(folder, 'img_{:05}.jpg', 1)
    write_frames(folder, 'flow_x_{:05}.jpg', 1)
    dataset = frames_dataset(tmp_path, ['wave/v1'])
    with pytest.raises(ValueError) as error:
        dataset.get_data_info(0)
    assert "'flow_x_{:05}.jpg', 'img_{:05}.jpg'" in str(error.value)
    assert 'filename_tmpl' in str(error.value)


def test_videos_keep_start_index_zero(tmp_path):
    (tmp_path / 'frames' / 'wave').mkdir(parents=True)
    (tmp_path / 'frames' / 'wave' / 'v2.mp4').write_bytes(b'')
    write_frames(tmp_path / 'frames' / 'wave' / 'v1', 'img_{:05}.jpg', 1)
    dataset = frames_dataset(tmp_path, ['wave/v1', 'wave/v2'])
    assert dataset.get_data_info(0)['start_index'] == 1
    assert dataset.get_data_info(1)['start_index'] == 0


def test_frame_folders_are_read_on_first_use_and_cached(tmp_path):
    lines = [f'wave/v{i}' for i in range(3)] + [f'clap/v{i}' for i in range(3)]
    for line in lines:
        write_frames(tmp_path / 'frames' / line, 'img_{:05}.jpg', 1, 3)
    broken = tmp_path / 'frames' / 'clap' / 'v2'
    (broken / 'img_00002.jpg').unlink()
    inner = frames_dataset(tmp_path, lines)
    # Building episodes reads the labels only: no folder is listed yet.
    EpisodicDataset(
        inner, num_ways=2, num_shots=1, num_queries=1, num_episodes=2)
    with pytest.raises(FileNotFoundError, match=str(broken)):
        inner.get_data_info(5)
    assert inner.get_data_info(0)['total_frames'] == 3
    # Listed once: a frame written later is not seen.
    write_frames(tmp_path / 'frames' / 'wave' / 'v0', 'img_{:05}.jpg', 1, 4)
    assert inner.get_data_info(0)['total_frames'] == 3


def test_a_video_file_comes_before_a_frame_folder_of_its_name(tmp_path):
    write_frames(tmp_path / 'frames' / 'wave' / 'v1', 'img_{:05}.jpg', 1)
    (tmp_path / 'frames' / 'wave' / 'v1.mp4').write_bytes(b'')
    info = frames_dataset(tmp_path, ['wave/v1']).get_data_info(0)
    assert info['filename'] == str(tmp_path / 'frames' / 'wave' / 'v1.mp4')
    assert 'frame_dir' not in info


def test_unpadded_and_wide_indices_keep_their_template():
    unpadded = [f'{i}.jpg' for i in range(1, 13)] + ['cover.jpg']
    assert scan_frame_folder(unpadded, 'f') == FrameFolder('{}.jpg', 1, 12)
    # A padded template past its width (frame 100 of '{:02}') names them all.
    wide = [f'img_{i:02}.jpg' for i in range(101)]
    assert scan_frame_folder(wide, 'f') == FrameFolder('img_{:02}.jpg', 0, 101)


def test_a_template_without_one_index_field_is_refused(tmp_path):
    with pytest.raises(ValueError, match="got 'img.jpg'"):
        frames_dataset(tmp_path, ['wave/v1'], filename_tmpl='img.jpg')

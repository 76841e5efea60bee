import numpy as np
import pytest

from vim_mmaction.datasets import FewShotVideoDataset

from ..helpers import (SAMPLE_VIDEO_CODECS, SAMPLE_VIDEO_FRAMES, make_video_tree,
                       sample_frame_brightness, write_split)

NAMED = ['air drumming/clip_a', 'air drumming/clip_b', 'bowling/clip_c']


def test_named_classes_resolve_to_class_folders(tmp_path, sample_videos):
    make_video_tree(tmp_path / 'videos', NAMED, sample_videos / 'test.mp4')
    split = write_split(tmp_path / 'train.list', NAMED)
    dataset = FewShotVideoDataset(
        split, pipeline=[], data_prefix=dict(video=str(tmp_path / 'videos')))
    infos = [dataset.get_data_info(i) for i in range(len(dataset))]
    assert [info['label'] for info in infos] == [0, 0, 1]
    assert dataset.metainfo['classes'] == ('air drumming', 'bowling')
    assert infos[2]['filename'] == str(tmp_path / 'videos/bowling/clip_c.mp4')
    assert infos[2]['split_line'] == f'{split}:3'


def test_anonymised_classes_resolve_to_flat_files(tmp_path, sample_videos):
    # SSv2 ships its videos flat as <id>.webm; the split names trainN/<id>.
    (tmp_path / 'videos').mkdir()
    for video_id in ('195025', '7'):
        (tmp_path / 'videos' / f'{video_id}.webm').write_bytes(b'')
    split = write_split(tmp_path / 'train.txt', ['train18/195025', 'train3/7'])
    dataset = FewShotVideoDataset(
        split, pipeline=[], data_prefix=dict(video=str(tmp_path / 'videos')))
    assert dataset.get_data_info(0)['filename'].endswith('videos/195025.webm')
    assert dataset.metainfo['classes'] == ('train18', 'train3')


def test_frame_folders_count_their_frames(tmp_path):
    frames = tmp_path / 'frames' / 'wave' / 'v1'
    frames.mkdir(parents=True)
    for index in range(1, 6):
        (frames / f'img_{index:05}.jpg').write_bytes(b'')
    split = write_split(tmp_path / 'list.txt', ['wave/v1'])
    dataset = FewShotVideoDataset(
        split, pipeline=[], data_prefix=dict(video=str(tmp_path / 'frames')))
    info = dataset.get_data_info(0)
    assert info['frame_dir'] == str(frames)
    assert info['total_frames'] == 5


def test_unparsable_line_names_file_and_line(tmp_path):
    split = write_split(tmp_path / 'train.txt', ['a/1', 'foo', 'b/2'])
    with pytest.raises(ValueError) as error:
        FewShotVideoDataset(split, pipeline=[])
    assert f"split {split}:2: expected 'class/video_id', got 'foo'" in str(
        error.value)


def test_missing_video_names_the_line_and_entry(tmp_path, sample_videos):
    make_video_tree(tmp_path / 'videos', NAMED[:2], sample_videos / 'test.mp4')
    split = write_split(tmp_path / 'train.list', NAMED)
    with pytest.raises(FileNotFoundError) as error:
        FewShotVideoDataset(
            split,
            pipeline=[],
            data_prefix=dict(video=str(tmp_path / 'videos')))
    message = str(error.value)
    assert f"{split}:3: 'bowling/clip_c'" in message
    assert '1 video(s)' in message


def test_skipped_missing_videos_are_logged(tmp_path, sample_videos,
                                           mmengine_log):
    make_video_tree(tmp_path / 'videos', NAMED[:2], sample_videos / 'test.mp4')
    split = write_split(tmp_path / 'train.list', NAMED)
    dataset = FewShotVideoDataset(
        split,
        pipeline=[],
        on_missing='skip',
        data_prefix=dict(video=str(tmp_path / 'videos')))
    log = '\n'.join(mmengine_log)
    assert len(dataset) == 2
    assert "skipped 1 missing video(s)" in log
    assert "per class: {'bowling': 1}" in log
    assert f"{split}:3: 'bowling/clip_c'" in log


@pytest.mark.parametrize('backend', ['Decord', 'PyAV'])
@pytest.mark.parametrize('video', sorted(SAMPLE_VIDEO_CODECS))
def test_real_videos_decode(tmp_path, sample_videos, backend, video):
    extension = video.split('.')[1]
    target = tmp_path / 'videos' / 'juggling' / f'clip.{extension}'
    target.parent.mkdir(parents=True)
    target.symlink_to(sample_videos / video)
    split = write_split(tmp_path / 'test.list', ['juggling/clip'])
    pipeline = [
        dict(type=f'{backend}Init'),
        dict(
            type='SampleFrames',
            clip_len=1,
            frame_interval=1,
            num_clips=4,
            test_mode=True),
        dict(type=f'{backend}Decode'),
    ]
    dataset = FewShotVideoDataset(
        split, pipeline=pipeline,
        data_prefix=dict(video=str(tmp_path / 'videos')), test_mode=True)
    results = dataset[0]
    assert results['total_frames'] == SAMPLE_VIDEO_FRAMES
    # Segment centres of 4 segments of 24 frames: 3, 9, 15, 21.
    assert list(results['frame_inds']) == [3, 9, 15, 21]
    assert [img.shape for img in results['imgs']] == [(48, 64, 3)] * 4
    # The frames decoded are the frames asked for (lossy codecs: +- 3).
    np.testing.assert_allclose(
        [img.mean() for img in results['imgs']],
        [sample_frame_brightness(i) for i in (3, 9, 15, 21)],
        atol=3)

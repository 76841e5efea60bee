"""Tests of tools/data/extract_frames.py: videos of split lists to JPEG frame
folders, on a tiny synthetic benchmark (4 videos of 8 frames per class)."""
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from vim_mmaction.datasets import FewShotVideoDataset

from ..helpers import REPO, load_tool

extract_frames = load_tool('tools/data/extract_frames.py')
SPLITS = ('train', 'val')
NUM_VIDEOS = 4 * (16 + 6)  # classes of train and val


@pytest.fixture(scope='module')
def synthetic(tmp_path_factory):
    root = tmp_path_factory.mktemp('synthetic')
    load_tool('tools/data/make_synthetic.py').make_synthetic(
        root, videos_per_class=4, num_frames=8, size=32)
    return root


def run_extract(videos: Path, out: Path, *args) -> int:
    """Extract the train and val videos to ``out/frames``, lists in
    ``out``, at the videos' size, in this process."""
    return extract_frames.main([
        str(videos / 'videos'),
        str(out / 'frames'), '--splits',
        *[str(videos / 'splits' / f'{split}.list') for split in SPLITS],
        '--list-dir',
        str(out), '--short-side', '0', '--workers', '1', *args
    ])


@pytest.fixture(scope='module')
def extracted(synthetic, tmp_path_factory):
    out = tmp_path_factory.mktemp('extracted')
    assert run_extract(synthetic, out) == 0
    return out


def split_lines(root: Path, split: str) -> list:
    return (root / 'splits' / f'{split}.list').read_text().splitlines()


def frame_folders(out: Path) -> dict:
    """Frame folder (class/video_id) -> its file names, sorted."""
    return {
        str(folder.relative_to(out / 'frames')):
        sorted(path.name for path in folder.iterdir())
        for folder in (out / 'frames').glob('*/*')
    }


def clip_frames(ann_file: Path, root: Path, pipeline: list) -> list:
    """The decoded frames of every clip of a split: (frames, H, W, 3)."""
    dataset = FewShotVideoDataset(
        str(ann_file), pipeline, data_prefix=dict(video=str(root)))
    return [
        np.stack(dataset.pipeline(dataset.get_data_info(index))['imgs'])
        for index in range(len(dataset))
    ]


def jpeg_round_trip(rgb: np.ndarray, quality: int = 95) -> np.ndarray:
    _, data = cv2.imencode('.jpg', cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR),
                           [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.cvtColor(cv2.imdecode(data, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def test_folders_hold_the_frames_the_video_decodes_to(synthetic, extracted):
    sample = dict(
        type='SampleFrames',
        clip_len=1,
        frame_interval=1,
        num_clips=8,
        test_mode=True)
    from_videos = clip_frames(
        synthetic / 'splits' / 'val.list', synthetic / 'videos',
        [dict(type='DecordInit'), sample,
         dict(type='DecordDecode')])
    from_frames = clip_frames(extracted / 'val.list', extracted / 'frames',
                              [sample, dict(type='RawFrameDecode')])
    assert len(from_frames) == len(from_videos) == 24
    for video, frames in zip(from_videos, from_frames):
        assert frames.shape == video.shape == (8, 32, 32, 3)
        # Exactly the JPEG error: each decoded video frame, encoded at
        # quality 95 and decoded again, is the frame read from its folder.
        for video_frame, frame in zip(video, frames):
            np.testing.assert_array_equal(frame, jpeg_round_trip(video_frame))
    dataset = FewShotVideoDataset(
        str(extracted / 'val.list'), [],
        data_prefix=dict(video=str(extracted / 'frames')))
    info = dataset.get_data_info(0)
    assert (info['filename_tmpl'], info['start_index'],
            info['total_frames']) == ('img_{:05}.jpg', 1, 8)


def test_lists_and_folders_cover_every_video(synthetic, extracted):
    for split in SPLITS:
        assert (extracted / f'{split}.list').read_text() == (
            synthetic / 'splits' / f'{split}.list').read_text()
    folders = frame_folders(extracted)
    assert len(folders) == NUM_VIDEOS
    assert set(map(tuple, folders.values())) == {
        tuple(f'img_{index:05}.jpg' for index in range(1, 9))
    }


def test_second_run_skips_every_video(synthetic, extracted, capsys):
    before = {
        path: path.stat().st_mtime_ns
        for path in (extracted / 'frames').rglob('*.jpg')
    }
    assert run_extract(synthetic, extracted) == 0
    report = capsys.readouterr().out
    assert (f'videos: 0 extracted, {NUM_VIDEOS} skipped (complete already), '
            '0 failed') in report
    after = {
        path: path.stat().st_mtime_ns
        for path in (extracted / 'frames').rglob('*.jpg')
    }
    assert after == before


def test_interrupted_video_leaves_no_folder_and_rerun_completes_it(
        synthetic, tmp_path, monkeypatch, capsys):
    class_name, victim = split_lines(synthetic, 'train')[2].split('/')
    write_frame = extract_frames.write_frame

    def interrupted_at_frame_4(path, *args):
        if path.parent.name == f'.{victim}.partial' and path.name.endswith(
                '4.jpg'):
            raise KeyboardInterrupt  # as Ctrl-C would, mid-video
        return write_frame(path, *args)

    monkeypatch.setattr(extract_frames, 'write_frame', interrupted_at_frame_4)
    with pytest.raises(KeyboardInterrupt):
        run_extract(synthetic, tmp_path)
    class_dir = tmp_path / 'frames' / class_name
    assert sorted(path.name for path in class_dir.iterdir()) == [
        f'{class_name}_0000', f'{class_name}_0001'
    ]
    assert not list(tmp_path.glob('*.list'))
    monkeypatch.undo()
    capsys.readouterr()
    assert run_extract(synthetic, tmp_path) == 0
    assert (f'videos: {NUM_VIDEOS - 2} extracted, 2 skipped'
            in capsys.readouterr().out)
    assert len(list((class_dir / victim).iterdir())) == 8


def test_partial_folder_of_a_killed_process_is_replaced(
        synthetic, extracted, tmp_path, capsys):
    out = tmp_path / 'out'
    shutil.copytree(extracted, out)
    folder = out / 'frames' / split_lines(synthetic, 'val')[1]
    shutil.rmtree(folder)
    partial = folder.with_name(f'.{folder.name}.partial')
    partial.mkdir()
    (partial / 'img_00001.jpg').write_bytes(b'half')
    assert run_extract(synthetic, out) == 0
    assert 'videos: 1 extracted' in capsys.readouterr().out
    assert not partial.exists()
    assert frame_folders(out) == frame_folders(extracted)


def test_failed_and_missing_videos_are_named_and_left_out_of_the_lists(
        synthetic, tmp_path, capsys):
    videos = tmp_path / 'videos_copy'
    shutil.copytree(synthetic, videos)
    val_lines = split_lines(synthetic, 'val')
    corrupt_line, missing_line = val_lines[1], val_lines[7]
    corrupt = videos / 'videos' / f'{corrupt_line}.mp4'
    corrupt.write_bytes(bytes(corrupt.stat().st_size))
    (videos / 'videos' / f'{missing_line}.mp4').unlink()
    status = run_extract(videos, tmp_path)
    report = capsys.readouterr().out
    assert status == 1
    assert 'videos: 86 extracted, 0 skipped (complete already), 1 failed' \
        in report
    assert f'failed, left out of the lists: {corrupt} (' in report
    assert (f"missing: {videos / 'splits' / 'val.list'}:8: "
            f"'{missing_line}'") in report
    assert f"wrote {tmp_path / 'val.list'}: 22 of 24 lines" in report
    assert (tmp_path / 'val.list').read_text().splitlines() == [
        line for line in val_lines if line not in (corrupt_line, missing_line)
    ]
    folder = tmp_path / 'frames' / corrupt_line
    assert not folder.exists()
    assert not list(folder.parent.glob('.*'))


def test_short_side_is_scaled_to_the_size_asked_for():
    image = np.zeros((30, 40, 3), np.uint8)
    assert extract_frames.resize_short_side(image, 16).shape == (16, 21, 3)
    assert extract_frames.resize_short_side(
        image.transpose(1, 0, 2), 60).shape == (80, 60, 3)
    assert extract_frames.resize_short_side(image, 0) is image


def test_a_list_is_never_written_over_its_input(synthetic, tmp_path):
    with pytest.raises(ValueError, match='would overwrite the input list'):
        extract_frames.main([
            str(synthetic / 'videos'),
            str(tmp_path), '--splits',
            str(synthetic / 'splits' / 'val.list'), '--list-dir',
            str(synthetic / 'splits')
        ])


@pytest.mark.slow
def test_command_line_with_two_processes(synthetic, extracted, tmp_path):
    result = subprocess.run([
        sys.executable, 'tools/data/extract_frames.py',
        str(synthetic / 'videos'),
        str(tmp_path / 'frames'), '--splits',
        str(synthetic / 'splits' / 'val.list'), '--short-side', '16',
        '--workers', '2'
    ],
                            cwd=REPO,
                            capture_output=True,
                            text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert 'videos: 24 extracted' in result.stdout
    assert (tmp_path / 'frames' / 'val.list').read_text() == (
        synthetic / 'splits' / 'val.list').read_text()
    frames = sorted((tmp_path / 'frames').rglob('*.jpg'))
    assert len(frames) == 24 * 8
    assert cv2.imread(str(frames[0])).shape == (16, 16, 3)

"""Tests of tools/data/check_dataset.py: a config's videos checked before a
run, on a tiny synthetic benchmark (4 videos of 8 frames per class)."""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from ..helpers import REPO, load_tool

check_dataset = load_tool('tools/data/check_dataset.py')
# 5-way 1-shot, 1 query: K + Q = 2 in every split; 4 frames sampled.
CONFIG = str(REPO / 'tests' / 'data' / 'tiny_synthetic.py')
LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')


@pytest.fixture(scope='module')
def pristine(tmp_path_factory):
    root = tmp_path_factory.mktemp('pristine')
    summary = load_tool('tools/data/make_synthetic.py').make_synthetic(
        root, videos_per_class=4, num_frames=8, size=32)
    return root, summary['classes']


@pytest.fixture
def synthetic(pristine, tmp_path):
    """A copy of the benchmark to damage, and its classes per split."""
    root, classes = pristine
    shutil.copytree(root, tmp_path / 'synthetic')
    return tmp_path / 'synthetic', classes


def data_options(root, *extra):
    return [
        '--cfg-options',
        *[f'{loader}.dataset.dataset.data_root={root}' for loader in LOADERS],
        *extra
    ]


def run_check(capsys, root, *args, extra=()):
    """Exit status and report of an in-process run (one process)."""
    status = check_dataset.main(
        [CONFIG, '--workers', '1', *args, *data_options(root, *extra)])
    return status, capsys.readouterr().out


def video(root: Path, class_name: str, index: int) -> Path:
    return root / 'videos' / class_name / f'{class_name}_{index:04d}.mp4'


def line_number(root: Path, split: str, line: str) -> int:
    lines = (root / 'splits' / f'{split}.list').read_text().splitlines()
    return lines.index(line) + 1


def table_row(report: str, class_name: str) -> list:
    """The counts of a class: videos, missing, unreadable, short, usable,
    verdict."""
    match = re.search(rf'^  {class_name} +(.*)$', report, re.MULTILINE)
    return match[1].split(maxsplit=5)


def test_intact_benchmark_passes(capsys, synthetic):
    root, classes = synthetic
    status, report = run_check(capsys, root)
    assert status == 0
    assert report.rstrip().endswith('all splits ok')
    for split in ('train', 'val', 'test'):
        assert f'{split}: ok' in report
        assert (f'{split}.list: {4 * len(classes[split])} videos of '
                f'{len(classes[split])} classes') in report
    assert table_row(report, classes['val'][0]) == [
        '4', '0', '0', '0', '4', 'ok'
    ]
    assert 'frames per video: min 8, mean 8.0, max 8; 512 in all' in report


def damage(root: Path, classes: dict) -> dict:
    """Delete one training video, corrupt another, and leave a val class 1
    video of the K + Q = 2 its episodes need."""
    deleted, corrupted, thinned = (classes['train'][0], classes['train'][1],
                                   classes['val'][0])
    video(root, deleted, 1).unlink()
    path = video(root, corrupted, 2)
    data = path.read_bytes()
    path.write_bytes(bytes(256) + data[256:])  # the container header
    for index in (1, 2, 3):
        video(root, thinned, index).unlink()
    return dict(deleted=deleted, corrupted=corrupted, thinned=thinned)


def test_damaged_benchmark_names_every_problem_and_fails(capsys, synthetic):
    root, classes = synthetic
    damaged = damage(root, classes)
    status, report = run_check(capsys, root)
    assert status == 1
    deleted, corrupted = damaged['deleted'], damaged['corrupted']
    line = line_number(root, 'train', f'{deleted}/{deleted}_0001')
    assert (f"missing: {root}/splits/train.list:{line}: "
            f"'{deleted}/{deleted}_0001'") in report
    assert table_row(report, deleted) == ['4', '1', '0', '0', '3', 'ok']
    assert f'unreadable: {video(root, corrupted, 2)} (' in report
    assert table_row(report, corrupted) == ['4', '0', '1', '0', '3', 'ok']
    assert "train: FAILED: 1 missing video(s) and on_missing='error'" in report
    assert 'train: FAILED: 1 unreadable video(s)' in report
    thinned = damaged['thinned']
    assert table_row(report, thinned) == ['4', '3', '0', '0', '1', '< 2']
    assert ('val: FAILED: 1 class(es) with fewer than 2 usable video(s): '
            f"'{thinned}' (1)") in report
    assert 'test: ok' in report


def test_missing_videos_fail_only_where_the_dataset_refuses_them(
        capsys, synthetic):
    root, classes = synthetic
    video(root, classes['train'][0], 1).unlink()
    status, report = run_check(capsys, root, '--split', 'train')
    assert status == 1
    status, report = run_check(
        capsys,
        root,
        '--split',
        'train',
        extra=['train_dataloader.dataset.dataset.on_missing=skip'])
    assert status == 0
    assert table_row(report, classes['train'][0])[:2] == ['4', '1']


def test_short_videos_are_reported_but_do_not_fail(capsys, synthetic):
    root, classes = synthetic
    status, report = run_check(
        capsys,
        root,
        '--split',
        'val',
        extra=['val_dataloader.dataset.dataset.pipeline.1.num_clips=16'])
    assert status == 0
    assert table_row(report, classes['val'][0]) == [
        '4', '0', '0', '4', '4', 'ok'
    ]
    assert ('8 frame(s), 16 sampled (frames repeat)') in report


def test_a_malformed_split_list_fails_its_split(capsys, synthetic):
    root, _ = synthetic
    with open(root / 'splits' / 'test.list', 'a') as split:
        split.write('no-slash-here\n')
    status, report = run_check(capsys, root)
    assert status == 1
    assert (f"test: FAILED: split {root}/splits/test.list:33: expected "
            "'class/video_id', got 'no-slash-here'") in report
    assert 'train: ok' in report


def test_decode_reads_the_frames_that_listing_does_not(capsys, tmp_path):
    """A frame folder with a corrupt JPEG passes the listing (the default
    depth) and fails with --decode, which decodes the test frames."""
    root = tmp_path / 'frames_benchmark'
    lines = [f'class{c}/video{v}' for c in range(5) for v in range(2)]
    for line in lines:
        folder = root / 'frames' / line
        folder.mkdir(parents=True)
        for index in range(1, 9):
            cv2.imwrite(
                str(folder / f'img_{index:05}.jpg'),
                np.full((16, 16, 3), 10 * index, np.uint8))
    (root / 'frames' / lines[3] / 'img_00004.jpg').write_bytes(b'not a jpeg')
    (root / 'test.list').write_text(''.join(f'{line}\n' for line in lines))
    config = str(REPO / 'tests' / 'data' / 'tiny_frames.py')
    options = data_options(root)
    assert check_dataset.main(
        [config, '--split', 'test', '--workers', '1', *options]) == 0
    assert check_dataset.main(
        [config, '--split', 'test', '--decode', '--workers', '1', *options
         ]) == 1
    report = capsys.readouterr().out
    assert f"unreadable: {root / 'frames' / lines[3]} (" in report


@pytest.mark.slow
def test_command_line_with_two_processes_reports_the_same(capsys, synthetic):
    root, classes = synthetic
    damage(root, classes)
    _, inline = run_check(capsys, root)
    result = subprocess.run([
        sys.executable, 'tools/data/check_dataset.py', CONFIG, '--workers',
        '2', *data_options(root)
    ],
                            cwd=REPO,
                            capture_output=True,
                            text=True,
                            timeout=300)
    assert result.returncode == 1

    def report_lines(text):
        return [
            line for line in text.splitlines()
            if line.startswith(('train', 'val', 'test', '  '))
        ]

    assert report_lines(result.stdout) == report_lines(inline)

"""Real frames end to end, an optional real-data check: SSv2 frame folders
(10 classes x 10 videos x 8 frames, numbered from 1) checked, read and run
through tools/train.py and tools/test.py.

``VIM_MMACTION_SSV2_SAMPLE`` names the folder (``all.list`` and
``frames/<class>/<video>/``); unset, these tests are skipped and say so.
Its frames are read where they are, through a symbolic link, and never
copied.

Splits: classes train0-4 meta-train, train5-9 meta-test; validation uses
the meta-test classes too (10 classes cannot make three disjoint 5-way
splits), so the checkpoint chosen is no held-out result: this is a check that
real frames run, not a benchmark.
"""
import os
import subprocess
import sys
from pathlib import Path

import cv2
import mmcv
import numpy as np
import pytest
from mmaction.registry import DATASETS
from mmengine.config import Config

from ..helpers import REPO, load_tool, write_split

pytestmark = pytest.mark.slow

SAMPLE_VARIABLE = 'VIM_MMACTION_SSV2_SAMPLE'
# 8 frames of 64 px, 5-way 1-shot; 2 training, 2 val and 4 test episodes.
CONFIG = str(REPO / 'tests' / 'data' / 'tiny_frames.py')
LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')
TRAIN_CLASSES = tuple(f'train{index}' for index in range(5))


@pytest.fixture(scope='module')
def sample_root(tmp_path_factory) -> Path:
    """A data root: split lists here, ``frames`` linked to the sample's."""
    if SAMPLE_VARIABLE not in os.environ:
        pytest.skip(f'optional real-data check: set {SAMPLE_VARIABLE} to a '
                    'folder of SSv2 frames (all.list and frames/)')
    sample = Path(os.environ[SAMPLE_VARIABLE])
    if not (sample / 'all.list').is_file():
        pytest.fail(f'{SAMPLE_VARIABLE}={sample} holds no all.list: '
                    'expected all.list and frames/<class>/<video>/')
    root = tmp_path_factory.mktemp('ssv2_sample')
    (root / 'frames').symlink_to(sample / 'frames', target_is_directory=True)
    lines = (sample / 'all.list').read_text().split()
    train = [line for line in lines if line.split('/')[0] in TRAIN_CLASSES]
    test = [line for line in lines if line not in train]
    write_split(root / 'train.list', train)
    write_split(root / 'val.list', test)
    write_split(root / 'test.list', test)
    return root


def data_options(root: Path) -> list:
    return [
        '--cfg-options',
        *[f'{loader}.dataset.dataset.data_root={root}' for loader in LOADERS]
    ]


def test_test_pipeline_reads_the_frames_on_disk(sample_root):
    cfg = Config.fromfile(CONFIG)
    cfg.test_dataloader.dataset.dataset.data_root = str(sample_root)
    dataset = DATASETS.build(cfg.test_dataloader.dataset).dataset
    info = dataset.get_data_info(0)
    assert (info['filename_tmpl'], info['start_index'],
            info['total_frames']) == ('{:08}.jpg', 1, 8)
    clip = dataset.pipeline(info)['inputs'].numpy()  # (8, 3, 64, 64)
    for index, frame in enumerate(clip.transpose(0, 2, 3, 1), start=1):
        on_disk = cv2.imread(str(Path(info['frame_dir']) / f'{index:08}.jpg'))
        expected = mmcv.imresize(
            cv2.cvtColor(on_disk, cv2.COLOR_BGR2RGB), (64, 64),
            interpolation='bilinear')
        np.testing.assert_array_equal(frame, expected)


def test_check_dataset_passes_the_sample(sample_root, capsys):
    check_dataset = load_tool('tools/data/check_dataset.py')
    assert check_dataset.main(
        [CONFIG, '--decode', '--workers', '1', *data_options(sample_root)]) == 0
    report = capsys.readouterr().out
    assert 'train.list: 50 videos of 5 classes' in report
    assert 'frames per video: min 8, mean 8.0, max 8; 400 in all' in report


def run_tool(*args) -> str:
    """Run a tool from the repository root; returns its stdout."""
    result = subprocess.run([sys.executable, *args],
                            cwd=REPO,
                            capture_output=True,
                            text=True,
                            timeout=600)
    assert result.returncode == 0, (f'{args} failed:\n{result.stdout[-3000:]}'
                                    f'\n{result.stderr[-3000:]}')
    return result.stdout


def test_train_and_test_on_real_frames(sample_root, tmp_path):
    work_dir = tmp_path / 'work_dir'
    run_tool('tools/train.py', CONFIG, '--work-dir', str(work_dir),
             *data_options(sample_root))
    assert (work_dir / 'epoch_1.pth').is_file()
    log = run_tool('tools/test.py', CONFIG, str(work_dir / 'epoch_1.pth'),
                   '--work-dir', str(tmp_path / 'test'),
                   *data_options(sample_root))
    assert 'episodic/accuracy:' in log
    assert 'episodic/num_episodes: 4' in log

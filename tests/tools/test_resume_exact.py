"""A resumed run ends with exactly the weights of an uninterrupted one."""
import sys

import pytest
import torch

from ..helpers import REPO
from .test_train_test_resume import data_options, run_tool

pytestmark = pytest.mark.slow

# VIM in full (dropout, the perturbed top-k's noise and the learner's code
# draw from torch's global RNG) with random training inputs (frame jitter
# and crops from numpy's global RNG in a persistent data worker).
RANDOM_INPUTS_CONFIG = f"""
_base_ = [{str(REPO / 'tests' / 'data' / 'tiny_vim.py')!r}]
train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SegmentSampleFrames', num_clips=8, end_jitter=0.2),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(72, 72), keep_ratio=False),
    dict(type='RandomCrop', size=64),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
train_dataloader = dict(
    num_workers=1,
    persistent_workers=True,
    dataset=dict(dataset=dict(pipeline=train_pipeline)))
"""


def train(config, work_dir, synthetic_root, *options):
    run_tool(sys.executable, 'tools/train.py', str(config), '--work-dir',
             str(work_dir), *data_options(synthetic_root), *options)


def test_resumed_run_ends_with_the_uninterrupted_weights(
        tmp_path, synthetic_root):
    config = tmp_path / 'random_inputs.py'
    config.write_text(RANDOM_INPUTS_CONFIG)
    straight, resumed = tmp_path / 'straight', tmp_path / 'resumed'
    train(config, straight, synthetic_root, 'train_cfg.max_epochs=2')
    # What a run stopped in epoch 2 left behind. (Stopping after epoch 1
    # with max_epochs=1 instead would also end the lr schedule there.)
    train(config, resumed, synthetic_root, 'train_cfg.max_epochs=2',
          '--resume', str(straight / 'epoch_1.pth'))

    def weights(work_dir):
        return torch.load(
            work_dir / 'epoch_2.pth', map_location='cpu',
            weights_only=False)['state_dict']

    expected, found = weights(straight), weights(resumed)
    assert expected.keys() == found.keys()
    differing = [
        name for name in expected
        if not torch.equal(expected[name], found[name])
    ]
    assert differing == []

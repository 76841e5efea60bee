"""The sampler configs end to end through tools/train.py and tools/test.py."""
import sys

import pytest
import torch

from ..helpers import REPO
from .test_train_test_resume import data_options, run_tool

pytestmark = pytest.mark.slow

CONFIG = str(REPO / 'tests' / 'data' / 'tiny_vim_sampler.py')


def test_trains_checkpoints_the_decayed_sigma_and_tests(
        tmp_path, synthetic_root):
    run_tool(sys.executable, 'tools/train.py', CONFIG, '--work-dir',
             str(tmp_path), *data_options(synthetic_root))
    checkpoint = torch.load(
        tmp_path / 'epoch_1.pth', map_location='cpu', weights_only=False)
    # Two iterations, a step at iteration 1: 0.05 * 0.8.
    sigma = checkpoint['state_dict']['sampler.topk.sigma'].item()
    assert sigma == pytest.approx(0.04)
    result = run_tool(sys.executable, 'tools/test.py', CONFIG,
                      str(tmp_path / 'epoch_1.pth'), '--work-dir',
                      str(tmp_path / 'test'), *data_options(synthetic_root))
    assert 'episodic/num_episodes: 4' in result.stdout


def test_vim_in_full_trains_both_schedules_and_tests(tmp_path,
                                                     synthetic_root):
    config = str(REPO / 'tests' / 'data' / 'tiny_vim.py')
    run_tool(sys.executable, 'tools/train.py', config, '--work-dir',
             str(tmp_path), *data_options(synthetic_root))
    state = torch.load(
        tmp_path / 'epoch_1.pth', map_location='cpu',
        weights_only=False)['state_dict']
    # Two iterations, one step of each schedule at iteration 1.
    assert state['sampler.topk.sigma'].item() == pytest.approx(0.04)
    assert state['cls_head.spatial_coordination.jitter'].item() == \
        pytest.approx(0.1)
    result = run_tool(sys.executable, 'tools/test.py', config,
                      str(tmp_path / 'epoch_1.pth'), '--work-dir',
                      str(tmp_path / 'test'), *data_options(synthetic_root))
    assert 'episodic/num_episodes: 4' in result.stdout

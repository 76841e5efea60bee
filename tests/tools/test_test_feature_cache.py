"""tools/test.py with the feature cache: 2 processes (tools/dist_test.sh)
score every episode as one process does without the cache, for every head;
--no-feature-cache gives the stock loop."""
import pickle
import sys

import pytest
import torch

from ..engine.loops.feature_cache_cases import (HEADS, assert_same_episodes,
                                                build_runner, episode_records,
                                                write_head_config)
from ..helpers import free_port
from .test_train_test_resume import data_options, run_tool

pytestmark = pytest.mark.slow


@pytest.fixture(scope='module', params=sorted(HEADS))
def head_checkpoint(request, tmp_path_factory, synthetic_root):
    """(config, checkpoint, per-episode records of the stock loop)."""
    folder = tmp_path_factory.mktemp(request.param)
    config = write_head_config(folder, request.param)
    runner = build_runner(config, synthetic_root, folder)
    checkpoint = folder / 'model.pth'
    torch.save(dict(state_dict=runner.model.state_dict()), checkpoint)
    uncached = episode_records(runner, False, folder / 'uncached.pkl')
    return config, checkpoint, uncached


def test_two_processes_score_each_episode_as_the_stock_loop(
        head_checkpoint, synthetic_root, tmp_path):
    config, checkpoint, uncached = head_checkpoint
    dump = tmp_path / 'two.pkl'
    result = run_tool(
        'bash', 'tools/dist_test.sh', str(config), str(checkpoint), '2',
        '--work-dir', str(tmp_path), '--dump', str(dump),
        *data_options(synthetic_root),
        env=dict(PORT=str(free_port()), PYTHON=sys.executable))
    assert ' clips encoded here in ' in result.stdout
    assert '(2 process(es))' in result.stdout
    with open(dump, 'rb') as file:
        assert_same_episodes(uncached, pickle.load(file))


@pytest.mark.parametrize('head_checkpoint', ['OTAMHead'], indirect=True)
def test_no_feature_cache_runs_the_stock_loop(head_checkpoint,
                                              synthetic_root, tmp_path):
    config, checkpoint, uncached = head_checkpoint
    dump = tmp_path / 'stock.pkl'
    result = run_tool(sys.executable, 'tools/test.py', str(config),
                      str(checkpoint), '--work-dir', str(tmp_path),
                      '--no-feature-cache', '--dump', str(dump),
                      *data_options(synthetic_root))
    assert ('feature cache: not used: switched off (feature_cache=False)'
            in result.stdout)
    with open(dump, 'rb') as file:
        assert_same_episodes(uncached, pickle.load(file))

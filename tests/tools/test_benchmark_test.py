"""tools/analysis/benchmark_test.py: the same test episodes with and without
the feature cache, as JSON lines."""
import json
import sys

import pytest
import torch

from vim_mmaction.apis import init_few_shot_model

from ..helpers import REPO
from .test_train_test_resume import data_options, run_tool

pytestmark = pytest.mark.slow

CONFIG = str(REPO / 'tests' / 'data' / 'tiny_synthetic.py')


def test_times_both_loops_on_the_same_episodes(synthetic_root, tmp_path):
    model = init_few_shot_model(CONFIG, device='cpu')
    torch.save(dict(state_dict=model.state_dict()), tmp_path / 'model.pth')
    result = run_tool(sys.executable, 'tools/analysis/benchmark_test.py',
                      CONFIG, str(tmp_path / 'model.pth'), '--episodes', '6',
                      *data_options(synthetic_root))
    stock, cached, summary = [
        json.loads(line) for line in result.stdout.splitlines()
        if line.startswith('{')
    ]
    assert (stock['feature_cache'], cached['feature_cache']) == (False, True)
    assert stock['episodes'] == cached['episodes'] == 6
    assert stock['accuracy'] == cached['accuracy']
    assert cached['cpu_s'] > 0 and cached['wall_s'] > 0
    assert summary['same_episode_accuracies'] is True
    assert summary['max_score_difference'] < 1e-5
    assert summary['speedup_wall'] == pytest.approx(
        stock['wall_s'] / cached['wall_s'], abs=0.1)

"""tools/test.py --show-dir: one PNG per query of the first test episodes."""
import sys

import pytest
import torch

from vim_mmaction.apis import init_few_shot_model

from ..helpers import REPO
from .test_train_test_resume import data_options, run_tool

pytestmark = pytest.mark.slow


@pytest.mark.parametrize('config', ['tiny_vim.py', 'tiny_synthetic.py'])
def test_draws_each_query_of_the_first_episodes(config, synthetic_root,
                                                tmp_path):
    config = str(REPO / 'tests' / 'data' / config)
    model = init_few_shot_model(config, device='cpu')
    torch.save(dict(state_dict=model.state_dict()), tmp_path / 'model.pth')
    result = run_tool(sys.executable, 'tools/test.py', config,
                      str(tmp_path / 'model.pth'), '--work-dir',
                      str(tmp_path / 'work'), '--show-dir',
                      str(tmp_path / 'show'), '--show-episodes', '2',
                      *data_options(synthetic_root))
    # 2 of the 4 test episodes, 5-way with 1 query per class.
    assert sorted(path.name for path in (tmp_path / 'show').iterdir()) == [
        f'episode_{episode:04d}_query_{query:02d}.png'
        for episode in range(2) for query in range(5)
    ]
    assert '4 test episodes: accuracy' in result.stdout + result.stderr

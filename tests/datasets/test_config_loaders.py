"""Every config's loaders build with num_workers=0 (debugging, profiling)."""
import pytest
from mmengine.config import Config
from mmengine.runner import Runner

from vim_mmaction.datasets import EpisodicDataset

from ..helpers import REPO
from .test_episodic_dataset import split_dataset

CONFIGS = sorted(
    path for path in (REPO / 'configs').rglob('*.py')
    if '_base_' not in path.parts)


@pytest.fixture
def episodes(synthetic_root):
    return EpisodicDataset(
        split_dataset(synthetic_root),
        num_ways=5,
        num_shots=1,
        num_queries=1,
        num_episodes=2)


@pytest.mark.parametrize('config', CONFIGS, ids=[path.stem for path in CONFIGS])
def test_loaders_build_without_workers(config, episodes):
    cfg = Config.fromfile(config)
    for name in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        loader = cfg[name]
        loader.update(num_workers=0, dataset=episodes)
        assert Runner.build_dataloader(loader).num_workers == 0


def test_tiny_config_trains_a_batch_without_workers(synthetic_root):
    cfg = Config.fromfile(REPO / 'tests/data/tiny_synthetic.py')
    loader = cfg.train_dataloader
    loader.num_workers = 0
    loader.dataset.dataset.data_root = str(synthetic_root)
    batch = next(iter(Runner.build_dataloader(loader, seed=0)))
    # 5 ways x (1 shot + 1 query) clips of 4 frames.
    assert len(batch['inputs']) == len(batch['data_samples']) == 10
    assert tuple(batch['inputs'][0].shape[:2]) == (4, 3)

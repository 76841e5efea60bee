"""Every config under configs/ loads and builds its model and datasets."""
from pathlib import Path

import pytest
from mmaction.registry import DATASETS, MODELS
from mmengine.config import Config

from .helpers import REPO

CONFIGS = sorted(
    path for path in (REPO / 'configs').rglob('*.py')
    if '_base_' not in path.parts)


@pytest.fixture(scope='module')
def empty_videos(tmp_path_factory):
    """An empty file for every video of a split list, laid out as released.

    Returns a function mapping a config's video folder to such a tree.
    """
    trees = {}

    def tree_for(video_root: str, split_files) -> Path:
        root = tmp_path_factory.mktemp('videos')
        for split_file in split_files:
            for line in (REPO / split_file).read_text().splitlines():
                class_name, video_id = line.strip().split('/')
                if video_root.startswith('data/ssv2'):
                    path = root / f'{video_id}.webm'  # SSv2 ships flat
                else:
                    path = root / class_name / f'{video_id}.mp4'
                path.parent.mkdir(parents=True, exist_ok=True)
                path.touch()
        return root

    def get(video_root: str, split_files) -> Path:
        key = (video_root, tuple(sorted(split_files)))
        if key not in trees:
            trees[key] = tree_for(video_root, split_files)
        return trees[key]

    return get


def test_every_method_has_configs():
    assert len(CONFIGS) >= 12


@pytest.mark.parametrize(
    'config', CONFIGS, ids=[path.stem for path in CONFIGS])
def test_config_builds_model_and_datasets(config, synthetic_root,
                                          empty_videos):
    cfg = Config.fromfile(config)
    assert cfg.default_scope == 'mmaction'
    assert cfg.custom_imports['imports'] == ['vim_mmaction']
    model = MODELS.build(cfg.model)
    assert model.cls_head is not None
    loaders = [cfg[name] for name in
               ('train_dataloader', 'val_dataloader', 'test_dataloader')]
    # The video dataset, inside EpisodicDataset for few-shot configs.
    inners = [loader.dataset.get('dataset', loader.dataset)
              for loader in loaders]
    if inners[0].get('data_root') == 'data/synthetic':
        for inner in inners:
            inner.data_root = str(synthetic_root)
    else:
        root = empty_videos(inners[0].data_prefix.video,
                            [inner.ann_file for inner in inners])
        for inner in inners:
            inner.ann_file = str(REPO / inner.ann_file)
            inner.data_prefix.video = str(root)
    for loader in loaders:
        dataset = DATASETS.build(loader.dataset)
        if loader.dataset.type != 'EpisodicDataset':  # supervised configs
            assert len(dataset) > 0
            continue
        assert len(dataset) == loader.dataset.num_episodes
        episode = dataset.episode(0)
        assert episode['support'].shape == (loader.dataset.num_ways,
                                            loader.dataset.num_shots)

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


BENCHMARKS = ('ssv2-full', 'ssv2-small', 'kinetics100', 'ucf101', 'hmdb51')
METHODS = ('protonet', 'otam', 'trx', 'vim')


@pytest.mark.parametrize('method', METHODS)
def test_every_method_has_both_settings_on_every_benchmark(method):
    for benchmark in BENCHMARKS:
        for shots in (1, 5):
            path = (REPO / 'configs' / method /
                    f'{method}_r50_1xb1-5way-{shots}shot_{benchmark}.py')
            assert path in CONFIGS, f'missing {path.relative_to(REPO)}'
            cfg = Config.fromfile(path)
            for name in ('train_dataloader', 'val_dataloader',
                         'test_dataloader'):
                episodes = cfg[name].dataset
                assert (episodes.num_ways, episodes.num_shots) == (5, shots)
                assert benchmark.replace('-', '_') in episodes.dataset.ann_file
            assert cfg.test_dataloader.dataset.num_episodes == 10000


@pytest.mark.parametrize(
    'config', CONFIGS, ids=[path.stem for path in CONFIGS])
def test_sampler_configs_decode_more_frames_than_they_keep(config):
    cfg = Config.fromfile(config)
    sampler = cfg.model.get('sampler')
    for name in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        inner = cfg[name].dataset.get('dataset', cfg[name].dataset)
        decoded = [step.num_clips for step in inner.pipeline
                   if step.type.endswith('SampleFrames')]
        assert len(decoded) == 1, f'{name}: one frame-sampling step'
        if sampler is None:
            assert decoded[0] == 8
        else:
            assert decoded[0] > sampler.num_frames, (
                f'{name} decodes {decoded[0]} frames, the sampler keeps '
                f'{sampler.num_frames}')


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

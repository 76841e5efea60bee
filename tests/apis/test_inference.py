"""vim_mmaction.apis: few-shot inference on given videos scores the queries
as the test loop scores the same clips."""
import shutil
from pathlib import Path

import pytest
import torch
from mmaction.registry import DATASETS
from mmengine.config import Config

from vim_mmaction.apis import (inference_few_shot, init_few_shot_model,
                               load_episode)
from vim_mmaction.datasets import episode_collate
from vim_mmaction.utils import CheckpointMismatchError

from ..helpers import REPO, load_tool, write_split

TINY = REPO / 'tests' / 'data'
# Heads behind EfficientNet-Lite0's 1280 x 2 x 2 maps of 64 px frames.
HEADS = {
    'ProtoHead': None,
    'OTAMHead': dict(type='OTAMHead'),
    'TRXHead': dict(type='TRXHead', in_channels=1280, embed_channels=64),
    'VIMAlignmentHead': dict(
        type='VIMAlignmentHead',
        in_channels=1280,
        spatial_cfg=dict(channels=16, hidden_channels=8)),
}


def tiny_config(name: str, data_root: Path, head=None) -> Config:
    cfg = Config.fromfile(TINY / name)
    cfg.test_dataloader.dataset.dataset.data_root = str(data_root)
    if head is not None:
        cfg.model.cls_head = head
    return cfg


def episode_from_test_loop(cfg: Config, model):
    """The first test episode of ``cfg``: its support (class name -> paths),
    its queries (paths) and the (queries, ways) scores of ``test_step``."""
    dataset = DATASETS.build(cfg.test_dataloader.dataset)
    clips = dataset.dataset
    classes = clips.metainfo['classes']
    episode = dataset.episode(0)

    def path(index):
        info = clips.get_data_info(int(index))
        return info.get('filename', info.get('frame_dir'))

    support = {
        classes[label]: [path(i) for i in row]
        for label, row in zip(episode['classes'], episode['support'])
    }
    queries = [path(i) for row in episode['query'] for i in row]
    with torch.no_grad():
        outputs = model.test_step(episode_collate([dataset[0]]))
    scores = torch.stack([
        sample.pred_score for sample in outputs
        if sample.metainfo['role'] == 'query'
    ])
    return support, queries, scores


def check_as_tested(cfg: Config) -> None:
    model = init_few_shot_model(cfg, device='cpu')
    support, queries, expected = episode_from_test_loop(cfg, model)
    results = inference_few_shot(model, support, queries)
    assert [r.query for r in results] == queries
    for result, scores in zip(results, expected):
        assert list(result.scores) == list(support)
        assert list(result.scores.values()) == pytest.approx(
            scores.tolist(), abs=1e-6)
        assert result.pred_class == list(support)[int(scores.argmax())]


@pytest.mark.parametrize('head', list(HEADS))
def test_videos_score_as_in_the_test_loop(head, synthetic_root):
    check_as_tested(
        tiny_config('tiny_synthetic.py', synthetic_root, HEADS[head]))


def test_sampler_and_alignment_score_as_in_the_test_loop(synthetic_root):
    check_as_tested(tiny_config('tiny_vim.py', synthetic_root))


@pytest.fixture(scope='module')
def frames_root(synthetic_root, tmp_path_factory) -> Path:
    """The synthetic test split as frame folders, ``img_00001.jpg`` on."""
    write_frames = load_tool('tools/data/extract_frames.py').write_frames
    root = tmp_path_factory.mktemp('synthetic_frames')
    lines = (synthetic_root / 'splits' / 'test.list').read_text().split()
    for line in lines:
        folder = root / 'frames' / line
        folder.mkdir(parents=True)
        write_frames(
            str(synthetic_root / 'videos' / f'{line}.mp4'),
            folder,
            short_side=64,
            quality=95)
    write_split(root / 'test.list', lines)
    return root


def test_frame_folders_score_as_in_the_test_loop(frames_root):
    check_as_tested(tiny_config('tiny_frames.py', frames_root))


@pytest.fixture(scope='module')
def model():
    return init_few_shot_model(TINY / 'tiny_synthetic.py', device='cpu')


def videos(synthetic_root, class_name, count):
    return sorted(
        str(path)
        for path in (synthetic_root / 'videos' / class_name).iterdir())[:count]


def test_a_checkpoint_is_loaded(tmp_path, synthetic_root):
    trained = init_few_shot_model(TINY / 'tiny_synthetic.py', device='cpu')
    with torch.no_grad():
        trained.cls_head.log_temperature.fill_(0.123)
    torch.save(dict(state_dict=trained.state_dict()), tmp_path / 'ckpt.pth')
    loaded = init_few_shot_model(
        TINY / 'tiny_synthetic.py', str(tmp_path / 'ckpt.pth'), device='cpu')
    assert loaded.cls_head.log_temperature.item() == pytest.approx(0.123)
    assert not loaded.training


def test_a_missing_checkpoint_is_named(tmp_path):
    missing = str(tmp_path / 'nope.pth')
    with pytest.raises(FileNotFoundError,
                       match=f'checkpoint {missing}: no such file'):
        init_few_shot_model(TINY / 'tiny_synthetic.py', missing, 'cpu')


def test_another_models_checkpoint_is_named(tmp_path):
    other = init_few_shot_model(TINY / 'tiny_vim.py', device='cpu')
    torch.save(dict(state_dict=other.state_dict()), tmp_path / 'vim.pth')
    with pytest.raises(CheckpointMismatchError, match='unexpected keys'):
        init_few_shot_model(TINY / 'tiny_synthetic.py',
                            str(tmp_path / 'vim.pth'), 'cpu')


def test_classes_with_different_shots_are_named_with_counts(
        model, synthetic_root):
    support = {
        'grow': videos(synthetic_root, 'grow', 2),
        'shrink': videos(synthetic_root, 'shrink', 1),
    }
    with pytest.raises(ValueError,
                       match=r"different numbers of videos \('grow': 2, "
                       r"'shrink': 1\)"):
        load_episode(model, support, videos(synthetic_root, 'grow', 1))


@pytest.mark.parametrize('support, message', [
    (dict(grow=['x.mp4']), r"1 class\(es\) \('grow'\)"),
    (dict(grow=['x.mp4'], shrink=[]), r"without videos: \['shrink'\]"),
])
def test_unusable_support_sets_are_refused(model, support, message):
    with pytest.raises(ValueError, match=message):
        load_episode(model, support, ['q.mp4'])


def test_a_missing_video_is_named(model, synthetic_root, tmp_path):
    support = dict(grow=videos(synthetic_root, 'grow', 1),
                   shrink=[str(tmp_path / 'gone.mp4')])
    with pytest.raises(FileNotFoundError, match='gone.mp4: no such video'):
        load_episode(model, support, videos(synthetic_root, 'grow', 1))


def test_an_unreadable_video_is_named(model, synthetic_root, tmp_path):
    broken = tmp_path / 'broken.mp4'
    broken.write_text('not a video')
    support = dict(grow=videos(synthetic_root, 'grow', 1),
                   shrink=videos(synthetic_root, 'shrink', 1))
    with pytest.raises(RuntimeError, match=f'failed to load {broken}: '):
        load_episode(model, support, [str(broken)])


def test_a_frame_folder_for_a_video_pipeline_is_refused(
        model, synthetic_root, tmp_path):
    shutil.copytree(synthetic_root / 'videos' / 'grow', tmp_path / 'clip')
    support = dict(grow=videos(synthetic_root, 'grow', 1),
                   shrink=videos(synthetic_root, 'shrink', 1))
    with pytest.raises(ValueError,
                       match=r'is a folder of frames, but the config\'s test '
                       r'pipeline decodes video files \(DecordInit\)'):
        load_episode(model, support, [str(tmp_path / 'clip')])

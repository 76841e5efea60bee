"""The episodic val/test loops score each episode from the feature cache as
the stock loops score it from its own forward pass."""
import logging
from contextlib import contextmanager
from pathlib import Path

import pytest

from ...helpers import REPO
from .feature_cache_cases import (HEADS, assert_same_episodes, build_runner,
                                  episode_records, write_head_config)


@contextmanager
def logged(runner):
    """Messages the runner's logger writes inside the block."""
    messages = []
    handler = logging.Handler()
    handler.emit = lambda record: messages.append(record.getMessage())
    runner.logger.addHandler(handler)
    try:
        yield messages
    finally:
        runner.logger.removeHandler(handler)


def cache_lines(messages):
    return [m for m in messages if m.startswith('feature cache:')]


@pytest.fixture(scope='module', params=sorted(HEADS))
def head_case(request, tmp_path_factory, synthetic_root):
    """(head, runner, uncached records, cached records, cache log lines)."""
    folder = tmp_path_factory.mktemp(request.param)
    runner = build_runner(
        write_head_config(folder, request.param), synthetic_root, folder)
    uncached = episode_records(runner, False, folder / 'uncached.pkl')
    with logged(runner) as messages:
        cached = episode_records(runner, True, folder / 'cached.pkl')
    return request.param, runner, uncached, cached, cache_lines(messages)


def test_cached_scores_equal_each_episodes_own(head_case):
    _, _, uncached, cached, _ = head_case
    assert len(uncached) == 6
    # Scores that tell the classes apart (not all 1 / ways).
    assert min(r['query_scores'].std() for r in uncached) > 0.01
    assert_same_episodes(uncached, cached)


def test_cache_keeps_maps_only_for_heads_that_read_them(head_case):
    head, _, _, _, lines = head_case
    # 4 frames of 1280 channels; 2 x 2 maps at 64 px.
    shape = '(4, 1280, 2, 2)' if head == 'VIMAlignmentHead' else '(4, 1280)'
    assert len(lines) == 1
    assert f' clips × {shape}, ' in lines[0]
    assert ', fp32, in RAM; 6 episodes;' in lines[0]


@pytest.mark.parametrize('head_case', ['VIMAlignmentHead'], indirect=True)
def test_fp16_memmap_cache_predicts_the_same_classes(head_case, tmp_path):
    _, runner, uncached, _, _ = head_case
    with logged(runner) as messages:
        cached = episode_records(runner, dict(fp16=True, max_ram_mib=0),
                                 tmp_path / 'fp16.pkl')
    line, = cache_lines(messages)
    assert ', fp16, memmap ' in line
    assert f' {runner.work_dir}/feature_cache/test-rank0-' in line
    assert not (Path(runner.work_dir) / 'feature_cache').exists()
    # Maps rounded to fp16 (relative error 2^-11) moved scores by 7e-6 here
    # (ProtoHead's pooled rows: 5e-5, TRXHead's: 2e-4).
    assert_same_episodes(uncached, cached, rtol=0, atol=1e-3)
    for want, got in zip(uncached, cached):
        assert (got['query_scores'].argmax(1) ==
                want['query_scores'].argmax(1)).all()


def test_validation_in_training_caches_and_matches_the_stock_loop(
        tmp_path, synthetic_root):
    config = write_head_config(tmp_path, 'ProtoHead')
    accuracy = {}
    for enabled in (False, True):
        runner = build_runner(
            config, synthetic_root, tmp_path / str(enabled),
            {'val_cfg': dict(type='EpisodicValLoop', feature_cache=enabled)})
        with logged(runner) as messages:
            runner.train()
        assert len(cache_lines(messages)) == 1
        accuracy[enabled] = runner.message_hub.get_scalar(
            'val/episodic/accuracy').current()
    assert ' clips × (4, 1280), ' in cache_lines(messages)[0]
    assert accuracy[True] == pytest.approx(accuracy[False])


def test_task_adaptive_sampler_runs_uncached_and_says_why(
        tmp_path, synthetic_root):
    runner = build_runner(REPO / 'tests' / 'data' / 'tiny_vim_sampler.py',
                          synthetic_root, tmp_path)
    with logged(runner) as messages:
        records = episode_records(runner, True, tmp_path / 'dump.pkl')
    assert cache_lines(messages) == [
        'feature cache: not used: the sampler TaskAdaptiveSampler may pick '
        "frames from a clip's episode (task-adaptive), so a clip's features "
        'can differ between episodes'
    ]
    assert len(records) == 4


def test_random_test_pipeline_runs_uncached_and_names_the_transform(
        tmp_path, synthetic_root):
    from vim_mmaction.engine.loops import cache_refusal
    config = write_head_config(tmp_path, 'ProtoHead')
    runner = build_runner(
        config, synthetic_root, tmp_path, {
            'test_dataloader.dataset.dataset.pipeline': [
                dict(type='DecordInit'),
                dict(type='SampleFrames', clip_len=1, num_clips=4),
                dict(type='DecordDecode'),
                dict(type='RandomCrop', size=64),
                dict(type='FormatShape', input_format='NCHW'),
                dict(type='PackActionInputs')
            ]
        })
    assert cache_refusal(runner.model, runner.test_dataloader) == (
        'the test pipeline draws at random (SampleFrames, RandomCrop), so a '
        'clip differs from one loading to the next')


def test_unknown_setting_is_named():
    from vim_mmaction.engine.loops import FeatureCacheSettings
    with pytest.raises(ValueError, match=r"unknown keys \['fp61'\]; known: "
                       r"\['enabled', 'fp16', "):
        FeatureCacheSettings.parse(dict(fp61=True))

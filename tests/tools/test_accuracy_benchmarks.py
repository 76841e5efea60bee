"""The accuracy benchmarks under tools/analysis/, run for real at tiny size."""
import json
from types import SimpleNamespace

import pytest
import torch
from mmaction.registry import HOOKS, MODELS
from mmengine.config import Config, DictAction
from mmengine.optim import build_optim_wrapper

from ..helpers import REPO, load_tool

benchmark = load_tool('tools/analysis/benchmark_sampler_accuracy.py')
heads_benchmark = load_tool('tools/analysis/benchmark_heads_accuracy.py')
core = load_tool('tools/analysis/accuracy_benchmark.py')
TINY_BUDGET = [
    '--shots', '1', '--train-episodes', '2', '--epochs', '1',
    '--val-episodes', '2', '--test-episodes', '4'
]


@pytest.mark.slow
def test_trains_tests_and_pairs_both_variants(synthetic_root, tmp_path,
                                              capsys):
    argv = [
        '--data-root',
        str(synthetic_root), '--work-root',
        str(tmp_path), '--variants', 'sampler', *TINY_BUDGET
    ]
    benchmark.main(argv)
    lines = printed_records(capsys)
    runs = {line['variant']: line for line in lines if 'minus' not in line}
    [pair] = [line for line in lines if 'minus' in line]
    assert set(runs) == {'uniform', 'sampler'}
    for record in runs.values():
        assert record['test_episodes'] == 4
        assert 0 <= record['test_accuracy'] <= 100
        assert 0 <= record['val_best'] <= 100
    assert pair['variant'] == 'sampler' and pair['minus'] == 'uniform'
    assert pair['test_difference'] == pytest.approx(
        runs['sampler']['test_accuracy'] - runs['uniform']['test_accuracy'],
        abs=0.02)

    # --skip-existing reuses both finished runs: same figures, no training.
    benchmark.main([*argv, '--skip-existing'])
    reused = printed_records(capsys)
    assert [line.get('train_min', 'pair') for line in reused
            ] == [None, None, 'pair']
    assert [without_times(line) for line in reused
            ] == [without_times(line) for line in lines]


@pytest.mark.slow
def test_heads_are_paired_with_protonet_on_the_same_budget(
        synthetic_root, tmp_path, capsys):
    heads_benchmark.main([
        '--data-root',
        str(synthetic_root), '--work-root',
        str(tmp_path), '--variants', 'vim-align', *TINY_BUDGET
    ])
    lines = printed_records(capsys)
    assert [(line['variant'], line.get('minus')) for line in lines] == [
        ('protonet', None), ('vim-align', None), ('vim-align', 'protonet')
    ]
    assert all(line['test_episodes'] == 4 for line in lines[:2])
    # Both trained under the suite's budget, not their configs' own.
    for variant in ('protonet', 'vim-align'):
        [config] = (tmp_path / synthetic_root.name / '1shot' / 'seed0' /
                     variant).glob('*/*.py')
        text = config.read_text()
        assert 'frozen_blocks=8' in text and 'num_queries=3' in text
        assert 'num_episodes=2' in text and 'T_max=1' in text


def printed_records(capsys):
    return [
        json.loads(line) for line in capsys.readouterr().out.split('\n')
        if line.startswith('{')
    ]


def without_times(record):
    return {
        key: value
        for key, value in record.items() if not key.endswith('_min')
    }


def episode(episode_id, classes, accuracy):
    return dict(episode_id=episode_id, classes=classes, accuracy=accuracy)


def test_paired_difference_matches_episodes_by_id():
    reference = [episode(0, [1, 2], 0.5), episode(1, [3, 4], 1.0)]
    other = [episode(1, [3, 4], 0.5), episode(0, [1, 2], 1.0)]
    mean, ci95 = core.paired_difference(other, reference)
    assert mean == pytest.approx(0.0)
    assert ci95 == pytest.approx(1.96 * 50 / 2**0.5)


def test_paired_difference_refuses_different_episodes():
    with pytest.raises(RuntimeError, match='episode 0 has classes'):
        core.paired_difference([episode(0, [1, 2], 1.0)],
                               [episode(0, [1, 5], 1.0)])


def test_over_seeds_averages_each_episodes_difference_over_the_seeds(capsys):
    suite = core.Suite(
        description='', configs={'a': '', 'b': ''}, reference='a',
        default_variants=['a', 'b'], work_root='')
    args = core.parse_args(suite, ['--seeds', '0', '1', '--variants', 'b'])

    def run(accuracies):
        episodes = [episode(i, [i], acc) for i, acc in enumerate(accuracies)]
        return dict(
            record=dict(test_accuracy=100 * sum(accuracies) / 2),
            episodes=episodes)

    runs = {('a', 0): run([0.0, 0.5]), ('b', 0): run([1.0, 0.5]),
            ('a', 1): run([0.5, 0.5]), ('b', 1): run([0.5, 1.0])}
    core._print_over_seeds(suite, args, 1, runs)
    lines = printed_records(capsys)
    assert [line['variant'] for line in lines] == ['a', 'b']
    b = lines[1]
    assert b['test_accuracies'] == [75.0, 75.0]
    assert b['test_differences'] == [50.0, 25.0]
    # Episode 0: (100 + 0) / 2 = 50; episode 1: (0 + 50) / 2 = 25.
    assert b['test_difference_mean'] == 37.5
    assert b['test_difference_ci95'] == pytest.approx(
        1.96 * 12.5 / 2**0.5, abs=0.01)


def test_a_reference_added_for_pairing_is_paired_only_if_its_own_runs():
    # --variants sampler-own-clip adds its reference, sampler, whose own
    # reference (uniform) is not run: once a KeyError after all the runs.
    suite = core.Suite(
        description='', configs={'a': '', 'b': '', 'c': ''}, reference='a',
        references={'c': 'b'}, default_variants=['a'], work_root='')
    args = core.parse_args(suite, ['--variants', 'c'])
    assert args.variants == ['b', 'c']
    assert core._pairs(suite, args.variants) == [('c', 'b')]
    assert core._pairs(suite, ['a', 'b', 'c']) == [('b', 'a'), ('c', 'b')]


def test_no_references_runs_only_the_variants_named(capsys):
    # One run per process: the pairs come from a later --skip-existing run.
    suite = core.Suite(
        description='', configs={'a': '', 'b': ''}, reference='a',
        default_variants=['a'], work_root='')
    args = core.parse_args(
        suite, ['--seeds', '0', '1', '--variants', 'b', '--no-references'])
    assert args.variants == ['b']
    assert core._pairs(suite, args.variants) == []
    runs = {('b', seed): dict(record=dict(test_accuracy=50.0), episodes=[])
            for seed in (0, 1)}
    core._print_over_seeds(suite, args, 1, runs)
    [line] = printed_records(capsys)
    assert line == dict(
        shot=1, seeds=[0, 1], variant='b', test_accuracies=[50.0, 50.0],
        test_accuracy_mean=50.0)


def variant_config(variant: str) -> Config:
    """A 1-shot variant's config with its ``--cfg-options`` merged."""
    cfg = Config.fromfile(
        str(REPO / benchmark.SUITE.configs[variant].format(shot=1)))
    options = SimpleNamespace(options=None)
    DictAction(None, 'options')(None, options,
                                benchmark.SUITE.extra_options.get(variant, []))
    cfg.merge_from_dict(options.options or {})
    return cfg


@pytest.mark.parametrize('variant', sorted(benchmark.SUITE.configs))
def test_every_variant_builds_its_model_and_hooks(variant):
    # The amplifier variant once failed at its first step: its options
    # removed the perturbed top-k but kept the sigma hook that decays it.
    cfg = variant_config(variant)
    runner = SimpleNamespace(
        model=MODELS.build(cfg.model),
        train_dataloader=SimpleNamespace(batch_size=1),
        world_size=1,
        iter=0)
    for hook in cfg.get('custom_hooks', []):
        HOOKS.build(hook).before_train(runner)


def test_the_zoom_strength_learns_at_its_own_rate():
    cfg = variant_config('vim-zoom-strength')
    model = MODELS.build(cfg.model)
    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    [group] = [
        group for group in optim_wrapper.optimizer.param_groups
        if group['params'][0] is model.sampler.amplifier.zoom_strength_logit
    ]
    assert group['lr'] == pytest.approx(0.1)
    assert group['weight_decay'] == 0
    assert torch.sigmoid(group['params'][0]).item() == pytest.approx(0.1)


def test_the_proto_guide_variant_guides_the_sampler_with_protonet():
    model = MODELS.build(variant_config('vim-proto-guide').model)
    assert type(model.sampler_guide.head).__name__ == 'ProtoHead'
    assert type(model.cls_head).__name__ == 'VIMAlignmentHead'


@pytest.mark.parametrize(
    'variant',
    ['sampler-anchored', 'selector-anchored', 'vim-proto-guide-anchored'])
def test_the_anchored_variants_anchor_half_of_the_kept_frames(variant):
    model = MODELS.build(variant_config(variant).model)
    assert model.sampler.anchor_frames == model.sampler.num_frames // 2 == 4
    assert (model.sampler_guide is not None) == variant.startswith('vim')

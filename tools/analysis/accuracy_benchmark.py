"""Train and test variants of a few-shot model on equal terms, and pair them.

The machinery of ``benchmark_sampler_accuracy.py`` and
``benchmark_heads_accuracy.py``: each names its variants (a config and
extra ``--cfg-options`` per variant) in a :class:`Suite`. For each (shot,
seed, variant) a run trains with ``tools/train.py`` from an empty work dir
(or, with ``--skip-existing``, reuses a finished run whose test dump
exists), tests the checkpoint that was best on val with
``tools/test.py --dump`` and prints one JSON line: best val accuracy, test
accuracy ± 95 % CI, wall times. Every run gets the same training budget,
seed and fixed test episodes. Then, per (shot, seed), one line per other
variant with the paired difference to its reference variant (the suite's,
or the variant's own in ``Suite.references``) on the same test episodes
(mean ± 1.96·std/√episodes of the per-episode differences), which is
tighter than comparing two independent intervals. With
``--no-references`` only the variants named run (e.g. one run per process,
side by side); a later ``--skip-existing`` run naming both pairs them.
Runs live under
``WORK_ROOT/<data root folder name>/<shot>shot/seed<seed>/<variant>``, so
runs on different benchmarks never mix.
"""
import argparse
import glob
import json
import os
import os.path as osp
import pickle
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

import numpy as np

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, REPO)

from vim_mmaction.evaluation import mean_and_ci95  # noqa: E402


@dataclass
class Suite:
    """The variants one benchmark compares.

    Args:
        description: First line of the command's help.
        configs: Variant name -> config path with a ``{shot}`` field.
        reference: The variant the other ones are paired with.
        default_variants: Variants run when ``--variants`` is not given.
        work_root: Default folder of the runs.
        extra_options: Variant name -> its own ``--cfg-options``.
        train_episodes: Default training episodes per epoch.
        epochs: Default training epochs.
        references: Variant name -> the variant it is paired with instead
            of ``reference`` (e.g. an ablation with the full method).
    """
    description: str
    configs: Dict[str, str]
    reference: str
    default_variants: List[str]
    work_root: str
    extra_options: Dict[str, List[str]] = field(default_factory=dict)
    train_episodes: int = 80
    epochs: int = 2
    references: Dict[str, str] = field(default_factory=dict)

    def reference_of(self, variant: str) -> str:
        """The variant ``variant`` is paired with."""
        return self.references.get(variant, self.reference)


def parse_args(suite: Suite,
               argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=suite.description)
    parser.add_argument('--data-root', default='data/synthetic')
    parser.add_argument('--work-root', default=suite.work_root)
    parser.add_argument('--shots', type=int, nargs='+', default=[1, 5])
    parser.add_argument('--seeds', type=int, nargs='+', default=[0])
    parser.add_argument(
        '--variants',
        nargs='+',
        choices=list(suite.configs),
        default=list(suite.default_variants))
    parser.add_argument(
        '--train-episodes', type=int, default=suite.train_episodes)
    parser.add_argument('--epochs', type=int, default=suite.epochs)
    parser.add_argument('--val-episodes', type=int, default=50)
    parser.add_argument('--test-episodes', type=int, default=300)
    parser.add_argument(
        '--skip-existing',
        action='store_true',
        help='reuse runs whose test dump exists (times are then not known)')
    parser.add_argument(
        '--no-references',
        action='store_true',
        help='run only the variants named, not the ones they are paired '
        'with, e.g. one run per process; a later --skip-existing run with '
        'both pairs them')
    args = parser.parse_args(argv)
    if args.no_references:
        return args
    # The references of the pairs run first.
    for variant in list(args.variants):
        reference = suite.reference_of(variant)
        if reference != variant and reference not in args.variants:
            args.variants.insert(0, reference)
    return args


def run(*command: str) -> float:
    """Run a tool from the repository root; returns its wall time (s)."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, *command],
                            cwd=REPO,
                            capture_output=True,
                            text=True)
    if result.returncode != 0:
        raise RuntimeError(f'{" ".join(command)} failed '
                           f'(exit {result.returncode}):\n'
                           f'{result.stderr[-4000:]}')
    return time.perf_counter() - start


def best_val_accuracy(work_dir: str) -> float:
    """Highest ``episodic/accuracy`` in the run's ``scalars.json``."""
    [scalars] = glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))
    with open(scalars) as file:
        records = [json.loads(line) for line in file]
    return max(record['episodic/accuracy'] for record in records
               if 'episodic/accuracy' in record)


def run_variant(suite: Suite, args: argparse.Namespace, variant: str,
                shot: int, seed: int) -> Dict:
    """Train and test one variant; returns its record and test episodes."""
    config = suite.configs[variant].format(shot=shot)
    work_dir = osp.join(args.work_root,
                        osp.basename(osp.normpath(args.data_root)),
                        f'{shot}shot', f'seed{seed}', variant)
    options = [
        f'train_dataloader.dataset.num_episodes={args.train_episodes}',
        f'train_cfg.max_epochs={args.epochs}',
        # The cosine schedule of the synthetic configs ends with training.
        f'param_scheduler.0.T_max={args.epochs}',
        f'val_dataloader.dataset.num_episodes={args.val_episodes}',
        f'test_dataloader.dataset.num_episodes={args.test_episodes}',
        *(f'{split}_dataloader.dataset.dataset.data_root={args.data_root}'
          for split in ('train', 'val', 'test')),
        *suite.extra_options.get(variant, []),
    ]
    dump = osp.join(work_dir, 'test_episodes.pkl')
    train_s = test_s = None
    if not (args.skip_existing and osp.isfile(dump)):
        # A stale run's checkpoints must not be mistaken for this run's.
        shutil.rmtree(work_dir, ignore_errors=True)
        train_s = run('tools/train.py', config, '--work-dir', work_dir,
                      '--seed', str(seed), '--cfg-options', *options)
        [checkpoint] = glob.glob(
            osp.join(work_dir, 'best_episodic_accuracy_epoch_*.pth'))
        test_s = run('tools/test.py', config, checkpoint, '--work-dir',
                     osp.join(work_dir, 'test'), '--dump', dump,
                     '--cfg-options', *options)
    with open(dump, 'rb') as file:
        episodes = pickle.load(file)
    accuracy, ci95 = mean_and_ci95(
        100 * np.array([episode['accuracy'] for episode in episodes]))
    record = dict(
        data=osp.basename(osp.normpath(args.data_root)),
        shot=shot,
        seed=seed,
        variant=variant,
        val_best=round(best_val_accuracy(work_dir), 2),
        test_accuracy=round(accuracy, 2),
        test_ci95=round(ci95, 2),
        test_episodes=len(episodes),
        # Float kernels depend on the thread count: results are exact per
        # machine and setting.
        threads=os.environ.get('OMP_NUM_THREADS', 'default'),
        train_min=None if train_s is None else round(train_s / 60, 1),
        test_min=None if test_s is None else round(test_s / 60, 1))
    return dict(record=record, episodes=episodes)


def episode_differences(episodes: Sequence[dict],
                        reference: Sequence[dict]) -> np.ndarray:
    """Per-episode accuracy differences (points), ordered by episode id."""
    by_id = {episode['episode_id']: episode for episode in reference}
    differences = {}
    for episode in episodes:
        other = by_id[episode['episode_id']]
        if list(episode['classes']) != list(other['classes']):
            raise RuntimeError(
                f'episode {episode["episode_id"]} has classes '
                f'{episode["classes"]} in one run and {other["classes"]} in '
                'the other: the runs did not test the same episodes')
        differences[episode['episode_id']] = (
            episode['accuracy'] - other['accuracy'])
    return 100 * np.array([differences[key] for key in sorted(differences)])


def paired_difference(episodes: Sequence[dict],
                      reference: Sequence[dict]) -> tuple:
    """Mean ± CI (points) of per-episode accuracy differences."""
    return mean_and_ci95(episode_differences(episodes, reference))


def run_suite(suite: Suite, argv: Optional[Sequence[str]] = None) -> None:
    """Every (shot, seed, variant) run, then the paired differences; with
    several seeds, then a line per variant over the seeds."""
    args = parse_args(suite, argv)
    for shot in args.shots:
        runs = {}  # (variant, seed) -> run
        for seed in args.seeds:
            for variant in args.variants:
                runs[variant, seed] = run_variant(suite, args, variant, shot,
                                                  seed)
                print(json.dumps(runs[variant, seed]['record']), flush=True)
            for variant, reference in _pairs(suite, args.variants):
                mean, ci95 = paired_difference(
                    runs[variant, seed]['episodes'],
                    runs[reference, seed]['episodes'])
                print(
                    json.dumps(
                        dict(
                            shot=shot,
                            seed=seed,
                            variant=variant,
                            minus=reference,
                            test_difference=round(mean, 2),
                            test_difference_ci95=round(ci95, 2))),
                    flush=True)
        if len(args.seeds) > 1:
            _print_over_seeds(suite, args, shot, runs)


def _pairs(suite: Suite, variants: Sequence[str]) -> List[tuple]:
    """(variant, reference) of every variant whose reference is among
    ``variants`` (a reference added only to pair another variant is not
    paired with its own reference unless that one runs too)."""
    return [(variant, suite.reference_of(variant)) for variant in variants
            if suite.reference_of(variant) != variant
            and suite.reference_of(variant) in variants]


def _print_over_seeds(suite: Suite, args: argparse.Namespace, shot: int,
                      runs: Dict[tuple, Dict]) -> None:
    """Per variant: test accuracy per seed and their mean; per pair: the
    per-episode differences averaged over the seeds, mean ± CI over the
    episodes (the spread between seeds is in the per-seed figures)."""
    references = dict(_pairs(suite, args.variants))
    for variant in args.variants:
        accuracies = [
            runs[variant, seed]['record']['test_accuracy']
            for seed in args.seeds
        ]
        record = dict(
            shot=shot,
            seeds=list(args.seeds),
            variant=variant,
            test_accuracies=accuracies,
            test_accuracy_mean=round(float(np.mean(accuracies)), 2))
        reference = references.get(variant)
        if reference is not None:
            per_seed = [
                episode_differences(runs[variant, seed]['episodes'],
                                    runs[reference, seed]['episodes'])
                for seed in args.seeds
            ]
            mean, ci95 = mean_and_ci95(np.mean(per_seed, axis=0))
            record.update(
                minus=reference,
                test_differences=[
                    round(float(d.mean()), 2) for d in per_seed
                ],
                test_difference_mean=round(mean, 2),
                test_difference_ci95=round(ci95, 2))
        print(json.dumps(record), flush=True)

"""Sampler + ProtoHead against uniform frames + ProtoHead, trained and tested.

Every variant gets the same backbone, dense input (16 frames per clip),
training budget, seed and fixed test episodes; only the frame selection
differs. For each (shot, seed, variant) the script trains with
``tools/train.py``, tests the checkpoint that was best on val with
``tools/test.py --dump`` and prints one JSON line: best val accuracy, test
accuracy ± 95 % CI, wall times. Then, per (shot, seed), one line per
non-uniform variant with the paired difference to ``uniform`` on the same
test episodes (mean ± 1.96·std/√episodes of the per-episode differences),
which is tighter than comparing two independent intervals. A variant is
trained from an empty work dir unless ``--skip-existing`` finds its finished
run (test dump present) and reuses it, e.g. to add a variant later.

Example (the figures in docs/benchmarks.md)::

    python tools/data/make_synthetic.py data/synthetic
    python tools/analysis/benchmark_sampler_accuracy.py --shots 1 5

Variants:

- ``uniform``: the 8 segment centres of the 16 frames
  (``protonet-uniform16_effnet-lite0_*_synthetic.py``).
- ``sampler``: ``TaskAdaptiveSampler`` keeps 8 and zooms, plus the MI term
  (``vim-sampler_effnet-lite0_*_synthetic.py``).
- ``sampler-no-amplifier``: the same without the spatial amplifier.
"""
import argparse
import glob
import json
import os.path as osp
import pickle
import shutil
import subprocess
import sys
import time
from typing import Dict, Sequence

import numpy as np

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, REPO)

from vim_mmaction.evaluation import mean_and_ci95  # noqa: E402

SAMPLER_CONFIG = ('configs/vim/vim-sampler_effnet-lite0_'
                  '1xb1-5way-{shot}shot_synthetic.py')
CONFIGS = {
    'uniform': 'configs/protonet/protonet-uniform16_effnet-lite0_'
    '1xb1-5way-{shot}shot_synthetic.py',
    'sampler': SAMPLER_CONFIG,
    'sampler-no-amplifier': SAMPLER_CONFIG,
}
EXTRA_OPTIONS = {'sampler-no-amplifier': ['model.sampler.amplifier=None']}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data-root', default='data/synthetic')
    parser.add_argument(
        '--work-root', default='work_dirs/benchmark_sampler_accuracy')
    parser.add_argument('--shots', type=int, nargs='+', default=[1, 5])
    parser.add_argument('--seeds', type=int, nargs='+', default=[0])
    parser.add_argument(
        '--variants',
        nargs='+',
        choices=list(CONFIGS),
        default=['uniform', 'sampler'])
    parser.add_argument('--train-episodes', type=int, default=80)
    parser.add_argument('--epochs', type=int, default=2)
    parser.add_argument('--val-episodes', type=int, default=50)
    parser.add_argument('--test-episodes', type=int, default=300)
    parser.add_argument(
        '--skip-existing',
        action='store_true',
        help='reuse runs whose test dump exists (times are then not known)')
    args = parser.parse_args(argv)
    if 'uniform' not in args.variants:
        args.variants.insert(0, 'uniform')  # the reference of the pairs
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


def run_variant(args: argparse.Namespace, variant: str, shot: int,
                seed: int) -> Dict:
    """Train and test one variant; returns its record and test episodes."""
    config = CONFIGS[variant].format(shot=shot)
    work_dir = osp.join(args.work_root, f'{shot}shot', f'seed{seed}', variant)
    options = [
        f'train_dataloader.dataset.num_episodes={args.train_episodes}',
        f'train_cfg.max_epochs={args.epochs}',
        f'val_dataloader.dataset.num_episodes={args.val_episodes}',
        f'test_dataloader.dataset.num_episodes={args.test_episodes}',
        *(f'{split}_dataloader.dataset.dataset.data_root={args.data_root}'
          for split in ('train', 'val', 'test')),
        *EXTRA_OPTIONS.get(variant, []),
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
        shot=shot,
        seed=seed,
        variant=variant,
        val_best=round(best_val_accuracy(work_dir), 2),
        test_accuracy=round(accuracy, 2),
        test_ci95=round(ci95, 2),
        test_episodes=len(episodes),
        train_min=None if train_s is None else round(train_s / 60, 1),
        test_min=None if test_s is None else round(test_s / 60, 1))
    return dict(record=record, episodes=episodes)


def paired_difference(episodes: Sequence[dict],
                      reference: Sequence[dict]) -> tuple:
    """Mean ± CI (points) of per-episode accuracy differences."""
    by_id = {episode['episode_id']: episode for episode in reference}
    differences = []
    for episode in episodes:
        other = by_id[episode['episode_id']]
        if list(episode['classes']) != list(other['classes']):
            raise RuntimeError(
                f'episode {episode["episode_id"]} has classes '
                f'{episode["classes"]} in one run and {other["classes"]} in '
                'the other: the runs did not test the same episodes')
        differences.append(episode['accuracy'] - other['accuracy'])
    return mean_and_ci95(100 * np.array(differences))


def main(argv=None) -> None:
    args = parse_args(argv)
    for shot in args.shots:
        for seed in args.seeds:
            runs = {}
            for variant in args.variants:
                runs[variant] = run_variant(args, variant, shot, seed)
                print(json.dumps(runs[variant]['record']), flush=True)
            for variant in args.variants:
                if variant == 'uniform':
                    continue
                mean, ci95 = paired_difference(runs[variant]['episodes'],
                                               runs['uniform']['episodes'])
                print(
                    json.dumps(
                        dict(
                            shot=shot,
                            seed=seed,
                            variant=variant,
                            minus='uniform',
                            test_difference=round(mean, 2),
                            test_difference_ci95=round(ci95, 2))),
                    flush=True)


if __name__ == '__main__':
    main()

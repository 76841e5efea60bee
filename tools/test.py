"""Test a checkpoint: ``python tools/test.py CONFIG CHECKPOINT [options]``.

Prints the episodic accuracy (mean and 95 % CI half-width over the fixed test
episodes); ``--dump`` writes every episode's query scores to a pickle file.
"""
import argparse
import os
import os.path as osp

from mmaction.registry import RUNNERS
from mmengine.config import Config, DictAction
from mmengine.runner import Runner

import vim_mmaction  # noqa: F401  (compatibility fixes, registration)
from vim_mmaction.utils import shutdown_distributed


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Test a few-shot recognizer on fixed episodes')
    parser.add_argument('config', help='config file')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--work-dir', help='where the test logs go')
    parser.add_argument(
        '--dump',
        help='write per-episode query scores and labels to this .pkl file')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config entries, e.g. '
        'test_dataloader.dataset.num_episodes=1000')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def merge_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Apply the command-line flags to the config."""
    cfg.launcher = args.launcher
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    if args.dump is not None:
        if not args.dump.endswith(('.pkl', '.pickle')):
            raise ValueError(f'--dump must name a .pkl file, got {args.dump}')
        evaluators = cfg.test_evaluator
        if not isinstance(evaluators, (list, tuple)):
            evaluators = [evaluators]
        cfg.test_evaluator = [
            *evaluators,
            dict(type='DumpEpisodeResults', out_file_path=args.dump)
        ]
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    return cfg


def main() -> None:
    args = parse_args()
    cfg = merge_args(Config.fromfile(args.config), args)
    runner = (
        RUNNERS.build(cfg) if 'runner_type' in cfg else Runner.from_cfg(cfg))
    # Strict: testing a model the checkpoint only partly fills would report
    # the accuracy of random weights.
    try:
        runner.load_checkpoint(args.checkpoint, map_location='cpu',
                               strict=True)
    except RuntimeError as error:
        raise RuntimeError(f'checkpoint {args.checkpoint} does not match the '
                           f'model of {args.config}:\n{error}') from error
    metrics = runner.test()
    if 'episodic/accuracy' in metrics:
        print(f"{metrics['episodic/num_episodes']} test episodes: accuracy "
              f"{metrics['episodic/accuracy']:.2f} ± "
              f"{metrics['episodic/accuracy_ci95']:.2f} % (95 % CI)")


if __name__ == '__main__':
    main()
    shutdown_distributed()  # the runner is unreachable now

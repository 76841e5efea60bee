"""Test a checkpoint: ``python tools/test.py CONFIG CHECKPOINT [options]``.

Prints and logs the episodic accuracy (mean and 95 % CI half-width over the
fixed test episodes); ``--dump`` then writes every episode's query scores to
a pickle file, whose folder is checked before testing starts. Each distinct
test clip is encoded once where that gives every episode's own scores
(``EpisodicTestLoop``); ``--no-feature-cache`` runs every episode through the
backbone.
"""
import argparse
import os
import os.path as osp
import tempfile

from mmaction.registry import RUNNERS
from mmengine.config import Config, DictAction
from mmengine.logging import MMLogger
from mmengine.runner import Runner

import vim_mmaction  # noqa: F401  (compatibility fixes, registration)
from vim_mmaction.utils import (ReportFirstEvaluator, check_checkpoint_file,
                                environment_summary, shutdown_distributed)


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
        '--show-dir',
        help='draw the first test episodes here: one PNG per query, as '
        'demo/demo_few_shot.py --out draws them')
    parser.add_argument(
        '--show-episodes',
        type=int,
        default=4,
        help='episodes --show-dir draws (per process)')
    parser.add_argument(
        '--no-feature-cache',
        action='store_true',
        help='run every episode through the backbone (the stock TestLoop) '
        'instead of encoding each distinct clip once, where that is exact '
        '(see docs/architecture.md, "Feature cache")')
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
        check_writable(args.dump)
        evaluators = cfg.test_evaluator
        if not isinstance(evaluators, (list, tuple)):
            evaluators = [evaluators]
        cfg.test_evaluator = [
            *evaluators,
            dict(type='DumpEpisodeResults', out_file_path=args.dump)
        ]
    if args.show_dir is not None:
        # Registers the hook (and loads matplotlib: only with --show-dir).
        import vim_mmaction.visualization  # noqa: F401
        cfg.custom_hooks = [
            *cfg.get('custom_hooks', []),
            dict(
                type='FewShotVisualizationHook',
                out_dir=args.show_dir,
                num_episodes=args.show_episodes)
        ]
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    cfg.test_cfg = feature_cache_loop(cfg.test_cfg, not args.no_feature_cache)
    return cfg


def feature_cache_loop(loop: dict, enabled: bool) -> dict:
    """The test loop with the feature cache ``enabled`` or not.

    mmengine's stock ``TestLoop`` becomes ``EpisodicTestLoop``, which runs it
    unchanged wherever the cache would not be exact, so a config of one's own
    gets the cache too; other loop types are left as they are.
    """
    if loop.get('type') in ('TestLoop', 'mmengine.TestLoop'):
        loop = dict(loop, type='EpisodicTestLoop')
    if loop.get('type') == 'EpisodicTestLoop' and not enabled:
        loop = dict(loop, feature_cache=False)
    return loop


def check_writable(path: str) -> None:
    """Fails now, rather than after every test episode, when the dump cannot
    be written at ``path``.

    The dump replaces ``path`` with a file written beside it (see
    ``vim_mmaction._compat.atomic_write``), and missing folders are created:
    what must be writable is the nearest existing folder.

    Raises:
        OSError: Naming the path and the reason.
    """
    target = osp.abspath(path)
    folder = osp.dirname(target)
    while not osp.exists(folder):
        folder = osp.dirname(folder)
    reason = None
    if osp.isdir(target):
        reason = 'it is a folder'
    elif not osp.isdir(folder):
        reason = f'{folder} is not a folder'
    else:
        try:
            with tempfile.TemporaryFile(dir=folder):
                pass
        except OSError as error:
            reason = f'cannot create files in {folder} ({error.strerror})'
    if reason is not None:
        raise OSError(f'--dump {path}: cannot write there: {reason}. Pick '
                      f'another path.')


def report(metrics: dict) -> None:
    """Prints and logs the accuracy, and the machine and stack it was
    measured on (results are exact per machine, not across CPU types),
    before any dump is written."""
    logger = MMLogger.get_current_instance()
    if 'episodic/accuracy' in metrics:
        logger.info(
            f"{metrics['episodic/num_episodes']} test episodes: accuracy "
            f"{metrics['episodic/accuracy']:.2f} ± "
            f"{metrics['episodic/accuracy_ci95']:.2f} % (95 % CI)")
    logger.info(environment_summary())


def main() -> None:
    args = parse_args()
    cfg = merge_args(Config.fromfile(args.config), args)
    runner = (
        RUNNERS.build(cfg) if 'runner_type' in cfg else Runner.from_cfg(cfg))
    # Strict: testing a model the checkpoint only partly fills would report
    # the accuracy of random weights.
    check_checkpoint_file(runner.model, args.checkpoint)
    runner.load_checkpoint(args.checkpoint, map_location='cpu', strict=True)
    loop = runner.test_loop
    loop.evaluator = ReportFirstEvaluator(loop.evaluator, report)
    runner.test()


if __name__ == '__main__':
    main()
    shutdown_distributed()  # the runner is unreachable now

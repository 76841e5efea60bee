"""Train a few-shot recognizer: ``python tools/train.py CONFIG [options]``.

The flags are those of mmaction2's ``tools/train.py``; ``--seed`` always
wins over the config's ``randomness.seed``. ``--resume`` without a path
resumes the latest checkpoint of the work dir and fails when there is none;
``--resume-or-start`` starts a new run then.
"""
import argparse
import glob
import os
import os.path as osp
from typing import Optional

from mmaction.registry import RUNNERS
from mmengine.config import Config, DictAction
from mmengine.runner import Runner

import vim_mmaction  # noqa: F401  (compatibility fixes, registration)
from vim_mmaction.utils import (check_checkpoint_file, environment_summary,
                                shutdown_distributed)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Train a few-shot recognizer')
    parser.add_argument('config', help='config file')
    parser.add_argument('--work-dir', help='where logs and checkpoints go')
    resume = parser.add_mutually_exclusive_group()
    resume.add_argument(
        '--resume',
        nargs='?',
        const='auto',
        help='resume from this checkpoint, or (without a path) from the '
        'latest one in the work dir; an error when there is none')
    resume.add_argument(
        '--resume-or-start',
        action='store_true',
        help='resume from the latest checkpoint in the work dir, or start a '
        'new run when there is none')
    parser.add_argument(
        '--amp', action='store_true', help='automatic mixed precision (GPU)')
    parser.add_argument(
        '--no-validate',
        action='store_true',
        help='skip validation during training')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='scale the lr by the training episodes per optimiser step '
        '(processes x batch size x accumulative_counts) over the config\'s '
        'auto_scale_lr.base_batch_size')
    parser.add_argument('--seed', type=int, help='random seed of the run')
    parser.add_argument(
        '--diff-rank-seed',
        action='store_true',
        help='a different seed on each rank')
    parser.add_argument(
        '--deterministic',
        action='store_true',
        help='deterministic cuDNN algorithms')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config entries, e.g. '
        'train_dataloader.dataset.num_shots=5')
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
    if args.no_validate:
        cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
        cfg.default_hooks.checkpoint.pop('save_best', None)
    cfg.launcher = args.launcher
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    if args.amp:
        wrapper = cfg.optim_wrapper.get('type', 'OptimWrapper')
        if wrapper not in ('OptimWrapper', 'AmpOptimWrapper'):
            raise ValueError(
                f'--amp does not apply to optim wrapper {wrapper}')
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if args.resume is not None or args.resume_or_start:
        checkpoint = checkpoint_to_resume(cfg.work_dir, args.resume,
                                          args.resume_or_start)
        if checkpoint is not None:
            cfg.resume, cfg.load_from = True, checkpoint
    if args.auto_scale_lr:
        if 'base_batch_size' not in cfg.get('auto_scale_lr', {}):
            raise ValueError(
                f'--auto-scale-lr: {args.config} has no auto_scale_lr = '
                'dict(base_batch_size=N): set N to the training episodes per '
                'optimiser step its lr is meant for')
        cfg.auto_scale_lr.enable = True
    randomness = cfg.get('randomness') or dict()
    if args.seed is not None:
        randomness['seed'] = args.seed
    if args.diff_rank_seed:
        randomness['diff_rank_seed'] = True
    if args.deterministic:
        randomness['deterministic'] = True
    cfg.randomness = randomness
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    return cfg


def checkpoint_to_resume(work_dir: str, resume: Optional[str],
                         or_start: bool) -> Optional[str]:
    """The checkpoint to resume: ``resume`` if it names one, else the latest
    of ``work_dir`` (named by its ``last_checkpoint`` file).

    mmengine would log "checkpoint None" and train from scratch when the
    work dir has nothing to resume; a resume that silently starts over
    overwrites the run it was meant to continue.

    Args:
        work_dir: The run's work dir.
        resume: A checkpoint path, ``'auto'`` (the latest) or None.
        or_start: Return None instead of failing when there is nothing to
            resume.

    Returns:
        The checkpoint path, or None for a new run.

    Raises:
        FileNotFoundError: There is no such checkpoint, naming what was
            looked for and what to do.
    """
    if resume not in (None, 'auto'):
        if '://' not in resume and not osp.isfile(resume):
            raise FileNotFoundError(f'--resume {resume}: no such file')
        return resume
    pointer = osp.join(work_dir, 'last_checkpoint')
    if not osp.isfile(pointer):
        if or_start:
            print(f'--resume-or-start: nothing to resume in {work_dir} '
                  f'(no last_checkpoint): starting a new run')
            return None
        found = sorted(glob.glob(osp.join(glob.escape(work_dir), '*.pth')))
        listing = (f'; checkpoints there: {", ".join(found)}'
                   if found else '')
        raise FileNotFoundError(
            f'--resume: nothing to resume in {work_dir}: it has no '
            f'last_checkpoint file, which names the latest checkpoint and is '
            f'written with each one{listing}. Resume a given checkpoint with '
            f'--resume FILE, or use --resume-or-start to start a new run '
            f'when there is nothing to resume.')
    with open(pointer) as file:
        checkpoint = file.read().strip()
    if '://' not in checkpoint and not osp.isfile(checkpoint):
        raise FileNotFoundError(
            f'{pointer} names the checkpoint {checkpoint!r}, which does not '
            f'exist. Resume another one with --resume FILE.')
    return checkpoint


def auto_scale_lr_per_iteration(cfg: Config) -> Optional[dict]:
    """``cfg.auto_scale_lr`` in the unit mmengine's ``Runner.scale_lr``
    counts.

    The configs give ``base_batch_size`` in training episodes per optimiser
    step (the recipe's: 16 for the SGD schedule, 1 GPU x 1 episode x 16
    accumulated). mmengine divides the episodes of one iteration (world
    size x batch size, accumulation left out) by it; dividing the base by
    ``accumulative_counts`` makes that ratio the episodes per step over the
    recipe's. So 8 GPUs accumulating 2 keep the recipe's lr, 8 GPUs
    accumulating 16 (128 episodes per step) multiply it by 8.

    Returns:
        The setting to hand mmengine, or None when scaling is off.
    """
    setting = cfg.get('auto_scale_lr')
    if not setting or not setting.get('enable', False):
        return None
    accumulation = cfg.optim_wrapper.get('accumulative_counts', 1)
    return dict(
        setting, base_batch_size=setting['base_batch_size'] / accumulation)


def main() -> None:
    args = parse_args()
    cfg = merge_args(Config.fromfile(args.config), args)
    runner = (
        RUNNERS.build(cfg) if 'runner_type' in cfg else Runner.from_cfg(cfg))
    # After the runner has written its config: that keeps the per-step base.
    runner.auto_scale_lr = auto_scale_lr_per_iteration(cfg)
    if runner.auto_scale_lr is not None:
        runner.logger.info(
            f'--auto-scale-lr: the lr is for '
            f'{cfg.auto_scale_lr.base_batch_size} episodes per optimiser '
            f'step, {runner.auto_scale_lr["base_batch_size"]:g} per '
            f'iteration with accumulative_counts (mmengine\'s "batch size")')
    # Runs are exact per machine and stack, not across them.
    runner.logger.info(environment_summary())
    if cfg.get('resume'):
        # mmengine loads another model's weights non-strictly and then fails
        # on the optimizer's parameter groups.
        check_checkpoint_file(runner.model, cfg.load_from)
    runner.train()


if __name__ == '__main__':
    main()
    shutdown_distributed()  # the runner is unreachable now

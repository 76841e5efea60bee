"""--auto-scale-lr counts training episodes per optimiser step: processes x
batch size x accumulative_counts over the config's base_batch_size."""
import re
import sys
import uuid

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from ..engine.hooks.schedule_probe import probe_config
from ..helpers import REPO, free_port, load_tool
from ..test_configs import CONFIGS
from .test_train_test_resume import run_tool

train = load_tool('tools/train.py')


@pytest.mark.parametrize(
    'config', CONFIGS, ids=[path.stem for path in CONFIGS])
def test_configs_scale_from_the_layout_in_their_name(config):
    """``{gpus}xb{batch}``, accumulating ``accumulative_counts``: the lr is
    unchanged when the config runs as named."""
    cfg = Config.fromfile(config)
    gpus, batch = map(int, re.search(r'_(\d+)xb(\d+)', config.name).groups())
    assert batch == cfg.train_dataloader.batch_size
    accumulation = cfg.optim_wrapper.get('accumulative_counts', 1)
    assert cfg.auto_scale_lr == dict(
        enable=False, base_batch_size=gpus * batch * accumulation)


def scaled_config(accumulation: int, base: int, enable: bool = True,
                  batch_size: int = 1, num_episodes: int = 8) -> dict:
    """The schedule probe trained by Adam (its state counts the optimiser
    steps), lr 0.01 for ``base`` episodes per step."""
    cfg = probe_config(
        batch_size=batch_size,
        accumulation=accumulation,
        max_epochs=1,
        num_episodes=num_episodes,
        interval_episodes=1000)
    cfg['optim_wrapper']['optimizer'] = dict(type='Adam', lr=0.01)
    cfg['auto_scale_lr'] = dict(enable=enable, base_batch_size=base)
    return cfg


@pytest.mark.parametrize('enable', [True, False])
def test_the_base_is_divided_by_the_accumulation(enable):
    setting = train.auto_scale_lr_per_iteration(
        Config(scaled_config(accumulation=16, base=16, enable=enable)))
    assert setting == (
        dict(enable=True, base_batch_size=1.0) if enable else None)


@pytest.mark.parametrize(
    'batch_size, accumulation, lr',
    [(1, 16, 0.01), (4, 4, 0.01), (2, 4, 0.005), (4, 8, 0.02)])
def test_one_process_lr_follows_episodes_per_step(tmp_path, batch_size,
                                                  accumulation, lr):
    cfg = scaled_config(accumulation, base=16, batch_size=batch_size,
                        num_episodes=32)
    runner = Runner(
        work_dir=str(tmp_path),
        experiment_name=f'scale-{uuid.uuid4().hex}',
        **cfg)
    runner.auto_scale_lr = train.auto_scale_lr_per_iteration(Config(cfg))
    runner.train()
    assert runner.optim_wrapper.param_groups[0]['lr'] == pytest.approx(lr)


def test_a_config_without_a_base_is_named():
    args = train.argparse.Namespace(
        no_validate=False, launcher='none', work_dir='w', amp=False,
        resume=None, resume_or_start=False, auto_scale_lr=True, seed=None,
        diff_rank_seed=False, deterministic=False, cfg_options=None,
        config='mine.py')
    with pytest.raises(ValueError,
                       match=r'--auto-scale-lr: mine.py has no '
                       r'auto_scale_lr = dict\(base_batch_size=N\)'):
        train.merge_args(Config(dict(optim_wrapper=dict())), args)


def optimiser_steps_and_lr(checkpoint) -> tuple:
    state = torch.load(checkpoint, weights_only=False)['optimizer']
    steps = int(state['state'][0]['step'])
    return steps, state['param_groups'][0]['lr']


@pytest.mark.slow
def test_two_processes_keep_the_episodes_per_step_and_lr_of_one(tmp_path):
    """tools/train.py --auto-scale-lr, 24 episodes (3 epochs of 8), a base
    of 4 episodes per step: 1 process accumulating 4, 2 accumulating 2
    (the recipe kept), 2 accumulating 4 (8 episodes per step: lr x 2)."""
    runs = dict(one=(1, 4), two=(2, 2), two_x2=(2, 4))
    for name, (processes, accumulation) in runs.items():
        cfg = scaled_config(accumulation, base=4)
        cfg.update(
            train_cfg=dict(by_epoch=True, max_epochs=3),
            custom_imports=dict(
                imports=['vim_mmaction', 'tests.engine.hooks.schedule_probe'],
                allow_failed_imports=False),
            randomness=dict(seed=0),
            resume=False)
        Config(cfg).dump(tmp_path / f'{name}.py')
        work_dir = ['--work-dir', str(tmp_path / name), '--auto-scale-lr']
        if processes == 1:
            run_tool(sys.executable, 'tools/train.py',
                     str(tmp_path / f'{name}.py'), *work_dir,
                     env=dict(PYTHONPATH=str(REPO)))
        else:
            run_tool('bash', 'tools/dist_train.sh',
                     str(tmp_path / f'{name}.py'), str(processes), *work_dir,
                     env=dict(PORT=str(free_port()), PYTHON=sys.executable))
    results = {
        name: optimiser_steps_and_lr(tmp_path / name / 'epoch_3.pth')
        for name in runs
    }
    # (optimiser steps for the 24 episodes, lr)
    assert results['one'] == (6, pytest.approx(0.01))
    assert results['two'] == (6, pytest.approx(0.01))
    assert results['two_x2'] == (3, pytest.approx(0.02))

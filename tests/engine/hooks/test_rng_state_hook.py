"""RNGStateHook: random states through checkpoints, per rank."""
import random
from types import SimpleNamespace

import numpy as np
import pytest
import torch

from vim_mmaction._compat import safe_load
from vim_mmaction.engine.hooks import RNGStateHook
from vim_mmaction.utils.rng_state import get_rng_state, set_rng_state


def draws():
    """One draw of every global generator (and it advances them)."""
    return (random.random(), np.random.rand(), np.random.randn(),
            torch.rand(1).item())


def runner(iteration=0, world_size=1):
    return SimpleNamespace(iter=iteration, world_size=world_size)


def test_restored_state_draws_the_same_numbers():
    np.random.randn()  # leaves a cached gaussian in numpy's state
    state = get_rng_state()
    expected = draws()
    draws()
    set_rng_state(state)
    assert draws() == expected


def test_state_loads_with_weights_only(tmp_path):
    state = get_rng_state()
    expected = draws()
    torch.save(dict(meta=dict(rng=state)), tmp_path / 'state.pth')
    set_rng_state(safe_load(tmp_path / 'state.pth')['meta']['rng'])
    assert draws() == expected


def save_at_epoch_end(hook, at_iter=4):
    """What a run does at an epoch's end: states taken, checkpoint written.
    Returns the checkpoint and the draws that follow."""
    hook.after_train_epoch(runner(at_iter))
    checkpoint = dict(meta=dict())
    hook.before_save_checkpoint(runner(at_iter), checkpoint)
    return checkpoint, draws()


def test_resume_restores_the_state_of_the_epoch_end():
    checkpoint, expected = save_at_epoch_end(RNGStateHook())
    draws()
    resumed = RNGStateHook()
    resumed.after_load_checkpoint(runner(4), checkpoint)
    resumed.before_train(runner(4))
    assert draws() == expected
    meta = checkpoint['meta']['RNGStateHook']
    assert meta['world_size'] == 1 and len(meta['states']) == 1


def test_validation_leaves_the_state_as_it_found_it():
    hook = RNGStateHook()
    state = get_rng_state()
    expected = draws()
    set_rng_state(state)
    hook.before_val(runner())
    draws()
    hook.after_val(runner())
    assert draws() == expected


def test_checkpoint_written_mid_epoch_holds_the_state_of_that_moment():
    hook = RNGStateHook()
    hook.after_train_epoch(runner(4))
    draws()
    checkpoint = dict(meta=dict())
    hook.before_save_checkpoint(runner(5), checkpoint)
    expected = draws()
    set_rng_state(checkpoint['meta']['RNGStateHook']['states'][0])
    assert draws() == expected


def test_new_run_from_weights_restores_nothing():
    checkpoint, after_save = save_at_epoch_end(RNGStateHook())
    hook = RNGStateHook()
    hook.after_load_checkpoint(runner(0), checkpoint)
    hook.before_train(runner(0))
    assert draws() != after_save


@pytest.mark.parametrize(
    'meta, message',
    [(None, 'holds no random states'),
     (dict(world_size=2, states=[None, None]),
      'the random states of 2 processes, this run has 1')])
def test_resume_without_usable_states_warns(meta, message, mmengine_log):
    checkpoint = dict(meta={} if meta is None else dict(RNGStateHook=meta))
    hook = RNGStateHook()
    hook.after_load_checkpoint(runner(4), checkpoint)
    state = get_rng_state()
    hook.before_train(runner(4))
    assert any(message in m for m in mmengine_log)
    expected = draws()
    set_rng_state(state)
    assert draws() == expected  # untouched


def _two_rank_round_trip(rank, port, results):
    """Each rank seeds itself, saves through the hook, then resumes."""
    import torch.distributed as dist
    dist.init_process_group(
        'gloo', init_method=f'tcp://127.0.0.1:{port}', rank=rank,
        world_size=2)
    try:
        random.seed(rank)
        np.random.seed(rank)
        torch.manual_seed(rank)
        hook = RNGStateHook()
        hook.after_train_epoch(runner(4, world_size=2))  # a collective
        checkpoint = dict(meta=dict())
        hook.before_save_checkpoint(runner(4, world_size=2), checkpoint)
        expected = draws()
        objects = [checkpoint]
        dist.broadcast_object_list(objects, src=0)  # rank 0's file
        resumed = RNGStateHook()
        resumed.after_load_checkpoint(runner(4, world_size=2), objects[0])
        resumed.before_train(runner(4, world_size=2))
        results[rank] = (expected, draws())
    finally:
        dist.destroy_process_group()


def test_each_rank_resumes_its_own_state():
    from ...helpers import free_port
    manager = torch.multiprocessing.Manager()
    results = manager.dict()
    torch.multiprocessing.start_processes(
        _two_rank_round_trip,
        args=(free_port(), results),
        nprocs=2,
        start_method='fork')
    for rank in (0, 1):
        expected, found = results[rank]
        assert found == expected
    assert results[0][0] != results[1][0]  # the ranks drew differently

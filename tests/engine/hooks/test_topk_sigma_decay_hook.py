from types import SimpleNamespace

import pytest
from torch import nn

from vim_mmaction.engine import TopKSigmaDecayHook
from vim_mmaction.models.samplers import PerturbedTopK


def run_hook(hook, model, iters):
    """Call ``before_train_iter`` for iterations 0 .. iters - 1."""
    runner = SimpleNamespace(model=model, iter=0)
    hook.before_train(runner)
    for runner.iter in range(iters):
        hook.before_train_iter(runner, batch_idx=runner.iter)
    return runner


def test_sigma_follows_the_step_schedule_down_to_the_floor():
    model = nn.Sequential(PerturbedTopK(sigma=0.05))
    hook = TopKSigmaDecayHook(gamma=0.8, interval=10, min_sigma=0.01)
    values = []
    runner = SimpleNamespace(model=model, iter=0)
    for runner.iter in range(100):
        hook.before_train_iter(runner, batch_idx=runner.iter)
        values.append(model[0].sigma.item())
    assert values[9] == pytest.approx(0.05)
    assert values[10] == pytest.approx(0.04)
    assert values[25] == pytest.approx(0.05 * 0.8**2)
    assert values[99] == pytest.approx(max(0.05 * 0.8**9, 0.01))
    assert values[99] == pytest.approx(0.01)


def test_a_resumed_run_continues_from_the_checkpointed_sigma():
    hook = TopKSigmaDecayHook(gamma=0.5, interval=10, min_sigma=0.001)
    straight = nn.Sequential(PerturbedTopK(sigma=0.08))
    run_hook(hook, straight, 30)  # decays at 10 and 20

    first = nn.Sequential(PerturbedTopK(sigma=0.08))
    run_hook(hook, first, 15)  # decays at 10
    resumed = nn.Sequential(PerturbedTopK(sigma=0.08))
    resumed.load_state_dict(first.state_dict())
    runner = SimpleNamespace(model=resumed, iter=15)
    for runner.iter in range(15, 30):
        hook.before_train_iter(runner, batch_idx=runner.iter)
    assert resumed[0].sigma.item() == pytest.approx(0.02)
    assert straight[0].sigma.item() == pytest.approx(0.02)


def test_a_model_without_perturbed_topk_is_refused():
    with pytest.raises(ValueError, match='Linear has no PerturbedTopK'):
        run_hook(TopKSigmaDecayHook(), nn.Linear(2, 2), 1)

import pytest
from torch import nn

from vim_mmaction.engine import TopKSigmaDecayHook
from vim_mmaction.models.samplers import PerturbedTopK

from .schedule_probe import StubRunner


def test_defaults_decay_every_16000_episodes_down_to_the_floor():
    model = nn.Sequential(PerturbedTopK(sigma=0.05))
    # 16 episodes per step, as the released code's accumulation.
    runner = StubRunner(model, batch_size=2, world_size=8)
    sigmas = runner.train(
        TopKSigmaDecayHook(), 8001, read=lambda: model[0].sigma.item())
    assert sigmas[999] == pytest.approx(0.05)  # episodes 15984..15999
    assert sigmas[1000] == pytest.approx(0.04)  # from episode 16000
    assert sigmas[2000] == pytest.approx(0.05 * 0.8**2)
    assert sigmas[7000] == pytest.approx(0.05 * 0.8**7)
    assert sigmas[8000] == pytest.approx(0.01)  # not 0.05 * 0.8**8


def test_a_model_without_perturbed_topk_is_refused():
    with pytest.raises(ValueError, match='Linear has no PerturbedTopK'):
        TopKSigmaDecayHook().before_train(StubRunner(nn.Linear(2, 2)))


def test_an_interval_below_one_episode_is_named():
    with pytest.raises(ValueError, match='interval_episodes must be >= 1, '
                       'got 0'):
        TopKSigmaDecayHook(interval_episodes=0)


def test_a_loader_without_batch_size_is_refused():
    runner = StubRunner(nn.Sequential(PerturbedTopK()))
    runner.train_dataloader.batch_size = None
    with pytest.raises(ValueError, match='batch_size=None'):
        TopKSigmaDecayHook().before_train(runner)

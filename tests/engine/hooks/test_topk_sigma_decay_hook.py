import pytest
from torch import nn

from vim_mmaction.engine import TopKSigmaDecayHook
from vim_mmaction.models.samplers import PerturbedTopK

from .schedule_probe import StubRunner


def test_defaults_decay_every_1000_episodes_down_to_the_floor():
    model = nn.Sequential(PerturbedTopK(sigma=0.05))
    # 8 episodes per step: 1000 is a multiple, so decays land exactly.
    runner = StubRunner(model, batch_size=2, world_size=4)
    sigmas = runner.train(
        TopKSigmaDecayHook(), 1001, read=lambda: model[0].sigma.item())
    assert sigmas[124] == pytest.approx(0.05)  # episodes 992..999
    assert sigmas[125] == pytest.approx(0.04)  # from episode 1000
    assert sigmas[250] == pytest.approx(0.05 * 0.8**2)
    assert sigmas[875] == pytest.approx(0.05 * 0.8**7)
    assert sigmas[1000] == pytest.approx(0.01)  # not 0.05 * 0.8**8


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

import pytest
import torch
from torch import nn

from vim_mmaction.engine import ZoomWarmupHook
from vim_mmaction.models.samplers import SpatialAmplifier

from .schedule_probe import StubRunner


def test_the_bound_doubles_every_interval_up_to_each_max_zoom():
    model = nn.ModuleList([
        SpatialAmplifier([4], initial_zoom=1.0, max_zoom=4.0),
        SpatialAmplifier([4], initial_zoom=1.0, max_zoom=3.0)
    ])
    values = StubRunner(model, batch_size=2).train(
        ZoomWarmupHook(gamma=2.0, interval_episodes=10),
        20,
        read=lambda: model[0].zoom_bound.item())
    assert values[4] == 1.0  # episodes 8, 9
    assert values[5] == 2.0  # from episode 10
    assert values[10] == 4.0
    assert values[19] == 4.0  # max_zoom
    assert model[1].zoom_bound.item() == 3.0


def test_the_grown_bound_travels_in_the_checkpoint():
    amplifier = SpatialAmplifier([4], initial_zoom=1.0)
    StubRunner(amplifier, batch_size=2000).train(
        ZoomWarmupHook(), 1, read=lambda: amplifier.zoom_bound.item())
    restored = SpatialAmplifier([4], initial_zoom=1.0)
    restored.load_state_dict(amplifier.state_dict())
    assert restored.zoom_bound == torch.tensor(2.0)


def test_an_amplifier_without_initial_zoom_is_refused():
    runner = StubRunner(nn.ModuleList([SpatialAmplifier([4])]))
    with pytest.raises(ValueError,
                       match=r'no SpatialAmplifier module \(is its sampler '
                       r'built with amplifier=dict\(initial_zoom=...\)\?\)'):
        ZoomWarmupHook().before_train(runner)


def test_gamma_below_one_is_refused():
    with pytest.raises(ValueError, match='gamma must be >= 1, got 0.5'):
        ZoomWarmupHook(gamma=0.5)

import pytest
import torch
from torch import nn

from vim_mmaction.engine import SpatialJitterDecayHook
from vim_mmaction.models import VIMAlignmentHead

from .schedule_probe import StubRunner


def test_jitter_is_halved_every_interval_in_every_head():
    model = nn.ModuleList([VIMAlignmentHead(8), VIMAlignmentHead(8)])
    hook = SpatialJitterDecayHook(
        gamma=0.5, interval_episodes=10, min_jitter=0.03)
    values = StubRunner(model, batch_size=2).train(
        hook, 20, read=lambda: model[0].spatial_coordination.jitter.item())
    assert values[4] == pytest.approx(0.2)  # episodes 8, 9
    assert values[5] == pytest.approx(0.1)  # from episode 10
    assert values[10] == pytest.approx(0.05)
    assert values[19] == pytest.approx(0.03)  # the floor
    assert model[1].spatial_coordination.jitter.item() == pytest.approx(0.03)


def test_the_decayed_jitter_travels_in_the_checkpoint():
    head = VIMAlignmentHead(8)
    values = StubRunner(head, batch_size=5000).train(
        SpatialJitterDecayHook(),
        1,
        read=lambda: head.spatial_coordination.jitter.item())
    assert values == [pytest.approx(0.2)]  # halved after these 5000
    restored = VIMAlignmentHead(8)
    restored.load_state_dict(head.state_dict())
    assert restored.spatial_coordination.jitter == torch.tensor(0.1)


def test_a_head_without_spatial_coordination_is_refused():
    runner = StubRunner(VIMAlignmentHead(8, spatial_coordination=False))
    with pytest.raises(ValueError, match='no SpatialCoordination module'):
        SpatialJitterDecayHook().before_train(runner)


def test_gamma_outside_zero_one_is_refused():
    with pytest.raises(ValueError, match=r'gamma must be in \(0, 1\], got '
                       '1.5'):
        SpatialJitterDecayHook(gamma=1.5)

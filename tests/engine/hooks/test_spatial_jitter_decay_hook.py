from types import SimpleNamespace

import pytest
import torch
from torch import nn

from vim_mmaction.engine import SpatialJitterDecayHook
from vim_mmaction.models import VIMAlignmentHead


def test_jitter_is_halved_every_interval_in_every_head():
    model = nn.ModuleList([VIMAlignmentHead(8), VIMAlignmentHead(8)])
    hook = SpatialJitterDecayHook(gamma=0.5, interval=10, min_jitter=0.03)
    runner = SimpleNamespace(model=model, iter=0)
    hook.before_train(runner)
    values = []
    for runner.iter in range(40):
        hook.before_train_iter(runner, batch_idx=runner.iter)
        values.append(model[0].spatial_coordination.jitter.item())
    assert values[9] == pytest.approx(0.2)
    assert values[10] == pytest.approx(0.1)
    assert values[20] == pytest.approx(0.05)
    assert values[39] == pytest.approx(0.03)  # the floor
    assert model[1].spatial_coordination.jitter.item() == pytest.approx(0.03)


def test_the_decayed_jitter_travels_in_the_checkpoint():
    head = VIMAlignmentHead(8)
    runner = SimpleNamespace(model=head, iter=5000)
    SpatialJitterDecayHook().before_train_iter(runner, batch_idx=0)
    restored = VIMAlignmentHead(8)
    restored.load_state_dict(head.state_dict())
    assert restored.spatial_coordination.jitter == torch.tensor(0.1)


def test_a_head_without_spatial_coordination_is_refused():
    runner = SimpleNamespace(
        model=VIMAlignmentHead(8, spatial_coordination=False), iter=0)
    with pytest.raises(ValueError, match='no SpatialCoordination module'):
        SpatialJitterDecayHook().before_train(runner)


def test_gamma_outside_zero_one_is_refused():
    with pytest.raises(ValueError, match='gamma must be in'):
        SpatialJitterDecayHook(gamma=1.5)

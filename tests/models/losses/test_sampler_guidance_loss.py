import pytest
import torch
import torch.nn.functional as F
from torch import nn

from vim_mmaction.models import SamplerGuidanceLoss
from vim_mmaction.utils import make_episode_samples


def test_value_is_protonet_cross_entropy_and_gradient_reaches_only_the_frames_source():
    torch.manual_seed(0)
    samples = make_episode_samples(ways=2, shots=1, queries=1)
    zoom = torch.tensor(1.5, requires_grad=True)  # stands in for a sampler
    backbone = nn.Linear(3, 4)
    frames = zoom * torch.randn(4, 2, 3)  # (clips, T, C): 2 support, 2 query
    feats = backbone(frames)
    loss = SamplerGuidanceLoss(loss_weight=0.5)(frames, feats, samples)

    clips = F.normalize(feats.mean(dim=1), dim=-1)
    logits = clips[2:] @ clips[:2].T / 0.1
    expected = 0.5 * F.cross_entropy(logits, torch.tensor([0, 1]))
    assert loss.item() == pytest.approx(expected.item(), rel=1e-5)

    zoom_grad, = torch.autograd.grad(expected, zoom, retain_graph=True)
    loss.backward()
    assert zoom.grad.item() == pytest.approx(zoom_grad.item(), rel=1e-4)
    assert zoom.grad.abs() > 0
    assert backbone.weight.grad is None and backbone.bias.grad is None


def test_a_head_with_trainable_parameters_is_refused():
    with pytest.raises(ValueError, match=r"\['log_temperature'\]"):
        SamplerGuidanceLoss(head=dict(type='ProtoHead'))


def test_frames_without_gradient_are_refused():
    samples = make_episode_samples(ways=2, shots=1, queries=1)
    frames = torch.randn(4, 2, 3)
    with pytest.raises(ValueError, match='carry no gradient'):
        SamplerGuidanceLoss()(frames, frames, samples)

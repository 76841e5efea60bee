"""Properties every few-shot head shares, checked on each of them."""
import pytest
import torch
from mmaction.registry import MODELS
from torch import nn

from vim_mmaction.utils import make_episode_samples

CHANNELS = 16
HEADS = {
    'ProtoHead': dict(type='ProtoHead'),
    'OTAMHead': dict(type='OTAMHead'),
    'TRXHead': dict(type='TRXHead', in_channels=CHANNELS, embed_channels=24),
    'VIMAlignmentHead': dict(type='VIMAlignmentHead', in_channels=CHANNELS),
}


def build_head(name, seed=0):
    torch.manual_seed(seed)
    return MODELS.build(HEADS[name])


def randomise_zero_parameters(head):
    """Give zero-initialised parameters (identity warps, zero offsets) random
    values, so that gradients flow through every layer."""
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for param in head.parameters():
            if not param.any():
                param.copy_(
                    0.5 * torch.randn(param.shape, generator=generator))


def episode(ways=3, shots=1, queries=2, frames=8, size=3, seed=0):
    generator = torch.Generator().manual_seed(seed)
    support = torch.rand(ways, shots, frames, CHANNELS, size, size,
                         generator=generator)
    query = torch.rand(ways * queries, frames, CHANNELS, size, size,
                       generator=generator)
    return support, query


@pytest.mark.parametrize('name', HEADS)
@pytest.mark.parametrize('shots', [1, 5])
@pytest.mark.parametrize('frames', [4, 8])
def test_logits_are_queries_by_ways(name, shots, frames):
    support, query = episode(ways=5, shots=shots, queries=2, frames=frames)
    logits = build_head(name).forward_episode(support, query)
    assert logits.shape == (10, 5)
    assert torch.isfinite(logits).all()


@pytest.mark.parametrize('name', HEADS)
def test_pooled_features_without_maps_are_accepted(name):
    support, query = episode(ways=3, shots=2)
    logits = build_head(name).forward_episode(
        support.mean(dim=(-2, -1)), query.mean(dim=(-2, -1)))
    assert logits.shape == (6, 3)


@pytest.mark.parametrize('name', HEADS)
def test_permuting_support_classes_permutes_logits(name):
    head = build_head(name).eval()
    randomise_zero_parameters(head)
    support, query = episode(ways=4, shots=2)
    order = torch.tensor([2, 0, 3, 1])
    torch.testing.assert_close(
        head.forward_episode(support[order], query),
        head.forward_episode(support, query)[:, order],
        rtol=1e-5,
        atol=1e-5)


@pytest.mark.parametrize('name', HEADS)
def test_same_seed_same_output_in_eval_mode(name):
    support, query = episode(shots=2)
    first = build_head(name, seed=3).eval().forward_episode(support, query)
    second = build_head(name, seed=3).eval().forward_episode(support, query)
    torch.testing.assert_close(first, second, rtol=0, atol=0)


@pytest.mark.parametrize('name', HEADS)
def test_gradients_reach_every_parameter_and_the_features(name):
    head = build_head(name).train()
    randomise_zero_parameters(head)
    support, query = episode(shots=2)
    support.requires_grad_()
    query.requires_grad_()
    labels = torch.tensor([0, 0, 1, 1, 2, 2])
    losses, _ = head.episode_loss(support, query, labels)
    sum(value for key, value in losses.items() if 'loss' in key).backward()
    missing = [
        param_name for param_name, param in head.named_parameters()
        if param.requires_grad and (param.grad is None or not param.grad.any())
    ]
    assert missing == []
    assert support.grad.any() and query.grad.any()


@pytest.mark.parametrize('name', HEADS)
def test_loss_and_predict_read_the_episode_from_data_samples(name):
    ways, shots, queries = 3, 2, 1
    samples = make_episode_samples(ways, shots, queries)
    feats = torch.rand(len(samples), 4, CHANNELS, 3, 3)
    head = build_head(name)
    losses = head.loss(feats, samples)
    assert {'loss_cls', 'top1_acc'} <= set(losses)
    assert all(torch.isfinite(value) for value in losses.values())
    predicted = head.eval().predict(feats, samples)
    scores = [s.pred_score for s in predicted if s.metainfo['role'] == 'query']
    assert len(scores) == ways * queries
    torch.testing.assert_close(
        torch.stack(scores).sum(dim=1), torch.ones(ways * queries))


@pytest.mark.parametrize('name', HEADS)
def test_registered_under_its_own_name(name):
    cls = MODELS.get(name)
    assert cls.__module__.startswith('vim_mmaction.'), cls.__module__
    assert isinstance(build_head(name), nn.Module)

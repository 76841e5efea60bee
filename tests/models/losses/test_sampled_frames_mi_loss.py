import pytest
import torch

from vim_mmaction.models import SampledFramesMILoss


def test_value_is_the_weighted_kl_from_the_all_frame_prediction():
    torch.manual_seed(0)
    sampled, dense = torch.randn(4, 5), torch.randn(4, 5)
    loss = SampledFramesMILoss(loss_weight=0.5)(sampled, dense)
    p, q = dense.softmax(-1), sampled.softmax(-1)
    expected = 0.5 * (p * (p.log() - q.log())).sum(-1).mean()
    assert loss.item() == pytest.approx(expected.item(), rel=1e-5)


def test_only_the_sampled_side_gets_gradient():
    sampled = torch.randn(3, 4, requires_grad=True)
    dense = torch.randn(3, 4, requires_grad=True)
    SampledFramesMILoss()(sampled, dense).backward()
    assert sampled.grad.abs().sum() > 0
    assert dense.grad is None


def test_sampled_target_is_the_reverse_kl_into_the_all_frame_side():
    torch.manual_seed(0)
    sampled = torch.randn(3, 4, requires_grad=True)
    dense = torch.randn(3, 4, requires_grad=True)
    loss = SampledFramesMILoss(target='sampled')
    assert loss.needs_all_frame_grad
    value = loss(sampled, dense)
    p, q = sampled.softmax(-1), dense.softmax(-1)
    expected = (p * (p.log() - q.log())).sum(-1).mean()
    assert value.item() == pytest.approx(expected.item(), rel=1e-5)
    value.backward()
    assert dense.grad.abs().sum() > 0
    assert sampled.grad is None


def test_unknown_target_is_named():
    with pytest.raises(ValueError, match="got 'dense'"):
        SampledFramesMILoss(target='dense')


def test_logits_of_different_shapes_are_refused():
    with pytest.raises(ValueError, match=r'\(2, 3\).*\(2, 4\)'):
        SampledFramesMILoss()(torch.zeros(2, 3), torch.zeros(2, 4))

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


def test_interval_decides_the_due_steps_and_weights_the_term():
    loss = SampledFramesMILoss(loss_weight=0.5, interval=4)
    assert [loss.due() for _ in range(9)] == [
        True, False, False, False, True, False, False, False, True
    ]
    sampled, dense = torch.randn(2, 3), torch.randn(2, 3)
    every_step = SampledFramesMILoss(loss_weight=0.5)(sampled, dense)
    # Every 4th step at 4x the weight: the same expected gradient.
    assert loss(sampled, dense).item() == pytest.approx(
        4 * every_step.item(), rel=1e-6)


def test_zero_weight_is_never_due():
    loss = SampledFramesMILoss(loss_weight=0.0)
    assert not any(loss.due() for _ in range(3))


def test_step_count_is_saved_and_restored_with_the_state_dict():
    loss = SampledFramesMILoss(interval=3)
    for _ in range(5):
        loss.due()
    resumed = SampledFramesMILoss(interval=3)
    resumed.load_state_dict(loss.state_dict())
    assert [resumed.due() for _ in range(3)] == [False, True, False]


def test_every_step_term_keeps_no_count_in_checkpoints():
    # Checkpoints of models trained before the interval existed still match.
    assert SampledFramesMILoss().state_dict() == {}


def test_all_frame_pass_sets_gradient_and_autocast():
    layer = torch.nn.Linear(3, 2)
    inputs = torch.randn(4, 3)
    with SampledFramesMILoss(all_frames_dtype='bfloat16').all_frame_pass(
            inputs.device):
        out = layer(inputs)
    assert out.dtype == torch.bfloat16 and not out.requires_grad
    with SampledFramesMILoss(target='sampled').all_frame_pass(inputs.device):
        out = layer(inputs)
    assert out.dtype == torch.float32 and out.requires_grad


@pytest.mark.parametrize('options, message', [
    (dict(interval=0), 'interval must be an int >= 1, got 0'),
    (dict(interval=2.0), 'interval must be an int >= 1, got 2.0'),
    (dict(all_frames_dtype='half'), "got 'half'"),
])
def test_bad_options_are_named(options, message):
    with pytest.raises(ValueError, match=message):
        SampledFramesMILoss(**options)

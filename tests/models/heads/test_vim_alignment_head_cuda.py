"""VIM's alignment head computes on CUDA what it computes on the CPU: the
training losses and every parameter's gradient.

Gradients are compared in float64: in float32 one weight gradient of the
temporal transform's 3-D convolution (a sum over many terms that nearly
cancel) differed by 2e-3 relative on an H200; in float64 the head agreed
to 1e-14.
"""
import pytest
import torch

from vim_mmaction.models.heads import VIMAlignmentHead

from ...cuda_helpers import (NEEDS_CUDA,  # noqa: F401
                             assert_gradients_close, exact_cuda_float32)
from .test_head_contract import randomise_zero_parameters

pytestmark = NEEDS_CUDA

WAYS, SHOTS, QUERIES, FRAMES, CHANNELS, SIZE = 5, 2, 3, 8, 64, 4


def run_head(device, dtype=torch.float32):
    """Losses of one training episode and the gradients of their sum,
    computed in ``dtype``."""
    torch.manual_seed(0)
    # No dropout: its mask would come from each device's own generator.
    head = VIMAlignmentHead(CHANNELS, feature_dropout=0.0)
    randomise_zero_parameters(head)
    head = head.to(device, dtype).train()
    generator = torch.Generator().manual_seed(1)
    support = torch.randn(WAYS, SHOTS, FRAMES, CHANNELS, SIZE, SIZE,
                          generator=generator)
    query = torch.randn(WAYS * QUERIES, FRAMES, CHANNELS, SIZE, SIZE,
                        generator=generator)
    labels = torch.arange(WAYS).repeat_interleave(QUERIES)
    losses, logits = head.episode_loss(
        support.to(device, dtype), query.to(device, dtype), labels.to(device))
    sum(value for key, value in losses.items() if 'loss' in key).backward()
    return ({key: value.detach().cpu() for key, value in losses.items()},
            logits.detach().cpu(),
            {name: p.grad.cpu() for name, p in head.named_parameters()})


@pytest.mark.parametrize('dtype', [torch.float32, torch.float64])
def test_alignment_head_on_cuda_equals_cpu(dtype, exact_cuda_float32):
    cpu_losses, cpu_logits, cpu_grads = run_head('cpu', dtype)
    cuda_losses, cuda_logits, cuda_grads = run_head('cuda', dtype)
    tolerance = 1e-4 if dtype == torch.float32 else 1e-9
    torch.testing.assert_close(
        cuda_logits, cpu_logits, rtol=tolerance, atol=tolerance)
    for key, value in cpu_losses.items():
        torch.testing.assert_close(cuda_losses[key], value, msg=key)
    # Every layer takes part.
    assert all(grad.abs().sum() > 0 for grad in cpu_grads.values())
    if dtype == torch.float64:
        assert_gradients_close(cuda_grads, cpu_grads, dtype)

"""The task-adaptive sampler computes on CUDA what it computes on the CPU:
frames and parameter gradients, in test and in training mode.

Training is compared in float64: its perturbed top-k ranks noisy copies of
the frame scores, and where two are within float32 rounding of each other
the devices rank them differently. On an H200 in float32, 131 of 230,400
frame values differed by up to 2e-4 and 162 of 175 gradients by more than
1e-3 relative; in float64 the frames agreed to 2e-12.
"""
import pytest
import torch
from mmaction.registry import MODELS

from vim_mmaction.models.samplers import saliency_grid
from vim_mmaction.utils import make_episode_samples

from ...cuda_helpers import (NEEDS_CUDA,  # noqa: F401
                             assert_gradients_close, exact_cuda_float32)

pytestmark = NEEDS_CUDA

WAYS, SHOTS, QUERIES, DENSE, KEPT = 3, 2, 2, 8, 4


@pytest.fixture
def cpu_noise(monkeypatch):
    """torch.randn / randn_like drawn from one CPU generator, reset by
    calling the fixture's value, so both devices see the same noise (the
    perturbed top-k's, the learner's code, any initialisation)."""
    randn, generator = torch.randn, torch.Generator()

    def cpu_randn(*size, device=None, dtype=None, **kwargs):
        size = size[0] if len(size) == 1 and not isinstance(
            size[0], int) else size
        return randn(size, generator=generator, dtype=dtype).to(device)

    monkeypatch.setattr(torch, 'randn', cpu_randn)
    monkeypatch.setattr(
        torch, 'randn_like',
        lambda x: cpu_randn(x.shape, device=x.device, dtype=x.dtype))
    return lambda: generator.manual_seed(0)


def run_sampler(device, training, reset_noise, dtype=torch.float32):
    """Frames of one episode and the gradient of a fixed weighting of them
    with respect to every sampler parameter, computed in ``dtype``."""
    reset_noise()
    torch.manual_seed(0)
    sampler = MODELS.build(
        dict(
            type='TaskAdaptiveSampler',
            num_frames=KEPT,
            scan_size=32,
            topk=dict(num_samples=50))).to(device, dtype).train(training)
    clips = WAYS * (SHOTS + QUERIES)
    generator = torch.Generator().manual_seed(1)
    inputs = torch.randn(clips, DENSE, 3, 40, 40, generator=generator)
    weights = torch.randn(clips, KEPT, 3, 40, 40, generator=generator)
    frames = sampler(inputs.to(device, dtype),
                     make_episode_samples(WAYS, SHOTS, QUERIES))
    (frames * weights.to(device, dtype)).sum().backward()
    return frames.cpu(), {
        name: param.grad.cpu()
        for name, param in sampler.named_parameters()
        if param.grad is not None
    }


@pytest.mark.parametrize('training,dtype', [(False, torch.float32),
                                            (False, torch.float64),
                                            (True, torch.float64)])
def test_sampler_on_cuda_equals_cpu(training, dtype, cpu_noise,
                                    exact_cuda_float32):
    cpu_frames, cpu_grads = run_sampler('cpu', training, cpu_noise, dtype)
    cuda_frames, cuda_grads = run_sampler('cuda', training, cpu_noise, dtype)
    tolerance = 1e-4 if dtype == torch.float32 else 1e-9
    torch.testing.assert_close(
        cuda_frames, cpu_frames, rtol=tolerance, atol=tolerance)
    # The hard top-k at test passes no gradient to selector and learner.
    assert {name.split('.')[0] for name in cpu_grads} == (
        {'scan_net', 'selector', 'learner', 'amplifier'}
        if training else {'scan_net', 'amplifier'})
    assert_gradients_close(cuda_grads, cpu_grads, dtype)


def test_zoom_grid_and_its_gradient_on_cuda_equal_cpu():
    generator = torch.Generator().manual_seed(0)
    saliency = torch.rand(4, 8, 8, generator=generator, dtype=torch.float64)
    weights = torch.randn(4, 32, 32, 2, generator=generator,
                          dtype=torch.float64)
    results = []
    for device in ('cpu', 'cuda'):
        # detach: on the CPU, .to() returns saliency itself, which would
        # make the CUDA copy a non-leaf.
        leaf = saliency.detach().to(device).requires_grad_()
        grid = saliency_grid(leaf, (32, 32), max_zoom=4.0, iterations=5)
        (grid * weights.to(device)).sum().backward()
        results.append((grid.detach().cpu(), leaf.grad.cpu()))
    (cpu_grid, cpu_grad), (cuda_grid, cuda_grad) = results
    torch.testing.assert_close(cuda_grid, cpu_grid)
    torch.testing.assert_close(cuda_grad, cpu_grad)
    assert cpu_grad.abs().sum() > 0

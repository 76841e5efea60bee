"""Marks of the tests that need a CUDA device.

They are skipped without one; ``tools/analysis/gpu_check.sh`` runs them
(``pytest -m cuda``) on a GPU machine.
"""
import pytest
import torch

NEEDS_CUDA = [
    pytest.mark.cuda,
    pytest.mark.skipif(
        not torch.cuda.is_available(), reason='needs a CUDA device')
]


@pytest.fixture
def exact_cuda_float32():
    """fp32 kernels without TF32 (cuDNN convolutions use it by default), so
    that CUDA results can be held to CPU float tolerances."""
    saved = (torch.backends.cuda.matmul.allow_tf32,
             torch.backends.cudnn.allow_tf32)
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    yield
    (torch.backends.cuda.matmul.allow_tf32,
     torch.backends.cudnn.allow_tf32) = saved


def assert_gradients_close(cuda_grads: dict, cpu_grads: dict,
                           dtype: torch.dtype = torch.float32) -> None:
    """The same parameters with the same gradients, up to rounding.

    float32: each gradient within 1e-3 relative and 1e-4 of its largest CPU
    value (sums in another order). float64: within 1e-6 relative and 1e-8
    of the largest gradient of the whole model, so that gradients which are
    zero in exact arithmetic (a bias before a normalisation; 1e-11 here)
    compare as zero.
    """
    assert sorted(cuda_grads) == sorted(cpu_grads)
    largest = max(grad.abs().max().item() for grad in cpu_grads.values())
    for name, grad in cpu_grads.items():
        if dtype == torch.float64:
            rtol, atol = 1e-6, 1e-8 * largest
        else:
            rtol, atol = 1e-3, 1e-4 * grad.abs().max().item()
        torch.testing.assert_close(
            cuda_grads[name], grad, rtol=rtol, atol=atol, msg=name)

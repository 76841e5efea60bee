"""Differentiable top-k frame selection by perturbed maximum."""
from typing import Optional

import torch
from torch import nn


def sorted_topk_indicator(scores: torch.Tensor, k: int) -> torch.Tensor:
    """One-hot indicator of the ``k`` best frames, in temporal order.

    Args:
        scores: (..., M) frame scores.
        k (int): Frames to keep.

    Returns:
        (..., M, k) float indicator: column ``j`` is the one-hot position of
        the ``j``-th selected frame, the selected positions ascending.
    """
    positions = scores.topk(k, dim=-1).indices.sort(dim=-1).values
    return sorted_positions_indicator(positions, scores.shape[-1],
                                      scores.dtype)


def sorted_positions_indicator(positions: torch.Tensor, num_frames: int,
                               dtype: torch.dtype) -> torch.Tensor:
    """(..., k) frame positions -> (..., M, k) one-hot indicator."""
    one_hot = nn.functional.one_hot(positions, num_frames)  # (..., k, M)
    return one_hot.transpose(-1, -2).to(dtype)


class _PerturbedTopKFunction(torch.autograd.Function):
    """Mean sorted top-k indicator over normal perturbations of the scores.

    Forward: ``E[I(s + sigma Z)]`` estimated with ``n`` samples of
    ``Z ~ N(0, 1)``, where ``I`` is :func:`sorted_topk_indicator`.
    Backward (Berthet et al. 2020): ``d E[I(s + sigma Z)] / ds =
    E[I(s + sigma Z) Z^T] / sigma``, estimated with the same samples; with
    ``baseline`` the per-sample inner products are centred on the mean of
    the other samples first (a leave-one-out baseline: unbiased, since
    ``E[Z] = 0``, with less variance). Only the
    (n, B, k) selected positions and the (n, B, M) noise are kept for the
    backward pass; the caller applies the averaged (B, M, k) indicator to
    the frames, never n indicators.
    """

    @staticmethod
    def forward(ctx, scores: torch.Tensor, k: int, num_samples: int,
                sigma: float, baseline: bool) -> torch.Tensor:
        noise = torch.randn((num_samples, *scores.shape),
                            dtype=scores.dtype,
                            device=scores.device)  # (n, B, M)
        perturbed = scores.unsqueeze(0) + sigma * noise
        positions = perturbed.topk(k, dim=-1).indices.sort(dim=-1).values
        indicator = sorted_positions_indicator(positions, scores.shape[-1],
                                               scores.dtype).mean(0)
        ctx.save_for_backward(positions, noise)
        ctx.sigma = sigma
        ctx.baseline = baseline
        return indicator  # (B, M, k)

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor):
        positions, noise = ctx.saved_tensors  # (n, B, k), (n, B, M)
        # <I_n, dL/dI> for every sample: the gradient at the chosen entries.
        grad = grad_output.unsqueeze(0).expand(positions.shape[0], -1, -1, -1)
        picked = grad.gather(2, positions.unsqueeze(2)).squeeze(2)  # (n, B, k)
        inner = picked.sum(-1)  # (n, B)
        num_samples = positions.shape[0]
        if ctx.baseline and num_samples > 1:
            # inner_i - mean of the others = n / (n - 1) (inner_i - mean).
            inner = (inner - inner.mean(0)) * num_samples / (num_samples - 1)
        grad_scores = torch.einsum('nb,nbm->bm', inner,
                                   noise) / (num_samples * ctx.sigma)
        return grad_scores, None, None, None, None


class PerturbedTopK(nn.Module):
    """Selects k of M frames: perturbed-maximum soft top-k in training, hard
    top-k at test, both in temporal order.

    In training the output is the mean of the sorted top-k indicators of
    ``num_samples`` copies of the scores perturbed by ``sigma`` times normal
    noise, differentiable with respect to the scores. At test it is the hard
    indicator of the k best frames. ``sigma`` is a buffer, so a schedule (see
    :class:`~vim_mmaction.engine.TopKSigmaDecayHook`) is saved and restored
    with the checkpoint.

    Args:
        num_samples (int): Perturbed copies per forward. Defaults to 500.
        sigma (float): Initial noise scale. Defaults to 0.05.
        baseline (bool): Centre the gradient estimator with a leave-one-out
            baseline (variance reduction; the released code has none).
            Defaults to False.

    Shapes:
        scores: (B, M); always_keep: (M, ) -> indicator: (B, M, k), column
        ``j`` the weights of the ``j``-th selected frame over the M frames.
    """

    def __init__(self,
                 num_samples: int = 500,
                 sigma: float = 0.05,
                 baseline: bool = False) -> None:
        super().__init__()
        if num_samples < 1:
            raise ValueError(f'num_samples must be >= 1, got {num_samples}')
        if sigma <= 0:
            raise ValueError(f'sigma must be > 0, got {sigma}')
        self.num_samples = num_samples
        self.baseline = baseline
        self.register_buffer('sigma', torch.tensor(float(sigma)))

    def forward(self,
                scores: torch.Tensor,
                k: int,
                always_keep: Optional[torch.Tensor] = None) -> torch.Tensor:
        """Soft (training) or hard (eval) indicator of the k kept frames.

        ``always_keep`` (bool, one per frame) marks frames kept in every
        sample, whatever their scores; the other ``k - always_keep.sum()``
        are chosen among the rest, and only their scores get a gradient.
        """
        if not 0 < k <= scores.shape[-1]:
            raise ValueError(
                f'cannot select {k} of {scores.shape[-1]} frames')
        if always_keep is not None:
            num_kept = int(always_keep.sum())
            if num_kept >= k:
                raise ValueError(f'{num_kept} frames always kept leave none '
                                 f'of the {k} to select')
            # An infinite score wins every (perturbed) top-k; masked_fill
            # passes no gradient to the filled entries.
            scores = scores.masked_fill(always_keep, float('inf'))
        if not self.training:
            return sorted_topk_indicator(scores, k)
        return _PerturbedTopKFunction.apply(scores, k, self.num_samples,
                                            float(self.sigma), self.baseline)

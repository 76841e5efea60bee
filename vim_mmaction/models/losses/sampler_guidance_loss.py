"""A second few-shot loss whose gradient trains the video sampler only."""
from typing import Optional, Sequence

import torch
from mmaction.registry import MODELS
from torch import nn


@MODELS.register_module()
class SamplerGuidanceLoss(nn.Module):
    """Guides the sampler with another head's loss, leaving the rest alone.

    A parameter-free few-shot head (by default ProtoNet with a fixed
    temperature: cosine to clip-mean prototypes) scores every episode on the
    backbone features of the sampled frames. The gradient of its
    cross-entropy is taken with respect to the sampled frames and passed on
    to the sampler only: backbone and main head are trained by the main
    head's loss alone, as in the same model on uniform frames, so a run with
    this loss differs from its uniform-frame baseline in how frames are
    chosen and zoomed, nothing else.

    Why: behind VIM's alignment head the sampler learns from the head's
    frame-wise, spatially coordinated loss, and its zoom has not helped there
    (docs/benchmarks.md); behind ProtoNet the same sampler's zoom helps. This
    loss gives the sampler ProtoNet's signal while the head keeps its own.

    Cost: one more backward pass through the backbone to the frames (input
    gradients only, no weight gradients).

    Args:
        head (dict, optional): Few-shot head whose cross-entropy guides the
            sampler; it must have no trainable parameters (they would get no
            gradient). Defaults to ``ProtoHead`` (cosine, temperature 0.1,
            fixed).
        loss_weight (float): Weight of the term. Defaults to 1.0.

    Shapes:
        frames: (clips, T, C, H, W) the sampler's output, with gradient;
        feats: (clips, T, C'[, h, w]) their backbone features -> scalar.
    """

    def __init__(self,
                 head: Optional[dict] = None,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        self.head = MODELS.build(
            head or dict(type='ProtoHead', learn_temperature=False))
        trainable = [
            name for name, param in self.head.named_parameters()
            if param.requires_grad
        ]
        if trainable:
            raise ValueError(
                f'SamplerGuidanceLoss trains the sampler only: its head '
                f'{type(self.head).__name__} has trainable parameters '
                f'{trainable} that would get no gradient; use a '
                f'parameter-free head, e.g. '
                f"dict(type='ProtoHead', learn_temperature=False)")
        self.loss_weight = loss_weight

    def forward(self, frames: torch.Tensor, feats: torch.Tensor,
                data_samples: Sequence) -> torch.Tensor:
        """The weighted cross-entropy, with its gradient to the sampler only.

        The returned value is the cross-entropy (for the log); its gradient
        is that of ``sum(frames * dL/dframes)``, which reaches only what
        produced the frames.
        """
        if not frames.requires_grad:
            raise ValueError(
                'SamplerGuidanceLoss: the sampled frames carry no gradient; '
                'it needs a sampler with trainable parameters (e.g. '
                'TaskAdaptiveSampler) in training mode')
        loss = self.loss_weight * self.head.loss(feats,
                                                 data_samples)['loss_cls']
        frames_grad, = torch.autograd.grad(loss, frames, retain_graph=True)
        surrogate = (frames * frames_grad).sum()
        return loss.detach() + surrogate - surrogate.detach()

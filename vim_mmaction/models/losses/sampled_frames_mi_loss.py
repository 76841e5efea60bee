"""Agreement of the predictions from the sampled and from all frames."""
import torch
import torch.nn.functional as F
from mmaction.registry import MODELS
from torch import nn


@MODELS.register_module()
class SampledFramesMILoss(nn.Module):
    """VIM's intra-video mutual-information term on the video sampler.

    The KL divergence between the predictions from all M dense frames
    (``p_all``) and from the T sampled frames (``p_sampled``), averaged over
    the scored clips, with one side a fixed target (no gradient):

    - ``target='all'``: ``KL(p_all || p_sampled)``. The gradient reaches the
      sampled side: the sampler (and the backbone on the T frames) learn to
      keep the information of the whole video that the prediction needs.
      The all-frame pass runs without gradient.
    - ``target='sampled'``: ``KL(p_sampled || p_all)``, the sampled side
      detached (the direction of TA2N's released helper). The gradient
      reaches the backbone and head through all M frames, none the
      sampler; the all-frame pass keeps its activations for backward.

    The recognizer computes the all-frame logits (one more backbone pass
    over the M frames) in training only, and only when ``loss_weight > 0``.

    Args:
        loss_weight (float): Weight of the term. Defaults to 1.0.
        target (str): ``'all'`` or ``'sampled'``, the side that is the fixed
            target. Defaults to ``'all'``.

    Shapes:
        sampled_logits, all_logits: (N, classes) -> scalar.
    """

    def __init__(self, loss_weight: float = 1.0, target: str = 'all') -> None:
        super().__init__()
        if loss_weight < 0:
            raise ValueError(f'loss_weight must be >= 0, got {loss_weight}')
        if target not in ('all', 'sampled'):
            raise ValueError(
                f"target must be 'all' or 'sampled', got {target!r}")
        self.loss_weight = loss_weight
        self.target = target

    @property
    def needs_all_frame_grad(self) -> bool:
        """Whether the all-frame pass must keep its graph for backward."""
        return self.target == 'sampled'

    def forward(self, sampled_logits: torch.Tensor,
                all_logits: torch.Tensor) -> torch.Tensor:
        """Weighted KL from the target's prediction to the other's."""
        if sampled_logits.shape != all_logits.shape:
            raise ValueError(
                f'sampled logits {tuple(sampled_logits.shape)} and all-frame '
                f'logits {tuple(all_logits.shape)} differ in shape')
        target, other = ((all_logits, sampled_logits) if self.target == 'all'
                         else (sampled_logits, all_logits))
        kl = F.kl_div(
            F.log_softmax(other, dim=-1),
            F.log_softmax(target.detach(), dim=-1),
            reduction='batchmean',
            log_target=True)
        return self.loss_weight * kl

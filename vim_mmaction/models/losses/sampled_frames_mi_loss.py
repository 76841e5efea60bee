"""Agreement of the predictions from the sampled and from all frames."""
import torch
import torch.nn.functional as F
from mmaction.registry import MODELS
from torch import nn


@MODELS.register_module()
class SampledFramesMILoss(nn.Module):
    """VIM's intra-video mutual-information term on the video sampler.

    ``KL(p_all || p_sampled)``, averaged over the scored clips, where
    ``p_all`` is the softmax of the logits from all M dense frames (the
    target; no gradient) and ``p_sampled`` that from the T sampled frames.
    Minimising it keeps the information of the whole video that the
    prediction needs in the T frames the sampler keeps.

    The recognizer computes the all-frame logits (one more backbone pass
    over the M frames, without gradient) in training only, and only when
    ``loss_weight > 0``.

    Args:
        loss_weight (float): Weight of the term. Defaults to 1.0.

    Shapes:
        sampled_logits, all_logits: (N, classes) -> scalar.
    """

    def __init__(self, loss_weight: float = 1.0) -> None:
        super().__init__()
        if loss_weight < 0:
            raise ValueError(f'loss_weight must be >= 0, got {loss_weight}')
        self.loss_weight = loss_weight

    def forward(self, sampled_logits: torch.Tensor,
                all_logits: torch.Tensor) -> torch.Tensor:
        """Weighted KL from the all-frame to the sampled-frame prediction."""
        if sampled_logits.shape != all_logits.shape:
            raise ValueError(
                f'sampled logits {tuple(sampled_logits.shape)} and all-frame '
                f'logits {tuple(all_logits.shape)} differ in shape')
        target = F.log_softmax(all_logits.detach(), dim=-1)
        kl = F.kl_div(
            F.log_softmax(sampled_logits, dim=-1),
            target,
            reduction='batchmean',
            log_target=True)
        return self.loss_weight * kl

"""OTAM: ordered temporal alignment of frames by soft-DTW."""
from typing import Optional

import torch
import torch.nn.functional as F
from mmaction.registry import MODELS

from .base_few_shot_head import BaseFewShotHead, pool_frame_features
from .soft_dtw import otam_distance


@MODELS.register_module()
class OTAMHead(BaseFewShotHead):
    """Ordered Temporal Alignment Module (Cao et al., CVPR 2020).

    Frames are pooled over space; the distance between a query and a
    support clip is :func:`otam_distance` over the frame distances
    ``1 - cos``: soft-DTW with OTAM's zero columns at both ends and
    vertical moves only there, query onto support plus support onto query.
    A class's distance is the mean over its shots; ``logits = -distance``.
    The head has no parameters.

    Args:
        gamma (float): Soft-DTW smoothing. Defaults to 0.1.
        loss_weight (float): Weight of the query cross-entropy.
            Defaults to 1.0.
        init_cfg (dict, optional): mmengine initialisation config.

    Inputs:
        support: (ways, shots, T, C[, h, w]); query: (queries, T, C[, h, w]).
    """

    def __init__(self,
                 gamma: float = 0.1,
                 loss_weight: float = 1.0,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(loss_weight=loss_weight, init_cfg=init_cfg)
        if gamma <= 0:
            raise ValueError(f'gamma must be > 0, got {gamma}')
        self.gamma = gamma

    def forward_episode(self, support: torch.Tensor,
                        query: torch.Tensor) -> torch.Tensor:
        support = F.normalize(pool_frame_features(support), dim=-1)
        query = F.normalize(pool_frame_features(query), dim=-1)
        cosine = torch.einsum('qic,wkjc->qwkij', query, support)
        distances = otam_distance(1 - cosine, self.gamma)  # (queries, ways, K)
        return -distances.mean(dim=-1)

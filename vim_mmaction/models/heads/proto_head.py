"""ProtoNet over mean-pooled frame features."""
import math
from typing import Optional

import torch
import torch.nn.functional as F
from mmaction.registry import MODELS
from torch import nn

from .base_few_shot_head import BaseFewShotHead, pool_clip_features


@MODELS.register_module()
class ProtoHead(BaseFewShotHead):
    """Prototypical network (Snell et al. 2017) on clip-mean features.

    Each clip is pooled over time and space; a class prototype is the mean
    of its shots; a query's logits are its similarity to each prototype:
    ``cos / temperature`` (cosine) or ``-||q - p||^2 / temperature``
    (Euclidean, the original ProtoNet). The order of frames is ignored: the
    order-free baseline of temporal heads.

    Args:
        metric (str): ``'cosine'`` or ``'euclidean'``. Defaults to
            ``'cosine'``.
        temperature (float): Divides the similarities. Defaults to 0.1.
        learn_temperature (bool): Learn the temperature (as a log).
            Defaults to True.
        loss_weight (float): Weight of the query cross-entropy.
        init_cfg (dict, optional): mmengine initialisation config.

    Inputs:
        support: (ways, shots, T, C[, h, w]); query: (queries, T, C[, h, w]).
    """

    def __init__(self,
                 metric: str = 'cosine',
                 temperature: float = 0.1,
                 learn_temperature: bool = True,
                 loss_weight: float = 1.0,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(loss_weight=loss_weight, init_cfg=init_cfg)
        if metric not in ('cosine', 'euclidean'):
            raise ValueError(
                f"metric must be 'cosine' or 'euclidean', got {metric!r}")
        if temperature <= 0:
            raise ValueError(f'temperature must be > 0, got {temperature}')
        self.metric = metric
        self.log_temperature = nn.Parameter(
            torch.tensor(math.log(temperature)),
            requires_grad=learn_temperature)

    def forward_episode(self, support: torch.Tensor,
                        query: torch.Tensor) -> torch.Tensor:
        prototypes = pool_clip_features(support).mean(dim=1)  # (ways, C)
        query = pool_clip_features(query)  # (queries, C)
        if self.metric == 'cosine':
            similarity = F.normalize(query, dim=-1) @ F.normalize(
                prototypes, dim=-1).T
        else:
            similarity = -torch.cdist(query, prototypes).pow(2)
        return similarity / self.log_temperature.exp()  # (queries, ways)

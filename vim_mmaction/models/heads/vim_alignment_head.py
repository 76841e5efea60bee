"""VIM's spatial-temporal action alignment head."""
from typing import Dict, Optional, Tuple

import torch
import torch.nn.functional as F
from mmaction.registry import MODELS
from torch import nn

from .base_few_shot_head import BaseFewShotHead, pool_frame_features
from .multi_shot_fusion import MultiShotFusion
from .spatial_coordination import SpatialCoordination
from .temporal_coordination import TemporalCoordination
from .temporal_transform import TemporalTransform


def frame_cosine_logits(support_frames: torch.Tensor,
                        query_frames: torch.Tensor) -> torch.Tensor:
    """Negative frame-wise cosine distance of aligned pairs.

    Args:
        support_frames, query_frames: (ways, queries, T, C) the frames of
            each support-query pair, aligned.

    Returns:
        (queries, ways) logits ``-sum_t (1 - cos(s_t, q_t))``.
    """
    cosine = F.cosine_similarity(support_frames, query_frames, dim=-1)
    return -(1 - cosine).sum(dim=-1).T


def alignment_information_loss(after: torch.Tensor,
                               before: torch.Tensor) -> torch.Tensor:
    """KL(after || before) of frame features read as distributions.

    Each frame's feature vector becomes a distribution over channels by a
    softmax. The unaligned side is a fixed target (detached): the loss keeps
    what alignment produces predictable from what it was given, without
    pulling the backbone features towards the aligned ones.

    Args:
        after: (..., T, C) aligned frames.
        before: (..., T, C) the same frames unaligned; broadcasts with
            ``after``.

    Returns:
        () the KL divergence averaged over frames.
    """
    log_after = after.log_softmax(dim=-1)
    log_before = before.detach().log_softmax(dim=-1)
    kl = (log_after.exp() * (log_after - log_before)).sum(dim=-1)
    return kl.mean()


@MODELS.register_module()
class VIMAlignmentHead(BaseFewShotHead):
    """VIM's spatial-temporal action alignment, then a frame-wise metric.

    On the feature maps of one episode, after TA2N's dropout on the backbone
    features (training only), in this order (each stage can be switched off
    for ablations):

    1. temporal transformation (:class:`TemporalTransform`): every clip's
       timeline warped by an affine map predicted from the clip;
    2. multi-shot fusion (:class:`MultiShotFusion`, K > 1 only): the shots
       of a class re-timed onto the first one, averaged, and projected by a
       value layer that also maps the queries (switched off: plain
       frame-wise mean of the shots, queries unchanged);
    3. temporal coordination (:class:`TemporalCoordination`): each query
       re-timed onto each class by attention over time;
    4. spatial coordination (:class:`SpatialCoordination`): each pair's
       frames pooled with windows moved towards each other (switched off:
       average pooling);
    5. metric: ``logits = -sum_t (1 - cos(s_t, q_t))``.

    :meth:`episode_loss` adds ``loss_mi_align``, KL(after || before) of the
    pooled frames after and before alignment (before: the alignment's
    input, after the dropout; detached), to the cross-entropy.

    Args:
        in_channels (int): Channels C of the frame feature maps.
        feature_dropout (float): Dropout probability on the backbone
            features, as TA2N's code (0 switches it off). Defaults to 0.5.
        temporal_transform (bool): Use stage 1. Defaults to True.
        multi_shot_fusion (bool): Use stage 2. Defaults to True.
        temporal_coordination (bool): Use stage 3. Defaults to True.
        spatial_coordination (bool): Use stage 4. Defaults to True.
        fusion_cfg (dict, optional): Keyword arguments of
            :class:`MultiShotFusion` (``value_proj``). Defaults to its
            defaults.
        spatial_cfg (dict, optional): Keyword arguments of
            :class:`SpatialCoordination` (``channels``, ``max_offset``,
            ``jitter``, ``pairwise_impl``, ...). Defaults to its defaults.
        mi_loss_weight (float): Weight of ``loss_mi_align``. Defaults to
            0.1.
        loss_weight (float): Weight of the query cross-entropy.
            Defaults to 1.0.
        init_cfg (dict, optional): mmengine initialisation config.

    Inputs:
        support: (ways, shots, T, C, h, w); query: (queries, T, C, h, w).
        Features without maps, (..., T, C), are taken as 1 x 1 maps.
    """

    def __init__(self,
                 in_channels: int,
                 feature_dropout: float = 0.5,
                 temporal_transform: bool = True,
                 multi_shot_fusion: bool = True,
                 temporal_coordination: bool = True,
                 spatial_coordination: bool = True,
                 fusion_cfg: Optional[dict] = None,
                 spatial_cfg: Optional[dict] = None,
                 mi_loss_weight: float = 0.1,
                 loss_weight: float = 1.0,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(
            loss_weight=loss_weight, in_channels=in_channels,
            init_cfg=init_cfg)
        self.mi_loss_weight = mi_loss_weight
        self.feature_dropout = nn.Dropout(feature_dropout)
        self.temporal_transform = (
            TemporalTransform(in_channels) if temporal_transform else None)
        self.multi_shot_fusion = (
            MultiShotFusion(in_channels, **(fusion_cfg or {}))
            if multi_shot_fusion else None)
        self.temporal_coordination = (
            TemporalCoordination(in_channels)
            if temporal_coordination else None)
        self.spatial_coordination = (
            SpatialCoordination(in_channels, **(spatial_cfg or {}))
            if spatial_coordination else None)

    def align(self, support: torch.Tensor,
              query: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Aligned frames of every support-query pair.

        Args:
            support, query: as in :meth:`forward_episode`, after
                :meth:`drop_features`.

        Returns:
            support frames, query frames: (ways, queries, T, C) each.
        """
        if support.dim() == 4:  # no maps: 1 x 1 maps
            support, query = support[..., None, None], query[..., None, None]
        ways, shots = support.shape[:2]
        if self.temporal_transform is not None:
            clips = self.temporal_transform(
                torch.cat([support.flatten(0, 1), query]))
            support = clips[:ways * shots].unflatten(0, (ways, shots))
            query = clips[ways * shots:]
        if self.multi_shot_fusion is not None and shots > 1:
            prototypes, query = self.multi_shot_fusion(support, query)
        else:
            prototypes = support.mean(dim=1)  # (ways, T, C, h, w)
        query_shift = None
        if self.temporal_coordination is not None:
            support_shift, query_shift = self.temporal_coordination(
                prototypes.mean(dim=(-2, -1)), query.mean(dim=(-2, -1)))
            prototypes = prototypes + support_shift[..., None, None]
        if self.spatial_coordination is not None:
            return self.spatial_coordination(prototypes, query, query_shift)
        support_frames = prototypes.mean(dim=(-2, -1))[:, None]
        query_frames = query.mean(dim=(-2, -1))[None]
        if query_shift is not None:
            query_frames = query_frames + query_shift
        return torch.broadcast_tensors(support_frames, query_frames)

    def drop_features(
            self, support: torch.Tensor,
            query: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """TA2N's dropout on the backbone features (shapes unchanged)."""
        return self.feature_dropout(support), self.feature_dropout(query)

    def forward_episode(self, support: torch.Tensor,
                        query: torch.Tensor) -> torch.Tensor:
        return frame_cosine_logits(
            *self.align(*self.drop_features(support, query)))

    def episode_loss(
        self, support: torch.Tensor, query: torch.Tensor, labels: torch.Tensor
    ) -> Tuple[Dict[str, torch.Tensor], torch.Tensor]:
        """Cross-entropy, accuracy and ``loss_mi_align`` of one episode, and
        its logits."""
        support, query = self.drop_features(support, query)
        support_frames, query_frames = self.align(support, query)
        logits = frame_cosine_logits(support_frames, query_frames)
        losses = self.classification_losses(logits, labels)
        support_before = pool_frame_features(support).mean(dim=1)[:, None]
        query_before = pool_frame_features(query)[None]
        losses['loss_mi_align'] = self.mi_loss_weight * (
            alignment_information_loss(support_frames, support_before) +
            alignment_information_loss(query_frames, query_before)) / 2
        return losses, logits

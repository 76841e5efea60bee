"""Shared episode handling of few-shot heads."""
from abc import ABCMeta, abstractmethod
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule

from ...utils.episode import split_episodes


class BaseFewShotHead(BaseModule, metaclass=ABCMeta):
    """Splits a batch of clip features into episodes and scores the queries.

    A head reads the episode layout from the data samples only (see
    :func:`vim_mmaction.utils.split_episodes`), so it works behind any
    recognizer that hands it per-clip features. Subclasses implement
    :meth:`forward_episode`.

    Args:
        loss_weight (float): Weight of the query cross-entropy.
            Defaults to 1.0.
        in_channels (int, optional): Channels C the head's layers are built
            for; every batch is checked against it, so that a head built for
            another backbone is named with both numbers rather than by a
            shape error deep inside. None (heads without such layers): no
            check.
        init_cfg (dict, optional): mmengine initialisation config.

    Inputs (from the recognizer):
        feats: (clips, T, C[, h, w]) features of every clip in the batch.
        data_samples: one per clip, carrying the episode metainfo.
    """

    def __init__(self,
                 loss_weight: float = 1.0,
                 in_channels: Optional[int] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.loss_weight = loss_weight
        self.in_channels = in_channels

    @abstractmethod
    def forward_episode(self, support: torch.Tensor,
                        query: torch.Tensor) -> torch.Tensor:
        """Score the queries of one episode.

        Args:
            support: (ways, shots, T, C[, h, w]) support features, row ``i``
                of episode label ``i``.
            query: (queries, T, C[, h, w]) query features.

        Returns:
            (queries, ways) logits.
        """

    def episode_loss(
        self, support: torch.Tensor, query: torch.Tensor, labels: torch.Tensor
    ) -> Tuple[Dict[str, torch.Tensor], torch.Tensor]:
        """Losses of one episode; heads with extra terms override this.

        Args:
            support, query: as in :meth:`forward_episode`.
            labels: (queries,) episode labels of the queries.

        Returns:
            tuple: a dict with ``loss_cls`` (weighted query cross-entropy)
            and ``top1_acc`` (keys with ``loss`` in their name are summed by
            mmengine), and the (queries, ways) logits the losses came from,
            for loss terms of the recognizer that need them.
        """
        logits = self.forward_episode(support, query)
        return self.classification_losses(logits, labels), logits

    def classification_losses(self, logits: torch.Tensor,
                              labels: torch.Tensor) -> Dict[str, torch.Tensor]:
        """``loss_cls`` and ``top1_acc`` of one episode's logits.

        Args:
            logits: (queries, ways) as returned by :meth:`forward_episode`.
            labels: (queries,) episode labels of the queries.
        """
        return dict(
            loss_cls=self.loss_weight * F.cross_entropy(logits, labels),
            top1_acc=(logits.argmax(1) == labels).float().mean().detach())

    def split_features(self, feats: torch.Tensor,
                       data_samples: Sequence) -> Iterator[tuple]:
        """(layout, support, query) for every episode of the batch."""
        channels = feats.shape[2]  # (clips, T, C[, h, w])
        if self.in_channels is not None and channels != self.in_channels:
            raise ValueError(
                f'{type(self).__name__}: in_channels={self.in_channels}, but '
                f'the features have {channels} channels (features '
                f'{tuple(feats.shape)} = (clips, T, C[, h, w]) from the '
                f'backbone); set cls_head.in_channels={channels}, or use a '
                f'backbone with {self.in_channels} output channels')
        for layout in split_episodes(data_samples):
            index = layout.support_index.to(feats.device)
            support = feats[index.flatten()].unflatten(0, index.shape)
            query = feats[layout.query_index.to(feats.device)]
            yield layout, support, query

    def loss(self, feats: torch.Tensor, data_samples: Sequence,
             **kwargs) -> Dict[str, torch.Tensor]:
        """Each of :meth:`episode_loss`'s terms averaged over episodes."""
        return self.loss_and_logits(feats, data_samples)[0]

    def loss_and_logits(
        self, feats: torch.Tensor, data_samples: Sequence
    ) -> Tuple[Dict[str, torch.Tensor], List[torch.Tensor]]:
        """:meth:`loss`, plus each episode's (queries, ways) logits in batch
        order, so that a recognizer's extra loss terms reuse this forward."""
        per_episode_losses, per_episode_logits = [], []
        for layout, support, query in self.split_features(
                feats, data_samples):
            losses, logits = self.episode_loss(
                support, query, layout.query_labels.to(feats.device))
            per_episode_losses.append(losses)
            per_episode_logits.append(logits)
        mean_losses = {
            key: torch.stack([losses[key] for losses in per_episode_losses
                              ]).mean()
            for key in per_episode_losses[0]
        }
        return mean_losses, per_episode_logits

    def predict(self, feats: torch.Tensor, data_samples: Sequence,
                **kwargs) -> Sequence:
        """Set ``pred_score`` (softmax over the ways) on every query."""
        for layout, support, query in self.split_features(
                feats, data_samples):
            logits = self.forward_episode(support, query)
            scores = logits.softmax(dim=1).detach()
            for position, score in zip(layout.query_index.tolist(), scores):
                data_samples[position].set_pred_score(score)
        return data_samples


def pool_frame_features(feats: torch.Tensor) -> torch.Tensor:
    """Average each frame's feature map over space.

    Support features are (ways, shots, T, C[, h, w]) and query features
    (queries, T, C[, h, w]), so five or more dimensions mean maps.

    Args:
        feats: (..., T, C) or (..., T, C, h, w).

    Returns:
        (..., T, C)
    """
    if feats.dim() >= 5:
        feats = feats.mean(dim=(-2, -1))
    return feats


def pool_clip_features(feats: torch.Tensor) -> torch.Tensor:
    """Average a clip's features over time and space.

    Args:
        feats: (..., T, C) or (..., T, C, h, w).

    Returns:
        (..., C)
    """
    return pool_frame_features(feats).mean(dim=-2)

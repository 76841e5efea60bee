"""TRX: cross-transformer over ordered tuples of frames."""
import math
from itertools import combinations
from typing import Optional, Sequence

import torch
from mmaction.registry import MODELS
from torch import nn

from ..utils import sinusoidal_encoding
from .base_few_shot_head import BaseFewShotHead, pool_frame_features


def frame_tuples(frames: torch.Tensor, cardinality: int) -> torch.Tensor:
    """Every time-ordered tuple of ``cardinality`` frames, concatenated.

    Args:
        frames: (..., T, C).
        cardinality (int): Frames per tuple.

    Returns:
        (..., number of tuples, cardinality * C), tuples in lexicographic
        order of their frame indices.
    """
    index = torch.tensor(
        list(combinations(range(frames.shape[-2]), cardinality)),
        device=frames.device)  # (tuples, cardinality)
    return frames[..., index, :].flatten(-2)


class TupleCrossTransformer(nn.Module):
    """TRX's cross-transformer for one tuple cardinality.

    Keys ``LayerNorm(K(x))`` and values ``V(x)`` of every tuple; each query
    tuple attends over all tuples of all shots of a class, which gives a
    query-specific class prototype per tuple; the distance is the squared
    difference between the query's values and the prototype, summed and
    divided by the number of tuples.

    Args:
        in_channels (int): Channels of a tuple (cardinality * C).
        embed_channels (int): Width of keys and values.

    Shapes:
        support: (ways, shots, tuples, D); query: (queries, tuples, D)
        -> (queries, ways) distances.
    """

    def __init__(self, in_channels: int, embed_channels: int) -> None:
        super().__init__()
        self.key = nn.Linear(in_channels, embed_channels)
        self.value = nn.Linear(in_channels, embed_channels)
        self.key_norm = nn.LayerNorm(embed_channels)

    def forward(self, support: torch.Tensor,
                query: torch.Tensor) -> torch.Tensor:
        num_tuples = query.shape[-2]
        support_keys = self.key_norm(self.key(support)).flatten(1, 2)
        support_values = self.value(support).flatten(1, 2)  # (ways, K*P, E)
        query_keys = self.key_norm(self.key(query))  # (queries, P, E)
        scores = torch.einsum('qpe,wse->qwps', query_keys, support_keys)
        attention = (scores / math.sqrt(query_keys.shape[-1])).softmax(-1)
        prototypes = torch.einsum('qwps,wse->qwpe', attention, support_values)
        difference = self.value(query)[:, None] - prototypes
        return difference.pow(2).sum(dim=(-2, -1)) / num_tuples


@MODELS.register_module()
class TRXHead(BaseFewShotHead):
    """Temporal-Relational CrossTransformer (Perrett et al., CVPR 2021).

    Frames are pooled over space and get a sinusoidal positional encoding
    (scaled by ``pe_scale``, then dropout); for each cardinality a
    :class:`TupleCrossTransformer` compares the time-ordered frame tuples
    of each query with those of each class; ``logits = -distance /
    temperature``, the distance averaged over the cardinalities (as TRX's
    released code averages its per-cardinality logits).

    Args:
        in_channels (int): Channels C of the frame features (even, for the
            positional encoding).
        cardinalities (Sequence[int]): Tuple sizes. Defaults to (2, 3).
        embed_channels (int): Width of keys and values. Defaults to 1152.
        pe_scale (float): Scale of the positional encoding. Defaults to 0.1.
        dropout (float): Dropout after the positional encoding.
            Defaults to 0.1.
        temperature (float): Divides the distances. TRX has none (1.0, the
            default); its squared distances over ``embed_channels`` values
            can start hundreds apart, which on some backbones drives
            training to the degenerate point where all values are equal
            (loss ln(ways)). ``embed_channels`` makes the distance a mean
            over channels; ``1 / len(cardinalities)`` turns the mean over
            the cardinalities into a sum.
        loss_weight (float): Weight of the query cross-entropy.
            Defaults to 1.0.
        init_cfg (dict, optional): mmengine initialisation config.

    Inputs:
        support: (ways, shots, T, C[, h, w]); query: (queries, T, C[, h, w]),
        with T at least the largest cardinality.
    """

    def __init__(self,
                 in_channels: int,
                 cardinalities: Sequence[int] = (2, 3),
                 embed_channels: int = 1152,
                 pe_scale: float = 0.1,
                 dropout: float = 0.1,
                 temperature: float = 1.0,
                 loss_weight: float = 1.0,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(
            in_channels=in_channels, loss_weight=loss_weight,
            init_cfg=init_cfg)
        if not cardinalities or min(cardinalities) < 1:
            raise ValueError('cardinalities must be positive tuple sizes, '
                             f'got {cardinalities}')
        if temperature <= 0:
            raise ValueError(
                f'temperature must be positive, got {temperature}')
        self.temperature = temperature
        self.cardinalities = tuple(cardinalities)
        self.pe_scale = pe_scale
        self.dropout = nn.Dropout(dropout)
        self.transformers = nn.ModuleList(
            TupleCrossTransformer(cardinality * in_channels, embed_channels)
            for cardinality in self.cardinalities)

    def forward_episode(self, support: torch.Tensor,
                        query: torch.Tensor) -> torch.Tensor:
        support = pool_frame_features(support)  # (ways, shots, T, C)
        query = pool_frame_features(query)  # (queries, T, C)
        num_frames, channels = query.shape[-2:]
        largest = max(self.cardinalities)
        if num_frames < largest:
            raise ValueError(f'TRXHead needs at least {largest} frames per '
                             f'clip, got {num_frames}')
        encoding = self.pe_scale * sinusoidal_encoding(
            num_frames, channels, like=query)
        support = self.dropout(support + encoding)
        query = self.dropout(query + encoding)
        distances = [
            transformer(frame_tuples(support, cardinality),
                        frame_tuples(query, cardinality))
            for cardinality, transformer in zip(self.cardinalities,
                                                self.transformers)
        ]
        return -torch.stack(distances).mean(dim=0) / self.temperature

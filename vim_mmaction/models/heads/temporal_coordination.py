"""Temporal coordination: query frames re-ordered by attention to a support."""
import math
from typing import Tuple

import torch
from torch import nn


def frame_attention(anchors: torch.Tensor,
                    candidates: torch.Tensor) -> torch.Tensor:
    """Scaled dot-product attention of each anchor frame over candidate frames.

    Args:
        anchors: (..., T, C) projected frames that receive a mix.
        candidates: (..., T', C) projected frames that are mixed; leading
            dimensions broadcast with ``anchors``'.

    Returns:
        (..., T, T') weights, each row a softmax over the T' candidates.
    """
    scores = anchors @ candidates.transpose(-1, -2)
    return (scores / math.sqrt(anchors.shape[-1])).softmax(dim=-1)


class TemporalCoordination(nn.Module):
    """Re-times each query onto each support by attention over time (TA2N).

    With key, query and value projections K, Q, V (1 x 1 over channels, no
    bias) of the spatially pooled frames, the attention of support frame t
    over query frames is ``A = softmax(K(s) Q(q)^T / sqrt(C))`` and

    - aligned query frame t = q_t + sum_t' A[t, t'] V(q)_t'
      (one per support-query pair),
    - support frame t = s_t + V(s)_t (the support gets the same projection).

    Both added terms are constant over space, so the module returns them and
    the caller adds them to feature maps or pooled features alike.

    Args:
        in_channels (int): Channels C of the frame features.

    Shapes:
        support: (ways, T, C), query: (queries, T, C) pooled frames ->
        support_shift (ways, T, C), query_shift (ways, queries, T, C).
    """

    def __init__(self, in_channels: int) -> None:
        super().__init__()
        self.support_proj = nn.Linear(in_channels, in_channels, bias=False)
        self.query_proj = nn.Linear(in_channels, in_channels, bias=False)
        self.value_proj = nn.Linear(in_channels, in_channels, bias=False)

    def forward(self, support: torch.Tensor,
                query: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        attention = frame_attention(
            self.support_proj(support)[:, None],
            self.query_proj(query)[None])  # (ways, queries, T, T)
        query_shift = attention @ self.value_proj(query)[None]
        return self.value_proj(support), query_shift

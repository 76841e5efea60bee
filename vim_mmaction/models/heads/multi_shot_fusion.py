"""Multi-shot fusion: the shots of a class re-timed onto one, then averaged."""
from typing import Tuple

import torch
from torch import nn

from .temporal_coordination import frame_attention


def project_channels(projection: nn.Linear,
                     maps: torch.Tensor) -> torch.Tensor:
    """A 1 x 1 projection over the channels of every position of the maps.

    Args:
        projection (nn.Linear): C -> C' map.
        maps: (..., C, h, w).

    Returns:
        (..., C', h, w)
    """
    return projection(maps.movedim(-3, -1)).movedim(-1, -3)


class MultiShotFusion(nn.Module):
    """Fuses the K shots of each class into one prototype clip (TA2N).

    Every shot is re-timed onto the class's first shot (the reference):
    frame t of the re-timed shot is the attention-weighted mix of the
    shot's frames, with weights ``softmax(R(ref_t) S(shot)^T / sqrt(C))``
    from projections R and S (1 x 1 over channels, no bias) of the
    spatially pooled frames, and the mixed frames are the shot's value
    maps V(shot) (V: C x C over channels at every position, no bias). The
    re-timed shots are then averaged frame by frame. The queries are
    mapped by the same V, so that they and the prototypes share one
    feature space, as in TA2N's code.

    With ``value_proj=False`` the mix takes the shots' own maps: the
    prototype is a convex mix of real frames, already in the queries'
    feature space, and the queries pass unchanged.

    Args:
        in_channels (int): Channels C of the frame features.
        value_proj (bool): Project the mixed maps and the queries with V.
            Defaults to True.

    Shapes:
        shots: (ways, K, T, C, h, w), query: (queries, T, C, h, w) ->
        prototypes (ways, T, C, h, w), query (queries, T, C, h, w).
    """

    def __init__(self, in_channels: int, value_proj: bool = True) -> None:
        super().__init__()
        self.reference_proj = nn.Linear(in_channels, in_channels, bias=False)
        self.shot_proj = nn.Linear(in_channels, in_channels, bias=False)
        self.value_proj = (
            nn.Linear(in_channels, in_channels, bias=False)
            if value_proj else None)

    def forward(self, shots: torch.Tensor,
                query: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        pooled = shots.mean(dim=(-2, -1))  # (ways, K, T, C)
        attention = frame_attention(
            self.reference_proj(pooled[:, :1]),
            self.shot_proj(pooled))  # (ways, K, T_ref, T_shot)
        retimed = torch.einsum('wkrs,wks...->wkr...', attention, shots)
        prototypes = retimed.mean(dim=1)
        if self.value_proj is None:
            return prototypes, query
        # V is linear and has no bias: projecting the mean of the mixes
        # equals mixing and averaging the projected shots, K times cheaper.
        return (project_channels(self.value_proj, prototypes),
                project_channels(self.value_proj, query))

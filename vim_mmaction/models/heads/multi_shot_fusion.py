"""Multi-shot fusion: the shots of a class re-timed onto one, then averaged."""
import torch
from torch import nn

from .temporal_coordination import frame_attention


class MultiShotFusion(nn.Module):
    """Fuses the K shots of each class into one prototype clip.

    Every shot is re-timed onto the class's first shot (the reference):
    frame t of the re-timed shot is the attention-weighted mix of the shot's
    frames, with weights ``softmax(R(ref_t) S(shot)^T / sqrt(C))`` from
    projections R and S (1 x 1 over channels, no bias) of the spatially
    pooled frames. The re-timed shots are then averaged frame by frame.

    Unlike TA2N's released code the mix has no value projection: the
    prototype stays a convex mix of real frames, in the queries' feature
    space, so the queries need no projection of their own (TA2N projects
    them with the same value layer, a C x C map over every query's maps).

    Args:
        in_channels (int): Channels C of the frame features.

    Shapes:
        shots: (ways, K, T, C, h, w) -> (ways, T, C, h, w)
    """

    def __init__(self, in_channels: int) -> None:
        super().__init__()
        self.reference_proj = nn.Linear(in_channels, in_channels, bias=False)
        self.shot_proj = nn.Linear(in_channels, in_channels, bias=False)

    def forward(self, shots: torch.Tensor) -> torch.Tensor:
        pooled = shots.mean(dim=(-2, -1))  # (ways, K, T, C)
        attention = frame_attention(
            self.reference_proj(pooled[:, :1]),
            self.shot_proj(pooled))  # (ways, K, T_ref, T_shot)
        retimed = torch.einsum('wkrs,wks...->wkr...', attention, shots)
        return retimed.mean(dim=1)

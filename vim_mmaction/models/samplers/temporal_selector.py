"""Frame scores of the task-adaptive sampler's temporal selector."""
from typing import Optional

import torch
from torch import nn

from ..utils import sinusoidal_encoding


def min_max_normalise(x: torch.Tensor, eps: float = 1e-4) -> torch.Tensor:
    """Scale the last dim of ``x`` to [0, 1] (``eps`` keeps flat rows 0)."""
    low = x.min(dim=-1, keepdim=True).values
    high = x.max(dim=-1, keepdim=True).values
    return (x - low) / (high - low + eps)


class TemporalSelector(nn.Module):
    """Scores the M dense frames of each video for the temporal top-k.

    Each frame feature is concatenated with its video's guidance feature, a
    sinusoidal encoding of the frame position is added, and an MLP
    ``Linear(2d -> hidden), ReLU, hidden -> 1`` gives the score; scores are
    min-max normalised per video. The last layer is either this module's
    own (``adaptive=False``) or a weight vector per video passed in by the
    task-adaptive learner.

    Args:
        in_channels (int): Channels d of the per-frame scan features.
        hidden_channels (int): Width of the hidden layer. Defaults to 512.
        adaptive (bool): The last layer's weight comes from the caller.
            Defaults to True.
        positional_encoding (bool): Add the sinusoidal position encoding
            (the authors' selector). Without it the score of a frame
            depends on its content and its video's guidance only, so the
            selector cannot learn a fixed position prior. Defaults to True.

    Shapes:
        feats: (B, M, d); guidance: (B, d); weight: (B, hidden) ->
        scores: (B, M) in [0, 1].
    """

    def __init__(self,
                 in_channels: int,
                 hidden_channels: int = 512,
                 adaptive: bool = True,
                 positional_encoding: bool = True) -> None:
        super().__init__()
        self.hidden_channels = hidden_channels
        self.adaptive = adaptive
        self.positional_encoding = positional_encoding
        self.hidden = nn.Linear(2 * in_channels, hidden_channels)
        self.last = None if adaptive else nn.Linear(
            hidden_channels, 1, bias=False)

    def forward(self,
                feats: torch.Tensor,
                guidance: torch.Tensor,
                weight: Optional[torch.Tensor] = None) -> torch.Tensor:
        """Normalised frame scores; ``weight`` is required iff adaptive."""
        if self.adaptive != (weight is not None):
            raise ValueError(
                f'TemporalSelector(adaptive={self.adaptive}) was called '
                f'{"without" if weight is None else "with"} a last-layer '
                'weight')
        num_frames = feats.shape[1]
        x = torch.cat((feats, guidance.unsqueeze(1).expand_as(feats)), -1)
        if self.positional_encoding:
            x = x + sinusoidal_encoding(num_frames, x.shape[-1], x)
        hidden = self.hidden(x).relu()  # (B, M, hidden)
        if self.adaptive:
            scores = torch.einsum('bmh,bh->bm', hidden, weight)
        else:
            scores = self.last(hidden).squeeze(-1)
        return min_max_normalise(scores)

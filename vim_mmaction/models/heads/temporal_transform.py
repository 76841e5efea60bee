"""Temporal transformation: a learned affine warp of each clip's timeline."""
from typing import Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn


def warp_timeline(frames: torch.Tensor, scale: torch.Tensor,
                  shift: torch.Tensor) -> torch.Tensor:
    """Resample every clip at the times ``scale * t + shift`` of its timeline.

    The timeline ``t`` runs over [-1, 1] from the first to the last of the T
    frames. Between frames the features are interpolated linearly; a time
    outside [-1, 1] takes the first or last frame (zeros would make the
    cosine metric undefined).

    Args:
        frames: (N, T, ...) per-frame features of N clips.
        scale: (N,) slope ``a`` of the warp; 1 keeps the timeline.
        shift: (N,) offset ``b`` of the warp; 0 keeps the timeline.

    Returns:
        (N, T, ...) warped features; (a, b) = (1, 0) returns ``frames``
        exactly.
    """
    num_frames = frames.shape[1]
    centre = (num_frames - 1) / 2
    index = torch.arange(num_frames, device=frames.device, dtype=scale.dtype)
    # a * t + b in frame units; integers stay exact for the identity.
    scale, shift = scale[:, None], shift[:, None]
    position = scale * (index - centre) + centre * (1 + shift)
    position = position.clamp(0, num_frames - 1)  # (N, T)
    lower = position.detach().floor().long()
    upper = (lower + 1).clamp(max=num_frames - 1)
    weight = (position - lower)[..., None]
    # (N, T, T): row t mixes the two frames around its sample position.
    interpolation = ((1 - weight) * F.one_hot(lower, num_frames) +
                     weight * F.one_hot(upper, num_frames)).to(frames.dtype)
    return (interpolation @ frames.flatten(2)).view_as(frames)


def bn_pool_relu(channels: int,
                 pool_size: Union[int, Tuple[int, int, int]]) -> nn.Sequential:
    """BatchNorm3d, max-pool and ReLU after a Conv3d (which needs no bias:
    the normalisation removes it).

    The pooling rounds up (``ceil_mode``) so that clips of few frames and
    small maps keep at least one position: with T = 4 and 3 x 3 maps two
    plain MaxPool3d(2) would leave nothing.
    """
    return nn.Sequential(
        nn.BatchNorm3d(channels), nn.MaxPool3d(pool_size, ceil_mode=True),
        nn.ReLU(inplace=True))


class TemporalTransform(nn.Module):
    """Warps each clip's timeline by an affine map predicted from the clip.

    A localisation network (as in TA2N) reads the clip's feature maps:
    Conv3d(C->64, 3) + BN + MaxPool(2) + ReLU, Conv3d(64->128, 3) + BN +
    MaxPool(2) + ReLU, global max-pool, Linear(128->32), ReLU,
    Linear(32->2). Its two outputs (u, v) give ``a = 1 + tanh(u)`` and
    ``b = tanh(v)``, so a in (0, 2) and b in (-1, 1); the last layer starts
    at zero, which is exactly the identity warp (a, b) = (1, 0) (a plain
    ``tanh`` on a could only approach 1).

    Args:
        in_channels (int): Channels C of the frame feature maps.
        channels (Sequence[int]): Output channels of the two Conv3d layers.
            Defaults to (64, 128).
        hidden_channels (int): Width of the hidden linear layer.
            Defaults to 32.

    Shapes:
        maps: (N, T, C, h, w) -> (N, T, C, h, w)
    """

    def __init__(self,
                 in_channels: int,
                 channels: Sequence[int] = (64, 128),
                 hidden_channels: int = 32) -> None:
        super().__init__()
        first, second = channels
        self.localisation = nn.Sequential(
            nn.Conv3d(in_channels, first, 3, padding=1, bias=False),
            bn_pool_relu(first, 2),
            nn.Conv3d(first, second, 3, padding=1, bias=False),
            bn_pool_relu(second, 2),
            nn.AdaptiveMaxPool3d(1),
            nn.Flatten(),
            nn.Linear(second, hidden_channels),
            nn.ReLU(inplace=True),
            nn.Linear(hidden_channels, 2),
        )
        nn.init.zeros_(self.localisation[-1].weight)
        nn.init.zeros_(self.localisation[-1].bias)

    def warp_parameters(self, maps: torch.Tensor) -> torch.Tensor:
        """(N, T, C, h, w) maps -> (N, 2) warp parameters (a, b)."""
        raw = self.localisation(maps.transpose(1, 2))  # (N, 2)
        return torch.stack([1 + raw[:, 0].tanh(), raw[:, 1].tanh()], dim=1)

    def forward(self, maps: torch.Tensor) -> torch.Tensor:
        scale, shift = self.warp_parameters(maps).unbind(dim=1)
        return warp_timeline(maps, scale, shift)

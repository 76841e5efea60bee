"""Spatial coordination: per-pair shifted pooling windows (TA2N)."""
from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from .temporal_transform import bn_pool_relu

PAIRWISE_IMPLS = ('factorised', 'naive')


def window_profile(offsets: torch.Tensor, length: int,
                   jitter: torch.Tensor) -> torch.Tensor:
    """1-D pooling weights of a whole-axis box window moved by ``offsets``.

    Pixel centres sit at u in [-1, 1]. A window moved by d covers
    [d - 1, d + 1], with edges that fall linearly to zero over one pixel,
    and is normalised to sum 1. The profile is the average of the windows
    moved by ``offsets - jitter``, ``offsets`` and ``offsets + jitter``.

    Args:
        offsets: (...) shifts in units of the half-axis.
        length (int): Number of pixels along the axis.
        jitter: () scalar tensor, the jitter step.

    Returns:
        (..., length) weights.
    """
    centres = torch.linspace(-1, 1, length, device=offsets.device,
                             dtype=offsets.dtype)
    steps = torch.stack([-jitter, torch.zeros_like(jitter), jitter])
    # Pixel centres relative to each moved window: (..., 3, L)
    relative = centres - steps[:, None] - offsets[..., None, None]
    profiles = ((1 - relative.abs()) * (length - 1) / 2 + 1).clamp(0, 1)
    profiles = profiles / profiles.sum(dim=-1, keepdim=True).clamp_min(1e-6)
    return profiles.mean(dim=-2)


def shifted_window_weights(offsets: torch.Tensor, size: Tuple[int, int],
                           jitter: torch.Tensor) -> torch.Tensor:
    """Soft pooling windows moved by (dx, dy), averaged over 9 jitters.

    The nine jittered windows are ``offsets + jitter * (i, j)`` for i, j in
    {-1, 0, 1}. Each window is separable, so their average is the outer
    product of the jitter-averaged 1-D profiles (exactly).

    Args:
        offsets: (..., 2) shifts (dx, dy) in units of the half-width and
            half-height.
        size (tuple[int, int]): Map size (h, w).
        jitter: () scalar tensor, the jitter step.

    Returns:
        (..., h, w) weights summing to 1 over each map.
    """
    height, width = size
    across = window_profile(offsets[..., 0], width, jitter)
    down = window_profile(offsets[..., 1], height, jitter)
    return down[..., :, None] * across[..., None, :]


def _tap_validity(length: int, kernel_size: int,
                  device: torch.device) -> torch.Tensor:
    """(length, kernel_size) 1 where tap k of a 'same'-padded kernel centred
    on position i reads inside the axis, 0 where it reads the zero padding."""
    read = (torch.arange(length, device=device)[:, None] +
            torch.arange(kernel_size, device=device) - kernel_size // 2)
    return ((read >= 0) & (read < length)).float()


def conv3d_of_spatially_constant(frames: torch.Tensor, weight: torch.Tensor,
                                 size: Tuple[int, int]) -> torch.Tensor:
    """``F.conv3d`` (zero 'same' padding, no bias) of maps constant in space.

    The input map of clip n at frame t is ``frames[n, t]`` at every one of
    the h x w positions, so each output is a sum of per-tap responses
    ``W[:, :, kt, ky, kx] @ frames[n, t']`` over the taps that read inside
    the map: one matrix product over channels, then cheap sums over taps
    (oneDNN's Conv3d is slow on such tiny maps, and would do the channel
    product once per position).

    Args:
        frames: (N, T, C) the per-frame constant values.
        weight: (O, C, kt, kh, kw) an odd-sized Conv3d kernel.
        size (tuple[int, int]): Map size (h, w).

    Returns:
        (N, O, T, h, w), equal to ``F.conv3d`` of the full constant maps.
    """
    out_channels, in_channels, *kernel = weight.shape
    num_frames = frames.shape[1]
    taps = frames @ weight.transpose(0, 1).reshape(in_channels, -1)
    taps = taps.unflatten(-1, (out_channels, *kernel))  # (N, T, O, kt, kh, kw)
    pad = kernel[0] // 2
    taps = F.pad(taps, (0, 0) * 4 + (pad, pad))  # zero frames around T
    per_frame = sum(taps[:, k:k + num_frames, :, k] for k in range(kernel[0]))
    rows, cols = (_tap_validity(length, k, frames.device).to(frames.dtype)
                  for length, k in zip(size, kernel[1:]))
    return torch.einsum('ntoij,yi,xj->notyx', per_frame, rows, cols)


class SpatialCoordination(nn.Module):
    """Pools every support-query pair with windows moved towards each other.

    From each (support, query) pair a small network (TA2N's) predicts a
    per-frame offset (dx, dy) in [-max_offset, max_offset]:
    Conv3d(2C->P, 3) + BN + MaxPool(1,2,2) + ReLU, Conv3d(P->P, 3) + BN +
    MaxPool(1,2,2) + ReLU, max over space, Conv1d(P->64, 1), ReLU,
    Conv1d(64->2, 1) (zero-initialised), tanh. The support frame is then
    pooled with the window moved by +offset and the query frame with the
    window moved by -offset (:func:`shifted_window_weights`, jitter
    averaged). At the start offsets are zero: nearly plain average pooling.

    The first Conv3d acts on concat(support, query), so it is the sum of a
    support part and a query part (it has no bias: BatchNorm follows).
    ``pairwise_impl='factorised'`` runs each part once per clip and adds
    them per pair; ``'naive'`` runs the Conv3d on every concatenated pair.
    Both give the same result; the naive form is the reference for tests
    and benchmarks.

    Args:
        in_channels (int): Channels C of the frame feature maps.
        channels (int): Width P of the pair network. Defaults to 128.
        hidden_channels (int): Width of its per-frame hidden layer.
            Defaults to 64.
        max_offset (float): Largest |dx|, |dy| in units of the half-map.
            Defaults to 0.75.
        jitter (float): Initial jitter step of the 9 pooling windows; kept
            in the ``jitter`` buffer (saved in checkpoints), changed with
            :meth:`set_jitter` or by ``SpatialJitterDecayHook`` during
            training. Defaults to 0.2.
        pairwise_impl (str): ``'factorised'`` or ``'naive'``.
            Defaults to ``'factorised'``.

    Shapes:
        support: (ways, T, C, h, w) maps; query: (queries, T, C, h, w) maps;
        query_shift: (ways, queries, T, C) per-pair terms constant over
        space, added to the query maps (from temporal coordination), or
        None -> support, query frames (ways, queries, T, C) each.
    """

    def __init__(self,
                 in_channels: int,
                 channels: int = 128,
                 hidden_channels: int = 64,
                 max_offset: float = 0.75,
                 jitter: float = 0.2,
                 pairwise_impl: str = 'factorised') -> None:
        super().__init__()
        if pairwise_impl not in PAIRWISE_IMPLS:
            raise ValueError(f'pairwise_impl must be one of {PAIRWISE_IMPLS}'
                             f', got {pairwise_impl!r}')
        self.in_channels = in_channels
        self.max_offset = max_offset
        self.pairwise_impl = pairwise_impl
        self.register_buffer('jitter', torch.tensor(float(jitter)))
        self.pair_conv = nn.Conv3d(
            2 * in_channels, channels, 3, padding=1, bias=False)
        self.pair_maps = nn.Sequential(
            bn_pool_relu(channels, (1, 2, 2)),
            nn.Conv3d(channels, channels, 3, padding=1, bias=False),
            bn_pool_relu(channels, (1, 2, 2)))
        self.pair_offsets = nn.Sequential(
            nn.Conv1d(channels, hidden_channels, 1), nn.ReLU(inplace=True),
            nn.Conv1d(hidden_channels, 2, 1), nn.Tanh())
        nn.init.zeros_(self.pair_offsets[-2].weight)
        nn.init.zeros_(self.pair_offsets[-2].bias)

    def set_jitter(self, jitter: float) -> None:
        """Set the jitter step of the pooling windows."""
        self.jitter.fill_(jitter)

    def pair_conv_outputs(
            self, support: torch.Tensor, query: torch.Tensor,
            query_shift: Optional[torch.Tensor]) -> torch.Tensor:
        """The first Conv3d on every concat(support, query + shift) pair.

        Args:
            support: (ways, C, T, h, w); query: (queries, C, T, h, w);
            query_shift: (ways, queries, T, C) or None.

        Returns:
            (ways * queries, P, T, h, w), pair (i, j) at ``i * queries + j``.
        """
        ways, queries = support.shape[0], query.shape[0]
        if self.pairwise_impl == 'naive':
            if query_shift is not None:
                query = query + query_shift.transpose(-1, -2)[..., None, None]
            else:
                query = query.expand(ways, *query.shape)
            pairs = torch.cat(
                [support[:, None].expand(-1, queries, -1, -1, -1, -1), query],
                dim=2)  # (ways, queries, 2C, T, h, w)
            return self.pair_conv(pairs.flatten(0, 1))
        support_weight, query_weight = self.pair_conv.weight.split(
            self.in_channels, dim=1)
        out = (F.conv3d(support, support_weight, padding=1)[:, None] +
               F.conv3d(query, query_weight, padding=1)[None])
        if query_shift is not None:
            out = out + conv3d_of_spatially_constant(
                query_shift.flatten(0, 1), query_weight,
                support.shape[-2:]).unflatten(0, (ways, queries))
        return out.flatten(0, 1)

    def offsets(self, support: torch.Tensor, query: torch.Tensor,
                query_shift: Optional[torch.Tensor]) -> torch.Tensor:
        """(ways, queries, T, 2) offsets (dx, dy) of every pair's frames;
        arguments as in :meth:`forward`."""
        ways, queries = support.shape[0], query.shape[0]
        maps = self.pair_maps(
            self.pair_conv_outputs(
                support.transpose(1, 2), query.transpose(1, 2), query_shift))
        per_frame = maps.amax(dim=(-2, -1))  # (pairs, P, T)
        offsets = self.max_offset * self.pair_offsets(per_frame)
        return offsets.transpose(1, 2).unflatten(0, (ways, queries))

    def forward(
        self,
        support: torch.Tensor,
        query: torch.Tensor,
        query_shift: Optional[torch.Tensor] = None
    ) -> Tuple[torch.Tensor, torch.Tensor]:
        offsets = self.offsets(support, query, query_shift)
        size = support.shape[-2:]
        support_window = shifted_window_weights(offsets, size, self.jitter)
        query_window = shifted_window_weights(-offsets, size, self.jitter)
        support_frames = torch.einsum('wqtx,wtcx->wqtc',
                                      support_window.flatten(-2),
                                      support.flatten(-2))
        query_frames = torch.einsum('wqtx,qtcx->wqtc',
                                    query_window.flatten(-2),
                                    query.flatten(-2))
        if query_shift is not None:  # windows sum to 1: pool(q+c) = pool(q)+c
            query_frames = query_frames + query_shift
        return support_frames, query_frames

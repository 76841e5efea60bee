"""Saliency-guided zoom of the selected frames (the sampler's amplifier)."""
import math
from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

from .temporal_selector import min_max_normalise


def channel_attention_saliency(feats: torch.Tensor,
                               channel_weights: torch.Tensor) -> torch.Tensor:
    """Saliency of a feature map by channel self-attention.

    ``alpha = softmax(f f^T / sqrt(hw))`` over channels, ``f' = alpha f``,
    then the channels of ``f'`` are summed with ``channel_weights``.

    Args:
        feats: (N, c, h, w) feature maps.
        channel_weights: (N, c) or (c, ) weights of the channel sum.

    Returns:
        (N, h, w) saliency.
    """
    flat = feats.flatten(2)  # (N, c, hw)
    attention = torch.softmax(
        flat @ flat.transpose(1, 2) / math.sqrt(flat.shape[-1]), dim=-1)
    attended = attention @ flat  # (N, c, hw)
    weights = channel_weights.expand(feats.shape[0], -1)
    return torch.einsum('nc,nci->ni', weights, attended).view(
        feats.shape[0], *feats.shape[2:])


def clamp_density(density: torch.Tensor,
                  max_zoom: Union[float, torch.Tensor],
                  iterations: int) -> torch.Tensor:
    """Normalise a 1D density and bound its ratio to the uniform one.

    Each iteration clips the density at ``max_zoom`` times the uniform
    density and spreads the missing mass evenly over all cells. An all-zero
    row becomes uniform.

    Args:
        density: (N, L) non-negative cell weights.
        max_zoom (float or 0-d tensor): Largest local magnification.
        iterations (int): Clip-and-spread rounds.

    Returns:
        (N, L) density summing to 1 per row.
    """
    cells = density.shape[-1]
    density = density / density.sum(-1, keepdim=True).clamp_min(1e-12)
    for _ in range(iterations):
        density = density.clamp(max=max_zoom / cells)
        density = density + (1 - density.sum(-1, keepdim=True)) / cells
    return density


def inverse_cdf_coordinates(density: torch.Tensor,
                            size: int,
                            eps: float = 1e-6) -> torch.Tensor:
    """Sampling coordinates that give each source cell its share of output.

    Cell ``j`` of the density covers source interval ``[j, j + 1) / L``;
    output pixel centres ``u = (i + 0.5) / size`` are mapped through the
    inverse of the piecewise-linear CDF (``searchsorted`` plus linear
    interpolation inside the cell), so a cell with density ``p`` receives
    ``p * size`` output pixels. A uniform density gives the identity.

    Args:
        density: (N, L) density summing to 1 per row.
        size (int): Output pixels along the axis.
        eps (float): Floor of the density in the interpolation.

    Returns:
        (N, size) coordinates in [-1, 1] (``grid_sample`` with
        ``align_corners=False``).
    """
    cells = density.shape[-1]
    cdf = F.pad(density.cumsum(-1), (1, 0))  # (N, L + 1), cdf[:, 0] = 0
    cdf = cdf / cdf[:, -1:]
    targets = (torch.arange(size, dtype=density.dtype, device=density.device)
               + 0.5) / size
    targets = targets.expand(density.shape[0], -1).contiguous()
    cell = torch.searchsorted(cdf.contiguous(), targets, right=True) - 1
    cell = cell.clamp(0, cells - 1)  # (N, size)
    start = cdf.gather(1, cell)
    width = density.gather(1, cell).clamp_min(eps)
    source = (cell + ((targets - start) / width).clamp(0, 1)) / cells
    return 2 * source - 1


def saliency_grid(saliency: torch.Tensor, out_size: Tuple[int, int],
                  max_zoom: Union[float, torch.Tensor],
                  iterations: int) -> torch.Tensor:
    """Separable sampling grid that magnifies the salient rows and columns.

    Args:
        saliency: (N, h, w) non-negative saliency.
        out_size (tuple): (H, W) of the output.
        max_zoom (float or 0-d tensor): Largest local magnification along
            each axis.
        iterations (int): Rounds of :func:`clamp_density`.

    Returns:
        (N, H, W, 2) grid for ``F.grid_sample(..., align_corners=False)``.
    """
    height, width = out_size
    density_x = clamp_density(saliency.amax(dim=1), max_zoom, iterations)
    density_y = clamp_density(saliency.amax(dim=2), max_zoom, iterations)
    x = inverse_cdf_coordinates(density_x, width)  # (N, W)
    y = inverse_cdf_coordinates(density_y, height)  # (N, H)
    return torch.stack(
        (x.unsqueeze(1).expand(-1, height, -1),
         y.unsqueeze(2).expand(-1, -1, width)),
        dim=-1)


def identity_grid(grid: torch.Tensor) -> torch.Tensor:
    """The grid that leaves frames unchanged, shaped like ``grid``
    (N, H, W, 2), for ``align_corners=False``."""
    num, height, width, _ = grid.shape
    theta = torch.eye(2, 3, dtype=grid.dtype, device=grid.device)
    return F.affine_grid(
        theta.expand(num, -1, -1), [num, 1, height, width],
        align_corners=False)


class SpatialAmplifier(nn.Module):
    """Zooms each selected frame into its salient region.

    The saliency of a frame comes from multi-scale scan feature maps: with
    ``saliency='attention'`` each scale goes through channel self-attention
    (:func:`channel_attention_saliency`) and a weighted channel sum (signed
    weights that start as the channel mean, 1/c each: learned here, or
    generated per task by the task-adaptive learner as offsets from 1/c);
    with ``saliency='mean'`` each scale is the plain channel mean (the
    released code's parameter-free variant). Signed weights can contrast
    channels (an object's colour against the clutter's texture), which a
    convex (softmax) mix cannot. Scales are
    upsampled to the largest one, averaged and min-max normalised. The frame
    is then resampled by inverse transform sampling (TASN, Zheng et al.
    2019) with the local magnification bounded by ``max_zoom``.

    Args:
        in_channels (Sequence[int]): Channels of the saliency scales.
        saliency (str): ``'attention'`` or ``'mean'``. Defaults to
            ``'attention'``.
        adaptive (bool): Channel weight offsets are passed in per frame
            instead of learned here (``'attention'`` only). Defaults to
            False.
        max_zoom (float): Largest magnification along each axis. Defaults
            to 4.0.
        iterations (int): Rounds of the density clamp. Defaults to 5.
        detach_grid (bool): Build the sampling grid from a detached
            saliency, as the released code does: the zoom then passes
            gradient to the frames only, not to the saliency (nor through it
            to the scan network and the frame indicator), and a learned
            saliency gets no gradient at all. Defaults to False.
        zoom (str): ``'frame'`` zooms each frame by its own saliency;
            ``'clip'`` zooms the T frames of a clip alike, by their mean
            saliency, so that frames matched against each other (by an
            alignment head) keep one geometry. Defaults to ``'frame'``.
        initial_zoom (float, optional): Start the bound of the
            magnification here (1 is no zoom at all) instead of at
            ``max_zoom``; :class:`ZoomWarmupHook` raises it to ``max_zoom``
            over training. The bound in force is the ``zoom_bound`` buffer,
            saved in checkpoints. Defaults to None (``max_zoom`` from the
            start, no buffer).
        initial_strength (float, optional): Learn how strongly to zoom: the
            sampling grid becomes ``(1 - s) * identity + s * zoom`` with
            ``s = sigmoid(zoom_strength_logit)`` a learned scalar that starts
            at this value in (0, 1), so the loss of the model behind decides
            how much of the zoom it takes (a blend of two increasing maps
            stays increasing, so the warp never folds). Defaults to None
            (the full zoom, no parameter).

    Shapes:
        maps: scales of (N, c_i, h_i, w_i) -> saliency: (N, h, w);
        frames: (N, C, H, W), saliency: (N, h, w) -> (N, C, H, W).
    """

    def __init__(self,
                 in_channels: Sequence[int],
                 saliency: str = 'attention',
                 adaptive: bool = False,
                 max_zoom: float = 4.0,
                 iterations: int = 5,
                 detach_grid: bool = False,
                 zoom: str = 'frame',
                 initial_zoom: Optional[float] = None,
                 initial_strength: Optional[float] = None) -> None:
        super().__init__()
        if saliency not in ('attention', 'mean'):
            raise ValueError(
                f"saliency must be 'attention' or 'mean', got {saliency!r}")
        if zoom not in ('frame', 'clip'):
            raise ValueError(f"zoom must be 'frame' or 'clip', got {zoom!r}")
        if adaptive and saliency == 'mean':
            raise ValueError("saliency='mean' has no weights to adapt: use "
                             "adaptive=False or saliency='attention'")
        if max_zoom < 1:
            raise ValueError(f'max_zoom must be >= 1, got {max_zoom}')
        if initial_zoom is not None and not 1 <= initial_zoom <= max_zoom:
            raise ValueError(f'initial_zoom must be in [1, max_zoom='
                             f'{max_zoom}], got {initial_zoom}')
        if initial_strength is not None and not 0 < initial_strength < 1:
            raise ValueError('initial_strength must be in (0, 1), got '
                             f'{initial_strength}')
        self.in_channels = tuple(in_channels)
        self.saliency_mode = saliency
        self.adaptive = adaptive
        self.max_zoom = max_zoom
        self.iterations = iterations
        self.detach_grid = detach_grid
        self.zoom = zoom
        if initial_zoom is not None:
            self.register_buffer('zoom_bound',
                                 torch.tensor(float(initial_zoom)))
        self.zoom_strength_logit = None
        if initial_strength is not None:
            self.zoom_strength_logit = nn.Parameter(
                torch.logit(torch.tensor(float(initial_strength))))
        self.channel_weights = None
        if saliency == 'attention':
            # 1/c per channel of each scale: the channel mean.
            uniform = torch.cat(
                [torch.full((c, ), 1.0 / c) for c in self.in_channels])
            if adaptive:
                self.register_buffer(
                    'uniform_weights', uniform, persistent=False)
            else:
                self.channel_weights = nn.Parameter(uniform)

    @property
    def num_channel_weights(self) -> int:
        """Channel weight offsets a task-adaptive learner must generate (or
        0)."""
        return sum(self.in_channels) if self.adaptive else 0

    @property
    def strength(self) -> Optional[torch.Tensor]:
        """The learned zoom strength in (0, 1) (0-d), or None (full zoom)."""
        if self.zoom_strength_logit is None:
            return None
        return torch.sigmoid(self.zoom_strength_logit)

    def saliency(self,
                 maps: Sequence[torch.Tensor],
                 channel_offsets: Optional[torch.Tensor] = None,
                 frames_per_clip: int = 1) -> torch.Tensor:
        """Min-max normalised saliency of every frame, the one it is
        zoomed by.

        Args:
            maps: the saliency scales, (N, c_i, h_i, w_i) each.
            channel_offsets: (N, sum c_i) generated offsets of the channel
                weights from 1/c; required iff ``adaptive``.
            frames_per_clip (int): Consecutive frames that form one clip
                (T); with ``zoom='clip'`` they get their mean saliency.

        Returns:
            (N, h, w) at the largest scale, in [0, 1].
        """
        if maps[0].shape[0] % frames_per_clip:
            raise ValueError(f'{maps[0].shape[0]} frames do not form clips '
                             f'of {frames_per_clip}')
        if self.adaptive != (channel_offsets is not None):
            raise ValueError(
                f'SpatialAmplifier(adaptive={self.adaptive}) was called '
                f'{"without" if channel_offsets is None else "with"} channel '
                'weight offsets')
        if [m.shape[1] for m in maps] != list(self.in_channels):
            raise ValueError(f'expected saliency maps of {self.in_channels} '
                             f'channels, got {[m.shape[1] for m in maps]}')
        size = max((m.shape[-2:] for m in maps), key=lambda s: s[0] * s[1])
        weights = (self.channel_weights if channel_offsets is None else
                   self.uniform_weights + channel_offsets)
        scale_weights = (
            weights.split(self.in_channels, dim=-1)
            if weights is not None else [None] * len(maps))
        scales = []
        for feats, channel_weights in zip(maps, scale_weights):
            if self.saliency_mode == 'mean':
                scale = feats.mean(dim=1)
            else:
                scale = channel_attention_saliency(feats, channel_weights)
            scales.append(
                F.interpolate(
                    scale.unsqueeze(1),
                    size=tuple(size),
                    mode='bilinear',
                    align_corners=False).squeeze(1))
        saliency = torch.stack(scales).mean(0)  # (N, h, w)
        saliency = min_max_normalise(saliency.flatten(1)).view_as(saliency)
        if self.zoom == 'clip':
            saliency = saliency.unflatten(0, (-1, frames_per_clip)).mean(
                dim=1, keepdim=True).expand(-1, frames_per_clip, -1,
                                            -1).flatten(0, 1)
        return saliency

    def forward(self, frames: torch.Tensor,
                saliency: torch.Tensor) -> torch.Tensor:
        """Resample ``frames`` (N, C, H, W) by their saliency (N, h, w)."""
        if self.detach_grid:
            saliency = saliency.detach()
        # The warm-up bound stays a tensor: float() would sync the device
        # at every forward.
        bound = getattr(self, 'zoom_bound', self.max_zoom)
        grid = saliency_grid(saliency, frames.shape[-2:], bound,
                             self.iterations)
        if self.strength is not None:
            grid = torch.lerp(
                identity_grid(grid), grid, self.strength.to(grid.dtype))
        return F.grid_sample(
            frames,
            grid.to(frames.dtype),
            mode='bilinear',
            padding_mode='border',
            align_corners=False)

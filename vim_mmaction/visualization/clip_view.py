"""What one clip looked like to the model: frames, kept ones, zoom."""
from typing import List, NamedTuple, Optional

import numpy as np
import torch


class ClipView(NamedTuple):
    """One clip's pictures, ready to draw.

    Attributes:
        frames: (M, H, W, 3) the clip's input frames in [0, 1].
        kept: positions (in ``frames``) of the T frames the sampler kept, in
            order; None without a selecting sampler.
        saliency: (T, h, w) saliency of the kept frames, or None without an
            amplifier.
        sampled: (T, H, W, 3) the sampler's output frames, which the backbone
            saw (zoomed by an amplifier), or None without a sampler output.
    """

    frames: np.ndarray
    kept: Optional[List[int]]
    saliency: Optional[np.ndarray]
    sampled: Optional[np.ndarray]


def to_images(frames: torch.Tensor, preprocessor) -> np.ndarray:
    """(..., C, H, W) preprocessed frames -> (..., H, W, C) in [0, 1].

    Args:
        frames: As the data preprocessor returned them (any device).
        preprocessor: The model's ``ActionDataPreprocessor``; its ``mean``
            and ``std`` are undone (when it normalises).
    """
    frames = frames.detach().float().cpu()
    mean = getattr(preprocessor, 'mean', None)
    if mean is not None:
        shape = (-1, 1, 1)  # (C, 1, 1) broadcasts over (..., C, H, W)
        frames = (frames * preprocessor.std.cpu().view(shape) +
                  mean.cpu().view(shape))
    return frames.div(255).clamp(0, 1).movedim(-3, -1).numpy()


def clip_views(inputs: torch.Tensor, preprocessor,
               sampler_output=None) -> List[ClipView]:
    """One :class:`ClipView` per clip.

    Args:
        inputs: (clips, M, C, H, W) preprocessed frames.
        preprocessor: The model's data preprocessor (for :func:`to_images`).
        sampler_output: The ``SamplerOutput`` of a
            :class:`TaskAdaptiveSampler` on ``inputs``, or None.
    """
    frames = to_images(inputs, preprocessor)
    if sampler_output is None:
        return [ClipView(clip, None, None, None) for clip in frames]
    # The one-hot test-time indicator: (clips, M, T) -> kept positions.
    kept = sampler_output.indicator.argmax(dim=1).tolist()
    sampled = to_images(sampler_output.frames, preprocessor)
    saliency = [None] * len(frames)
    if sampler_output.saliency is not None:
        saliency = sampler_output.saliency.detach().float().cpu().numpy()
    return [
        ClipView(*parts) for parts in zip(frames, kept, saliency, sampled)
    ]

"""Uniform frame selection: the sampler-free baseline on dense inputs."""
from typing import Sequence

import torch
from mmaction.registry import MODELS
from torch import nn


def uniform_positions(num_dense: int, num_frames: int) -> torch.Tensor:
    """Centre frame of each of ``num_frames`` equal segments of ``num_dense``.

    Returns:
        (num_frames, ) ascending long positions in ``[0, num_dense)``.
    """
    if num_dense < num_frames:
        raise ValueError(f'cannot keep {num_frames} frames of clips '
                         f'with {num_dense}')
    return ((torch.arange(num_frames) + 0.5) *
            (num_dense / num_frames)).long()


@MODELS.register_module()
class UniformFrameSampler(nn.Module):
    """Keeps ``num_frames`` evenly spaced frames of each clip.

    Video samplers sit between the data preprocessor and the backbone of
    :class:`FewShotRecognizer`: they take every clip's M dense frames and
    return T frames per clip. This one is parameter-free, the baseline that
    learned samplers are compared with on the same dense input.

    Args:
        num_frames (int): Frames kept per clip (T).

    Shapes:
        inputs: (clips, M, C, H, W) -> (clips, T, C, H, W).
    """

    def __init__(self, num_frames: int) -> None:
        super().__init__()
        self.num_frames = num_frames

    def forward(self, inputs: torch.Tensor,
                data_samples: Sequence) -> torch.Tensor:
        """Select frames; ``data_samples`` are unused by this sampler."""
        positions = uniform_positions(inputs.shape[1], self.num_frames)
        return inputs[:, positions.to(inputs.device)]

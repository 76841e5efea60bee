"""Uniform frame selection: the sampler-free baseline on dense inputs."""
from typing import Sequence

import torch
from mmaction.registry import MODELS
from torch import nn


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
        num_dense = inputs.shape[1]
        if num_dense < self.num_frames:
            raise ValueError(f'cannot keep {self.num_frames} frames of clips '
                             f'with {num_dense}')
        # Centre of each of T equal segments of the M frames.
        positions = (torch.arange(self.num_frames) + 0.5) * (
            num_dense / self.num_frames)
        return inputs[:, positions.long().to(inputs.device)]

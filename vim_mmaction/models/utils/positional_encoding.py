"""Fixed positional encodings shared by heads and samplers."""
import math

import torch


def sinusoidal_encoding(length: int, dim: int,
                        like: torch.Tensor) -> torch.Tensor:
    """Transformer positional encoding (Vaswani et al. 2017).

    Args:
        length (int): Positions (M).
        dim (int): Channels; even.
        like: Tensor whose dtype and device the result takes.

    Returns:
        (length, dim): ``sin`` on even channels, ``cos`` on odd ones.
    """
    if dim % 2:
        raise ValueError(f'positional encoding needs an even dim, got {dim}')
    position = torch.arange(length, dtype=like.dtype, device=like.device)
    frequency = torch.exp(
        torch.arange(0, dim, 2, dtype=like.dtype, device=like.device) *
        (-math.log(10000.0) / dim))
    angle = position[:, None] * frequency[None]  # (length, dim / 2)
    return torch.stack((angle.sin(), angle.cos()), dim=-1).flatten(-2)

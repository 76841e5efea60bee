import math

import pytest
import torch

from vim_mmaction.models.utils import sinusoidal_encoding


def test_positional_encoding_matches_the_transformer_formula():
    encoding = sinusoidal_encoding(16, 8, torch.zeros(()))
    position, pair = 5, 2  # channels 4 (sin) and 5 (cos)
    angle = position / 10000**(2 * pair / 8)
    assert encoding[position, 4].item() == pytest.approx(math.sin(angle))
    assert encoding[position, 5].item() == pytest.approx(math.cos(angle))

import pytest
import torch

from vim_mmaction.models import UniformFrameSampler


def test_keeps_segment_centres_in_order():
    frames = torch.arange(16.).view(1, 16, 1, 1, 1).expand(2, 16, 3, 4, 4)
    kept = UniformFrameSampler(num_frames=8)(frames, data_samples=None)
    assert kept.shape == (2, 8, 3, 4, 4)
    assert kept[0, :, 0, 0, 0].tolist() == [1, 3, 5, 7, 9, 11, 13, 15]


def test_too_few_frames_is_refused():
    with pytest.raises(ValueError, match='cannot keep 8 frames of clips '
                       'with 4'):
        UniformFrameSampler(8)(torch.zeros(1, 4, 3, 2, 2), None)

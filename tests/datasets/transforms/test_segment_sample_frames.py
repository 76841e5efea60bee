import numpy as np
import pytest
from mmaction.datasets.transforms import SampleFrames

from vim_mmaction.datasets import SegmentSampleFrames


def frame_inds(transform, total_frames=40):
    return transform(dict(total_frames=total_frames,
                          start_index=0))['frame_inds']


def test_test_mode_takes_the_segment_centres_like_sample_frames():
    ours = SegmentSampleFrames(num_clips=16, test_mode=True)
    theirs = SampleFrames(clip_len=1, num_clips=16, test_mode=True)
    assert frame_inds(ours).tolist() == frame_inds(theirs).tolist()


def test_without_end_jitter_one_frame_falls_in_each_segment():
    np.random.seed(0)
    transform = SegmentSampleFrames(num_clips=16, end_jitter=0)
    bounds = np.arange(17) * 40 / 16
    for _ in range(50):
        inds = frame_inds(transform)
        assert ((inds >= np.floor(bounds[:-1])) & (inds < bounds[1:])).all()


def test_end_jitter_moves_first_and_last_frames_within_bounds():
    np.random.seed(0)
    transform = SegmentSampleFrames(num_clips=16, end_jitter=0.25)
    draws = np.stack([frame_inds(transform, 100) for _ in range(500)])
    assert (np.diff(draws, axis=1) >= 0).all()
    # The span starts in [0, 25] and ends in [75, 100].
    assert draws[:, 0].max() > 20 and draws[:, 0].max() <= 25 + 100 / 16
    assert draws[:, -1].min() < 80 and draws[:, -1].min() >= 75 - 100 / 16
    assert draws.min() >= 0 and draws.max() <= 99


def test_end_jitter_of_half_the_clip_is_refused():
    with pytest.raises(ValueError, match='got 0.5'):
        SegmentSampleFrames(end_jitter=0.5)

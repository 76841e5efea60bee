"""Dense frames for the video sampler: one per segment of a jittered span."""
import numpy as np
from mmaction.datasets.transforms import SampleFrames
from mmaction.registry import TRANSFORMS


@TRANSFORMS.register_module()
class SegmentSampleFrames(SampleFrames):
    """M single frames spread over the whole clip, one per equal segment;
    in training the span's start and end are jittered too.

    mmaction2's ``SampleFrames(clip_len=1, num_clips=M,
    keep_tail_frames=True)`` already samples segment-wise over the whole
    clip: a random frame of each of M equal segments in training, the
    segment centres in test mode. (Without ``keep_tail_frames`` training
    segments are ``n // M`` frames long and the last ``n % M`` frames are
    never drawn.) Every frame of a clip gets the same crop from mmaction2's
    crop transforms. This subclass only adds start/end jitter in training,
    as TRX-style few-shot loaders do: the segments divide a span
    ``[s, e)`` with ``s ~ U[0, j n]`` and ``e ~ U[(1 - j) n, n]``. Test mode
    is unchanged (segment centres of the whole clip). A clip of fewer than M
    frames repeats frames; :class:`ReportShortClips` logs such a video.

    Required keys: ``total_frames``, ``start_index``.
    Added keys: ``frame_inds``, ``frame_interval``, ``num_clips``,
    ``clip_len``.

    Args:
        num_clips (int): Frames per clip (M). Defaults to 16.
        end_jitter (float): Largest fraction ``j`` of the clip cut at
            either end in training, in [0, 0.5). Defaults to 0.1.
        test_mode (bool): Segment centres, no randomness. Defaults to False.
        **kwargs: Other :class:`SampleFrames` options (``out_of_bound_opt``,
            ``target_fps``).
    """

    def __init__(self,
                 num_clips: int = 16,
                 end_jitter: float = 0.1,
                 test_mode: bool = False,
                 **kwargs) -> None:
        if not 0 <= end_jitter < 0.5:
            raise ValueError(
                f'end_jitter must be in [0, 0.5), got {end_jitter}')
        super().__init__(
            clip_len=1,
            frame_interval=1,
            num_clips=num_clips,
            test_mode=test_mode,
            keep_tail_frames=True,
            **kwargs)
        self.end_jitter = end_jitter

    def _get_train_clips(self, num_frames: int,
                         ori_clip_len: float) -> np.ndarray:
        """A random frame of each of M segments of a jittered span."""
        cut = self.end_jitter * num_frames
        start = np.random.uniform(0, cut)
        end = num_frames - np.random.uniform(0, cut)
        segment = (end - start) / self.num_clips
        offsets = start + (np.arange(self.num_clips) +
                           np.random.uniform(0, 1, self.num_clips)) * segment
        return np.clip(offsets.astype(np.int64), 0, num_frames - 1)

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(num_clips={self.num_clips}, '
                f'end_jitter={self.end_jitter}, test_mode={self.test_mode})')

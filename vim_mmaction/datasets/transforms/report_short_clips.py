"""Log the videos that are shorter than the frames sampled from them."""
from typing import Set

from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform
from mmengine.logging import MMLogger

# Paths reported by this process. Dataloader workers are processes of their
# own, so a video may be reported once per worker.
_REPORTED: Set[str] = set()


@TRANSFORMS.register_module()
class ReportShortClips(BaseTransform):
    """Log a video once when it has fewer frames than are sampled from it.

    mmaction2's ``SampleFrames`` (and so :class:`SegmentSampleFrames`) fills
    such a clip by repeating frames, without a word. This transform, placed
    right after the sampling step, logs a warning through mmengine's logger
    the first time a process meets such a video, naming the video, its frame
    count and the frames sampled; results pass through unchanged.
    :class:`FewShotVideoDataset` adds it after every sampling step of its
    pipeline.

    Required keys: ``total_frames``, ``frame_inds``, and ``filename`` (a
    video) or ``frame_dir`` (a frame folder).
    """

    def transform(self, results: dict) -> dict:
        sampled = len(results['frame_inds'])
        if results['total_frames'] < sampled:
            path = results.get('filename', results.get('frame_dir'))
            if path not in _REPORTED:
                _REPORTED.add(path)
                MMLogger.get_current_instance().warning(
                    f"{path} has {results['total_frames']} frame(s), "
                    f'{sampled} are sampled: frames repeat (logged once per '
                    'video and process)')
        return results

from .segment_sample_frames import SegmentSampleFrames

__all__ = ['SegmentSampleFrames']

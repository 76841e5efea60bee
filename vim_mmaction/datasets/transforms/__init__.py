from .report_short_clips import ReportShortClips
from .segment_sample_frames import SegmentSampleFrames

__all__ = ['ReportShortClips', 'SegmentSampleFrames']

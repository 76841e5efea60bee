from .episode_collate import episode_collate
from .episode_sampler import EpisodeSampler
from .episodic_dataset import EpisodicDataset
from .few_shot_video_dataset import VIDEO_EXTENSIONS, FewShotVideoDataset
from .transforms import ReportShortClips, SegmentSampleFrames

__all__ = [
    'EpisodeSampler', 'EpisodicDataset', 'FewShotVideoDataset',
    'ReportShortClips', 'SegmentSampleFrames', 'VIDEO_EXTENSIONS',
    'episode_collate'
]

from .episode_collate import episode_collate
from .episode_sampler import EpisodeSampler
from .episodic_dataset import EpisodicDataset
from .few_shot_video_dataset import VIDEO_EXTENSIONS, FewShotVideoDataset
from .transforms import SegmentSampleFrames

__all__ = [
    'EpisodeSampler', 'EpisodicDataset', 'FewShotVideoDataset',
    'SegmentSampleFrames', 'VIDEO_EXTENSIONS', 'episode_collate'
]

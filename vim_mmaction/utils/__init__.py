from .dist import shutdown_distributed
from .episode import (EPISODE_META_KEYS, EpisodeLayout, episode_meta,
                      make_episode_samples, split_episodes)

__all__ = ['EPISODE_META_KEYS', 'EpisodeLayout', 'episode_meta',
           'make_episode_samples', 'shutdown_distributed', 'split_episodes']

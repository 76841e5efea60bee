from .dump_episode_results import DumpEpisodeResults
from .episodic_accuracy import EpisodicAccuracy, episode_results, mean_and_ci95

__all__ = [
    'DumpEpisodeResults', 'EpisodicAccuracy', 'episode_results',
    'mean_and_ci95'
]

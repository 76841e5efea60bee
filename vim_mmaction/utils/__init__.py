from .checkpoint_match import (CheckpointMismatchError,
                               check_checkpoint_file, check_checkpoint_matches)
from .dist import shutdown_distributed
from .environment import environment_info, environment_summary
from .episode import (EPISODE_META_KEYS, EpisodeLayout, episode_meta,
                      make_episode_samples, split_episodes)
from .report_first_evaluator import ReportFirstEvaluator
from .rng_state import get_rng_state, set_rng_state

__all__ = [
    'CheckpointMismatchError', 'EPISODE_META_KEYS', 'EpisodeLayout',
    'ReportFirstEvaluator', 'check_checkpoint_file',
    'check_checkpoint_matches', 'environment_info', 'environment_summary',
    'episode_meta', 'get_rng_state', 'make_episode_samples', 'set_rng_state',
    'shutdown_distributed', 'split_episodes'
]

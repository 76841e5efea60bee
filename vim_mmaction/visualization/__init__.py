"""Pictures of what a few-shot model did: the frames its sampler kept and
zoomed, its scores and VIM's alignment.

Not imported by ``import vim_mmaction`` (it loads matplotlib): import it to
draw, or name it in ``custom_imports`` to use
:class:`FewShotVisualizationHook` in a config.
"""
from .clip_view import ClipView, clip_views, to_images
from .episode_record import EpisodeRecord, record_episodes
from .few_shot_visualization_hook import (FewShotVisualizationHook,
                                          draw_recorded_query)
from .figures import (QueryAlignment, clip_columns, clip_rows, draw_clip,
                      draw_query, thumbnail_grid)

__all__ = [
    'ClipView', 'EpisodeRecord', 'FewShotVisualizationHook',
    'QueryAlignment', 'clip_columns', 'clip_rows', 'clip_views', 'draw_clip',
    'draw_query', 'draw_recorded_query', 'record_episodes', 'thumbnail_grid',
    'to_images'
]

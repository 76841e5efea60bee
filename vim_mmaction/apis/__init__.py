"""High-level API, as ``mmaction.apis``: build a model, classify videos."""
from .inference import (QueryResult, inference_clip_dataset,
                        inference_few_shot, init_few_shot_model,
                        load_episode, query_results)

__all__ = [
    'QueryResult', 'inference_clip_dataset', 'inference_few_shot',
    'init_few_shot_model', 'load_episode', 'query_results'
]

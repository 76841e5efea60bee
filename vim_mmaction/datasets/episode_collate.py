"""Collate a batch of episodes into one flat batch of clips."""
from typing import Dict, List, Sequence

from mmengine.registry import FUNCTIONS


@FUNCTIONS.register_module()
def episode_collate(episodes: Sequence[Dict[str, list]]) -> Dict[str, list]:
    """Flatten B episodes of V clips into B * V clips, episode-major.

    mmengine's default ``pseudo_collate`` would transpose list-valued items
    (V tuples of B clips); heads and metrics find each episode's clips
    through the data samples' metainfo, so a flat list is all they need.

    Args:
        episodes: items of :class:`EpisodicDataset`, each with ``inputs``
            (V tensors, one per clip) and ``data_samples`` (V samples).

    Returns:
        dict: ``inputs`` (B * V tensors) and ``data_samples`` (B * V), ready
        for :class:`mmaction.models.ActionDataPreprocessor`.
    """
    inputs: List = []
    data_samples: List = []
    for episode in episodes:
        inputs.extend(episode['inputs'])
        data_samples.extend(episode['data_samples'])
    return dict(inputs=inputs, data_samples=data_samples)

"""The episode layout carried by each clip's data sample.

An episode is N ways x K shots of support clips followed by N x Q query
clips. :class:`~vim_mmaction.datasets.EpisodicDataset` writes the layout into
every clip's metainfo, so heads, samplers and metrics recover it from the
data samples alone, whichever recognizer hands them over.
"""
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Sequence

import torch

#: Metainfo keys written for every clip of an episode.
EPISODE_META_KEYS = ('episode_id', 'role', 'episode_label', 'num_ways',
                     'num_shots', 'num_queries')

SUPPORT = 'support'
QUERY = 'query'


@dataclass
class EpisodeLayout:
    """Where the clips of one episode sit in a flat batch of clips.

    Attributes:
        episode_id (int): Index of the episode in its dataset.
        support_index (Tensor): (ways, shots) batch positions of the support
            clips; row ``i`` holds the shots of episode label ``i``.
        query_index (Tensor): (num_query_clips,) batch positions of queries.
        query_labels (Tensor): (num_query_clips,) episode labels of queries.
    """

    episode_id: int
    support_index: torch.Tensor
    query_index: torch.Tensor
    query_labels: torch.Tensor

    @property
    def num_ways(self) -> int:
        return self.support_index.shape[0]

    @property
    def num_shots(self) -> int:
        return self.support_index.shape[1]


def episode_meta(sample: Any) -> Dict[str, Any]:
    """Read the episode keys of a data sample or of its ``to_dict()`` form.

    Raises:
        KeyError: if the sample carries no episode layout, naming the missing
            key and the keys it has.
    """
    meta = sample if isinstance(sample, Mapping) else sample.metainfo
    missing = [key for key in EPISODE_META_KEYS if key not in meta]
    if missing:
        raise KeyError(
            f'data sample has no episode layout (missing {missing}; it has '
            f'{sorted(meta)}): wrap the dataset in EpisodicDataset')
    return {key: meta[key] for key in EPISODE_META_KEYS}


def split_episodes(data_samples: Sequence[Any]) -> List[EpisodeLayout]:
    """Group a flat batch of clips into episodes, in order of appearance.

    Args:
        data_samples: one data sample (or its dict form) per clip.

    Returns:
        One :class:`EpisodeLayout` per episode in the batch.

    Raises:
        ValueError: if an episode's support set is not N ways x K shots.
    """
    grouped: Dict[int, Dict[str, list]] = {}
    for position, sample in enumerate(data_samples):
        meta = episode_meta(sample)
        clips = grouped.setdefault(
            int(meta['episode_id']), dict(support=[], query=[], meta=meta))
        clips[meta['role']].append((int(meta['episode_label']), position))

    layouts = []
    for episode_id, clips in grouped.items():
        meta = clips['meta']
        ways, shots = int(meta['num_ways']), int(meta['num_shots'])
        # A stable sort keeps the shot order of each way.
        support = sorted(clips[SUPPORT], key=lambda item: item[0])
        labels = [label for label, _ in support]
        if labels != [way for way in range(ways) for _ in range(shots)]:
            raise ValueError(
                f'episode {episode_id}: expected {ways} ways x {shots} shots '
                f'of support clips, got episode labels {labels}')
        support_index = torch.tensor([pos for _, pos in support]).view(
            ways, shots)
        query_labels = torch.tensor([label for label, _ in clips[QUERY]],
                                    dtype=torch.long)
        query_index = torch.tensor([pos for _, pos in clips[QUERY]],
                                   dtype=torch.long)
        layouts.append(
            EpisodeLayout(episode_id, support_index, query_index,
                          query_labels))
    return layouts


def make_episode_samples(ways: int,
                         shots: int,
                         queries: int,
                         episode_id: int = 0) -> List[Any]:
    """Data samples of one episode, laid out as EpisodicDataset does.

    For code that builds batches without a dataset (tests, benchmarks):
    support clips first, then queries, each way-major.

    Returns:
        ``ways * (shots + queries)`` :class:`ActionDataSample` with the
        episode metainfo and no labels.
    """
    from mmaction.structures import ActionDataSample
    samples = []
    for role, per_way in ((SUPPORT, shots), (QUERY, queries)):
        for label in range(ways):
            for _ in range(per_way):
                sample = ActionDataSample()
                sample.set_metainfo(
                    dict(
                        episode_id=episode_id,
                        role=role,
                        episode_label=label,
                        num_ways=ways,
                        num_shots=shots,
                        num_queries=queries))
                samples.append(sample)
    return samples

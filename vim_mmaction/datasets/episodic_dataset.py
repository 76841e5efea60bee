"""N-way K-shot episodes drawn from any labelled mmaction2 dataset."""
import copy
from typing import Callable, Dict, List, Union

import numpy as np
from mmaction.registry import DATASETS
from mmengine.dataset import BaseDataset

from ..utils.episode import QUERY, SUPPORT


@DATASETS.register_module()
class EpisodicDataset:
    """Wraps a labelled video dataset into N-way K-shot episodes.

    One item is one episode: ``ways * shots`` support clips (way-major),
    then ``ways * queries`` query clips (way-major). Every clip is the inner
    dataset's pipeline output, and its data sample carries the episode layout
    in its metainfo (``episode_id``, ``role``, ``episode_label``,
    ``num_ways``, ``num_shots``, ``num_queries``) plus ``dataset_label``; its
    ``gt_label`` is the episode label.

    Episode ``i`` is a pure function of ``(seed, i)``: the same on every
    machine, in every process, whatever the number of processes or workers.
    Any non-negative integer names an episode; ``len()`` is the number of
    episodes of one pass (an epoch, or the fixed val/test set). Training draws
    fresh episode indices each epoch with :class:`EpisodeSampler`.

    Args:
        dataset (dict | BaseDataset): The labelled dataset (or its config),
            e.g. :class:`FewShotVideoDataset`.
        num_ways (int): Classes per episode (N), at least 2.
        num_shots (int): Support clips per class (K), at least 1.
        num_queries (int): Query clips per class (Q), at least 1.
        num_episodes (int): Episodes of one pass, at least 1.
        seed (int): Seed of the episode contents. Defaults to 0.
        lazy_init (bool): Defer indexing the inner dataset to
            :meth:`full_init`. Defaults to False.

    Raises:
        ValueError: if a setting is out of range (naming it and its value),
            a class has fewer than K + Q clips (naming the class and both
            counts) or the dataset has fewer than N classes.
    """

    def __init__(self,
                 dataset: Union[dict, BaseDataset],
                 num_ways: int,
                 num_shots: int,
                 num_queries: int,
                 num_episodes: int,
                 seed: int = 0,
                 lazy_init: bool = False) -> None:
        # A 1-way episode has nothing to tell apart: loss 0 and 100 %
        # accuracy, which would make any checkpoint the best.
        for name, value, least in (('num_ways', num_ways, 2),
                                   ('num_shots', num_shots, 1),
                                   ('num_queries', num_queries, 1),
                                   ('num_episodes', num_episodes, 1)):
            if not isinstance(value, int) or value < least:
                raise ValueError(
                    f'{name} must be an int >= {least}, got {value!r}')
        self.dataset = DATASETS.build(dataset) if isinstance(
            dataset, dict) else dataset
        self.num_ways = num_ways
        self.num_shots = num_shots
        self.num_queries = num_queries
        self.num_episodes = num_episodes
        self.seed = seed
        self._fully_initialized = False
        if not lazy_init:
            self.full_init()

    @property
    def metainfo(self) -> dict:
        """The inner dataset's metainfo plus the episode settings."""
        metainfo = copy.deepcopy(self.dataset.metainfo)
        metainfo.update(
            num_ways=self.num_ways,
            num_shots=self.num_shots,
            num_queries=self.num_queries,
            episode_seed=self.seed)
        return metainfo

    def full_init(self) -> None:
        """Index the clips of every class and check the class sizes."""
        if self._fully_initialized:
            return
        self.dataset.full_init()
        labels = np.array([self._label(i) for i in range(len(self.dataset))])
        # Sorted by label so that episodes do not depend on the clip order.
        self.class_labels = np.unique(labels)
        self.class_clips: List[np.ndarray] = [
            np.flatnonzero(labels == label) for label in self.class_labels
        ]
        self._check_class_sizes()
        self._fully_initialized = True

    def _label(self, index: int) -> int:
        """The label of clip ``index``, through ``get_cat_ids`` where the
        dataset has it: ``get_data_info`` may read files (a frame folder of
        :class:`FewShotVideoDataset`), too slow for every clip at once."""
        try:
            labels = self.dataset.get_cat_ids(index)
        except NotImplementedError:  # mmengine's default, e.g. VideoDataset
            return int(self.dataset.get_data_info(index)['label'])
        if len(labels) != 1:
            raise ValueError(f'clip {index} has labels {labels}; episodes '
                             'need exactly one label per clip')
        return int(labels[0])

    def _check_class_sizes(self) -> None:
        needed = self.num_shots + self.num_queries
        class_names = self.dataset.metainfo.get('classes')
        for label, clips in zip(self.class_labels, self.class_clips):
            if len(clips) < needed:
                name = class_names[label] if class_names else label
                raise ValueError(
                    f'class {name!r} (label {label}) has {len(clips)} '
                    f'clip(s), but an episode needs K + Q = {needed} '
                    f'({self.num_shots} shots + {self.num_queries} queries)')
        if len(self.class_clips) < self.num_ways:
            raise ValueError(
                f'{self.num_ways}-way episodes need {self.num_ways} classes, '
                f'the dataset has {len(self.class_clips)}')

    def __len__(self) -> int:
        return self.num_episodes

    def episode(self, index: int) -> Dict[str, np.ndarray]:
        """The clips of episode ``index`` as inner dataset indices.

        Returns:
            dict: ``classes`` (ways,) dataset labels in episode-label order,
            ``support`` (ways, shots) and ``query`` (ways, queries) indices.
        """
        if index < 0:
            raise IndexError(f'episode index must be >= 0, got {index}')
        self.full_init()
        rng = np.random.default_rng([self.seed, index])
        ways = rng.choice(len(self.class_clips), self.num_ways, replace=False)
        picks = np.stack([
            rng.choice(
                self.class_clips[way],
                self.num_shots + self.num_queries,
                replace=False) for way in ways
        ])  # (ways, shots + queries)
        return dict(
            classes=self.class_labels[ways],
            support=picks[:, :self.num_shots],
            query=picks[:, self.num_shots:])

    def __getitem__(self, index: int) -> Dict[str, list]:
        """Load episode ``index``: ``inputs`` and ``data_samples`` per clip."""
        return self.assemble_episode(
            int(index), lambda clip: self.load_clip(clip, f'episode {index}'))

    def assemble_episode(self, index: int,
                         load_clip: Callable[[int], dict]) -> Dict[str, list]:
        """Episode ``index`` from ``load_clip(clip_index)``.

        Args:
            index (int): The episode.
            load_clip: Inner dataset index -> ``dict(inputs, data_samples)``
                of one clip, e.g. :meth:`load_clip`, or features computed
                once per clip (the feature cache of the val/test loops). The
                data sample gets the episode metainfo and label, so it must
                not be shared with another episode.

        Returns:
            dict: ``inputs`` and ``data_samples``, one per clip, support
            clips first (way-major), then queries (way-major).
        """
        episode = self.episode(index)
        inputs, data_samples = [], []
        for role in (SUPPORT, QUERY):
            for episode_label, clip_indices in enumerate(episode[role]):
                for clip_index in clip_indices:
                    packed = load_clip(int(clip_index))
                    sample = packed['data_samples']
                    sample.set_metainfo(
                        dict(
                            episode_id=int(index),
                            role=role,
                            episode_label=episode_label,
                            num_ways=self.num_ways,
                            num_shots=self.num_shots,
                            num_queries=self.num_queries,
                            dataset_label=int(
                                episode['classes'][episode_label])))
                    sample.set_gt_label(episode_label)
                    inputs.append(packed['inputs'])
                    data_samples.append(sample)
        return dict(inputs=inputs, data_samples=data_samples)

    def load_clip(self, clip_index: int, context: str) -> dict:
        """Run the inner pipeline on one clip.

        Args:
            clip_index (int): Inner dataset index.
            context (str): What the clip is loaded for, first in error
                messages, e.g. ``'episode 3'``.

        Raises:
            RuntimeError: naming the context, the file and its split line.
        """
        info = self.dataset.get_data_info(clip_index)
        source = info.get('filename', info.get('frame_dir', f'#{clip_index}'))
        where = info.get('split_line', f'clip {clip_index}')
        try:
            packed = self.dataset.pipeline(info)
        except Exception as error:
            raise RuntimeError(
                f'{context}: failed to load {source} ({where}): '
                f'{type(error).__name__}: {error}') from error
        if packed is None:
            raise RuntimeError(
                f'{context}: the pipeline dropped {source} ({where})')
        return packed

"""Features of every distinct clip of a set of episodes, computed once."""
import math
import os
import os.path as osp
import time
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

import torch
from mmengine.dataset import pseudo_collate
from mmengine.dist import all_gather_object, get_dist_info
from mmengine.logging import MMLogger
from mmengine.runner.amp import autocast
from torch.utils.data import DataLoader, Dataset

from ...datasets import EpisodicDataset, episode_collate
from ...models.heads.base_few_shot_head import pool_frame_features
from .feature_cache_policy import FeatureCacheSettings
from .feature_store import MIB, FeatureStore

#: Bytes each process contributes to one round of the gather.
GATHER_CHUNK_BYTES = 64 * MIB


class ClipSubset(Dataset):
    """Given clips of an episodic dataset's inner dataset, through its
    pipeline (item ``k`` is clip ``clip_indices[k]``)."""

    def __init__(self, dataset: EpisodicDataset,
                 clip_indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.clip_indices = list(clip_indices)

    def __len__(self) -> int:
        return len(self.clip_indices)

    def __getitem__(self, index: int) -> dict:
        return self.dataset.load_clip(self.clip_indices[index],
                                      'feature cache')


class ClipFeatureCache:
    """Backbone features of each distinct clip of an :class:`EpisodicDataset`,
    from which every episode is scored by the head alone.

    Use :meth:`build`. Each process encodes every ``world_size``-th distinct
    clip through the model's data preprocessor, sampler and backbone, then
    the rows are exchanged, so every process holds all of them and scores
    its own share of episodes.

    Args:
        dataset (EpisodicDataset): The episodes.
        store (FeatureStore): One row per distinct clip: (T, C) where the
            head averages over space first, else (T, C, h, w).
        rows (dict): Inner dataset index -> row.
        samples (list): Per row, the clip's data sample from the pipeline.
        feature_dtype (torch.dtype): What the backbone returned; rows go
            back to it before the head, as in the uncached forward.
    """

    def __init__(self, dataset: EpisodicDataset, store: FeatureStore,
                 rows: Dict[int, int], samples: List[Any],
                 feature_dtype: torch.dtype) -> None:
        self.dataset = dataset
        self.store = store
        self.rows = rows
        self.samples = samples
        self.feature_dtype = feature_dtype

    @classmethod
    def build(cls,
              model: Any,
              dataset: EpisodicDataset,
              settings: FeatureCacheSettings,
              batch_size: int,
              num_workers: int,
              fp16: bool = False,
              work_dir: str = '.',
              name: str = 'test') -> 'ClipFeatureCache':
        """Encode the distinct clips of all ``len(dataset)`` episodes.

        Args:
            model: A :class:`FewShotRecognizer` in eval mode, unwrapped.
            dataset: The episodes.
            settings: Storage and pooling (see
                :class:`FeatureCacheSettings`).
            batch_size: Clips per backbone call.
            num_workers: Data loader workers that decode the clips.
            fp16: Encode under autocast, as the loop's ``fp16``.
            work_dir: Where a memory-mapped cache goes.
            name: Names the memory-mapped file (``val``, ``test``).
        """
        distinct = distinct_clips(dataset)
        rank, world_size = get_dist_info()
        positions = list(range(rank, len(distinct), world_size))
        path = osp.join(work_dir, 'feature_cache',
                        f'{name}-rank{rank}-pid{os.getpid()}.npy')
        start = time.perf_counter()
        store, samples, feature_dtype = None, [None] * len(distinct), None
        try:
            done = 0
            for feats, batch_samples in encoded_batches(
                    model, dataset, [distinct[p] for p in positions],
                    batch_size, num_workers,
                    settings.pools_space(model.cls_head), fp16):
                if store is None:
                    feature_dtype = feats.dtype
                    store = _make_store(
                        len(distinct), tuple(feats.shape[1:]), settings, path)
                batch_positions = positions[done:done + len(feats)]
                store.write(batch_positions, feats)
                for position, sample in zip(batch_positions, batch_samples):
                    samples[position] = sample
                done += len(feats)
            layouts = [
                layout for layout in all_gather_object(
                    None if store is None else (tuple(store.rows.shape[1:]),
                                                feature_dtype))
                if layout is not None
            ]
            if store is None:  # more processes than clips
                row_shape, feature_dtype = layouts[0]
                store = _make_store(len(distinct), row_shape, settings, path)
            _exchange_rows(store, samples, world_size)
        except BaseException:
            if store is not None:  # a memory-mapped file must not stay
                store.close()
            raise
        MMLogger.get_current_instance().info(
            f'feature cache: {store.describe()}; {len(dataset)} episodes; '
            f'{len(positions)} clips encoded here in '
            f'{time.perf_counter() - start:.1f} s ({world_size} '
            'process(es))')
        rows = {clip: row for row, clip in enumerate(distinct)}
        return cls(dataset, store, rows, samples, feature_dtype)

    def episode_batch(self, indices: Sequence[int]) -> dict:
        """Episodes ``indices`` as the loader would collate them, with each
        clip's cached (T, C[, h, w]) features as its input."""
        return episode_collate([
            self.dataset.assemble_episode(int(index), self._cached_clip)
            for index in indices
        ])

    def _cached_clip(self, clip_index: int) -> dict:
        row = self.rows[clip_index]
        # A clone: the episode writes its layout into the sample.
        return dict(
            inputs=self.store.rows[row],
            data_samples=self.samples[row].clone())

    def predict(self, model: Any, data_batch: dict) -> List[Any]:
        """What the model's ``predict`` returns for a batch of
        :meth:`episode_batch`: the data samples, queries with
        ``pred_score``."""
        preprocessor = model.data_preprocessor
        feats = torch.stack(data_batch['inputs']).to(
            device=preprocessor.device, dtype=self.feature_dtype)
        data_samples = preprocessor.cast_data(data_batch['data_samples'])
        return model.cls_head.predict(feats, data_samples)

    def close(self) -> None:
        """Free the rows (and delete a memory-mapped file)."""
        self.store.close()


def distinct_clips(dataset: EpisodicDataset) -> List[int]:
    """Sorted inner dataset indices of the clips of all episodes."""
    return sorted({
        int(clip)
        for index in range(len(dataset))
        for part in ('support', 'query')
        for clip in dataset.episode(index)[part].flat
    })


@torch.no_grad()
def encoded_batches(model: Any, dataset: EpisodicDataset,
                    clip_indices: Sequence[int], batch_size: int,
                    num_workers: int, pool: bool,
                    fp16: bool) -> Iterator[Tuple[torch.Tensor, list]]:
    """Features of the clips, batch by batch, as the uncached forward hands
    them to the head.

    Yields:
        (clips, T, C) features if ``pool`` (or the backbone pools), else
        (clips, T, C, h, w); and the clips' data samples from the pipeline.
    """
    loader = DataLoader(
        ClipSubset(dataset, clip_indices),
        batch_size=batch_size,
        num_workers=num_workers,
        collate_fn=pseudo_collate)
    for batch in loader:
        with autocast(enabled=fp16):
            data = model.data_preprocessor(batch, False)
            # No data samples: the sampler in place (if any) ignores the
            # episode, and must not see one.
            feats, _ = model.extract_feat(
                data['inputs'], None, test_mode=True)
        yield (pool_frame_features(feats) if pool else
               feats), batch['data_samples']


def _make_store(num_rows: int, row_shape: Tuple[int, ...],
                settings: FeatureCacheSettings, path: str) -> FeatureStore:
    """In RAM up to ``settings.max_ram_mib``, else mapped at ``path``."""
    dtype = torch.float16 if settings.fp16 else torch.float32
    nbytes = num_rows * math.prod(row_shape) * (2 if settings.fp16 else 4)
    return FeatureStore(
        num_rows, row_shape, dtype,
        path if nbytes > settings.max_ram_mib * MIB else None)


def _exchange_rows(store: FeatureStore, samples: List[Optional[Any]],
                   world_size: int) -> None:
    """Fill in the rows and samples other processes encoded.

    Process ``r`` holds rows ``r, r + world_size, ...``; rounds of at most
    ``GATHER_CHUNK_BYTES`` per process bound the memory of the exchange.
    """
    if world_size == 1:
        return
    rank = get_dist_info()[0]
    num_rows = len(samples)
    for owner, theirs in enumerate(
            all_gather_object(samples[rank::world_size])):
        samples[owner::world_size] = theirs
    row_bytes = store.rows[0].numel() * store.rows.element_size()
    per_round = max(1, GATHER_CHUNK_BYTES // row_bytes)
    most = math.ceil(num_rows / world_size)
    for first in range(0, most, per_round):
        mine = list(range(rank, num_rows, world_size))[first:first + per_round]
        parts = all_gather_object(store.rows[mine].numpy())
        for owner, part in enumerate(parts):
            if owner != rank:
                owned = range(owner, num_rows, world_size)
                store.write(owned[first:first + len(part)],
                            torch.from_numpy(part))

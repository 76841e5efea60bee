"""When a val/test loop may score episodes from per-clip features."""
from dataclasses import dataclass, fields
from typing import Any, Iterable, List, Optional, Union

from torch.utils.data import DataLoader

from ...datasets import EpisodicDataset
from ...models import (FewShotRecognizer, OTAMHead, ProtoHead, TRXHead,
                       UniformFrameSampler)

#: Samplers whose frames of a clip do not depend on the clip's episode.
EPISODE_INDEPENDENT_SAMPLERS = (UniformFrameSampler, )
#: Heads whose first step averages each frame's map over space, so that
#: caching the averaged frames changes nothing (VIMAlignmentHead reads the
#: maps).
SPACE_POOLING_HEADS = (ProtoHead, OTAMHead, TRXHead)
#: Transforms that draw at random whatever their settings (names starting
#: with ``Random`` too; samplers of frames are random unless in test mode).
RANDOM_TRANSFORMS = ('ColorJitter', 'ImgAug', 'MultiScaleCrop',
                     'PytorchVideoWrapper', 'TorchVisionWrapper')


@dataclass
class FeatureCacheSettings:
    """The ``feature_cache`` option of the episodic val/test loops.

    Attributes:
        enabled (bool): Use the cache where it is exact. Defaults to True.
        fp16 (bool): Store features as float16 (half the memory; scores
            then differ from the uncached ones by fp16 rounding). Defaults
            to False (the backbone's dtype, as float32).
        max_ram_mib (float): Largest cache kept in RAM; a larger one is a
            memory-mapped file under the work dir. Defaults to 4096.
        batch_size (int, optional): Clips per encoding batch. Defaults to
            the clips of one batch of episodes (same peak memory).
        pool_space (bool, optional): Average each frame's map over space
            before caching. Defaults to None: only for the heads that do so
            first (``SPACE_POOLING_HEADS``).
    """

    enabled: bool = True
    fp16: bool = False
    max_ram_mib: float = 4096
    batch_size: Optional[int] = None
    pool_space: Optional[bool] = None

    @classmethod
    def parse(
        cls, value: Union[bool, dict, 'FeatureCacheSettings']
    ) -> 'FeatureCacheSettings':
        """From ``True``/``False`` or a dict of the attributes.

        Raises:
            ValueError: naming unknown keys and the known ones.
        """
        if isinstance(value, cls):
            return value
        if isinstance(value, bool):
            return cls(enabled=value)
        known = [field.name for field in fields(cls)]
        unknown = sorted(set(value) - set(known))
        if unknown:
            raise ValueError(f'feature_cache: unknown keys {unknown}; known: '
                             f'{known}')
        return cls(**value)

    def pools_space(self, head: Any) -> bool:
        """Whether cached rows are averaged over space for ``head``."""
        if self.pool_space is not None:
            return self.pool_space
        return isinstance(head, SPACE_POOLING_HEADS)


def cache_refusal(model: Any, dataloader: DataLoader) -> Optional[str]:
    """Why scoring episodes from features computed once per clip would not
    give the episodes' own scores, or None where it would.

    It would where the loader yields :class:`EpisodicDataset` episodes of a
    deterministic pipeline and the model is a :class:`FewShotRecognizer`
    (its ``predict`` and ``extract_feat`` as such) without a sampler, or with
    one that ignores the episode.

    Args:
        model: The model without its distributed wrapper.
        dataloader: The loop's loader of episodes.
    """
    dataset = dataloader.dataset
    if not isinstance(dataset, EpisodicDataset):
        return f'the dataset is {type(dataset).__name__}, not EpisodicDataset'
    if dataloader.batch_sampler is None:
        return 'the data loader has no batch sampler (batch_size=None)'
    if not isinstance(model, FewShotRecognizer):
        return f'the model is {type(model).__name__}, not FewShotRecognizer'
    for method in ('predict', 'extract_feat'):
        if getattr(type(model), method) is not getattr(
                FewShotRecognizer, method):
            return f'{type(model).__name__} overrides {method}'
    sampler = model.sampler
    if sampler is not None and not isinstance(sampler,
                                              EPISODE_INDEPENDENT_SAMPLERS):
        return (f'the sampler {type(sampler).__name__} may pick frames '
                "from a clip's episode (task-adaptive), so a clip's "
                'features can differ between episodes')
    random = random_transforms(dataset.dataset.pipeline.transforms)
    if random:
        return (f'the test pipeline draws at random ({", ".join(random)}), '
                'so a clip differs from one loading to the next')
    return None


def random_transforms(transforms: Iterable[Any]) -> List[str]:
    """Names of the transforms that may give another clip at each call."""
    random = []
    for transform in transforms:
        name = type(transform).__name__
        if (name.startswith('Random') or name in RANDOM_TRANSFORMS
                or getattr(transform, 'test_mode', True) is False
                or getattr(transform, 'flip_ratio', 0) > 0):
            random.append(name)
    return random

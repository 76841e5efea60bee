"""Fresh training episodes every epoch, reproducible from the run's seed."""
import math
from typing import Iterator, Optional, Sized

import numpy as np
from mmaction.registry import DATA_SAMPLERS
from mmengine.dist import get_dist_info, sync_random_seed
from torch.utils.data import Sampler

# Episode indices are drawn from [0, 2**63): two draws of one run coincide
# with negligible probability.
_EPISODE_SPACE = np.iinfo(np.int64).max


@DATA_SAMPLERS.register_module()
class EpisodeSampler(Sampler):
    """Draws ``len(dataset)`` new episode indices every epoch.

    :class:`EpisodicDataset` maps any non-negative index to an episode, so
    unseen indices are unseen episodes. The draw of epoch ``e`` depends only
    on ``(seed, e)``; every rank draws the same list and takes its share, so
    ranks see disjoint episodes and a resumed run sees the same ones.

    Args:
        dataset (Sized): The episodic dataset; its length is the number of
            episodes per epoch (rounded up to a multiple of the world size).
        seed (int, optional): Defaults to the runner's seed, synchronised
            across ranks.
    """

    def __init__(self, dataset: Sized, seed: Optional[int] = None) -> None:
        self.rank, self.world_size = get_dist_info()
        self.seed = sync_random_seed() if seed is None else seed
        self.epoch = 0
        self.num_samples = math.ceil(len(dataset) / self.world_size)

    def __iter__(self) -> Iterator[int]:
        rng = np.random.default_rng([self.seed, self.epoch])
        indices = rng.integers(
            0, _EPISODE_SPACE, size=self.num_samples * self.world_size)
        return iter(indices[self.rank::self.world_size].tolist())

    def __len__(self) -> int:
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        """Select the draw of ``epoch``; called by mmengine's train loops."""
        self.epoch = epoch

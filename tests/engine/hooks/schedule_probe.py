"""A tiny model and dataset that record the top-k sigma of every episode, and
runners (real, or a stub for layouts one process cannot run) to train them.

Imported by the schedule tests, and by the configs they write for
``tools/train.py`` (``custom_imports``), which registers the two classes.
"""
import uuid
from types import SimpleNamespace
from typing import Callable, List, Optional

import torch
from mmaction.registry import DATASETS, MODELS
from mmengine.model import BaseModel
from mmengine.optim import OptimWrapper
from mmengine.runner import Runner
from torch import nn
from torch.utils.data import Dataset

from vim_mmaction.models.samplers import PerturbedTopK


@MODELS.register_module()
class SigmaProbe(BaseModel):
    """One weight and a :class:`PerturbedTopK`; records, for every episode of
    its batches, the sigma in force (``sigmas``, this process only)."""

    def __init__(self, sigma: float = 0.05) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(()))
        self.topk = PerturbedTopK(num_samples=1, sigma=sigma)
        self.sigmas: List[float] = []

    def forward(self, inputs, data_samples=None, mode: str = 'loss'):
        episodes = torch.stack(inputs)  # (batch, 1)
        self.sigmas += [self.topk.sigma.item()] * len(episodes)
        return dict(loss=(self.weight * episodes).sum())


@DATASETS.register_module()
class NumberedEpisodes(Dataset):
    """Episode ``i`` is the tensor ``[i]``."""

    def __init__(self, num_episodes: int) -> None:
        self.num_episodes = num_episodes

    def __len__(self) -> int:
        return self.num_episodes

    def __getitem__(self, index: int) -> dict:
        return dict(inputs=torch.tensor([float(index)]))


def probe_config(batch_size: int, accumulation: int, max_epochs: int,
                 num_episodes: int, interval_episodes: int) -> dict:
    """Runner arguments: :class:`SigmaProbe` on :class:`NumberedEpisodes`
    with the top-k sigma schedule (0.05, x0.8, floor 0.01)."""
    return dict(
        model=dict(type='SigmaProbe'),
        train_dataloader=dict(
            dataset=dict(type='NumberedEpisodes', num_episodes=num_episodes),
            sampler=dict(type='DefaultSampler', shuffle=False),
            batch_size=batch_size,
            collate_fn=dict(type='pseudo_collate')),
        train_cfg=dict(by_epoch=True, max_epochs=max_epochs),
        optim_wrapper=dict(
            optimizer=dict(type='SGD', lr=0.01),
            accumulative_counts=accumulation),
        custom_hooks=[
            dict(
                type='TopKSigmaDecayHook',
                gamma=0.8,
                interval_episodes=interval_episodes,
                min_sigma=0.01)
        ],
        default_scope='mmaction',
        log_level='WARNING')


def probe_runner(work_dir,
                 batch_size: int,
                 accumulation: int,
                 max_epochs: int,
                 num_episodes: int = 48,
                 interval_episodes: int = 24,
                 resume_from: Optional[str] = None,
                 load_from: Optional[str] = None) -> Runner:
    """A real one-process runner of :func:`probe_config`."""
    return Runner(
        work_dir=str(work_dir),
        experiment_name=f'schedule-{uuid.uuid4().hex}',
        load_from=resume_from or load_from,
        resume=resume_from is not None,
        **probe_config(batch_size, accumulation, max_epochs, num_episodes,
                       interval_episodes))


class StubRunner:
    """What the schedule hooks read of mmengine's Runner, for layouts one
    test process cannot run (several processes); the optimiser wrapper is
    mmengine's own, so accumulation counts as in a real run.

    Args:
        model (nn.Module): Holds the scheduled modules.
        batch_size (int): Episodes per process per iteration.
        world_size (int): Processes.
        accumulation (int): Iterations per optimiser step.
    """

    def __init__(self,
                 model: nn.Module,
                 batch_size: int = 1,
                 world_size: int = 1,
                 accumulation: int = 1) -> None:
        self.model = model
        self.iter = 0
        self.world_size = world_size
        self.train_dataloader = SimpleNamespace(batch_size=batch_size)
        self._weight = nn.Parameter(torch.zeros(()))
        self.optim_wrapper = OptimWrapper(
            torch.optim.SGD([self._weight], lr=0.0),
            accumulative_counts=accumulation)

    def train(self, hook, iters: int,
              read: Callable[[], float]) -> List[float]:
        """Runs ``iters`` iterations, calling the hook as mmengine's train
        loop does; returns ``read()`` as in force during each iteration."""
        self.optim_wrapper.initialize_count_status(nn.Module(), self.iter,
                                                   self.iter + iters)
        hook.before_train(self)
        values = []
        for _ in range(iters):
            values.append(read())
            self.optim_wrapper.update_params(self._weight * 0.0)
            hook.after_train_iter(self, batch_idx=self.iter)
            self.iter += 1
        return values

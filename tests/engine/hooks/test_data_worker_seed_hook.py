"""DataWorkerSeedHook: an epoch's random inputs depend on the epoch only."""
from functools import partial
from types import SimpleNamespace

import numpy as np
from mmengine.dataset import worker_init_fn
from torch.utils.data import DataLoader, Dataset

from vim_mmaction.engine.hooks import DataWorkerSeedHook


class RandomItems(Dataset):
    """Items drawn from the worker's numpy generator, like a random crop."""

    def __len__(self):
        return 4

    def __getitem__(self, index):
        return np.random.rand()


def loader(init=partial(worker_init_fn, num_workers=2, rank=0, seed=7)):
    return DataLoader(
        RandomItems(),
        num_workers=2,
        persistent_workers=True,
        worker_init_fn=init,
        multiprocessing_context='fork')


def run_epochs(epochs, init=None):
    """The items of each epoch, in a run that starts at ``epochs[0]``."""
    data = loader() if init is None else loader(init)
    hook = DataWorkerSeedHook()
    runner = SimpleNamespace(train_dataloader=data, world_size=1, epoch=0)
    hook.before_train(runner)
    items = []
    for epoch in epochs:
        runner.epoch = epoch
        hook.before_train_epoch(runner)
        items.append([float(x) for x in data])
    return items


def test_resumed_run_gets_the_inputs_of_the_uninterrupted_one():
    straight = run_epochs([0, 1, 2])
    assert run_epochs([1, 2]) == straight[1:]
    assert straight[0] != straight[1] != straight[2]


def test_first_epoch_is_seeded_as_mmengine_seeds():
    plain = loader()
    assert run_epochs([0])[0] == [float(x) for x in plain]


def test_loader_with_its_own_worker_init_is_left_alone(mmengine_log):

    def own_init(worker_id):
        np.random.seed(100 + worker_id)

    first, second = run_epochs([0, 1], init=own_init)
    assert run_epochs([1], init=own_init) == [first]
    assert second != first  # the persistent workers were kept
    assert any('its own worker_init_fn' in m for m in mmengine_log)

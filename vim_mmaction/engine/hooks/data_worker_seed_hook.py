"""Training data workers seeded per epoch, for resumed runs that are exact."""
from functools import partial

from mmaction.registry import HOOKS
from mmengine.dataset import worker_init_fn
from mmengine.hooks import Hook
from mmengine.logging import MMLogger


@HOOKS.register_module()
class DataWorkerSeedHook(Hook):
    """Starts the training data workers afresh every epoch, worker ``w`` of
    rank ``r`` in epoch ``e`` seeded with
    ``seed + num_workers * (world_size * e + r) + w``.

    mmengine seeds a worker with ``seed + num_workers * r + w`` (the value
    above for ``e = 0``) once per start. Random transforms (frame jitter,
    crops, flips) draw from the worker's numpy, python and torch
    generators, so with persistent workers the inputs of epoch ``e`` depend
    on everything the workers drew before, which a resumed run cannot
    replay; without persistent workers every epoch repeats the draws of the
    first. Here the inputs of an epoch depend only on the seed, the epoch
    and the layout: a resumed run gets the inputs of the uninterrupted one,
    and epochs differ.

    A persistent training loader loses its workers at each epoch start
    (they restart with the new seed; validation and test loaders keep
    theirs). A loader with a ``worker_init_fn`` of its own is left alone,
    with a warning.
    """

    priority = 'LOW'

    def __init__(self) -> None:
        self._init = None  # mmengine's partial(worker_init_fn, ...)

    def before_train(self, runner) -> None:
        """Take the loader's mmengine seeding over, if it has one."""
        loader = runner.train_dataloader
        init = loader.worker_init_fn
        if loader.num_workers == 0:
            return  # transforms draw from the main process's generators
        if isinstance(init, partial) and init.func is worker_init_fn:
            self._init = init
            return
        MMLogger.get_current_instance().warning(
            f'{type(self).__name__}: the train dataloader has its own '
            f'worker_init_fn ({init!r}); its workers are not reseeded per '
            f'epoch, and a resumed run may get other random inputs')

    def before_train_epoch(self, runner) -> None:
        """Seed this epoch's workers; drop last epoch's persistent ones."""
        if self._init is None:
            return
        loader = runner.train_dataloader
        keywords = self._init.keywords
        offset = runner.epoch * keywords['num_workers'] * runner.world_size
        loader.worker_init_fn = partial(
            self._init.func, **{
                **keywords, 'seed': keywords['seed'] + offset
            })
        # A persistent loader reuses its iterator and workers; without them
        # the next iteration starts workers that run the new seeding. The
        # old iterator shuts its workers down when it is freed.
        loader._iterator = None

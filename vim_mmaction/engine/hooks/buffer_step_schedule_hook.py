"""Step schedule of a module buffer, counted in training episodes."""
from typing import List, Optional

from mmengine.hooks import Hook
from mmengine.logging import MMLogger
from torch import nn


class BufferStepScheduleHook(Hook):
    """Multiplies a buffer of every module of one type by ``gamma`` each time
    the training episodes seen cross a multiple of ``interval_episodes``:
    a decay down to ``limit`` (``gamma`` in (0, 1]), or, in a subclass that
    sets :attr:`grows`, a growth up to ``limit`` (``gamma`` >= 1).

    Episodes are counted over all processes and accumulation steps: each
    iteration adds the train loader's batch size (episodes per process per
    iteration; a short last batch of an epoch counts as a full one) times
    the world size. So one process accumulating 16 episodes per optimiser
    step and eight processes accumulating 2 follow the same schedule.

    The value changes only right after an optimiser step, never between the
    micro-batches of one: the gradients summed into one update then all come
    from one value (the perturbed top-k's gradient estimate also scales with
    1 / sigma), and layouts with the same episodes per optimiser step change
    at the same episode even when ``interval_episodes`` is not a multiple
    of them. The value in force for an optimiser step is thus
    ``v0 * gamma ** (e // interval_episodes)`` bounded by the limit, ``e``
    the episodes seen before that step began.

    The value lives in the modules' buffer, saved in checkpoints as part of
    the model; the episode count and the number of steps applied go into
    the checkpoint's ``meta[<hook class name>]``. A resumed run continues
    both, also with another layout; resuming from a checkpoint without them
    raises. A run that starts from ``load_from`` counts from zero.

    Subclasses set :attr:`module_type`, :attr:`buffer_name`,
    :attr:`requirement` (what the model needs, for the error message) and
    :attr:`grows`; modules of the type without the buffer are skipped.

    Args:
        gamma (float): Factor per step, in (0, 1], or >= 1 if the buffer
            grows.
        interval_episodes (int): Training episodes between steps.
        limit (float): Lowest value of a decay, highest of a growth.
    """

    priority = 'NORMAL'
    module_type: type = nn.Module
    buffer_name: str = ''
    requirement: str = ''
    grows: bool = False

    def __init__(self, gamma: float, interval_episodes: int,
                 limit: float) -> None:
        if self.grows and gamma < 1:
            raise ValueError(f'gamma must be >= 1, got {gamma}')
        if not self.grows and not 0 < gamma <= 1:
            raise ValueError(f'gamma must be in (0, 1], got {gamma}')
        if interval_episodes < 1:
            raise ValueError(
                f'interval_episodes must be >= 1, got {interval_episodes}')
        self.gamma = gamma
        self.interval_episodes = interval_episodes
        self.limit = limit
        self.episodes = 0  # seen so far, over all processes
        self.steps = 0  # applied so far
        self._checkpoint_state: Optional[dict] = None

    def _scheduled_modules(self, runner) -> List[nn.Module]:
        return [
            module for module in runner.model.modules()
            if isinstance(module, self.module_type)
            and hasattr(module, self.buffer_name)
        ]

    def _limit(self, module: nn.Module) -> float:
        """The bound of ``module``'s value (the same for all by default)."""
        return self.limit

    def _episodes_per_iter(self, runner) -> int:
        batch_size = runner.train_dataloader.batch_size
        if batch_size is None:
            raise ValueError(
                f'{type(self).__name__}: the train dataloader has '
                f'batch_size=None (a batch_sampler?); episodes are counted '
                f'as batch_size x world size')
        return batch_size * runner.world_size

    def before_train(self, runner) -> None:
        """Check the model and loader; take over the count when resuming."""
        if not self._scheduled_modules(runner):
            raise ValueError(
                f'{type(self).__name__}: {type(runner.model).__name__} has '
                f'no {self.module_type.__name__} module ({self.requirement})')
        self._episodes_per_iter(runner)
        if runner.iter == 0:  # a new run, also one that loaded weights
            return
        state = self._checkpoint_state
        if state is None:
            raise RuntimeError(
                f'{type(self).__name__}: resuming at iteration {runner.iter} '
                f'from a checkpoint without meta[{type(self).__name__!r}] '
                f'(the episode count of this schedule); it was saved without '
                f'this hook or before schedules counted episodes')
        # 'decays': the name of the count in checkpoints of older versions.
        self.episodes = state['episodes']
        self.steps = state['steps'] if 'steps' in state else state['decays']

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch: Optional[dict] = None,
                         outputs: Optional[dict] = None) -> None:
        """Count the iteration's episodes; step after an optimiser step."""
        self.episodes += self._episodes_per_iter(runner)
        if not runner.optim_wrapper.should_update():
            return
        due = self.episodes // self.interval_episodes - self.steps
        if due <= 0:
            return
        for module in self._scheduled_modules(runner):
            value = getattr(module, self.buffer_name).mul_(self.gamma**due)
            if self.grows:
                value.clamp_(max=self._limit(module))
            else:
                value.clamp_(min=self._limit(module))
        self.steps += due
        MMLogger.get_current_instance().info(
            f'{type(self).__name__}: {self.episodes} episodes, '
            f'{self.buffer_name} {float(value):.4g}')

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        """Save the episode count and the steps applied."""
        checkpoint['meta'][type(self).__name__] = dict(
            episodes=self.episodes, steps=self.steps)

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Keep the saved count for :meth:`before_train` (resume only)."""
        self._checkpoint_state = checkpoint.get('meta',
                                                {}).get(type(self).__name__)

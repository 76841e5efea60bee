"""Step decay of a module buffer, counted in training episodes."""
from typing import List, Optional

from mmengine.hooks import Hook
from mmengine.logging import MMLogger
from torch import nn


class BufferStepDecayHook(Hook):
    """Multiplies a buffer of every module of one type by ``gamma`` each time
    the training episodes seen cross a multiple of ``interval_episodes``,
    down to ``floor``.

    Episodes are counted over all processes and accumulation steps: each
    iteration adds the train loader's batch size (episodes per process per
    iteration; a short last batch of an epoch counts as a full one) times
    the world size. So one process accumulating 16 episodes per optimiser
    step and eight processes accumulating 2 follow the same schedule.

    The value changes only right after an optimiser step, never between the
    micro-batches of one: the gradients summed into one update then all come
    from one value (the perturbed top-k's gradient estimate also scales with
    1 / sigma), and layouts with the same episodes per optimiser step decay
    at the same episode even when ``interval_episodes`` is not a multiple
    of them. The value in force for an optimiser step is thus
    ``max(v0 * gamma ** (e // interval_episodes), floor)``, ``e`` the
    episodes seen before that step began.

    The value lives in the modules' buffer, saved in checkpoints as part of
    the model; the episode count and the number of decays applied go into
    the checkpoint's ``meta[<hook class name>]``. A resumed run continues
    both, also with another layout; resuming from a checkpoint without them
    raises. A run that starts from ``load_from`` counts from zero.

    Subclasses set :attr:`module_type`, :attr:`buffer_name` and
    :attr:`requirement` (what the model needs, for the error message).

    Args:
        gamma (float): Factor per decay, in (0, 1].
        interval_episodes (int): Training episodes between decays.
        floor (float): Lowest value.
    """

    priority = 'NORMAL'
    module_type: type = nn.Module
    buffer_name: str = ''
    requirement: str = ''

    def __init__(self, gamma: float, interval_episodes: int,
                 floor: float) -> None:
        if not 0 < gamma <= 1:
            raise ValueError(f'gamma must be in (0, 1], got {gamma}')
        if interval_episodes < 1:
            raise ValueError(
                f'interval_episodes must be >= 1, got {interval_episodes}')
        self.gamma = gamma
        self.interval_episodes = interval_episodes
        self.floor = floor
        self.episodes = 0  # seen so far, over all processes
        self.decays = 0  # applied so far
        self._checkpoint_state: Optional[dict] = None

    def _scheduled_modules(self, runner) -> List[nn.Module]:
        return [
            module for module in runner.model.modules()
            if isinstance(module, self.module_type)
        ]

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
        self.episodes, self.decays = state['episodes'], state['decays']

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch: Optional[dict] = None,
                         outputs: Optional[dict] = None) -> None:
        """Count the iteration's episodes; decay after an optimiser step."""
        self.episodes += self._episodes_per_iter(runner)
        if not runner.optim_wrapper.should_update():
            return
        due = self.episodes // self.interval_episodes - self.decays
        if due <= 0:
            return
        for module in self._scheduled_modules(runner):
            value = getattr(module, self.buffer_name)
            value.mul_(self.gamma**due).clamp_(min=self.floor)
        self.decays += due
        MMLogger.get_current_instance().info(
            f'{type(self).__name__}: {self.episodes} episodes, '
            f'{self.buffer_name} {float(value):.4g}')

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        """Save the episode count and the decays applied."""
        checkpoint['meta'][type(self).__name__] = dict(
            episodes=self.episodes, decays=self.decays)

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Keep the saved count for :meth:`before_train` (resume only)."""
        self._checkpoint_state = checkpoint.get('meta',
                                                {}).get(type(self).__name__)

"""Step decay of a schedule kept in a buffer of some model modules."""
from typing import List, Optional

from mmengine.hooks import Hook
from mmengine.logging import MMLogger
from torch import nn


class BufferStepDecayHook(Hook):
    """Multiplies a buffer of every module of one type by ``gamma`` every
    ``interval`` training iterations, down to ``floor``.

    The current value lives in the modules' buffer, so it is saved in
    checkpoints and a resumed run continues the schedule where it stopped.
    Subclasses set :attr:`module_type`, :attr:`buffer_name` and
    :attr:`requirement` (what the model needs, for the error message).

    Args:
        gamma (float): Factor per step, in (0, 1].
        interval (int): Iterations between steps.
        floor (float): Lowest value.
    """

    priority = 'NORMAL'
    module_type: type = nn.Module
    buffer_name: str = ''
    requirement: str = ''

    def __init__(self, gamma: float, interval: int, floor: float) -> None:
        if not 0 < gamma <= 1:
            raise ValueError(f'gamma must be in (0, 1], got {gamma}')
        if interval < 1:
            raise ValueError(f'interval must be >= 1, got {interval}')
        self.gamma = gamma
        self.interval = interval
        self.floor = floor

    def _scheduled_modules(self, runner) -> List[nn.Module]:
        return [
            module for module in runner.model.modules()
            if isinstance(module, self.module_type)
        ]

    def before_train(self, runner) -> None:
        """Fail early if there is nothing to schedule."""
        if not self._scheduled_modules(runner):
            raise ValueError(
                f'{type(self).__name__}: {type(runner.model).__name__} has '
                f'no {self.module_type.__name__} module ({self.requirement})')

    def before_train_iter(self,
                          runner,
                          batch_idx: int,
                          data_batch: Optional[dict] = None) -> None:
        """Step the schedule at iterations ``interval``, ``2 interval``..."""
        if runner.iter == 0 or runner.iter % self.interval:
            return
        for module in self._scheduled_modules(runner):
            value = getattr(module, self.buffer_name)
            value.mul_(self.gamma).clamp_(min=self.floor)
        MMLogger.get_current_instance().info(
            f'{type(self).__name__}: iter {runner.iter}, {self.buffer_name} '
            f'{float(value):.4g}')

"""Step decay of the perturbed top-k noise scale."""
from typing import List, Optional

from mmaction.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.logging import MMLogger

from ...models.samplers.perturbed_topk import PerturbedTopK


@HOOKS.register_module()
class TopKSigmaDecayHook(Hook):
    """Multiplies the ``sigma`` of every :class:`PerturbedTopK` of the model
    by ``gamma`` every ``interval`` training iterations, down to
    ``min_sigma``.

    The initial value is the sampler's (``topk=dict(sigma=...)``). The
    current value lives in the module's ``sigma`` buffer, so it is saved in
    checkpoints and a resumed run continues the schedule where it stopped.
    With the defaults, sigma = max(0.05 * 0.8 ** (iter // 1000), 0.01) for
    an initial 0.05, as in the sampler's released code.

    Args:
        gamma (float): Factor per step. Defaults to 0.8.
        interval (int): Iterations between steps. Defaults to 1000.
        min_sigma (float): Floor. Defaults to 0.01.
    """

    priority = 'NORMAL'

    def __init__(self,
                 gamma: float = 0.8,
                 interval: int = 1000,
                 min_sigma: float = 0.01) -> None:
        if not 0 < gamma <= 1:
            raise ValueError(f'gamma must be in (0, 1], got {gamma}')
        if interval < 1:
            raise ValueError(f'interval must be >= 1, got {interval}')
        self.gamma = gamma
        self.interval = interval
        self.min_sigma = min_sigma

    @staticmethod
    def _topk_modules(runner) -> List[PerturbedTopK]:
        return [m for m in runner.model.modules()
                if isinstance(m, PerturbedTopK)]

    def before_train(self, runner) -> None:
        """Fail early if there is nothing to schedule."""
        if not self._topk_modules(runner):
            raise ValueError(
                f'TopKSigmaDecayHook: {type(runner.model).__name__} has no '
                'PerturbedTopK module (is its sampler a TaskAdaptiveSampler '
                'with a selector?)')

    def before_train_iter(self,
                          runner,
                          batch_idx: int,
                          data_batch: Optional[dict] = None) -> None:
        """Step the schedule at iterations ``interval``, ``2 interval``..."""
        if runner.iter == 0 or runner.iter % self.interval:
            return
        for module in self._topk_modules(runner):
            module.sigma.mul_(self.gamma).clamp_(min=self.min_sigma)
        MMLogger.get_current_instance().info(
            f'TopKSigmaDecayHook: iter {runner.iter}, top-k sigma '
            f'{float(module.sigma):.4g}')

"""Step decay of the perturbed top-k noise scale."""
from mmaction.registry import HOOKS

from ...models.samplers.perturbed_topk import PerturbedTopK
from .buffer_step_decay_hook import BufferStepDecayHook


@HOOKS.register_module()
class TopKSigmaDecayHook(BufferStepDecayHook):
    """Multiplies the ``sigma`` of every :class:`PerturbedTopK` of the model
    by ``gamma`` every ``interval`` training iterations, down to
    ``min_sigma``.

    The initial value is the sampler's (``topk=dict(sigma=...)``); the
    current one is the module's ``sigma`` buffer, saved in checkpoints. With
    the defaults, sigma = max(0.05 * 0.8 ** (iter // 1000), 0.01) for an
    initial 0.05, as in the sampler's released code.

    Args:
        gamma (float): Factor per step. Defaults to 0.8.
        interval (int): Iterations between steps. Defaults to 1000.
        min_sigma (float): Floor. Defaults to 0.01.
    """

    module_type = PerturbedTopK
    buffer_name = 'sigma'
    requirement = 'is its sampler a TaskAdaptiveSampler with a selector?'

    def __init__(self,
                 gamma: float = 0.8,
                 interval: int = 1000,
                 min_sigma: float = 0.01) -> None:
        super().__init__(gamma=gamma, interval=interval, floor=min_sigma)

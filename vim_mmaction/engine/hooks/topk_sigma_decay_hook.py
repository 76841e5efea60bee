"""Step decay of the perturbed top-k noise scale."""
from mmaction.registry import HOOKS

from ...models.samplers.perturbed_topk import PerturbedTopK
from .buffer_step_schedule_hook import BufferStepScheduleHook


@HOOKS.register_module()
class TopKSigmaDecayHook(BufferStepScheduleHook):
    """Multiplies the ``sigma`` of every :class:`PerturbedTopK` of the model
    by ``gamma`` every ``interval_episodes`` training episodes (over all
    processes and accumulation steps), down to ``min_sigma``.

    The initial value is the sampler's (``topk=dict(sigma=...)``); the
    current one is the module's ``sigma`` buffer, saved in checkpoints. The
    defaults are the sampler's released schedule, x0.8 every 1000 training
    iterations of its TRX-style loop, where one iteration is one episode
    (the optimiser steps every 16): sigma = max(0.05 * 0.8 ** (e // 1000),
    0.01) for an initial 0.05, ``e`` the episodes seen. See
    :class:`BufferStepScheduleHook` for when the value changes and how the
    count is checkpointed.

    Args:
        gamma (float): Factor per decay. Defaults to 0.8.
        interval_episodes (int): Training episodes between decays.
            Defaults to 1000.
        min_sigma (float): Floor. Defaults to 0.01.
    """

    module_type = PerturbedTopK
    buffer_name = 'sigma'
    requirement = 'is its sampler a TaskAdaptiveSampler with a selector?'

    def __init__(self,
                 gamma: float = 0.8,
                 interval_episodes: int = 1000,
                 min_sigma: float = 0.01) -> None:
        super().__init__(
            gamma=gamma, interval_episodes=interval_episodes, limit=min_sigma)

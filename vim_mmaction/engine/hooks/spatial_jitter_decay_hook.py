"""Step decay of the spatial coordination's pooling-window jitter."""
from mmaction.registry import HOOKS

from ...models.heads.spatial_coordination import SpatialCoordination
from .buffer_step_schedule_hook import BufferStepScheduleHook


@HOOKS.register_module()
class SpatialJitterDecayHook(BufferStepScheduleHook):
    """Multiplies the ``jitter`` of every :class:`SpatialCoordination` of the
    model by ``gamma`` every ``interval_episodes`` training episodes (over
    all processes and accumulation steps), down to ``min_jitter``.

    VIM averages each shifted pooling window over 9 jittered offsets and
    halves the jitter step on a schedule as training settles; the paper
    gives the start (0.2, ``spatial_cfg=dict(jitter=...)`` of the head) but
    not the steps. The defaults halve it every 5,000 episodes: 0.2, 0.1,
    0.05, 0.025 over the 20,000 episodes of the benchmark schedules. The
    current value is the module's ``jitter`` buffer, saved in checkpoints;
    see :class:`BufferStepScheduleHook` for when it changes and how the count
    is checkpointed.

    Args:
        gamma (float): Factor per decay. Defaults to 0.5.
        interval_episodes (int): Training episodes between decays.
            Defaults to 5000.
        min_jitter (float): Floor. Defaults to 0.
    """

    module_type = SpatialCoordination
    buffer_name = 'jitter'
    requirement = ('is its head a VIMAlignmentHead with '
                   'spatial_coordination=True?')

    def __init__(self,
                 gamma: float = 0.5,
                 interval_episodes: int = 5000,
                 min_jitter: float = 0.0) -> None:
        super().__init__(
            gamma=gamma, interval_episodes=interval_episodes, limit=min_jitter)

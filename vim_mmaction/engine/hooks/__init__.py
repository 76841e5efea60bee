from .buffer_step_schedule_hook import BufferStepScheduleHook
from .data_worker_seed_hook import DataWorkerSeedHook
from .rng_state_hook import RNGStateHook
from .spatial_jitter_decay_hook import SpatialJitterDecayHook
from .topk_sigma_decay_hook import TopKSigmaDecayHook
from .zoom_warmup_hook import ZoomWarmupHook

__all__ = [
    'BufferStepScheduleHook', 'DataWorkerSeedHook', 'RNGStateHook',
    'SpatialJitterDecayHook', 'TopKSigmaDecayHook', 'ZoomWarmupHook'
]

from .buffer_step_decay_hook import BufferStepDecayHook
from .data_worker_seed_hook import DataWorkerSeedHook
from .rng_state_hook import RNGStateHook
from .spatial_jitter_decay_hook import SpatialJitterDecayHook
from .topk_sigma_decay_hook import TopKSigmaDecayHook

__all__ = [
    'BufferStepDecayHook', 'DataWorkerSeedHook', 'RNGStateHook',
    'SpatialJitterDecayHook', 'TopKSigmaDecayHook'
]

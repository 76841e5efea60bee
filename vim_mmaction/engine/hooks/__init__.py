from .buffer_step_decay_hook import BufferStepDecayHook
from .spatial_jitter_decay_hook import SpatialJitterDecayHook
from .topk_sigma_decay_hook import TopKSigmaDecayHook

__all__ = [
    'BufferStepDecayHook', 'SpatialJitterDecayHook', 'TopKSigmaDecayHook'
]

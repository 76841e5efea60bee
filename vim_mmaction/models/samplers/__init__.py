from .perturbed_topk import PerturbedTopK, sorted_topk_indicator
from .spatial_amplifier import SpatialAmplifier, saliency_grid
from .task_adaptive_learner import TaskAdaptiveLearner
from .task_adaptive_sampler import SamplerOutput, TaskAdaptiveSampler
from .temporal_selector import TemporalSelector
from .uniform_frame_sampler import UniformFrameSampler, uniform_positions

__all__ = [
    'PerturbedTopK', 'SamplerOutput', 'SpatialAmplifier',
    'TaskAdaptiveLearner', 'TaskAdaptiveSampler', 'TemporalSelector',
    'UniformFrameSampler', 'saliency_grid', 'sorted_topk_indicator',
    'uniform_positions'
]

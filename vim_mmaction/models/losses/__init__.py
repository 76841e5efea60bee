from .sampled_frames_mi_loss import SampledFramesMILoss
from .sampler_guidance_loss import SamplerGuidanceLoss

__all__ = ['SampledFramesMILoss', 'SamplerGuidanceLoss']

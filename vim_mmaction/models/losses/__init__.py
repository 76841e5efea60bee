from .sampled_frames_mi_loss import SampledFramesMILoss

__all__ = ['SampledFramesMILoss']

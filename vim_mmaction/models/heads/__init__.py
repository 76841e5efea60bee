from .base_few_shot_head import (BaseFewShotHead, pool_clip_features,
                                 pool_frame_features)
from .multi_shot_fusion import MultiShotFusion
from .otam_head import OTAMHead
from .proto_head import ProtoHead
from .soft_dtw import otam_distance, soft_dtw
from .spatial_coordination import (SpatialCoordination,
                                   conv3d_of_spatially_constant,
                                   shifted_window_weights)
from .temporal_coordination import TemporalCoordination, frame_attention
from .temporal_transform import TemporalTransform, warp_timeline
from .trx_head import TRXHead, TupleCrossTransformer
from .vim_alignment_head import (VIMAlignmentHead, alignment_information_loss,
                                 frame_cosine_logits)

__all__ = [
    'BaseFewShotHead', 'MultiShotFusion', 'OTAMHead', 'ProtoHead',
    'SpatialCoordination', 'TRXHead', 'TemporalCoordination',
    'TemporalTransform', 'TupleCrossTransformer', 'VIMAlignmentHead',
    'alignment_information_loss', 'conv3d_of_spatially_constant',
    'frame_attention', 'frame_cosine_logits', 'otam_distance',
    'pool_clip_features', 'pool_frame_features', 'shifted_window_weights',
    'soft_dtw', 'warp_timeline'
]

from .base_few_shot_head import BaseFewShotHead, pool_clip_features
from .proto_head import ProtoHead

__all__ = ['BaseFewShotHead', 'ProtoHead', 'pool_clip_features']

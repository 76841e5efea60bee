from .clip_feature_cache import ClipFeatureCache
from .episodic_loops import (EpisodicTestLoop, EpisodicValLoop,
                             FeatureCacheLoopMixin)
from .feature_cache_policy import FeatureCacheSettings, cache_refusal
from .feature_store import FeatureStore

__all__ = [
    'ClipFeatureCache', 'EpisodicTestLoop', 'EpisodicValLoop',
    'FeatureCacheLoopMixin', 'FeatureCacheSettings', 'FeatureStore',
    'cache_refusal'
]

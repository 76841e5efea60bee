from .efficientnet_lite0 import EfficientNetLite0
from .scan_shufflenet_v2 import ScanShuffleNetV2

__all__ = ['EfficientNetLite0', 'ScanShuffleNetV2']

from .efficientnet_lite0 import EfficientNetLite0
from .scan_efficientnet_lite0 import ScanEfficientNetLite0
from .scan_shufflenet_v2 import ScanShuffleNetV2

__all__ = ['EfficientNetLite0', 'ScanEfficientNetLite0', 'ScanShuffleNetV2']

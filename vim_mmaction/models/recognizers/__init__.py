from .few_shot_recognizer import FewShotRecognizer
from .few_shot_recognizer_3d import FewShotRecognizer3D
from .sampled_recognizer2d import SampledRecognizer2D

__all__ = ['FewShotRecognizer', 'FewShotRecognizer3D', 'SampledRecognizer2D']

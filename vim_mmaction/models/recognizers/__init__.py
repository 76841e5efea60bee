from .few_shot_recognizer import FewShotRecognizer
from .sampled_recognizer2d import SampledRecognizer2D

__all__ = ['FewShotRecognizer', 'SampledRecognizer2D']

from .few_shot_recognizer import FewShotRecognizer

__all__ = ['FewShotRecognizer']

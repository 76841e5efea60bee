from .positional_encoding import sinusoidal_encoding

__all__ = ['sinusoidal_encoding']

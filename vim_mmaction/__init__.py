"""Few-shot action recognition for mmaction2, led by VIM.

Importing the package applies the compatibility fixes of the PyPI stack
(see :mod:`vim_mmaction._compat`) and registers every component into
mmaction2's registries, so configs use them unprefixed.
"""
from . import _compat

_compat.apply()

from . import datasets, engine, evaluation, models  # noqa: E402,F401
from .version import __version__  # noqa: E402

__all__ = ['__version__']

"""Does a checkpoint hold the weights of this model? Named, key by key."""
import re
from collections import Counter
from typing import List, Mapping

from mmengine.model import is_model_wrapper
from mmengine.runner import CheckpointLoader
from torch import nn

# Keys listed in full per kind of difference; the rest are counted.
_SHOWN_KEYS = 5


class CheckpointMismatchError(RuntimeError):
    """A checkpoint holds the weights of another model."""


def _model_state(checkpoint: Mapping) -> Mapping:
    """The weights of an mmengine checkpoint (or of a bare state dict), with
    the ``module.`` prefix of wrapped models removed, as mmengine loads
    them."""
    state = checkpoint.get('state_dict', checkpoint)
    return {re.sub(r'^module\.', '', key): value
            for key, value in state.items()}


def _describe(kind: str, keys: List[str]) -> str:
    """``kind (n): key, key, ... and m more [top-level modules]``."""
    shown = ', '.join(keys[:_SHOWN_KEYS])
    more = len(keys) - _SHOWN_KEYS
    text = f'{kind} ({len(keys)}): {shown}'
    if more > 0:
        modules = Counter(key.split('.')[0] for key in keys)
        per_module = ', '.join(f'{m}.*: {n}' for m, n in modules.items())
        text += f' and {more} more ({per_module})'
    return text


def check_checkpoint_matches(model: nn.Module, checkpoint: Mapping,
                             filename: str) -> None:
    """Raises unless ``checkpoint`` has exactly the model's weights (keys
    and shapes).

    Loading another model's checkpoint fails late and obscurely (strict
    loading lists hundreds of keys; a resume fails on the optimizer's
    parameter groups) or, not strict, tests random weights.

    Args:
        model: The model, unwrapped.
        checkpoint: A loaded checkpoint (``state_dict`` inside) or a state
            dict.
        filename: The checkpoint's name, for the message.

    Raises:
        CheckpointMismatchError: Naming the file, the missing and unexpected
            keys and the differing shapes.
    """
    expected = model.state_dict()
    found = _model_state(checkpoint)
    missing = [key for key in expected if key not in found]
    unexpected = [key for key in found if key not in expected]
    reshaped = [
        f'{key} {tuple(found[key].shape)} in the file, '
        f'{tuple(expected[key].shape)} in the model' for key in expected
        if key in found and hasattr(found[key], 'shape')
        and found[key].shape != expected[key].shape
    ]
    differences = [
        _describe(kind, keys)
        for kind, keys in (('missing keys', missing),
                           ('unexpected keys', unexpected),
                           ('other shapes', reshaped)) if keys
    ]
    if differences:
        raise CheckpointMismatchError(
            f'checkpoint {filename} holds a different model: '
            f'{"; ".join(differences)}. Use the config it was trained '
            f'with, or another checkpoint.')


def check_checkpoint_file(model: nn.Module, filename: str) -> None:
    """Loads a checkpoint (on the CPU, through mmengine's loaders) and checks
    that it holds ``model``'s weights, before a runner loads it again for
    good: a damaged file or another model's checkpoint is then named as
    such, not by whatever fails first inside the runner.

    Args:
        model: The model, possibly wrapped (DDP).
        filename: Path or URL of the checkpoint.

    Raises:
        CheckpointMismatchError: See :func:`check_checkpoint_matches`.
        vim_mmaction._compat.CorruptCheckpointError: The file is damaged.
    """
    checkpoint = CheckpointLoader.load_checkpoint(filename, map_location='cpu')
    if is_model_wrapper(model):
        model = model.module
    check_checkpoint_matches(model, checkpoint, filename)

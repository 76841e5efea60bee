"""The global random states of one process, as checkpointable values."""
import random
from typing import Any, Dict

import numpy as np
import torch


def get_rng_state() -> Dict[str, Any]:
    """Returns the states of python's ``random``, numpy's global generator,
    torch's CPU generator and, with CUDA, the current device's generator.

    Only ints, tuples, lists, strings and tensors, so that the state loads
    with ``torch.load(weights_only=True)``.
    """
    numpy_state = np.random.get_state(legacy=False)
    state = dict(
        python=random.getstate(),
        numpy=dict(
            key=numpy_state['state']['key'].tolist(),
            pos=numpy_state['state']['pos'],
            has_gauss=numpy_state['has_gauss'],
            gauss=numpy_state['gauss']),
        torch=torch.get_rng_state())
    if torch.cuda.is_available():
        # The current device only: touching every device's generator would
        # create a CUDA context on each GPU from every process.
        state['cuda'] = torch.cuda.get_rng_state()
    return state


def set_rng_state(state: Dict[str, Any]) -> None:
    """Restores a state from :func:`get_rng_state`; its CUDA part only when
    this process has CUDA."""
    random.setstate(state['python'])
    numpy_state = state['numpy']
    np.random.set_state(
        dict(
            bit_generator='MT19937',
            state=dict(
                key=np.array(numpy_state['key'], dtype=np.uint32),
                pos=numpy_state['pos']),
            has_gauss=numpy_state['has_gauss'],
            gauss=numpy_state['gauss']))
    torch.set_rng_state(state['torch'])
    if 'cuda' in state and torch.cuda.is_available():
        torch.cuda.set_rng_state(state['cuda'])


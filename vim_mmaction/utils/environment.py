"""What a reader needs to compare two results: the machine and the stack."""
import importlib
import os
import platform
import sys
from typing import Dict

import torch

# Modules whose versions change the numbers of a run (torch's names its
# build, e.g. 2.14.1+cu130; mmcv is mmcv-lite's too).
_MODULES = ('torch', 'numpy', 'mmengine', 'mmaction', 'mmcv', 'vim_mmaction')


def cpu_model() -> str:
    """The CPU's model name (Linux: ``/proc/cpuinfo``; elsewhere what the
    platform module knows)."""
    try:
        with open('/proc/cpuinfo') as cpuinfo:
            for line in cpuinfo:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or 'unknown'


def environment_info() -> Dict[str, str]:
    """The facts that decide the last digits of a result.

    Runs are deterministic per machine and software stack, not across them:
    float reductions take other paths on another CPU (vector width, the
    kernels oneDNN and BLAS pick for it), thread count or GPU, and training
    amplifies the differences in the last bits.

    Returns:
        ``cpu`` (model, logical cores, torch threads, the vector extensions
        torch's kernels use), ``cuda`` (device and versions, or ``none``),
        ``python``, ``packages`` (versions of the modules that matter).
    """
    capability = torch.backends.cpu.get_cpu_capability()
    info = dict(
        cpu=(f'{cpu_model()}, {os.cpu_count()} logical cores, '
             f'{torch.get_num_threads()} torch threads, {capability}'),
        cuda='none',
        python=f'{sys.version.split()[0]} on {platform.platform()}')
    if torch.cuda.is_available():
        info['cuda'] = (
            f'{torch.cuda.get_device_name()}, CUDA {torch.version.cuda}, '
            f'cuDNN {torch.backends.cudnn.version()}')
    info['packages'] = ', '.join(
        f'{name} {getattr(importlib.import_module(name), "__version__", "?")}'
        for name in _MODULES)
    return info


def environment_summary() -> str:
    """:func:`environment_info` on one line, for logs."""
    return 'environment: ' + '; '.join(
        f'{key} {value}' for key, value in environment_info().items())

"""The environment line of the training and test logs."""
import numpy as np
import torch
from mmaction import __version__ as mmaction_version
from mmengine import __version__ as mmengine_version

from vim_mmaction.utils.environment import cpu_model, environment_summary


def test_summary_names_the_cpu_threads_and_versions():
    summary = environment_summary()
    assert summary.startswith('environment: cpu ')
    assert cpu_model() in summary
    assert f'{torch.get_num_threads()} torch threads' in summary
    for package, version in (('torch', torch.__version__),
                             ('numpy', np.__version__),
                             ('mmengine', mmengine_version),
                             ('mmaction', mmaction_version)):
        assert f'{package} {version}' in summary
    cuda = torch.cuda.get_device_name() if torch.cuda.is_available() \
        else 'none'
    assert f'cuda {cuda}' in summary


def test_cpu_model_is_the_one_linux_reports():
    try:
        with open('/proc/cpuinfo') as cpuinfo:
            names = [
                line.split(':', 1)[1].strip() for line in cpuinfo
                if line.startswith('model name')
            ]
    except OSError:
        names = []
    if names:
        assert cpu_model() == names[0]
    else:
        assert cpu_model()

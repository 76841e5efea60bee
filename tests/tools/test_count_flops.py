import json

import pytest
from mmaction.registry import MODELS
from torch import nn

from ..helpers import load_tool

count_flops = load_tool('tools/analysis/count_flops.py')


def test_counts_multiply_adds_of_convolutions_and_linear_layers_only():
    """mmengine's counts of a grouped convolution and a linear layer are
    their multiply-adds; batch norm and ReLU are left out."""
    model = nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1, groups=1), nn.BatchNorm2d(8),
        nn.ReLU(), nn.Conv2d(8, 8, 3, padding=1, groups=2), nn.Flatten(),
        nn.Linear(8 * 5 * 5, 3))
    conv = 8 * 5 * 5 * 3 * 9 + 8 * 5 * 5 * (8 // 2) * 9
    linear = 3 * 200
    assert count_flops.frame_macs(model, 5) == conv + linear


def test_resnet50_counts_its_known_cost():
    resnet = MODELS.build(dict(type='ResNet', depth=50))
    macs = count_flops.frame_macs(resnet, 224)
    assert round(macs / 1e9, 2) == 4.09


@pytest.mark.parametrize(
    'scan_net, mmacs_per_frame',
    [("dict(type='ScanShuffleNetV2', arch='x0_5')", 10.9),
     ("dict(type='ScanEfficientNetLite0')", 19.9)])
def test_scan_costs_under_5_percent_of_resnet50(scan_net, mmacs_per_frame,
                                                capsys):
    """The tool's defaults: 16 scans of 64 px against ResNet-50 on 8 frames
    of 224 px."""
    count_flops.main(['--scan-net', scan_net])
    result = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert result['scan_net'] == scan_net
    assert round(result['scan_mmacs_per_frame'], 1) == mmacs_per_frame
    assert result['scan_over_backbone'] <= 0.05

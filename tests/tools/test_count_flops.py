import json

import pytest
import torch
from mmaction.registry import MODELS
from torch import nn

from ..helpers import load_tool

count_flops = load_tool('tools/analysis/count_flops.py')


def test_counts_grouped_convolutions_and_linear_layers():
    model = nn.Sequential(
        nn.Conv2d(4, 8, 3, padding=1, groups=2), nn.Flatten(),
        nn.Linear(8 * 5 * 5, 3))
    macs = count_flops.conv_linear_macs(
        model, lambda: model(torch.zeros(2, 4, 5, 5)))
    conv = 2 * 8 * 5 * 5 * (4 // 2) * 9
    linear = 2 * 3 * 200
    assert macs == conv + linear


def test_resnet50_counts_its_known_cost():
    with torch.device('meta'):
        resnet = MODELS.build(dict(type='ResNet', depth=50))
        frames = torch.empty(8, 3, 224, 224)
        macs = count_flops.conv_linear_macs(resnet, lambda: resnet(frames))
    assert round(macs / 8 / 1e9, 2) == 4.09


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

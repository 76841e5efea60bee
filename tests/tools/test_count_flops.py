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


def test_default_scan_costs_under_5_percent_of_resnet50():
    """16 scans of 64 px against ResNet-50 on 8 frames of 224 px."""
    with torch.device('meta'):
        resnet = MODELS.build(dict(type='ResNet', depth=50))
        scan = MODELS.build(dict(type='ScanShuffleNetV2'))
        frames = torch.empty(8, 3, 224, 224)
        scans = torch.empty(16, 3, 64, 64)
        backbone = count_flops.conv_linear_macs(resnet, lambda: resnet(frames))
        scan_macs = count_flops.conv_linear_macs(scan, lambda: scan(scans))
    assert round(backbone / 8 / 1e9, 2) == 4.09  # ResNet-50's known cost
    assert scan_macs / backbone < 0.05

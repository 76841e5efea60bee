import pytest
import torch
import torchvision

from vim_mmaction.models import ScanShuffleNetV2


def test_maps_of_a_64px_scan_without_the_stem_pool():
    net = ScanShuffleNetV2().eval()
    maps = net(torch.rand(2, 3, 64, 64))
    assert [tuple(m.shape[1:]) for m in maps] == [(24, 32, 32), (48, 16, 16),
                                                  (96, 8, 8), (192, 4, 4),
                                                  (1024, 4, 4)]
    assert sum(p.numel() for p in net.parameters()) == 341_792


def test_local_torchvision_weights_load_into_every_stage(tmp_path):
    torch.manual_seed(0)
    reference = torchvision.models.shufflenet_v2_x0_5(weights=None).eval()
    path = tmp_path / 'shufflenetv2_x0.5.pth'
    torch.save(reference.state_dict(), path)
    net = ScanShuffleNetV2(pretrained=str(path))
    net.init_weights()
    net.eval()
    x = torch.rand(1, 3, 64, 64)
    expected = reference.conv5(
        reference.stage4(reference.stage3(reference.stage2(
            reference.conv1(x)))))
    torch.testing.assert_close(net(x)[-1], expected)


def test_unknown_width_is_refused():
    with pytest.raises(ValueError, match="got 'x0_3'"):
        ScanShuffleNetV2(arch='x0_3')

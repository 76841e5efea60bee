import torch

from vim_mmaction.models import EfficientNetLite0


def test_pretrained_weights_load_from_the_wheel():
    backbone = EfficientNetLite0(pretrained=True)
    before = backbone.net._conv_stem.weight.detach().clone()
    backbone.init_weights()
    after = backbone.net._conv_stem.weight
    assert not torch.equal(before, after)
    backbone.eval()
    with torch.no_grad():
        out = backbone(torch.randn(2, 3, 64, 64))
    assert out.shape == (2, 1280, 2, 2)


def test_frozen_blocks_get_no_gradient_and_stay_in_eval():
    backbone = EfficientNetLite0(pretrained=False, frozen_blocks=4,
                                 norm_eval=True)
    backbone.train()
    backbone(torch.randn(2, 3, 32, 32)).sum().backward()
    assert backbone.net._conv_stem.weight.grad is None
    assert backbone.net._blocks[3]._project_conv.weight.grad is None
    assert backbone.net._blocks[4]._project_conv.weight.grad is not None
    assert not backbone.net._bn1.training

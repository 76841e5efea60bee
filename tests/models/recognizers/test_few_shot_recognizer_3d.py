"""FewShotRecognizer3D: clip backbones (3D CNNs, video transformers) in front
of the few-shot heads."""
import pytest
import torch
from mmaction.registry import MODELS
from mmengine.config import Config
from mmengine.optim import OptimWrapper
from torch import nn

from vim_mmaction.models import FewShotRecognizer3D, ProtoHead
from vim_mmaction.utils import make_episode_samples

from ...helpers import REPO

CONFIGS = REPO / 'configs' / 'vim'
# The configs' backbones, small enough for a CPU test: X3D-S as configured,
# a 1-block ViT of 64 channels; 64 px frames, a small spatial pair network.
SHRINK = {
    'vim-align_x3d-s_1xb1-5way-1shot_ssv2-full.py':
    dict(),
    'vim-align_vit-b-p16_1xb1-5way-1shot_ssv2-full.py':
    dict(
        backbone=dict(img_size=64, embed_dims=64, depth=1, num_heads=2),
        cls_head=dict(in_channels=64)),
}


@MODELS.register_module(name='TimeConvForTest')
class TimeConv(nn.Module):
    """A clip backbone: one Conv3d that halves space and keeps time."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv3d(3, 4, 3, stride=(1, 2, 2), padding=1)

    def forward(self, clips):  # (clips, C, T, H, W)
        return self.conv(clips)


def test_the_backbone_reads_clips_and_the_head_gets_frames():
    model = FewShotRecognizer3D(
        backbone=dict(type='TimeConvForTest'),
        cls_head=dict(type='ProtoHead'))
    inputs = torch.randn(3, 8, 3, 16, 16)  # (clips, T, C, H, W)
    feats, _ = model.extract_feat(inputs)
    expected = model.backbone(inputs.transpose(1, 2)).transpose(1, 2)
    assert feats.shape == (3, 8, 4, 8, 8)
    assert torch.equal(feats, expected)
    assert isinstance(model.cls_head, ProtoHead)


def test_a_backbone_without_time_axis_is_named():
    model = FewShotRecognizer3D(
        backbone=dict(
            type='VisionTransformer',
            img_size=32,
            embed_dims=16,
            depth=1,
            num_heads=2,
            num_frames=4),
        cls_head=dict(type='ProtoHead'))
    with pytest.raises(ValueError,
                       match=r'VisionTransformer returned features of shape '
                       r'\(2, 16\); FewShotRecognizer3D needs .*'
                       r'return_feat_map=True'):
        model.extract_feat(torch.zeros(2, 4, 3, 32, 32))


@pytest.mark.parametrize('config', list(SHRINK))
def test_one_training_episode_reaches_the_backbone(config):
    cfg = Config.fromfile(CONFIGS / config)
    cfg.merge_from_dict(dict(model=SHRINK[config]))
    cfg.model.cls_head.spatial_cfg = dict(channels=8, hidden_channels=4)
    model = MODELS.build(cfg.model)
    model.init_weights()
    samples = make_episode_samples(ways=2, shots=1, queries=1)
    for sample in samples:
        sample.set_gt_label(sample.metainfo['episode_label'])
    data = dict(
        inputs=[
            torch.randint(0, 256, (8, 3, 64, 64), dtype=torch.uint8)
            for _ in samples
        ],
        data_samples=samples)
    name, stem = next(model.backbone.named_parameters())  # the first layer
    before = stem.detach().clone()
    optim_wrapper = OptimWrapper(
        torch.optim.SGD(model.parameters(), lr=0.1))
    losses = model.train_step(data, optim_wrapper)
    assert torch.isfinite(losses['loss']), losses
    assert (stem - before).abs().max() > 0, f'{name} did not change'

"""VIMAlignmentHead trains behind mmaction2's own TSM backbone."""
import torch
from mmaction.registry import MODELS
from mmengine.config import Config

from vim_mmaction.utils import make_episode_samples

from ...helpers import REPO

CONFIG = 'configs/vim/vim-align_tsm-r50_1xb1-5way-1shot_ssv2-full.py'


def test_tsm_config_trains_the_alignment_head():
    cfg = Config.fromfile(REPO / CONFIG)
    assert cfg.model.backbone.type == 'ResNetTSM'
    # The config's model, made small: ResNet-18, 4 frames, no weights.
    frames = 4
    cfg.model.backbone.update(
        depth=18, num_segments=frames, pretrained=None, pretrained2d=False)
    cfg.model.cls_head.in_channels = 512
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    model.train()

    samples = make_episode_samples(ways=3, shots=2, queries=1)
    generator = torch.Generator().manual_seed(0)
    batch = dict(
        inputs=[
            torch.randint(0, 256, (frames, 3, 64, 64), dtype=torch.uint8,
                          generator=generator) for _ in samples
        ],
        data_samples=samples)
    data = model.data_preprocessor(batch, training=True)
    trainable = {
        name: param for name, param in model.named_parameters()
        if param.requires_grad
    }
    optimizer = torch.optim.SGD(trainable.values(), lr=0.01)
    got_gradient = set()
    losses = []
    for _ in range(4):
        optimizer.zero_grad()
        loss_terms = model(**data, mode='loss')
        assert 'loss_mi_align' in loss_terms
        loss = sum(value for key, value in loss_terms.items() if 'loss' in key)
        loss.backward()
        got_gradient |= {
            name for name, param in trainable.items()
            if param.grad is not None and param.grad.any()
        }
        optimizer.step()
        losses.append(loss.item())
    # Zero-initialised last layers pass gradients on from the second step.
    assert sorted(set(trainable) - got_gradient) == []
    assert losses[-1] < losses[0]

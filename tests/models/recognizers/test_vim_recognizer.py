"""VIM in full: the task-adaptive sampler and the alignment head together."""
import torch
from mmaction.registry import MODELS
from mmengine.config import Config

from vim_mmaction.utils import make_episode_samples

from ...helpers import REPO


def test_vim_config_trains_sampler_and_head_together():
    cfg = Config.fromfile(
        REPO / 'configs/vim/vim_r50_1xb1-5way-1shot_ssv2-full.py')
    # Same model, small enough for a CPU test.
    cfg.model.backbone = dict(type='EfficientNetLite0', pretrained=False)
    cfg.model.cls_head.in_channels = 1280
    cfg.model.cls_head.spatial_cfg.channels = 16
    cfg.model.sampler.topk.num_samples = 20
    model = MODELS.build(cfg.model)
    samples = make_episode_samples(ways=3, shots=1, queries=1)
    inputs = [
        torch.randint(0, 255, (16, 3, 64, 64), dtype=torch.uint8)
        for _ in samples
    ]
    data = model.data_preprocessor(
        dict(inputs=inputs, data_samples=samples), True)
    losses = model(**data, mode='loss')
    assert {'loss_cls', 'loss_mi_align', 'loss_sampler_mi'} <= set(losses)
    sum(v for k, v in losses.items() if 'loss' in k).backward()
    sampler_grads = [
        p.grad for p in model.sampler.parameters() if p.requires_grad
    ]
    assert any(g is not None and g.abs().sum() > 0 for g in sampler_grads)
    head_grads = [p.grad for p in model.cls_head.parameters()]
    assert any(g is not None and g.abs().sum() > 0 for g in head_grads)
    model.eval()
    with torch.no_grad():
        outputs = model(**model.data_preprocessor(
            dict(inputs=inputs, data_samples=samples), False), mode='predict')
    scores = [s.pred_score for s in outputs if s.metainfo['role'] == 'query']
    assert len(scores) == 3 and all(s.shape == (3, ) for s in scores)

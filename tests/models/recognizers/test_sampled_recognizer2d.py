import pytest
import torch
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmengine.config import Config

from ...helpers import REPO

CONFIG = (REPO / 'configs' / 'recognition' /
          'tsn-sampler_effnet-lite0_1xb4-16to8f_synthetic.py')


@pytest.fixture
def model():
    torch.manual_seed(0)
    cfg = Config.fromfile(CONFIG)
    cfg.model.backbone.pretrained = False
    cfg.model.sampler.topk = dict(num_samples=20)
    return MODELS.build(cfg.model)


def batch(clips=2, frames=16, size=64):
    samples = []
    for label in range(clips):
        sample = ActionDataSample()
        sample.set_gt_label(label)
        samples.append(sample)
    inputs = [
        torch.randint(0, 255, (frames, 3, size, size), dtype=torch.uint8)
        for _ in samples
    ]
    return dict(inputs=inputs, data_samples=samples)


def test_backbone_sees_the_kept_frames_and_the_sampler_learns(model):
    model.train()
    calls = []
    handle = model.backbone.register_forward_hook(
        lambda module, args, out: calls.append(args[0].shape[0]))
    data = model.data_preprocessor(batch(), True)
    losses = model(**data, mode='loss')
    handle.remove()
    assert calls == [2 * 8, 2 * 16]  # sampled frames, then the MI pass
    sum(v for k, v in losses.items() if 'loss' in k).backward()
    assert set(losses) >= {'loss_cls', 'loss_sampler_mi'}
    assert model.sampler.selector.last.weight.grad.abs().sum() > 0


def test_predict_gives_a_class_distribution_per_clip(model):
    model.eval()
    data = model.data_preprocessor(batch(clips=3), False)
    with torch.no_grad():
        outputs = model(**data, mode='predict')
    scores = torch.stack([sample.pred_score for sample in outputs])
    assert scores.shape == (3, 16)
    torch.testing.assert_close(scores.sum(1), torch.ones(3))

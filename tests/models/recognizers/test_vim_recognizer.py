"""VIM in full: the task-adaptive sampler and the alignment head together."""
import pytest
import torch
from mmaction.registry import MODELS
from mmengine.config import Config

from vim_mmaction.utils import make_episode_samples

from ...helpers import REPO


def small_vim(**amplifier):
    """The SSv2 VIM config's model, small enough for a CPU test."""
    cfg = Config.fromfile(
        REPO / 'configs/vim/vim_r50_1xb1-5way-1shot_ssv2-full.py')
    cfg.model.backbone = dict(type='EfficientNetLite0', pretrained=False)
    cfg.model.cls_head.in_channels = 1280
    cfg.model.cls_head.spatial_cfg.channels = 16
    cfg.model.sampler.topk.num_samples = 20
    cfg.model.sampler.amplifier.update(amplifier)
    return MODELS.build(cfg.model)


def episode_batch():
    samples = make_episode_samples(ways=3, shots=1, queries=1)
    inputs = [
        torch.randint(0, 255, (16, 3, 64, 64), dtype=torch.uint8)
        for _ in samples
    ]
    return dict(inputs=inputs, data_samples=samples)


def test_vim_config_trains_sampler_and_head_together():
    model = small_vim()
    batch = episode_batch()
    inputs, samples = batch['inputs'], batch['data_samples']
    losses = model(**model.data_preprocessor(batch, True), mode='loss')
    assert 'zoom_strength' not in losses
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


def test_a_learned_zoom_strength_is_logged_not_added_to_the_loss():
    model = small_vim(initial_strength=0.2)
    losses = model(
        **model.data_preprocessor(episode_batch(), True), mode='loss')
    assert losses['zoom_strength'].item() == pytest.approx(0.2)
    loss, log_vars = model.parse_losses(losses)
    assert log_vars['zoom_strength'].item() == pytest.approx(0.2)
    torch.testing.assert_close(
        loss, sum(v for k, v in losses.items() if k.startswith('loss')))
    loss.backward()
    assert model.sampler.amplifier.zoom_strength_logit.grad.abs() > 0


def test_the_sampler_guide_trains_the_sampler_and_nothing_else():
    batch = episode_batch()

    def gradients(guide):
        torch.manual_seed(0)
        model = small_vim()
        if guide:
            model.sampler_guide = MODELS.build(
                dict(type='SamplerGuidanceLoss'))
        torch.manual_seed(1)  # the same noise and dropout in both runs
        losses = model(**model.data_preprocessor(batch, True), mode='loss')
        model.parse_losses(losses)[0].backward()
        return losses, {
            name: param.grad.clone()
            for name, param in model.named_parameters()
            if param.grad is not None
        }

    plain_losses, plain = gradients(guide=False)
    guided_losses, guided = gradients(guide=True)
    assert 'loss_sampler_guide' in guided_losses
    torch.testing.assert_close(guided_losses['loss_cls'],
                               plain_losses['loss_cls'])
    assert plain.keys() == guided.keys()
    changed = {
        name
        for name in plain if not torch.allclose(plain[name], guided[name])
    }
    assert changed and all(name.startswith('sampler.') for name in changed)

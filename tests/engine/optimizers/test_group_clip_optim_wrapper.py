import json
import math
import sys
import uuid
from collections import OrderedDict

import pytest
import torch
import torch.distributed as dist
from mmengine.logging import MessageHub
from mmengine.optim import build_optim_wrapper
from mmengine.optim.optimizer import amp_optimizer_wrapper
from torch import nn
from torch.nn.parallel import DistributedDataParallel

from vim_mmaction.engine import GroupClipAmpOptimWrapper, GroupClipOptimWrapper
from ...helpers import REPO, free_port


class Tiny(nn.Module):
    """A backbone and a two-part sampler whose gradients are given: the loss
    is linear in the weights, so d loss / d weight is the input."""

    def __init__(self):
        super().__init__()
        self.backbone = nn.Linear(2, 1, bias=False)
        self.sampler = nn.Sequential(
            OrderedDict(
                scan_net=nn.Linear(2, 1, bias=False),
                selector=nn.Linear(2, 1, bias=False)))

    def forward(self, backbone, scan_net, selector):
        return (
            (self.backbone.weight * torch.tensor([backbone])).sum() +
            (self.sampler.scan_net.weight * torch.tensor([scan_net])).sum() +
            (self.sampler.selector.weight * torch.tensor([selector])).sum())


# Gradients of one step: the sampler's norm is sqrt(3² + 4² + 12²) = 13, the
# backbone's 0.5.
GRADS = dict(backbone=[0.3, 0.4], scan_net=[3.0, 4.0], selector=[0.0, 12.0])


@pytest.fixture
def hub():
    """A fresh MessageHub, current while the wrapper is built."""
    return MessageHub.get_instance(f'test-{uuid.uuid4()}')


def build(model, lr_mult=1.0, **cfg):
    cfg = {
        'type': 'GroupClipOptimWrapper',
        'optimizer': dict(type='SGD', lr=1.0),
        'clip_grad': dict(max_norm=1.0),
        'clip_grad_groups': dict(sampler=dict(max_norm=5.0)),
        'paramwise_cfg': dict(custom_keys=dict(sampler=dict(lr_mult=lr_mult))),
        **cfg
    }
    wrapper = build_optim_wrapper(model, cfg)
    wrapper.initialize_count_status(model, 0, 100)
    return wrapper


def steps(model, wrapper, *grads):
    """Weight changes after one update_params per set of gradients."""
    before = {k: v.clone() for k, v in model.state_dict().items()}
    for grad in grads:
        wrapper.update_params(model(**grad))
    return {
        k.removesuffix('.weight'): (v - before[k])[0].tolist()
        for k, v in model.state_dict().items()
    }


def logged(hub):
    return {
        key.removeprefix('train/'): buffer.current()
        for key, buffer in hub.log_scalars.items()
    }


def test_the_sampler_is_clipped_by_its_own_norm_the_backbone_not(hub):
    model = Tiny()
    moved = steps(model, build(model), GRADS)
    factor = 5.0 / 13.0
    # Under one global max_norm of 1 the backbone would move by 0.5 / 13.01
    # of its gradient; below its own limit it moves by all of it.
    assert moved['backbone'] == pytest.approx([-0.3, -0.4])
    assert moved['sampler.scan_net'] == pytest.approx(
        [-3.0 * factor, -4.0 * factor])
    assert moved['sampler.selector'] == pytest.approx([0.0, -12.0 * factor])
    expected = {
        'grad_norm/backbone': 0.5,
        'grad_norm/sampler': 13.0,
        'grad_norm/sampler.scan_net': 5.0,
        'grad_norm/sampler.selector': 12.0,
        'grad_norm': math.hypot(13.0, 0.5),
        'grad_norm_clipped': math.hypot(5.0, 0.5),
    }
    assert logged(hub) == pytest.approx(expected)


def test_the_rest_above_its_limit_is_clipped_by_its_own_norm(hub):
    model = Tiny()
    moved = steps(model, build(model), dict(GRADS, backbone=[3.0, 4.0]))
    assert moved['backbone'] == pytest.approx([-0.6, -0.8])
    assert logged(hub)['grad_norm_clipped'] == pytest.approx(
        math.hypot(5.0, 1.0))


def test_clipped_norm_keeps_the_small_rest_beside_a_huge_group(hub):
    # A sampler norm of 13e4 squares to 1.69e10, where float32's spacing is
    # 2048: the backbone's 0.25 would vanish from a total computed by taking
    # the clipped part off the sum of squares.
    model = Tiny()
    steps(model, build(model),
          dict(GRADS, scan_net=[3e4, 4e4], selector=[0.0, 12e4]))
    assert logged(hub)['grad_norm_clipped'] == pytest.approx(
        math.hypot(5.0, 0.5), rel=1e-6)


def test_without_clip_grad_the_rest_is_not_clipped_but_logged(hub):
    model = Tiny()
    moved = steps(model, build(model, clip_grad=None),
                  dict(GRADS, backbone=[30.0, 40.0]))
    assert moved['backbone'] == pytest.approx([-30.0, -40.0])
    assert logged(hub)['grad_norm/backbone'] == pytest.approx(50.0)
    assert logged(hub)['grad_norm_clipped'] == pytest.approx(
        math.hypot(5.0, 50.0))


def test_the_lr_multiplier_scales_the_clipped_sampler_step(hub):
    model = Tiny()
    moved = steps(model, build(model, lr_mult=0.1), GRADS)
    assert moved['backbone'] == pytest.approx([-0.3, -0.4])
    assert moved['sampler.scan_net'] == pytest.approx(
        [-0.1 * 3.0 * 5 / 13, -0.1 * 4.0 * 5 / 13])


def test_a_longer_key_clips_its_part_apart_from_the_shorter_key(hub):
    model = Tiny()
    wrapper = build(
        model,
        clip_grad_groups=dict(
            sampler=dict(max_norm=6.0),
            **{'sampler.scan_net': dict(max_norm=1.0)}))
    moved = steps(model, wrapper, GRADS)
    assert moved['sampler.scan_net'] == pytest.approx([-0.6, -0.8])
    assert moved['sampler.selector'] == pytest.approx([0.0, -6.0])


def test_accumulation_clips_the_accumulated_gradient_once(hub):
    model = Tiny()
    wrapper = build(model, accumulative_counts=2)
    first = dict(GRADS, scan_net=[6.0, 8.0], selector=[0.0, 0.0])
    second = dict(GRADS, scan_net=[18.0, 24.0], selector=[0.0, 0.0])
    assert steps(model, wrapper, first)['sampler.scan_net'] == [0.0, 0.0]
    assert 'train/grad_norm/sampler' not in hub.log_scalars
    # The mean of the two, [12, 16] (norm 20), clipped to norm 5.
    assert steps(model, wrapper,
                 second)['sampler.scan_net'] == pytest.approx([-3.0, -4.0])
    values, _ = hub.get_scalar('train/grad_norm/sampler').data
    assert values.tolist() == pytest.approx([20.0])


def test_amp_clips_the_unscaled_gradients(hub, monkeypatch):
    # AmpOptimWrapper insists on an accelerator; a CPU GradScaler with a
    # real loss scale stands in for the CUDA one.
    monkeypatch.setattr(amp_optimizer_wrapper, 'is_cuda_available',
                        lambda: True)
    model = Tiny()
    wrapper = build(model, type='GroupClipAmpOptimWrapper')
    assert isinstance(wrapper, GroupClipAmpOptimWrapper)
    wrapper.loss_scaler = torch.amp.GradScaler('cpu', init_scale=1024.0)
    moved = steps(model, wrapper, GRADS)
    assert moved['sampler.scan_net'] == pytest.approx([-15 / 13, -20 / 13])
    assert moved['backbone'] == pytest.approx([-0.3, -0.4])
    assert logged(hub)['grad_norm/sampler'] == pytest.approx(13.0)


def test_a_ddp_model_is_grouped_by_its_inner_names(hub):
    dist.init_process_group(
        'gloo',
        init_method=f'tcp://127.0.0.1:{free_port()}',
        rank=0,
        world_size=1)
    try:
        model = Tiny()
        wrapper = build(model, accumulative_counts=2)
        ddp = DistributedDataParallel(model)
        wrapper.initialize_count_status(ddp, 0, 100)
        for _ in range(2):
            with wrapper.optim_context(ddp):
                wrapper.update_params(ddp(**GRADS))
    finally:
        dist.destroy_process_group()
    assert logged(hub)['grad_norm/sampler'] == pytest.approx(13.0)
    assert 'train/grad_norm/module.sampler' not in hub.log_scalars


def test_a_key_that_matches_nothing_names_the_top_level_modules(hub):
    model = Tiny()
    with pytest.raises(
            ValueError,
            match="clip_grad_groups: 'samplr' matches no trainable parameter "
            'of Tiny, whose top-level modules are: backbone, sampler'):
        build(model, clip_grad_groups=dict(samplr=dict(max_norm=5.0)))
    with pytest.raises(ValueError, match="log_modules: 'sampler.amp'"):
        build(model, log_modules=['backbone', 'sampler.amp'])


def test_value_clipping_is_refused(hub):
    with pytest.raises(ValueError, match="clipping per group is by norm"):
        GroupClipOptimWrapper(
            optimizer=torch.optim.SGD(Tiny().parameters(), lr=1.0),
            clip_grad_groups=dict(sampler=dict(type='value', clip_value=1)))


def test_a_step_before_binding_the_model_says_so(hub):
    model = Tiny()
    wrapper = GroupClipOptimWrapper(
        optimizer=torch.optim.SGD(model.parameters(), lr=1.0))
    with pytest.raises(RuntimeError, match='initialize_count_status'):
        wrapper.update_params(model(**GRADS))


@pytest.mark.slow
def test_training_logs_the_norm_of_each_module(tmp_path, synthetic_root):
    from ...tools.test_train_test_resume import data_options, run_tool
    config = str(REPO / 'tests' / 'data' / 'tiny_vim_sampler.py')
    run_tool(sys.executable, 'tools/train.py', config, '--work-dir',
             str(tmp_path), *data_options(synthetic_root),
             'optim_wrapper.type=GroupClipOptimWrapper',
             'optim_wrapper.clip_grad_groups.sampler.max_norm=5.0',
             'log_processor.window_size=1')
    scalars, = tmp_path.glob('*/vis_data/scalars.json')
    train = json.loads(scalars.read_text().split('\n')[0])
    assert train['iter'] == 2
    norm = {
        key.removeprefix('grad_norm/'): value
        for key, value in train.items() if key.startswith('grad_norm/')
    }
    parts = ['scan_net', 'selector', 'learner', 'amplifier']
    assert sorted(norm) == sorted(['backbone', 'cls_head', 'sampler'] +
                                  [f'sampler.{part}' for part in parts])
    assert norm['sampler'] == pytest.approx(
        math.hypot(*[norm[f'sampler.{part}'] for part in parts]), rel=1e-4)
    assert train['grad_norm'] == pytest.approx(
        math.hypot(norm['backbone'], norm['cls_head'], norm['sampler']),
        rel=1e-4)
    # The rest is below its max_norm of 20; the sampler is clipped to 5.
    rest = math.hypot(norm['backbone'], norm['cls_head'])
    assert rest < 20
    assert train['grad_norm_clipped'] == pytest.approx(
        math.hypot(rest, min(norm['sampler'], 5.0)), rel=1e-4)

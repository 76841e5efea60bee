import pytest
import torch
from mmaction.registry import MODELS

from vim_mmaction.utils import make_episode_samples


def build_recognizer(sampler=None):
    return MODELS.build(
        dict(
            type='FewShotRecognizer',
            backbone=dict(type='EfficientNetLite0', pretrained=False),
            cls_head=dict(type='ProtoHead'),
            sampler=sampler,
            data_preprocessor=dict(
                type='ActionDataPreprocessor',
                mean=[127.0] * 3,
                std=[128.0] * 3,
                format_shape='NCHW')))


def batch(ways=3, shots=1, queries=1, frames=4, size=32):
    samples = make_episode_samples(ways, shots, queries)
    inputs = [
        torch.randint(0, 255, (frames, 3, size, size), dtype=torch.uint8)
        for _ in samples
    ]
    return dict(inputs=inputs, data_samples=samples)


def test_one_backbone_call_for_all_clips_of_the_batch():
    model = build_recognizer()
    calls = []
    model.backbone.register_forward_hook(
        lambda module, args, out: calls.append(args[0].shape))
    data = model.data_preprocessor(batch(ways=3, shots=2, queries=2), True)
    losses = model(**data, mode='loss')
    assert calls == [torch.Size([(3 * 2 + 3 * 2) * 4, 3, 32, 32])]
    losses['loss_cls'].backward()
    assert model.backbone.net._conv_stem.weight.grad is not None


def test_predict_scores_every_query():
    model = build_recognizer().eval()
    data = model.data_preprocessor(batch(ways=3, queries=2), False)
    with torch.no_grad():
        outputs = model(**data, mode='predict')
    scores = [s.pred_score for s in outputs if s.metainfo['role'] == 'query']
    assert len(scores) == 6
    assert all(s.shape == (3, ) for s in scores)
    torch.testing.assert_close(torch.stack(scores).sum(1), torch.ones(6))


def test_sampler_runs_before_the_backbone():
    model = build_recognizer(sampler=dict(type='UniformFrameSampler',
                                          num_frames=2))
    data = model.data_preprocessor(batch(frames=6), False)
    feats = model(data['inputs'], mode='tensor')
    assert feats.shape[:2] == (6, 2)


def build_with_mi(sampler, loss_weight=1.0, **mi_options):
    model = build_recognizer(sampler=sampler)
    model.mi_loss = MODELS.build(
        dict(type='SampledFramesMILoss', loss_weight=loss_weight,
             **mi_options))
    return model


def test_mi_loss_of_uniform_frames_matches_reference():
    torch.manual_seed(0)
    model = build_with_mi(dict(type='UniformFrameSampler', num_frames=2))
    model.eval()  # deterministic backbone for the reference
    data = model.data_preprocessor(batch(ways=2, queries=2, frames=4), False)
    inputs, samples = data['inputs'], data['data_samples']
    loss = model.loss(inputs, samples)['loss_sampler_mi']
    head = model.cls_head
    [(_, support, query)] = head.split_features(
        model.extract_feat(inputs, samples)[0], samples)
    [(_, all_support, all_query)] = head.split_features(
        model._frame_features(inputs), samples)
    p = head.forward_episode(all_support, all_query).softmax(-1)
    q = head.forward_episode(support, query).softmax(-1)
    expected = (p * (p.log() - q.log())).sum(-1).mean()
    assert loss.item() == pytest.approx(expected.item(), rel=1e-4)


def test_mi_loss_runs_one_more_backbone_pass_only_with_positive_weight():
    sampler = dict(type='UniformFrameSampler', num_frames=2)
    for weight, passes in ((0.0, 1), (0.5, 2)):
        model = build_with_mi(sampler, loss_weight=weight)
        calls = []
        model.backbone.register_forward_hook(
            lambda module, args, out: calls.append(args[0].shape[0]))
        data = model.data_preprocessor(batch(frames=4), True)
        losses = model(**data, mode='loss')
        assert len(calls) == passes
        assert ('loss_sampler_mi' in losses) == (weight > 0)


def test_mi_loss_with_an_interval_runs_its_pass_at_every_kth_step():
    model = build_with_mi(
        dict(type='UniformFrameSampler', num_frames=2), interval=3)
    calls = []
    model.backbone.register_forward_hook(
        lambda module, args, out: calls.append(args[0].shape[0]))
    data = model.data_preprocessor(batch(frames=4), True)
    with_term = []
    for _ in range(7):
        calls.clear()
        losses = model(**data, mode='loss')
        with_term.append('loss_sampler_mi' in losses)
        assert len(calls) == (2 if with_term[-1] else 1)
    assert with_term == [True, False, False, True, False, False, True]


def test_mi_loss_all_frame_pass_runs_under_its_autocast_dtype():
    model = build_with_mi(
        dict(type='UniformFrameSampler', num_frames=2),
        all_frames_dtype='bfloat16')
    dtypes = []
    model.backbone.register_forward_hook(
        lambda module, args, out: dtypes.append(out.dtype))
    data = model.data_preprocessor(batch(frames=4), True)
    losses = model(**data, mode='loss')
    assert dtypes == [torch.float32, torch.bfloat16]
    assert losses['loss_sampler_mi'].dtype == torch.float32
    assert torch.isfinite(losses['loss_sampler_mi'])


@pytest.mark.parametrize('target', ['all', 'sampled'])
def test_mi_loss_target_decides_which_pass_learns(target):
    """The all-frame pass keeps its graph only when it is the side that
    learns (target='sampled'); the sampled pass always does (the episode
    loss trains through it)."""
    model = build_recognizer(dict(type='UniformFrameSampler', num_frames=2))
    model.mi_loss = MODELS.build(
        dict(type='SampledFramesMILoss', target=target))
    graphs = []
    model.backbone.register_forward_hook(
        lambda module, args, out: graphs.append(out.requires_grad))
    data = model.data_preprocessor(batch(frames=4), True)
    model(**data, mode='loss')['loss_sampler_mi'].backward()
    assert graphs == [True, target == 'sampled']


def test_mi_loss_reuses_the_heads_training_logits():
    model = build_with_mi(dict(type='UniformFrameSampler', num_frames=2))
    forward_episode = model.cls_head.forward_episode
    grad_enabled = []

    def recording_forward_episode(support, query):
        grad_enabled.append(torch.is_grad_enabled())
        return forward_episode(support, query)

    model.cls_head.forward_episode = recording_forward_episode
    data = model.data_preprocessor(batch(frames=4), True)
    model(**data, mode='loss')
    # Sampled frames with gradient, all frames without: no second head pass.
    assert grad_enabled == [True, False]


def test_task_adaptive_sampler_trains_inside_the_recognizer():
    model = build_with_mi(
        dict(
            type='TaskAdaptiveSampler',
            num_frames=2,
            scan_size=32,
            topk=dict(num_samples=20)))
    data = model.data_preprocessor(batch(frames=4), True)
    losses = model(**data, mode='loss')
    sum(v for k, v in losses.items() if 'loss' in k).backward()
    grad = model.sampler.selector.hidden.weight.grad
    assert grad is not None and grad.abs().sum() > 0


def test_mi_loss_without_sampler_is_refused():
    with pytest.raises(ValueError, match='needs a sampler'):
        MODELS.build(
            dict(
                type='FewShotRecognizer',
                backbone=dict(type='EfficientNetLite0', pretrained=False),
                cls_head=dict(type='ProtoHead'),
                mi_loss=dict(type='SampledFramesMILoss')))

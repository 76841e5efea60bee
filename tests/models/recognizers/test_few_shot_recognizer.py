import torch
from mmaction.registry import MODELS

from ..heads.test_proto_head import episode_samples


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
    samples = episode_samples(ways, shots, queries)
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

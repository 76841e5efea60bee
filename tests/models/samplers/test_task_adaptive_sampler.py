import pytest
import torch
from mmaction.registry import MODELS

from vim_mmaction.models.samplers.task_adaptive_sampler import (clip_groups,
                                                                group_mean)
from vim_mmaction.models.samplers.uniform_frame_sampler import \
    uniform_positions
from vim_mmaction.utils import make_episode_samples

WAYS, SHOTS, QUERIES, DENSE, KEPT = 2, 2, 1, 8, 4
CLIPS = WAYS * (SHOTS + QUERIES)


def build(**kwargs):
    torch.manual_seed(0)
    cfg = dict(type='TaskAdaptiveSampler', num_frames=KEPT, scan_size=32)
    return MODELS.build({**cfg, **kwargs})


def clips(num_clips=CLIPS, size=24):
    torch.manual_seed(1)
    return torch.randn(num_clips, DENSE, 3, size, size)


def test_output_shapes_in_training_and_test():
    sampler = build()
    samples = make_episode_samples(WAYS, SHOTS, QUERIES)
    inputs = clips()
    out = sampler.sample(inputs, samples)
    assert out.frames.shape == (CLIPS, KEPT, 3, 24, 24)
    assert out.indicator.shape == (CLIPS, DENSE, KEPT)
    assert out.saliency.shape == (CLIPS, KEPT, 8, 8)
    assert sampler.eval()(inputs, samples).shape == (CLIPS, KEPT, 3, 24, 24)


def test_test_mode_keeps_the_best_scored_frames_in_order():
    sampler = build(amplifier=None).eval()
    inputs = clips()
    out = sampler.sample(inputs, make_episode_samples(WAYS, SHOTS, QUERIES))
    positions = out.scores.topk(KEPT).indices.sort().values  # (clips, T)
    expected = inputs[torch.arange(CLIPS)[:, None], positions]
    torch.testing.assert_close(out.frames, expected, rtol=0, atol=0)


def test_support_shots_of_a_class_share_guidance_and_queries_do_not():
    groups = clip_groups(make_episode_samples(3, 2, 1), 9, torch.device('cpu'))
    # Support: (way 0: clips 0, 1), (way 1: 2, 3), (way 2: 4, 5); queries 6-8.
    guidance = groups.guidance.tolist()
    assert guidance[0] == guidance[1] != guidance[2] == guidance[3]
    assert len(set(guidance[4:])) == 4
    assert groups.task.tolist() == [0] * 9
    assert groups.support.tolist() == [True] * 6 + [False] * 3


def test_group_mean_matches_reference():
    x = torch.tensor([[1.0], [3.0], [10.0], [7.0]])
    means = group_mean(x, torch.tensor([0, 0, 1, 1]),
                       torch.tensor([True, True, True, False]))
    assert means.flatten().tolist() == [2.0, 10.0]


def test_queries_do_not_affect_each_other():
    sampler = build(amplifier=None).eval()
    samples = make_episode_samples(WAYS, SHOTS, QUERIES)
    inputs = clips()
    other_query = inputs.clone()
    other_query[5] = other_query[5] * 5 + 2
    scores = sampler.sample(inputs, samples).scores
    changed = sampler.sample(other_query, samples).scores
    torch.testing.assert_close(changed[:5], scores[:5], rtol=0, atol=0)


def test_each_episode_generates_one_weight_from_its_support_mean():
    sampler = build(amplifier=None).eval()
    seen = {}
    sampler.scan_net.register_forward_hook(
        lambda module, args, out: seen.update(maps=out))
    sampler.learner.register_forward_hook(
        lambda module, args, out: seen.update(task=args[0], weight=out[0]))
    sampler.selector.register_forward_hook(
        lambda module, args, out: seen.update(clip_weight=args[2]))
    samples = (make_episode_samples(WAYS, SHOTS, QUERIES, episode_id=0) +
               make_episode_samples(WAYS, SHOTS, QUERIES, episode_id=1))
    sampler.sample(clips(2 * CLIPS), samples)
    video = seen['maps'][-1].mean(dim=(-2, -1)).view(2 * CLIPS, DENSE,
                                                     -1).mean(1)
    support_mean = torch.stack((video[0:4].mean(0), video[6:10].mean(0)))
    torch.testing.assert_close(seen['task'], support_mean)
    episode = torch.tensor([0] * CLIPS + [1] * CLIPS)
    torch.testing.assert_close(seen['clip_weight'], seen['weight'][episode])


def test_clips_without_episodes_do_not_depend_on_the_batch():
    sampler = build(learner=dict(adapt_saliency=True)).eval()
    inputs = clips(num_clips=4)
    alone = sampler(inputs[:2], None)
    batched = sampler(inputs, None)
    torch.testing.assert_close(alone, batched[:2], rtol=1e-5, atol=1e-5)


def test_every_parameter_gets_a_gradient_in_training():
    sampler = build(learner=dict(adapt_saliency=True))
    frames = sampler(clips(), make_episode_samples(WAYS, SHOTS, QUERIES))
    frames.square().mean().backward()
    missing = [name for name, param in sampler.named_parameters()
               if param.grad is None or not param.grad.abs().sum() > 0]
    assert missing == []


def test_without_selector_the_segment_centres_are_kept():
    sampler = build(selector=None, learner=None)
    out = sampler.sample(clips(), make_episode_samples(WAYS, SHOTS, QUERIES))
    expected = uniform_positions(DENSE, KEPT).expand(CLIPS, -1)
    assert torch.equal(out.indicator.argmax(dim=1), expected)
    assert out.scores is None


def test_a_sampler_that_does_nothing_is_refused():
    with pytest.raises(ValueError, match='does nothing'):
        build(selector=None, learner=None, amplifier=None)


def test_any_mmaction_backbone_can_scan():
    sampler = build(
        scan_net=dict(
            type='MobileNetV2', widen_factor=0.25, out_indices=(1, 2, 7)),
        saliency_indices=(0, 1))
    out = sampler.sample(clips(), make_episode_samples(WAYS, SHOTS, QUERIES))
    assert out.frames.shape == (CLIPS, KEPT, 3, 24, 24)


def test_saved_activations_grow_with_samples_but_not_with_pixels():
    """The n perturbed copies keep only noise and positions for backward;
    the frames are mixed once with the averaged indicator."""

    def saved_bytes(num_samples, size):
        sampler = build(topk=dict(num_samples=num_samples), amplifier=None)
        total = []

        def pack(tensor):
            total.append(tensor.numel() * tensor.element_size())
            return tensor

        with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
            sampler(clips(size=size),
                    make_episode_samples(WAYS, SHOTS, QUERIES))
        return sum(total)

    # float32 noise and int64 positions per sample
    per_sample = CLIPS * (DENSE * 4 + KEPT * 8)
    for size in (24, 48):
        grown = saved_bytes(300, size) - saved_bytes(100, size)
        assert grown == 200 * per_sample


def test_clip_zoom_shares_one_saliency_over_the_kept_frames():
    sampler = build(amplifier=dict(zoom='clip'))
    out = sampler.sample(clips(), make_episode_samples(WAYS, SHOTS, QUERIES))
    torch.testing.assert_close(
        out.saliency, out.saliency[:, :1].expand(-1, KEPT, -1, -1))
    assert not torch.allclose(out.saliency[0], out.saliency[1])


def test_anchor_frames_are_kept_whatever_the_scores():
    """With 2 anchors of 8 dense frames, frames 2 and 6 are in every clip's
    choice, in training and at test; the selector picks the other two."""
    sampler = build(anchor_frames=2, amplifier=None)
    samples = make_episode_samples(WAYS, SHOTS, QUERIES)
    anchors = uniform_positions(DENSE, 2)
    assert anchors.tolist() == [2, 6]
    soft = sampler.sample(clips(), samples).indicator  # (clips, M, T)
    torch.testing.assert_close(soft.sum(dim=2)[:, anchors],
                               torch.ones(CLIPS, 2))
    out = sampler.eval().sample(clips(), samples)
    kept = out.indicator.argmax(dim=1)  # (clips, T)
    others = out.scores.clone()
    others[:, anchors] = -1
    expected = torch.cat((anchors.expand(CLIPS, -1), others.topk(2).indices),
                         dim=1).sort().values
    assert torch.equal(kept, expected)


@pytest.mark.parametrize('kwargs, message', [
    (dict(anchor_frames=KEPT), r'anchor_frames must be in \[0, 4\)'),
    (dict(anchor_frames=2, selector=None, learner=None),
     'anchor_frames needs a selector'),
])
def test_anchor_frames_that_leave_nothing_to_select_are_refused(
        kwargs, message):
    with pytest.raises(ValueError, match=message):
        build(**kwargs)

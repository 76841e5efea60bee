import itertools
import math

import pytest
import torch
import torch.nn.functional as F

from vim_mmaction.models.heads import (MultiShotFusion, SpatialCoordination,
                                       TemporalTransform, VIMAlignmentHead,
                                       alignment_information_loss,
                                       conv3d_of_spatially_constant,
                                       shifted_window_weights, warp_timeline)

from .test_head_contract import randomise_zero_parameters

CHANNELS = 16


def clips(num_clips, frames=8, size=3, seed=0):
    generator = torch.Generator().manual_seed(seed)
    return torch.rand(num_clips, frames, CHANNELS, size, size,
                      generator=generator)


@pytest.mark.parametrize('frames,size', [(8, 7), (8, 3), (4, 3), (1, 1)])
def test_temporal_transform_is_the_identity_at_init(frames, size):
    torch.manual_seed(0)
    maps = clips(3, frames, size)
    transform = TemporalTransform(CHANNELS)
    assert transform.warp_parameters(maps).tolist() == [[1.0, 0.0]] * 3
    torch.testing.assert_close(transform(maps), maps, rtol=0, atol=0)


def test_warp_samples_the_timeline_at_a_t_plus_b():
    # Frame i holds the value i, so a warped frame shows where it sampled.
    ramp = torch.arange(5.).reshape(1, 5, 1).expand(3, -1, 2)
    warped = warp_timeline(ramp, torch.tensor([0.5, 1.0, 2.0]),
                           torch.tensor([0.0, 0.5, 0.0]))
    expected = torch.tensor([
        [1.0, 1.5, 2.0, 2.5, 3.0],  # half speed around the centre
        [1.0, 2.0, 3.0, 4.0, 4.0],  # a quarter of the clip later
        [0.0, 0.0, 2.0, 4.0, 4.0],  # double speed, clamped at the ends
    ])
    torch.testing.assert_close(warped[..., 0], expected)


def test_warp_gradient_matches_finite_difference():
    frames = torch.randn(2, 6, 3, dtype=torch.float64)
    scale = torch.tensor([0.7, 1.2], dtype=torch.float64, requires_grad=True)
    shift = torch.tensor([0.13, -0.21], dtype=torch.float64,
                         requires_grad=True)
    assert torch.autograd.gradcheck(
        lambda a, b: warp_timeline(frames, a, b), (scale, shift))


@pytest.mark.parametrize('size', [(1, 1), (2, 3), (3, 3), (5, 4), (7, 7)])
def test_conv_of_spatially_constant_maps_equals_conv3d(size):
    generator = torch.Generator().manual_seed(0)
    frames = torch.randn(4, 5, 6, generator=generator)
    weight = torch.randn(7, 6, 3, 3, 3, generator=generator)
    full = frames.transpose(1, 2)[..., None, None].expand(-1, -1, -1, *size)
    torch.testing.assert_close(
        conv3d_of_spatially_constant(frames, weight, size),
        F.conv3d(full, weight, padding=1),
        rtol=1e-5,
        atol=1e-5)


def test_unshifted_window_without_jitter_is_average_pooling():
    weights = shifted_window_weights(
        torch.zeros(2, 2), (3, 5), jitter=torch.tensor(0.))
    torch.testing.assert_close(weights, torch.full((2, 3, 5), 1 / 15))


def test_window_moved_by_one_pixel_drops_the_far_column():
    # 5 pixels span [-1, 1]: one pixel is 0.5 half-widths.
    weights = shifted_window_weights(
        torch.tensor([0.5, 0.0]), (1, 5), jitter=torch.tensor(0.))
    torch.testing.assert_close(weights[0],
                               torch.tensor([0., 1., 1., 1., 1.]) / 4)


def test_jittered_window_is_the_mean_of_nine_shifted_windows():
    offsets = torch.tensor([[0.3, -0.6], [0.75, 0.1]])
    no_jitter = torch.tensor(0.)
    nine = torch.stack([
        shifted_window_weights(offsets + 0.2 * torch.tensor([i, j]), (7, 7),
                               no_jitter)
        for i, j in itertools.product((-1, 0, 1), repeat=2)
    ]).mean(dim=0)
    jittered = shifted_window_weights(offsets, (7, 7), torch.tensor(0.2))
    torch.testing.assert_close(jittered, nine)
    torch.testing.assert_close(jittered.sum(dim=(-2, -1)), torch.ones(2))


def build_pair(impl, temporal_coordination=True, seed=0):
    torch.manual_seed(seed)
    head = VIMAlignmentHead(
        CHANNELS,
        temporal_coordination=temporal_coordination,
        spatial_cfg=dict(pairwise_impl=impl))
    randomise_zero_parameters(head)
    return head


@pytest.mark.parametrize('temporal_coordination', [True, False])
@pytest.mark.parametrize('shots,size', [(1, 7), (3, 5)])
def test_factorised_pair_network_equals_naive(temporal_coordination, shots,
                                              size):
    support = clips(4 * shots, size=size, seed=1).unflatten(0, (4, shots))
    query = clips(6, size=size, seed=2)
    outputs = {}
    for impl in ('factorised', 'naive'):
        head = build_pair(impl, temporal_coordination)
        inputs = [support.clone().requires_grad_(),
                  query.clone().requires_grad_()]
        logits = head.forward_episode(*inputs)
        offsets = head.spatial_coordination.offsets(
            support.mean(1), query, None)
        logits.square().sum().backward()
        outputs[impl] = [logits, offsets, *(x.grad for x in inputs)] + [
            param.grad for param in head.parameters()
        ]
    assert outputs['factorised'][1].abs().max() > 0.01  # offsets not zero
    for factorised, naive in zip(outputs['factorised'], outputs['naive']):
        torch.testing.assert_close(factorised, naive, rtol=1e-4, atol=1e-5)


def test_unknown_pairwise_impl_is_named():
    with pytest.raises(ValueError, match="got 'fast'"):
        SpatialCoordination(CHANNELS, pairwise_impl='fast')


def test_jitter_is_a_buffer_saved_in_checkpoints():
    head = VIMAlignmentHead(CHANNELS)
    support, query = clips(3).unsqueeze(1), clips(2, seed=1)
    before = head.eval().forward_episode(support, query)
    head.spatial_coordination.set_jitter(0.05)
    assert head.state_dict()['spatial_coordination.jitter'] == 0.05
    assert not torch.allclose(head.forward_episode(support, query), before)
    restored = VIMAlignmentHead(CHANNELS)
    restored.load_state_dict(head.state_dict())
    assert restored.spatial_coordination.jitter == 0.05


def frame_cosine_metric(support, query):
    """-sum_t (1 - cos) of the shot-mean prototypes and the queries, both
    pooled over space: (queries, ways)."""
    prototypes = support.mean(dim=(1, 4, 5))  # (ways, T, C)
    pooled = query.mean(dim=(3, 4))  # (queries, T, C)
    cosine = F.cosine_similarity(
        pooled[:, None], prototypes[None], dim=-1)  # (queries, ways, T)
    return -(1 - cosine).sum(-1)


def stageless_head(feature_dropout):
    return VIMAlignmentHead(
        CHANNELS,
        feature_dropout=feature_dropout,
        temporal_transform=False,
        multi_shot_fusion=False,
        temporal_coordination=False,
        spatial_coordination=False)


def test_without_stages_it_is_the_frame_wise_cosine_metric():
    head = stageless_head(feature_dropout=0.0)
    assert list(head.parameters()) == []
    support = clips(6, seed=1).unflatten(0, (3, 2))
    query = clips(4, seed=2)
    torch.testing.assert_close(
        head.forward_episode(support, query),
        frame_cosine_metric(support, query))
    losses, _ = head.episode_loss(support, query, torch.tensor([0, 1, 2, 0]))
    assert losses['loss_mi_align'].abs() < 1e-6  # nothing was aligned


def test_feature_dropout_acts_in_training_only():
    assert VIMAlignmentHead(CHANNELS).feature_dropout.p == 0.5  # TA2N's
    head = stageless_head(feature_dropout=0.5)
    support = clips(6, seed=1).unflatten(0, (3, 2))
    query = clips(4, seed=2)
    undropped = frame_cosine_metric(support, query)
    torch.testing.assert_close(
        head.eval().forward_episode(support, query), undropped)
    torch.manual_seed(0)
    trained = head.train().forward_episode(support, query)
    torch.manual_seed(0)  # the same masks: support first, then queries
    dropped = frame_cosine_metric(
        F.dropout(support, 0.5), F.dropout(query, 0.5))
    torch.testing.assert_close(trained, dropped)
    assert (trained - undropped).abs().max() > 0.1


def test_information_loss_is_kl_after_to_detached_before():
    after = torch.randn(2, 3, 5, 8, requires_grad=True)
    before = torch.randn(2, 1, 5, 8, requires_grad=True)
    loss = alignment_information_loss(after, before)
    expected = F.kl_div(
        before.log_softmax(-1).expand_as(after),
        after.log_softmax(-1),
        log_target=True,
        reduction='none').sum(-1).mean()
    torch.testing.assert_close(loss, expected)
    loss.backward()
    assert before.grad is None and after.grad.any()


def test_episode_loss_weights_the_information_term():
    support, query = clips(3).unsqueeze(1), clips(3, seed=1)
    labels = torch.tensor([0, 1, 2])
    losses = {}
    for weight in (0.1, 0.3):
        torch.manual_seed(0)
        losses[weight] = VIMAlignmentHead(
            CHANNELS, mi_loss_weight=weight).episode_loss(
                support, query, labels)[0]
    assert losses[0.1]['loss_mi_align'] > 0
    torch.testing.assert_close(losses[0.3]['loss_mi_align'],
                               3 * losses[0.1]['loss_mi_align'])


def make_uniform(fusion):
    """Set a 2-channel MultiShotFusion's attention uniform over the shot's
    frames (zero R and S) and its value layer to (x, y) -> (x + 2y, y)."""
    with torch.no_grad():
        fusion.reference_proj.weight.zero_()
        fusion.shot_proj.weight.zero_()
        if fusion.value_proj is not None:
            fusion.value_proj.weight.copy_(torch.tensor([[1., 2.], [0., 1.]]))
    return fusion


# One class, two shots of two frames, one query; 2 channels, 1 x 1 maps.
HAND_SHOTS = torch.tensor([[[1., 0.], [3., 0.]],
                           [[0., 2.], [0., 4.]]])[None, ..., None, None]
HAND_QUERY = torch.tensor([[1., 1.], [2., 0.]])[None, ..., None, None]


@pytest.mark.parametrize('value_proj', [True, False])
def test_multi_shot_fusion_by_hand(value_proj):
    # Uniform attention: every re-timed frame of a shot is the mean of its
    # frames, (2, 0) and (0, 3); their mean over shots is (1, 1.5). The
    # value layer maps it to (1 + 3, 1.5) = (4, 1.5) and the query frames
    # (1, 1), (2, 0) to (3, 1), (2, 0).
    fusion = make_uniform(MultiShotFusion(2, value_proj=value_proj))
    prototypes, query = fusion(HAND_SHOTS, HAND_QUERY)
    if value_proj:
        expected = [[4., 1.5]] * 2, [[3., 1.], [2., 0.]]
    else:
        expected = [[1., 1.5]] * 2, [[1., 1.], [2., 0.]]
    torch.testing.assert_close(prototypes[0, ..., 0, 0],
                               torch.tensor(expected[0]))
    torch.testing.assert_close(query[0, ..., 0, 0], torch.tensor(expected[1]))


def test_head_compares_prototypes_with_value_projected_queries():
    head = VIMAlignmentHead(
        2, temporal_transform=False, temporal_coordination=False,
        spatial_coordination=False).eval()
    make_uniform(head.multi_shot_fusion)  # value_proj on by default

    def cos(a, b):
        return (a[0] * b[0] + a[1] * b[1]) / (math.hypot(*a) * math.hypot(*b))

    # Prototype (4, 1.5) at both frames; queries projected to (3, 1), (2, 0)
    # (unprojected, (1, 1) would give cos 0.91 instead of 0.9993).
    expected = -sum(1 - cos((4., 1.5), q) for q in [(3., 1.), (2., 0.)])
    logits = head.forward_episode(HAND_SHOTS, HAND_QUERY)
    assert logits.item() == pytest.approx(expected)

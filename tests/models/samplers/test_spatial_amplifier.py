import math

import pytest
import torch
import torch.nn.functional as F

from vim_mmaction.models.samplers import SpatialAmplifier, saliency_grid
from vim_mmaction.models.samplers.spatial_amplifier import (
    channel_attention_saliency, clamp_density)


def magnification(grid: torch.Tensor) -> torch.Tensor:
    """Output pixels per source pixel along x, from a (N, H, W, 2) grid."""
    x = grid[:, 0, :, 0]  # (N, W)
    uniform_step = 2 / x.shape[-1]
    return uniform_step / x.diff(dim=-1)


@pytest.mark.parametrize('value', [0.0, 0.7])
def test_flat_saliency_is_the_identity_warp(value):
    frames = torch.rand(2, 3, 12, 20)
    amplifier = SpatialAmplifier([4], saliency='mean')
    out = amplifier(frames, torch.full((2, 6, 6), value))
    torch.testing.assert_close(out, frames, atol=1e-5, rtol=0)


def test_single_hot_pixel_gives_a_valid_grid_zoomed_at_most_4x():
    saliency = torch.zeros(1, 16, 16)
    saliency[0, 5, 9] = 1.0
    grid = saliency_grid(saliency, (64, 64), max_zoom=4.0, iterations=5)
    assert torch.isfinite(grid).all()
    assert grid.min() >= -1 and grid.max() <= 1
    zoom = magnification(grid)
    assert (zoom > 0).all()  # monotonic: no fold-over
    assert zoom.max().item() == pytest.approx(4.0, rel=1e-3)
    # The hot column (source x in [9/16, 10/16)) gets 4x its share.
    source = (grid[0, 0, :, 0] + 1) / 2
    hot = ((source >= 9 / 16) & (source < 10 / 16)).sum().item()
    assert hot == pytest.approx(4 * 64 / 16, abs=1)


def test_all_zero_saliency_gives_the_identity_grid_without_nan():
    grid = saliency_grid(torch.zeros(2, 8, 8), (10, 10), 4.0, 5)
    centres = (torch.arange(10) + 0.5) / 10 * 2 - 1
    torch.testing.assert_close(grid[0, 3, :, 0], centres)
    torch.testing.assert_close(grid[1, :, 7, 1], centres)


def test_density_clamp_keeps_unit_mass_below_the_zoom_bound():
    raw = torch.zeros(1, 16)
    raw[0, 3], raw[0, 4] = 5.0, 1.0
    density = clamp_density(raw, 2.0, 5)
    assert density.sum().item() == pytest.approx(1.0)
    assert density.max().item() <= 2.0 / 16 * (1 + 1e-3)
    assert density.min().item() > 0


def test_channel_attention_saliency_matches_reference():
    torch.manual_seed(0)
    feats = torch.randn(2, 3, 4, 5)
    weights = torch.softmax(torch.randn(3), 0)
    out = channel_attention_saliency(feats, weights)
    for n in range(2):
        f = feats[n].reshape(3, 20)
        alpha = torch.softmax(f @ f.T / math.sqrt(20), dim=-1)
        expected = (weights[:, None] * (alpha @ f)).sum(0).view(4, 5)
        torch.testing.assert_close(out[n], expected)


def test_mean_saliency_averages_upsampled_channel_means():
    torch.manual_seed(0)
    maps = [torch.rand(1, 2, 4, 4), torch.rand(1, 3, 2, 2)]
    out = SpatialAmplifier([2, 3], saliency='mean').saliency(maps)
    coarse = F.interpolate(
        maps[1].mean(1, keepdim=True), size=(4, 4), mode='bilinear')[:, 0]
    expected = (maps[0].mean(1) + coarse) / 2
    expected = (expected - expected.min()) / (
        expected.max() - expected.min() + 1e-4)
    torch.testing.assert_close(out, expected)


def test_attention_saliency_starts_as_the_mean_of_the_attended_channels():
    torch.manual_seed(0)
    maps = [torch.randn(2, 4, 3, 3)]
    amplifier = SpatialAmplifier([4], saliency='attention')
    attended = channel_attention_saliency(maps[0], torch.full((4, ), 0.25))
    expected = attended.flatten(1)
    expected = (expected - expected.min(1, keepdim=True).values) / (
        expected.max(1, keepdim=True).values -
        expected.min(1, keepdim=True).values + 1e-4)
    torch.testing.assert_close(
        amplifier.saliency(maps), expected.view(2, 3, 3))


def test_signed_weights_can_contrast_channels():
    """Channel 0 lights the object and the clutter, channel 1 the clutter
    only: their difference finds the object, any convex mix does not."""
    maps = torch.zeros(1, 2, 4, 4)
    maps[0, 0, 1, 1] = maps[0, 0, 2, 3] = maps[0, 1, 2, 3] = 1.0
    amplifier = SpatialAmplifier([2], saliency='attention')
    with torch.no_grad():
        amplifier.channel_weights.copy_(torch.tensor([1.0, -1.0]))
    saliency = amplifier.saliency([maps])
    assert saliency[0].argmax().item() == 1 * 4 + 1
    assert saliency[0, 2, 3] < 0.5 * saliency[0, 1, 1]


def test_gradient_reaches_the_channel_weights_through_the_grid():
    torch.manual_seed(0)
    amplifier = SpatialAmplifier([3], saliency='attention')
    frames = torch.rand(2, 3, 16, 16)
    saliency = amplifier.saliency([torch.randn(2, 3, 4, 4)])
    amplifier(frames, saliency).square().sum().backward()
    grad = amplifier.channel_weights.grad
    assert torch.isfinite(grad).all() and grad.abs().sum() > 0


def test_detached_grid_passes_gradient_to_the_frames_only():
    torch.manual_seed(0)
    amplifier = SpatialAmplifier([3], saliency='attention', detach_grid=True)
    frames = torch.rand(2, 3, 16, 16, requires_grad=True)
    maps = torch.randn(2, 3, 4, 4, requires_grad=True)
    saliency = amplifier.saliency([maps])
    zoomed = amplifier(frames, saliency)
    zoomed.square().sum().backward()
    assert frames.grad.abs().sum() > 0
    assert maps.grad is None and amplifier.channel_weights.grad is None
    # Same output as the differentiable grid: only the gradient differs.
    amplifier.detach_grid = False
    torch.testing.assert_close(amplifier(frames, saliency), zoomed)


def test_adaptive_amplifier_requires_channel_offsets():
    amplifier = SpatialAmplifier([3], adaptive=True)
    with pytest.raises(ValueError, match='adaptive=True.*without'):
        amplifier.saliency([torch.rand(1, 3, 4, 4)])


def test_clip_zoom_gives_each_frame_its_clips_mean_saliency():
    torch.manual_seed(0)
    maps = [torch.randn(6, 3, 4, 4), torch.randn(6, 5, 2, 2)]
    per_frame = SpatialAmplifier([3, 5]).saliency(maps)
    per_clip = SpatialAmplifier([3, 5], zoom='clip').saliency(
        maps, frames_per_clip=3)
    expected = per_frame.view(2, 3, 4, 4).mean(dim=1, keepdim=True)
    torch.testing.assert_close(per_clip.view(2, 3, 4, 4),
                               expected.expand(-1, 3, -1, -1))
    # Frames of one clip are zoomed alike, the clips differently.
    amplifier = SpatialAmplifier([3, 5], zoom='clip')
    frames = torch.rand(1, 3, 16, 16).expand(6, -1, -1, -1)
    zoomed = amplifier(frames, per_clip)
    torch.testing.assert_close(zoomed[:3], zoomed[:1].expand(3, -1, -1, -1))
    assert not torch.allclose(zoomed[0], zoomed[3])


def test_clip_zoom_refuses_frames_that_do_not_form_clips():
    with pytest.raises(ValueError, match="zoom must be 'frame' or 'clip'"):
        SpatialAmplifier([3], zoom='video')
    amplifier = SpatialAmplifier([3], zoom='clip')
    with pytest.raises(ValueError, match='5 frames do not form clips of 2'):
        amplifier.saliency([torch.rand(5, 3, 4, 4)], frames_per_clip=2)


def test_initial_zoom_bounds_the_zoom_until_the_bound_grows():
    saliency = torch.zeros(1, 16, 16)
    saliency[0, 5, 9] = 1.0
    frames = torch.rand(1, 3, 64, 64)
    amplifier = SpatialAmplifier([4], saliency='mean', initial_zoom=1.0)
    # Bound 1: no zoom, whatever the saliency (to the precision of the
    # density clamp's 5 rounds; the single hot pixel would get 4x).
    torch.testing.assert_close(
        amplifier(frames, saliency), frames, atol=1e-3, rtol=0)
    amplifier.zoom_bound.fill_(2.0)
    grid = saliency_grid(saliency, (64, 64), max_zoom=2.0, iterations=5)
    expected = F.grid_sample(
        frames, grid, padding_mode='border', align_corners=False)
    torch.testing.assert_close(amplifier(frames, saliency), expected)


def test_the_zoom_bound_is_state_only_with_an_initial_zoom():
    assert 'zoom_bound' not in SpatialAmplifier([4]).state_dict()
    state = SpatialAmplifier([4], initial_zoom=1.5).state_dict()
    assert state['zoom_bound'] == torch.tensor(1.5)
    with pytest.raises(ValueError, match=r'initial_zoom must be in \[1, '
                       r'max_zoom=4.0\], got 0.5'):
        SpatialAmplifier([4], initial_zoom=0.5)
    with pytest.raises(ValueError, match='got 8'):
        SpatialAmplifier([4], initial_zoom=8)


def test_learned_strength_blends_the_zoom_with_the_identity():
    torch.manual_seed(0)
    saliency = torch.zeros(1, 16, 16)
    saliency[0, 5, 9] = 1.0
    frames = torch.rand(1, 3, 64, 64)
    full = SpatialAmplifier([4], saliency='mean')
    gated = SpatialAmplifier([4], saliency='mean', initial_strength=0.25)
    assert gated.zoom_strength_logit.item() == pytest.approx(math.log(1 / 3))
    # A quarter of the way from the identity grid to the full zoom's grid.
    grid = saliency_grid(saliency, (64, 64), max_zoom=4.0, iterations=5)
    identity = F.affine_grid(
        torch.eye(2, 3).unsqueeze(0), [1, 1, 64, 64], align_corners=False)
    expected = F.grid_sample(
        frames, 0.75 * identity + 0.25 * grid, padding_mode='border',
        align_corners=False)
    torch.testing.assert_close(gated(frames, saliency), expected)
    assert not torch.allclose(gated(frames, saliency), full(frames, saliency))
    # The strength learns from the loss of what sees the zoomed frames.
    gated(frames, saliency).square().sum().backward()
    assert gated.zoom_strength_logit.grad.abs() > 0


def test_learned_strength_is_a_parameter_only_when_asked_for():
    assert 'zoom_strength_logit' not in SpatialAmplifier([4]).state_dict()
    with pytest.raises(ValueError, match=r'initial_strength must be in '
                       r'\(0, 1\), got 1.0'):
        SpatialAmplifier([4], initial_strength=1.0)

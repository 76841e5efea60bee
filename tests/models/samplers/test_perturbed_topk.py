import math

import pytest
import torch

from vim_mmaction.models.samplers import PerturbedTopK, sorted_topk_indicator


def test_hard_indicator_keeps_the_best_frames_in_temporal_order():
    scores = torch.tensor([[0.1, 0.9, 0.5, 0.7, 0.0]])
    indicator = sorted_topk_indicator(scores, 3)
    # Best three are positions 1, 3, 2; columns follow time: 1, 2, 3.
    assert indicator.argmax(dim=1).tolist() == [[1, 2, 3]]
    assert indicator.sum().item() == 3


def test_eval_mode_gives_the_hard_indicator():
    topk = PerturbedTopK(num_samples=7).eval()
    scores = torch.rand(4, 10)
    assert torch.equal(topk(scores, 3), sorted_topk_indicator(scores, 3))


def test_training_output_and_gradient_equal_the_monte_carlo_formulas():
    """Forward = mean of the n perturbed indicators; backward =
    E[<I, dL/dI> Z] / sigma over the same n noise samples."""
    batch, frames, k, n, sigma = 3, 6, 2, 50, 0.3
    scores = torch.rand(batch, frames, requires_grad=True)
    upstream = torch.randn(batch, frames, k)
    torch.manual_seed(0)
    soft = PerturbedTopK(num_samples=n, sigma=sigma).train()(scores, k)
    (soft * upstream).sum().backward()

    torch.manual_seed(0)
    noise = torch.randn(n, batch, frames)
    indicators = sorted_topk_indicator(scores.detach() + sigma * noise, k)
    inner = torch.einsum('nbmk,bmk->nb', indicators, upstream)
    expected_grad = (inner[..., None] * noise).mean(0) / sigma
    torch.testing.assert_close(soft, indicators.mean(0))
    torch.testing.assert_close(scores.grad, expected_grad)


def test_gradient_matches_the_smoothed_top1_of_two_frames():
    """Top-1 of two scores under N(0, sigma^2) noise picks frame 0 with
    probability Phi(d / (sigma sqrt 2)), d = s0 - s1; the estimated
    gradient must match that function's derivative."""
    sigma, gap = 0.1, 0.05
    scores = torch.tensor([[gap, 0.0]], dtype=torch.float64,
                          requires_grad=True)
    torch.manual_seed(0)
    soft = PerturbedTopK(num_samples=400_000, sigma=sigma)(scores, 1)
    soft[0, 0, 0].backward()
    scale = sigma * math.sqrt(2)
    probability = 0.5 * (1 + math.erf(gap / scale / math.sqrt(2)))
    density = math.exp(-0.5 * (gap / scale)**2) / math.sqrt(2 * math.pi)
    assert soft[0, 0, 0].item() == pytest.approx(probability, abs=3e-3)
    assert scores.grad[0, 0].item() == pytest.approx(
        density / scale, rel=0.03)
    assert scores.grad[0, 1].item() == pytest.approx(
        -density / scale, rel=0.03)


def test_sigma_is_saved_in_the_state_dict():
    topk = PerturbedTopK(sigma=0.05)
    topk.sigma.fill_(0.02)
    restored = PerturbedTopK(sigma=0.05)
    restored.load_state_dict(topk.state_dict())
    assert restored.sigma.item() == pytest.approx(0.02)


def test_more_frames_than_available_is_refused():
    with pytest.raises(ValueError, match='cannot select 5 of 4 frames'):
        PerturbedTopK()(torch.rand(1, 4), 5)


def test_baseline_gives_zero_gradient_when_the_choice_does_not_matter():
    """A loss that weighs every frame alike cannot prefer any choice: with
    the leave-one-out baseline its score gradient is exactly zero, without
    it only the Monte Carlo noise of the plain estimator remains."""
    scores = torch.rand(2, 8, requires_grad=True)
    grads = {}
    for baseline in (False, True):
        scores.grad = None
        torch.manual_seed(0)
        soft = PerturbedTopK(num_samples=20, baseline=baseline).train()(
            scores, 3)
        soft.sum().backward()
        grads[baseline] = scores.grad.clone()
    assert grads[False].abs().max() > 1e-2
    torch.testing.assert_close(grads[True], torch.zeros(2, 8))


def test_baseline_keeps_the_mean_and_lowers_the_variance():
    scores = torch.tensor([[0.2, 0.9, 0.4, 0.6, 0.1, 0.8]],
                          requires_grad=True)
    upstream = torch.randn(1, 6, 2, generator=torch.Generator().manual_seed(1))
    upstream += 3.0  # a large shared part: what the baseline removes
    estimates = {False: [], True: []}
    for seed in range(200):
        for baseline in (False, True):
            scores.grad = None
            torch.manual_seed(seed)
            topk = PerturbedTopK(num_samples=10, sigma=0.3, baseline=baseline)
            (topk.train()(scores, 2) * upstream).sum().backward()
            estimates[baseline].append(scores.grad.clone())
    plain, centred = (torch.stack(estimates[b]) for b in (False, True))
    # Both estimate the same gradient (to the Monte Carlo error of the
    # plain estimator's mean over 200 runs)...
    error = 3 * plain.std(0) / math.sqrt(200)
    assert ((plain.mean(0) - centred.mean(0)).abs() < error).all()
    # ...the baseline with a fraction of the spread.
    assert (centred.std(0) < 0.5 * plain.std(0)).all()


def test_always_kept_frames_are_in_every_sample_and_get_no_gradient():
    scores = torch.tensor([[0.9, 0.0, 0.8, 0.1, 0.7, 0.2]],
                          requires_grad=True)
    always_keep = torch.tensor([False, True, False, True, False, False])
    torch.manual_seed(0)
    upstream = torch.randn(1, 6, 3)
    topk = PerturbedTopK(num_samples=30, sigma=0.3).train()
    soft = topk(scores, 3, always_keep)
    (soft * upstream).sum().backward()
    # Frames 1 and 3, the lowest scored, are kept by every sample; one
    # frame of the other four is chosen in each.
    kept_weight = soft.sum(dim=2)[0]  # (M, )
    torch.testing.assert_close(kept_weight[always_keep], torch.ones(2))
    assert kept_weight[~always_keep].sum().item() == pytest.approx(1.0)
    assert (scores.grad[0, always_keep] == 0).all()
    assert (scores.grad[0, ~always_keep] != 0).all()
    hard = topk.eval()(scores, 3, always_keep)
    assert hard.argmax(dim=1).tolist() == [[0, 1, 3]]


def test_keeping_as_many_frames_as_selected_is_refused():
    with pytest.raises(ValueError, match='2 frames always kept leave none'):
        PerturbedTopK()(torch.rand(1, 4), 2, torch.tensor([1, 0, 1, 0]).bool())

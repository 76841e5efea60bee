import torch
import torch.nn.functional as F

from vim_mmaction.models.samplers import TaskAdaptiveLearner


def test_eval_decodes_the_mean_code_to_a_unit_weight():
    torch.manual_seed(0)
    learner = TaskAdaptiveLearner(8, out_channels=6, latent_channels=4).eval()
    task = torch.randn(2, 8)
    weight, saliency = learner(task)
    mean = learner.encoder(task)[:, :4]
    expected = F.normalize(learner.decoder(mean), dim=-1)
    torch.testing.assert_close(weight, expected)
    torch.testing.assert_close(weight.norm(dim=-1), torch.ones(2))
    assert saliency is None


def test_training_samples_the_code():
    torch.manual_seed(0)
    learner = TaskAdaptiveLearner(8, out_channels=6, latent_channels=4)
    task = torch.randn(1, 8)
    first, _ = learner(task)
    second, _ = learner(task)
    assert (first - second).abs().max() > 1e-3


def test_saliency_offsets_are_generated_alongside_starting_at_zero():
    learner = TaskAdaptiveLearner(8, out_channels=6, saliency_channels=5)
    weight, saliency = learner(torch.randn(3, 8))
    assert weight.shape == (3, 6) and saliency.shape == (3, 5)
    # Zero offsets at the start: the saliency starts as without a learner.
    assert torch.equal(saliency, torch.zeros(3, 5))

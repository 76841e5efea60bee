import pytest
import torch
import torch.nn.functional as F

from vim_mmaction.models.heads import OTAMHead, otam_distance


def test_logits_are_minus_the_shot_mean_of_otam_distances():
    generator = torch.Generator().manual_seed(0)
    support = torch.rand(3, 2, 5, 8, 2, 2, generator=generator)
    query = torch.rand(4, 5, 8, 2, 2, generator=generator)
    logits = OTAMHead(gamma=0.2).forward_episode(support, query)
    pooled_support = support.mean(dim=(-2, -1))
    pooled_query = query.mean(dim=(-2, -1))
    for q in range(4):
        for way in range(3):
            shot_distances = [
                otam_distance(
                    1 - F.cosine_similarity(
                        pooled_query[q][:, None],
                        pooled_support[way, shot][None],
                        dim=-1), 0.2) for shot in range(2)
            ]
            expected = -torch.stack(shot_distances).mean()
            torch.testing.assert_close(logits[q, way], expected)


def test_bad_gamma_is_named():
    with pytest.raises(ValueError, match='got -1'):
        OTAMHead(gamma=-1)

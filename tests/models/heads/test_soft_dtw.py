import math

import pytest
import torch
import torch.nn.functional as F

from vim_mmaction.models.heads import otam_distance, soft_dtw


def soft_dtw_reference(costs, gamma):
    """Cell-by-cell soft-DTW of one matrix, in plain Python."""
    n, m = len(costs), len(costs[0])
    R = [[math.inf] * (m + 1) for _ in range(n + 1)]
    R[0][0] = 0.0
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            previous = [R[i - 1][j - 1], R[i - 1][j], R[i][j - 1]]
            softmin = -gamma * math.log(
                sum(math.exp(-r / gamma) for r in previous if r < math.inf))
            R[i][j] = costs[i - 1][j - 1] + softmin
    return R[n][m]


@pytest.mark.parametrize('gamma', [0.1, 1.0])
@pytest.mark.parametrize('n,m', [(4, 5), (3, 3), (1, 4), (6, 2)])
def test_soft_dtw_matches_cell_by_cell_reference(gamma, n, m):
    costs = torch.rand(2, 3, n, m, dtype=torch.float64,
                       generator=torch.Generator().manual_seed(n * m))
    values = soft_dtw(costs, gamma)
    assert values.shape == (2, 3)
    expected = [[soft_dtw_reference(matrix.tolist(), gamma) for matrix in row]
                for row in costs]
    torch.testing.assert_close(values, torch.tensor(expected,
                                                    dtype=torch.float64))


def test_small_gamma_approaches_the_best_path():
    costs = torch.tensor([[0., 5., 5.], [5., 0., 0.], [5., 5., 0.]])
    # Best monotone path: (0,0) (1,1) (1,2) (2,2), total 0.
    assert abs(soft_dtw(costs, 1e-3).item()) < 0.01


def test_soft_dtw_gradient_matches_finite_difference():
    costs = torch.rand(3, 4, 5, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda c: soft_dtw(c, 0.1), (costs, ))


def test_bad_gamma_is_named():
    with pytest.raises(ValueError, match='got 0'):
        soft_dtw(torch.rand(2, 2), 0)


def test_otam_distance_is_symmetric_in_its_two_sequences():
    distances = torch.rand(5, 8, 6, generator=torch.Generator().manual_seed(0))
    torch.testing.assert_close(
        otam_distance(distances, 0.1),
        otam_distance(distances.transpose(-1, -2), 0.1))


def test_otam_distance_averages_both_padded_directions():
    distances = torch.rand(4, 3, dtype=torch.float64)
    padded = F.pad(distances, (1, 1)).tolist()
    padded_transpose = F.pad(distances.T, (1, 1)).tolist()
    expected = (soft_dtw_reference(padded, 0.1) +
                soft_dtw_reference(padded_transpose, 0.1)) / 2
    assert otam_distance(distances, 0.1).item() == pytest.approx(expected)


def test_padding_lets_the_alignment_skip_unmatched_ends():
    # Rows 0 and 3 match nothing; rows 1-2 match columns 0-1 exactly.
    distances = torch.full((4, 2), 2.0)
    distances[1, 0] = distances[2, 1] = 0.0
    padded = soft_dtw(F.pad(distances, (1, 1)), 1e-3)
    assert abs(padded.item()) < 0.01
    assert soft_dtw(distances, 1e-3) > 3.9  # unpadded: both ends cost 2

import math

import pytest
import torch
import torch.nn.functional as F

from vim_mmaction.models.heads import otam_distance, soft_dtw
from vim_mmaction.models.heads.soft_dtw import otam_alignment


def soft_dtw_reference(costs, gamma, vertical=None):
    """Cell-by-cell soft-DTW of one matrix, in plain Python; ``vertical``
    lists the columns that allow the move down (None: all)."""
    n, m = len(costs), len(costs[0])
    R = [[math.inf] * (m + 1) for _ in range(n + 1)]
    R[0][0] = 0.0
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            previous = [R[i - 1][j - 1], R[i][j - 1]]
            if vertical is None or j - 1 in vertical:
                previous.append(R[i - 1][j])
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


@pytest.mark.parametrize('n,m', [(4, 5), (3, 3), (6, 2)])
def test_restricted_vertical_moves_match_the_reference(n, m):
    costs = torch.rand(3, n, m, dtype=torch.float64,
                       generator=torch.Generator().manual_seed(n + m))
    vertical = torch.zeros(m, dtype=torch.bool)
    vertical[[0, -1]] = True
    expected = [soft_dtw_reference(matrix.tolist(), 0.1, {0, m - 1})
                for matrix in costs]
    torch.testing.assert_close(
        soft_dtw(costs, 0.1, vertical),
        torch.tensor(expected, dtype=torch.float64))


def test_small_gamma_approaches_the_best_path():
    costs = torch.tensor([[0., 5., 5.], [5., 0., 0.], [5., 5., 0.]])
    # Best monotone path: (0,0) (1,1) (1,2) (2,2), total 0.
    assert abs(soft_dtw(costs, 1e-3).item()) < 0.01


@pytest.mark.parametrize('vertical', [None, [True, False, False, True, True]])
def test_soft_dtw_gradient_matches_finite_difference(vertical):
    costs = torch.rand(3, 4, 5, dtype=torch.float64, requires_grad=True)
    if vertical is not None:
        vertical = torch.tensor(vertical)
    assert torch.autograd.gradcheck(lambda c: soft_dtw(c, 0.1, vertical),
                                    (costs, ))


def test_bad_gamma_is_named():
    with pytest.raises(ValueError, match='got 0'):
        soft_dtw(torch.rand(2, 2), 0)


def test_vertical_mask_of_the_wrong_length_is_named():
    with pytest.raises(ValueError, match=r'shape \(3,\) for 3 columns, '
                       r'got \(2,\)'):
        soft_dtw(torch.rand(2, 3), 0.1, torch.ones(2, dtype=torch.bool))


# D: 2 rows (frames of one sequence) x 3 columns (frames of the other).
HAND_DISTANCES = [[0., 1., 2.], [2., 1., 0.]]


def test_otam_alignment_of_a_2x3_matrix_by_hand():
    # gamma = 1, softmin(x, y) = -log(e^-x + e^-y). Padded matrix P:
    #   row 0: 0 | 0 1 2 | 0        row 1: 0 | 2 1 0 | 0
    # Vertical moves only in the padding columns 0 and 4.
    # Row 0 (only horizontal moves reach it):
    #   R00 = 0, R01 = 0, R02 = 1, R03 = 3, R04 = 3.
    # Row 1:
    #   R10 = P10 + R00 (down, padding column) = 0
    #   R11 = 2 + softmin(R00, R10) = 2 - log 2
    #   R12 = 1 + softmin(R01, R11) = 1 - log(1 + 2e^-2)
    #   R13 = 0 + softmin(R02, R12) = -log(e^-1 + e^-1 + 2e^-3)
    #   R14 = 0 + softmin(R03, R04 (down), R13)
    #       = -log(e^-3 + e^-3 + 2e^-1 + 2e^-3) = -log(2e^-1 + 4e^-3).
    # (Paths: rows per column 000 and 111 cost 3, two paths each through
    # the padding; 001 and 011 cost 1. With the down move allowed inside,
    # as in plain soft-DTW, R12 and R13 would also take R02 and R03.)
    value = otam_alignment(torch.tensor(HAND_DISTANCES, dtype=torch.float64),
                           1.0)
    assert value.item() == pytest.approx(-math.log(2 * math.exp(-1) +
                                                   4 * math.exp(-3)))


def test_otam_distance_of_a_2x3_matrix_is_the_sum_of_both_directions():
    # The transpose (3 rows x 2 columns) aligns the 2-frame sequence onto
    # the 3-frame one. Its paths give one row to each real column, rows
    # (0,0) (1,1) (2,2) at cost 2 and (0,1) (1,2) at cost 1. Counting the
    # ways through the padding (entering column 1 at row r > 0: from
    # (r-1, 0) or (r, 0); leaving from row r < 2: right, or diagonally)
    # gives 2 + 4 + 2 paths of cost 2 and 2 + 2 of cost 1:
    # -log(4e^-1 + 8e^-2). The other direction is the test above.
    distances = torch.tensor(HAND_DISTANCES, dtype=torch.float64)
    rows_onto_columns = -math.log(2 * math.exp(-1) + 4 * math.exp(-3))
    columns_onto_rows = -math.log(4 * math.exp(-1) + 8 * math.exp(-2))
    assert otam_alignment(distances.T, 1.0).item() == pytest.approx(
        columns_onto_rows)
    assert otam_distance(distances, 1.0).item() == pytest.approx(
        rows_onto_columns + columns_onto_rows)


def test_otam_distance_is_symmetric_in_its_two_sequences():
    distances = torch.rand(5, 8, 6, generator=torch.Generator().manual_seed(0))
    torch.testing.assert_close(
        otam_distance(distances, 0.1),
        otam_distance(distances.transpose(-1, -2), 0.1))


def test_otam_alignment_is_restricted_soft_dtw_of_the_padded_matrix():
    distances = torch.rand(4, 3, dtype=torch.float64)
    padded = F.pad(distances, (1, 1)).tolist()
    expected = soft_dtw_reference(padded, 0.1, vertical={0, 4})
    assert otam_alignment(distances, 0.1).item() == pytest.approx(expected)


def test_padding_lets_the_alignment_skip_unmatched_ends():
    # Rows 0 and 3 match nothing; rows 1-2 match columns 0-1 exactly.
    distances = torch.full((4, 2), 2.0)
    distances[1, 0] = distances[2, 1] = 0.0
    assert abs(otam_alignment(distances, 1e-3).item()) < 0.01
    assert soft_dtw(distances, 1e-3) > 3.9  # unpadded: both ends cost 2


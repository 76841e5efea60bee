"""Soft dynamic time warping, vectorised over pairs and anti-diagonals."""
import torch
import torch.nn.functional as F

#: Stands for "no path" in the recursion; finite so that gradients stay
#: finite. Costs must be far smaller (cosine distances are at most 2).
_UNREACHABLE = 1e9


def soft_dtw(costs: torch.Tensor, gamma: float) -> torch.Tensor:
    """Soft-DTW (Cuturi & Blondel 2017) of a batch of cost matrices.

    ``R[i, j] = costs[i, j] + softmin(R[i-1, j-1], R[i-1, j], R[i, j-1])``
    with ``softmin(x) = -gamma * log(sum(exp(-x / gamma)))``, starting from
    ``R[-1, -1] = 0``; the value is ``R[n-1, m-1]``, a smooth minimum over
    all monotone paths from (0, 0) to (n-1, m-1) of the summed costs. The
    cells of one anti-diagonal depend only on the two before it, so the
    recursion runs n + m - 1 vectorised steps.

    Args:
        costs: (..., n, m) cost matrices.
        gamma (float): Smoothing; 0 would be plain DTW. Must be > 0.

    Returns:
        (...) soft-DTW values.
    """
    if gamma <= 0:
        raise ValueError(f'gamma must be > 0, got {gamma}')
    *batch, n, m = costs.shape
    costs = costs.reshape(-1, n, m)
    rows = torch.arange(1, n + 1, device=costs.device)
    # Anti-diagonal d holds R[i - 1, d - i - 1] (0-based cells) at index
    # i = 0..n; index 0 and cells outside the matrix are unreachable.
    unreachable = costs.new_full((costs.shape[0], n + 1), _UNREACHABLE)
    before_last = unreachable.index_fill(1, rows.new_zeros(1), 0.)
    last = unreachable
    for diagonal in range(2, n + m + 1):
        cols = diagonal - rows
        inside = (cols >= 1) & (cols <= m)
        cell_costs = costs[:, rows - 1, (cols - 1).clamp(0, m - 1)]
        previous = torch.stack(
            [before_last[:, :-1], last[:, :-1], last[:, 1:]], dim=-1)
        cells = cell_costs - gamma * torch.logsumexp(-previous / gamma, -1)
        cells = torch.where(inside, cells, _UNREACHABLE)
        before_last, last = last, torch.cat([unreachable[:, :1], cells], 1)
    return last[:, n].reshape(batch)


def otam_distance(frame_distances: torch.Tensor,
                  gamma: float) -> torch.Tensor:
    """OTAM's ordered temporal alignment distance, both directions.

    Zero columns before the first and after the last column let the path
    start and end anywhere along the rows' sequence (OTAM's padding). The
    distance averages soft-DTW of the padded matrix (rows aligned onto the
    columns' sequence) and of its padded transpose (the other direction),
    so it is symmetric: swapping the two sequences transposes the matrix
    and gives the same value.

    Args:
        frame_distances: (..., n, m) distances between the n frames of one
            sequence and the m frames of the other.
        gamma (float): Soft-DTW smoothing.

    Returns:
        (...) distances.
    """
    forward = soft_dtw(F.pad(frame_distances, (1, 1)), gamma)
    backward = soft_dtw(F.pad(frame_distances.transpose(-1, -2), (1, 1)),
                        gamma)
    return (forward + backward) / 2

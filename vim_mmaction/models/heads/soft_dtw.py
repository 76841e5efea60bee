"""Soft dynamic time warping, vectorised over pairs and anti-diagonals."""
from typing import Optional

import torch
import torch.nn.functional as F

#: Stands for "no path" in the recursion; finite so that gradients stay
#: finite. Costs must be far smaller (cosine distances are at most 2).
_UNREACHABLE = 1e9


def soft_dtw(costs: torch.Tensor,
             gamma: float,
             vertical: Optional[torch.Tensor] = None) -> torch.Tensor:
    """Soft-DTW (Cuturi & Blondel 2017) of a batch of cost matrices.

    ``R[i, j] = costs[i, j] + softmin(R[i-1, j-1], R[i-1, j], R[i, j-1])``
    with ``softmin(x) = -gamma * log(sum(exp(-x / gamma)))``, starting from
    ``R[-1, -1] = 0``; the value is ``R[n-1, m-1]``, a smooth minimum over
    all monotone paths from (0, 0) to (n-1, m-1) of the summed costs. The
    vertical move (from ``R[i-1, j]``) can be restricted to some columns
    (OTAM's move set, :func:`otam_alignment`). The cells of one
    anti-diagonal depend only on the two before it, so the recursion runs
    n + m - 1 vectorised steps.

    Args:
        costs: (..., n, m) cost matrices.
        gamma (float): Smoothing; 0 would be plain DTW. Must be > 0.
        vertical: (m,) bool, the columns in which the path may move from
            row i-1 to row i. Defaults to None: every column.

    Returns:
        (...) soft-DTW values.
    """
    if gamma <= 0:
        raise ValueError(f'gamma must be > 0, got {gamma}')
    *batch, n, m = costs.shape
    if vertical is not None and vertical.shape != (m, ):
        raise ValueError(f'vertical must have shape ({m},) for {m} columns, '
                         f'got {tuple(vertical.shape)}')
    costs = costs.reshape(-1, n, m)
    if vertical is not None:
        vertical = vertical.to(costs.device)
    rows = torch.arange(1, n + 1, device=costs.device)
    # Anti-diagonal d holds R[i - 1, d - i - 1] (0-based cells) at index
    # i = 0..n; index 0 and cells outside the matrix are unreachable.
    unreachable = costs.new_full((costs.shape[0], n + 1), _UNREACHABLE)
    before_last = unreachable.index_fill(1, rows.new_zeros(1), 0.)
    last = unreachable
    for diagonal in range(2, n + m + 1):
        cols = diagonal - rows - 1  # 0-based column of each row's cell
        inside = (cols >= 0) & (cols < m)
        cols = cols.clamp(0, m - 1)
        cell_costs = costs[:, rows - 1, cols]
        down = last[:, :-1]
        if vertical is not None:
            down = torch.where(vertical[cols], down, _UNREACHABLE)
        previous = torch.stack([before_last[:, :-1], down, last[:, 1:]], -1)
        cells = cell_costs - gamma * torch.logsumexp(-previous / gamma, -1)
        cells = torch.where(inside, cells, _UNREACHABLE)
        before_last, last = last, torch.cat([unreachable[:, :1], cells], 1)
    return last[:, n].reshape(batch)


def otam_alignment(frame_distances: torch.Tensor,
                   gamma: float) -> torch.Tensor:
    """OTAM's soft alignment of the rows' sequence onto the columns'.

    The matrix gets a zero column before its first and after its last
    column; inside, the path moves right or diagonally only, so it passes
    every column exactly once and matches each column frame with one row
    frame, in order. Vertical moves are allowed in the two padding columns
    only (Cao et al. CVPR 2020): free, they let the path start and end at
    any row, i.e. skip the rows' first and last frames.

    Args:
        frame_distances: (..., n, m) distances between the n frames of one
            sequence (rows) and the m frames of the other (columns).
        gamma (float): Soft-DTW smoothing.

    Returns:
        (...) alignment costs.
    """
    m = frame_distances.shape[-1]
    vertical = torch.zeros(m + 2, dtype=torch.bool,
                           device=frame_distances.device)
    vertical[[0, -1]] = True
    return soft_dtw(F.pad(frame_distances, (1, 1)), gamma, vertical)


def otam_distance(frame_distances: torch.Tensor,
                  gamma: float) -> torch.Tensor:
    """OTAM's ordered temporal alignment distance, both directions summed.

    :func:`otam_alignment` of the matrix (rows aligned onto the columns'
    sequence) plus that of its transpose (the other direction). Swapping
    the two sequences gives the same value.

    Args:
        frame_distances: (..., n, m) distances between the n frames of one
            sequence and the m frames of the other.
        gamma (float): Soft-DTW smoothing.

    Returns:
        (...) distances.
    """
    return (otam_alignment(frame_distances, gamma) +
            otam_alignment(frame_distances.transpose(-1, -2), gamma))

"""Rows of clip features in RAM or in a memory-mapped file."""
import os
import os.path as osp
from typing import Optional, Sequence, Tuple

import numpy as np
import torch

MIB = 2**20


class FeatureStore:
    """A fixed number of feature rows of one shape, fp16 or fp32.

    Rows live in RAM, or, given ``path``, in a ``.npy`` file mapped into
    memory (the page cache holds what fits; the rest stays on disk), which
    :meth:`close` deletes.

    Args:
        num_rows (int): Rows (distinct clips).
        row_shape (tuple): Shape of one row, e.g. (T, C) or (T, C, h, w).
        dtype (torch.dtype): ``torch.float16`` or ``torch.float32``.
        path (str, optional): The file to map; None keeps the rows in RAM.

    Shapes:
        rows: (num_rows, *row_shape).
    """

    def __init__(self,
                 num_rows: int,
                 row_shape: Tuple[int, ...],
                 dtype: torch.dtype,
                 path: Optional[str] = None) -> None:
        if dtype not in (torch.float16, torch.float32):
            raise ValueError(
                f'feature rows are stored as float16 or float32, got {dtype}')
        self.path = path
        shape = (num_rows, *row_shape)
        if path is None:
            self.rows = torch.empty(shape, dtype=dtype)
        else:
            os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
            mapped = np.lib.format.open_memmap(
                path,
                mode='w+',
                dtype=np.float16 if dtype == torch.float16 else np.float32,
                shape=shape)
            self.rows = torch.from_numpy(mapped)

    @property
    def nbytes(self) -> int:
        return self.rows.numel() * self.rows.element_size()

    def write(self, positions: Sequence[int], values: torch.Tensor) -> None:
        """Store ``values`` (len(positions), *row_shape) at ``positions``,
        converted to the store's dtype."""
        self.rows[torch.as_tensor(positions, dtype=torch.long)] = values.to(
            device='cpu', dtype=self.rows.dtype)

    def describe(self) -> str:
        """E.g. ``50 clips × (8, 1280), 1.95 MiB, fp32, in RAM``."""
        num_rows, *row_shape = self.rows.shape
        dtype = 'fp16' if self.rows.dtype == torch.float16 else 'fp32'
        where = 'in RAM' if self.path is None else f'memmap {self.path}'
        return (f'{num_rows} clips × {tuple(row_shape)}, '
                f'{self.nbytes / MIB:.2f} MiB, {dtype}, {where}')

    def close(self) -> None:
        """Release the rows; delete the mapped file (and its folder, if
        that leaves it empty)."""
        self.rows = None
        if self.path is not None and osp.exists(self.path):
            os.remove(self.path)
            try:
                os.rmdir(osp.dirname(osp.abspath(self.path)))
            except OSError:  # other processes' files are still there
                pass

"""FeatureStore keeps rows in RAM or in a memory-mapped .npy file."""
import numpy as np
import pytest
import torch

from vim_mmaction.engine.loops import FeatureStore


def test_memmap_rows_round_trip_through_the_file_and_are_deleted(tmp_path):
    path = tmp_path / 'cache' / 'test-rank0.npy'
    store = FeatureStore(3, (2, 4), torch.float16, str(path))
    values = torch.randn(2, 2, 4)
    store.write([2, 0], values)
    on_disk = np.load(path, mmap_mode='r')
    assert on_disk.shape == (3, 2, 4) and on_disk.dtype == np.float16
    torch.testing.assert_close(
        torch.from_numpy(np.array(on_disk[[2, 0]])), values.half())
    assert store.describe() == (
        f'3 clips × (2, 4), 0.00 MiB, fp16, memmap {path}')
    store.close()
    assert not path.parent.exists()


def test_ram_rows_keep_float32_exactly():
    store = FeatureStore(2, (3, ), torch.float32)
    values = torch.randn(1, 3, dtype=torch.float64)
    store.write([1], values)
    assert torch.equal(store.rows[1], values[0].float())
    assert store.nbytes == 24
    assert store.describe().endswith(', fp32, in RAM')


def test_other_dtypes_are_refused():
    with pytest.raises(ValueError, match='float16 or float32, got '
                       'torch.bfloat16'):
        FeatureStore(1, (1, ), torch.bfloat16)

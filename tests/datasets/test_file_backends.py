"""Split lists and media found through mmengine.fileio and backend_args."""
import pytest

from vim_mmaction.datasets import FewShotVideoDataset

from .memory_backend import MEMORY_BACKEND_ARGS, MemoryBackend


@pytest.fixture
def memory_files():
    yield MemoryBackend.files
    MemoryBackend.files.clear()


def test_split_and_media_are_read_through_backend_args(memory_files):
    root = '/in-memory/benchmark'
    memory_files.update({
        f'{root}/splits/train.txt': b'\xef\xbb\xbfwave/v1\nwave/v2\nclap/c1\n',
        f'{root}/videos/wave/v1.mp4': b'',
        f'{root}/videos/v2.webm': b'',
        f'{root}/videos/clap/c1/.DS_Store': b'',
        **{f'{root}/videos/clap/c1/{i:08}.jpg': b'' for i in (1, 2, 3)},
    })
    dataset = FewShotVideoDataset(
        'splits/train.txt',
        pipeline=[],
        data_root=root,
        data_prefix=dict(video='videos'),
        backend_args=MEMORY_BACKEND_ARGS)
    infos = [dataset.get_data_info(i) for i in range(3)]
    assert infos[0]['filename'] == f'{root}/videos/wave/v1.mp4'
    assert infos[1]['filename'] == f'{root}/videos/v2.webm'
    frames = {key: infos[2][key] for key in
              ('frame_dir', 'filename_tmpl', 'start_index', 'total_frames')}
    assert frames == dict(frame_dir=f'{root}/videos/clap/c1',
                          filename_tmpl='{:08}.jpg', start_index=1,
                          total_frames=3)
    assert dataset.metainfo['classes'] == ('wave', 'clap')


def test_a_split_list_missing_from_the_backend_is_named(memory_files):
    with pytest.raises(FileNotFoundError, match='/in-memory/none.txt'):
        FewShotVideoDataset(
            '/in-memory/none.txt',
            pipeline=[],
            backend_args=MEMORY_BACKEND_ARGS)

"""Helpers shared by the tests."""
import importlib.util
import os.path as osp
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterable

import numpy as np

REPO = Path(__file__).resolve().parents[1]

# Containers and encoders of the real clips the tests write: what the five
# benchmarks ship (mp4/H.264, avi/MPEG-4, SSv2's webm/VP9) and mkv.
SAMPLE_VIDEO_CODECS = {
    'test.mp4': 'libx264',
    'test.avi': 'mpeg4',
    'test.webm': 'libvpx-vp9',
    'test.mkv': 'mpeg4',
}
SAMPLE_VIDEO_FRAMES = 24


def load_tool(relative_path: str):
    """Import a script under tools/ (not a package) as a module."""
    path = REPO / relative_path
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sample_frame_brightness(index: int) -> float:
    """Mean pixel value of frame ``index`` of the sample videos."""
    return 25.0 + 8.0 * index


def write_sample_videos(root: Path) -> Dict[str, Path]:
    """Encode one short real clip per container of ``SAMPLE_VIDEO_CODECS``.

    Frame ``i`` is striped with mean :func:`sample_frame_brightness` (i), so
    a test can tell which frames a decoder returned. The clips are encoded in
    a fresh interpreter: once decord is imported, its bundled FFmpeg makes
    PyAV's libvpx-vp9 encoder fail to open (``avcodec_open2`` returns EINVAL),
    and by the time a test asks for the clips, others have imported decord.

    Returns:
        File name -> path of the written clip.
    """
    script = ('import sys; from tests.helpers import encode_sample_videos; '
              'encode_sample_videos(sys.argv[1])')
    subprocess.run(
        [sys.executable, '-c', script, str(root)], cwd=REPO, check=True)
    return {name: root / name for name in SAMPLE_VIDEO_CODECS}


def encode_sample_videos(root: str) -> None:
    """The encoding behind :func:`write_sample_videos`, in this process."""
    write_video = load_tool('tools/data/make_synthetic.py').write_video
    stripes = (np.arange(64) // 8) % 2 == 0  # half the columns 10 brighter
    for name, codec in SAMPLE_VIDEO_CODECS.items():
        frames = np.empty((SAMPLE_VIDEO_FRAMES, 48, 64, 3), np.uint8)
        for index, frame in enumerate(frames):
            frame[:] = sample_frame_brightness(index) - 5
            frame[:, stripes] += 10
        write_video(Path(root) / name, frames, fps=12, codec=codec)


def make_video_tree(root: Path, lines: Iterable[str], source: Path) -> None:
    """Copy ``source`` to ``root/<class>/<video_id>.mp4`` for each line."""
    for line in lines:
        target = root / f'{line}.mp4'
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def write_split(path: Path, lines: Iterable[str]) -> str:
    """Write one split line per entry; returns the absolute path."""
    path.write_text(''.join(f'{line}\n' for line in lines))
    return osp.abspath(path)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]

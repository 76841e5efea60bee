"""Helpers shared by the tests."""
import importlib.util
import os.path as osp
import shutil
import socket
from pathlib import Path
from typing import Iterable

REPO = Path(__file__).resolve().parents[1]
SHARED_VIDEOS = REPO.parent / 'shared' / 'data' / 'videos'


def load_tool(relative_path: str):
    """Import a script under tools/ (not a package) as a module."""
    path = REPO / relative_path
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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

"""An in-memory mmengine storage backend: files nowhere on disk."""
import posixpath
from typing import Dict, Iterator, Optional, Tuple, Union

from mmengine.fileio import BaseStorageBackend, register_backend

MEMORY_BACKEND_ARGS = dict(backend='vim_test_memory')


@register_backend('vim_test_memory', force=True)
class MemoryBackend(BaseStorageBackend):
    """Files in a class-wide dict, path -> bytes; folders are the paths'
    parents. Tests put their files under paths of their own."""

    files: Dict[str, bytes] = {}

    def get(self, filepath: str) -> bytes:
        if filepath not in self.files:
            raise FileNotFoundError(filepath)
        return self.files[filepath]

    def get_text(self, filepath: str, encoding: str = 'utf-8') -> str:
        return self.get(filepath).decode(encoding)

    def isdir(self, filepath: str) -> bool:
        prefix = filepath.rstrip('/') + '/'
        return any(path.startswith(prefix) for path in self.files)

    def exists(self, filepath: str) -> bool:
        return filepath in self.files or self.isdir(filepath)

    def join_path(self, filepath: str, *filepaths: str) -> str:
        return posixpath.join(filepath, *filepaths)

    def list_dir_or_file(self,
                         dir_path: str,
                         list_dir: bool = True,
                         list_file: bool = True,
                         suffix: Optional[Union[str, Tuple[str]]] = None,
                         recursive: bool = False) -> Iterator[str]:
        assert suffix is None and not recursive, 'not needed by the tests'
        prefix = dir_path.rstrip('/') + '/'
        children = {}
        for path in self.files:
            if path.startswith(prefix):
                name, _, rest = path[len(prefix):].partition('/')
                children[name] = bool(rest)  # a folder if anything follows
        for name, is_dir in children.items():
            if list_dir if is_dir else list_file:
                yield name

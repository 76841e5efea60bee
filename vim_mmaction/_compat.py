"""Shims for gaps in the PyPI stack (mmaction2 1.2.0, mmengine 0.10.x, torch).

:func:`apply` runs when :mod:`vim_mmaction` is imported and fixes six
problems, each documented in ``docs/compat.md``:

1. The mmaction2 1.2.0 wheel lacks ``mmaction/models/localizers/drn`` although
   ``mmaction.models`` imports it, so ``import mmaction.models`` fails. A
   fallback import hook supplies a placeholder ``DRN`` that explains the gap.
2. Since torch 2.6 ``torch.load`` defaults to ``weights_only=True`` and
   mmengine checkpoints (message hub, numpy values) no longer load. The
   checkpoint loaders are replaced by ones that load with
   ``weights_only=True`` plus a narrow allowlist of what mmengine writes;
   anything else is refused unless its file is explicitly trusted.
3. mmengine cannot start a multi-process run without CUDA: it calls
   ``torch.cuda.set_device`` unconditionally, defaults to NCCL and hands
   ``device_ids`` to DDP for CPU models. The shims fall back to Gloo and
   drop the device ids when the model lives on the CPU.
4. mmaction2's ``PyAVInit`` takes the frame count from the container header,
   which webm (SSv2's format) and mkv files do not carry: it reads 0 and
   decoding fails. The shim counts the packets of such files instead.
5. mmengine writes checkpoints (and ``last_checkpoint``) in place, so a full
   disk leaves a truncated file behind. Local writes go to a temporary file
   that replaces the target only once complete and synced.
6. mmaction2 imports its VindLU models whenever transformers >= 4.28 is
   installed, but they also need timm and helpers that recent transformers
   releases no longer have in ``transformers.modeling_utils``; without them
   ``import mmaction.models`` fails. The shim then turns VindLU off as if
   transformers were missing (mmaction2 registers its placeholders) and
   says so in the log.
"""
from __future__ import annotations

import contextlib
import functools
import importlib.abc
import importlib.machinery
import io
import logging
import os
import os.path as osp
import pickle
import stat
import sys
import uuid
import zipfile
from tempfile import TemporaryDirectory
from types import ModuleType
from typing import IO, Any, Callable, Iterator, List, Optional, Tuple, Union
from urllib.parse import urlparse

import numpy as np
import torch
from mmengine.logging import HistoryBuffer, print_log

__all__ = [
    'TRUST_ENV', 'CorruptCheckpointError', 'UnsafeCheckpointError', 'apply',
    'atomic_write', 'checkpoint_allowlist', 'safe_load', 'trust_checkpoint'
]

#: Environment variable listing trusted checkpoint files (``os.pathsep``
#: separated); see :func:`safe_load`.
TRUST_ENV = 'VIM_MMACTION_TRUST_CHECKPOINTS'

PathLike = Union[str, 'os.PathLike[str]']
FileLike = Union[PathLike, IO[bytes]]

_applied = False


def apply() -> None:
    """Installs every shim; calling it again does nothing."""
    global _applied
    if _applied:
        return
    _install_drn_placeholder()
    _install_multimodal_guard()
    _install_safe_checkpoint_loading()
    _install_cpu_distributed()
    _install_pyav_frame_count()
    _install_atomic_local_writes()
    _applied = True


# ---------------------------------------------------------------------------
# 1. DRN, missing from the mmaction2 1.2.0 wheel
# ---------------------------------------------------------------------------
_DRN_PACKAGE = 'mmaction.models.localizers.drn'
_DRN_MODULE = f'{_DRN_PACKAGE}.drn'


class _MissingDRN:
    """Stands in for mmaction2's DRN localizer, which the wheel does not ship.

    Deliberately not registered in ``MODELS``, so that a real DRN can still
    be registered by whoever vendors it.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise ImportError(
            'DRN (mmaction.models.localizers.drn) is missing from the PyPI '
            'release of mmaction2 1.2.0, so vim_mmaction installed a '
            'placeholder to keep `import mmaction.models` working. To use '
            'DRN, install mmaction2 from source in editable mode, e.g. `git '
            'clone -b v1.2.0 https://github.com/open-mmlab/mmaction2.git && '
            'pip install -e ./mmaction2` (a regular install of the sources '
            'drops DRN as well, as its folder has no __init__.py).')


class _DRNFallbackFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Provides the DRN modules when no regular finder can.

    It sits at the end of ``sys.meta_path``, so a source install of
    mmaction2, which has the real modules, always wins.
    """

    def find_spec(self,
                  fullname: str,
                  path: Any = None,
                  target: Optional[ModuleType] = None
                  ) -> Optional[importlib.machinery.ModuleSpec]:
        """Claims only the two DRN module names."""
        if fullname not in (_DRN_PACKAGE, _DRN_MODULE):
            return None
        return importlib.machinery.ModuleSpec(
            fullname, self, is_package=fullname == _DRN_PACKAGE)

    def exec_module(self, module: ModuleType) -> None:
        """Fills ``drn.drn`` with the placeholder; the package stays empty."""
        if module.__name__ == _DRN_MODULE:
            module.DRN = _MissingDRN


def _install_drn_placeholder() -> None:
    """Lets ``import mmaction.models`` fall back on the DRN placeholder."""
    sys.meta_path.append(_DRNFallbackFinder())


# ---------------------------------------------------------------------------
# 2. Safe checkpoint loading on torch >= 2.6
# ---------------------------------------------------------------------------
# HistoryBuffer pickles its statistics methods, ``HistoryBuffer.min`` and so
# on, as ``getattr(HistoryBuffer, name)``; these are the ones it registers.
_HISTORY_BUFFER_STATISTICS = frozenset({'min', 'max', 'current', 'mean'})
# Dtypes of the numpy arrays and scalars that end up in a message hub.
_NUMPY_DTYPES = ('bool', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16',
                 'uint32', 'uint64', 'float16', 'float32', 'float64')


class UnsafeCheckpointError(pickle.UnpicklingError):
    """A checkpoint needs globals beyond what mmengine itself writes.

    Attributes:
        filename: The checkpoint that was refused.
        foreign_globals: The offending globals, e.g. ``['posix.system']``;
            empty when they could not be listed.
    """

    def __init__(self, filename: str, foreign_globals: List[str],
                 reason: str) -> None:
        self.filename = filename
        self.foreign_globals = foreign_globals
        if foreign_globals:
            what = ('it pickles globals outside the allowlist of mmengine '
                    f'checkpoints: {", ".join(foreign_globals)}')
        else:
            what = f'it cannot be loaded with weights_only=True: {reason}'
        super().__init__(
            f'Refused to load checkpoint {filename!r}: {what}. Unpickling it '
            'could run arbitrary code. If you trust this file, list its path '
            f'in the environment variable {TRUST_ENV} (several paths '
            f'separated by {os.pathsep!r}) or load it inside '
            '`vim_mmaction._compat.trust_checkpoint(path)`.')


class CorruptCheckpointError(ValueError):
    """A checkpoint file is empty, cut short or not a checkpoint at all.

    Attributes:
        filename: The damaged checkpoint.
        size: Its size in bytes (None when unknown).
    """

    def __init__(self, filename: str, size: Optional[int],
                 detail: str) -> None:
        self.filename = filename
        self.size = size
        size_text = '' if size is None else f' ({size} bytes)'
        super().__init__(
            f'checkpoint {filename}: the file is truncated or corrupt'
            f'{size_text}: {detail}. An interrupted copy, download or save '
            'does this: re-download it or pick another checkpoint.')


# How torch.save files begin: a zip archive (torch >= 1.6) or, in the legacy
# format, a pickle (protocol 2 opcode).
_ZIP_MAGIC = b'PK\x03\x04'
_PICKLE_MAGIC = b'\x80'


def _size_and_head(f: FileLike) -> Tuple[Optional[int], bytes]:
    """The size of a checkpoint file or buffer and its first bytes."""
    if isinstance(f, (str, os.PathLike)):
        with open(f, 'rb') as file:
            return os.fstat(file.fileno()).st_size, file.read(4)
    if not (hasattr(f, 'seek') and hasattr(f, 'tell')):
        return None, b''
    f.seek(0, io.SEEK_END)
    size = f.tell()
    f.seek(0)
    head = f.read(4)
    f.seek(0)
    return size, head


def _framing_problem(f: FileLike, head: bytes,
                     size: Optional[int]) -> Optional[str]:
    """Why ``f`` cannot be a whole ``torch.save`` file, judged from its
    framing alone (no unpickling); None when it may be one."""
    if size == 0:
        return 'the file is empty'
    if head.startswith(_ZIP_MAGIC):
        # The archive's directory is at its end: a file cut short has none.
        if not zipfile.is_zipfile(f):
            return ('its zip archive has no end (no central directory), '
                    'so the file was cut short')
        if hasattr(f, 'seek'):
            f.seek(0)
        return None
    if head.startswith(_PICKLE_MAGIC) or not head:
        return None
    return ('it is neither a zip archive nor a pickle, the two formats of '
            f'torch.save (it begins with {head!r})')


def _load_whole(f: FileLike, name: str, **load_kwargs: Any) -> Any:
    """``torch.load`` that reports a damaged file as such.

    torch reports an empty file as a bare ``EOFError`` and a truncated one
    as a miniz ``RuntimeError``, which callers then take for a model that
    does not match.

    Raises:
        CorruptCheckpointError: ``f`` is empty, cut short or not a
            checkpoint.
    """
    size, head = _size_and_head(f)
    problem = _framing_problem(f, head, size)
    if problem is not None:
        raise CorruptCheckpointError(name, size, problem)
    try:
        return torch.load(f, **load_kwargs)
    except EOFError as err:
        raise CorruptCheckpointError(
            name, size, 'its data end before the checkpoint does') from err
    except RuntimeError as err:
        if 'PytorchStreamReader' not in str(err):
            raise
        raise CorruptCheckpointError(name, size,
                                     f'its zip archive is damaged ({err})'
                                     ) from err


def _history_buffer_getattr(obj: Any, name: str) -> Any:
    """The ``getattr`` that mmengine checkpoints need, and no other.

    Registered under the name ``builtins.getattr`` instead of the real
    builtin, which would let a checkpoint reach any attribute.
    """
    if obj is HistoryBuffer and name in _HISTORY_BUFFER_STATISTICS:
        return getattr(HistoryBuffer, name)
    raise pickle.UnpicklingError(
        f'getattr({obj!r}, {name!r}) is not allowed in a checkpoint')


@functools.lru_cache(maxsize=None)
def checkpoint_allowlist() -> Tuple[Any, ...]:
    """Lists the globals that mmengine writes into checkpoints.

    Found by saving checkpoints with a real ``Runner`` (message hub, best
    checkpoint, optimizer and scheduler states) and listing them with
    ``torch.serialization.get_unsafe_globals_in_checkpoint``; the dtype
    classes are only met by the unpickler, so loading revealed those.

    Returns:
        Entries for ``torch.serialization.safe_globals``: objects, or
        ``(object, pickled name)`` pairs where the name differs.
    """
    # Taken from the objects' own pickles, as numpy 2 moved multiarray.
    reconstruct = np.empty(0).__reduce__()[0]
    scalar = np.float64(0).__reduce__()[0]
    entries: List[Any] = [
        HistoryBuffer, np.ndarray, np.dtype,
        (_history_buffer_getattr, 'builtins.getattr')
    ]
    # Numpy 2 writes ``numpy._core``, numpy 1 ``numpy.core``: accept both so
    # that checkpoints load whichever numpy wrote them.
    for module in ('numpy._core.multiarray', 'numpy.core.multiarray'):
        entries += [(reconstruct, f'{module}._reconstruct'),
                    (scalar, f'{module}.scalar')]
    # Unpickling a dtype builds an instance of its concrete class
    # (numpy.dtypes.Float64DType...), which must be allowed too.
    entries += list(dict.fromkeys(type(np.dtype(d)) for d in _NUMPY_DTYPES))
    return tuple(entries)


def _allowlisted_names() -> set:
    """Returns the pickled names that :func:`checkpoint_allowlist` covers."""
    return {
        entry[1] if isinstance(entry, tuple) else
        f'{entry.__module__}.{entry.__qualname__}'
        for entry in checkpoint_allowlist()
    }


@contextlib.contextmanager
def _allowlist_enabled() -> Iterator[None]:
    """Enables :func:`checkpoint_allowlist` for ``weights_only`` loads.

    torch forgets the entries of ``safe_globals`` on exit, so the ones a
    user already allowed globally are left out to keep them allowed.
    """
    allowed = set(torch.serialization.get_safe_globals())
    missing = [e for e in checkpoint_allowlist() if e not in allowed]
    with torch.serialization.safe_globals(missing):
        yield


_trusted_in_code: List[str] = []


def _resolve(path: PathLike) -> str:
    return osp.realpath(osp.expanduser(os.fspath(path)))


@contextlib.contextmanager
def trust_checkpoint(path: PathLike) -> Iterator[None]:
    """Trusts one checkpoint file to be unpickled in full, within the block.

    Only the file at ``path`` (compared after resolving symlinks) is
    trusted, and only for legacy checkpoints you know the origin of.

    Args:
        path: The trusted checkpoint file.
    """
    resolved = _resolve(path)
    _trusted_in_code.append(resolved)
    try:
        yield
    finally:
        _trusted_in_code.remove(resolved)


def _is_trusted(f: FileLike) -> bool:
    """Tells whether ``f`` is a file trusted by code or by :data:`TRUST_ENV`.

    Buffers have no path to trust, so they never are.
    """
    if not isinstance(f, (str, os.PathLike)):
        return False
    listed = os.environ.get(TRUST_ENV, '').split(os.pathsep)
    trusted = {_resolve(p) for p in listed if p}.union(_trusted_in_code)
    return _resolve(f) in trusted


def _foreign_globals(f: FileLike) -> List[str]:
    """Lists the globals of ``f`` that neither torch nor we allow.

    This reads the pickle without executing it.
    """
    if hasattr(f, 'seek'):
        f.seek(0)
    try:
        found = torch.serialization.get_unsafe_globals_in_checkpoint(f)
    except ValueError:  # legacy, non-zip checkpoints cannot be scanned
        return []
    allowed = _allowlisted_names()
    return [name for name in found if name not in allowed]


def safe_load(f: FileLike,
              map_location: Any = None,
              name: Optional[str] = None) -> Any:
    """Loads a checkpoint, refusing anything but what mmengine writes.

    The checkpoint is unpickled with ``weights_only=True`` and
    :func:`checkpoint_allowlist`. A file listed in :data:`TRUST_ENV` or
    inside :func:`trust_checkpoint` is unpickled in full instead, with a
    warning.

    Args:
        f: Path or binary buffer of the checkpoint.
        map_location: Same as for :func:`torch.load`.
        name: How to name the checkpoint in messages; defaults to ``f``.

    Returns:
        The loaded checkpoint.

    Raises:
        UnsafeCheckpointError: ``f`` needs other globals and is not trusted.
        CorruptCheckpointError: ``f`` is empty, cut short or not a
            checkpoint.
    """
    name = name or str(f)
    if _is_trusted(f):
        print_log(
            f'Loading trusted checkpoint {name} with weights_only=False: '
            'its pickle may run arbitrary code.',
            logger='current',
            level=logging.WARNING)
        return _load_whole(
            f, name, map_location=map_location, weights_only=False)
    try:
        with _allowlist_enabled():
            return _load_whole(
                f, name, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as err:
        raise UnsafeCheckpointError(name, _foreign_globals(f),
                                    str(err)) from err


# Stand-ins for the mmengine loaders that call torch.load themselves. Their
# names keep the ``load_from_`` prefix that CheckpointLoader logs.
def load_from_local(filename: str, map_location: Any = None) -> Any:
    """Loads a checkpoint from a local path."""
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'{filename} can not be found.')
    return safe_load(filename, map_location)


def load_url(url: str,
             model_dir: Optional[str] = None,
             map_location: Any = None,
             progress: bool = True) -> Any:
    """Downloads a checkpoint into the torch hub cache and loads it.

    Replaces the ``load_url`` of :mod:`mmengine.runner.checkpoint`, which
    calls ``torch.hub.load_state_dict_from_url`` with its default
    ``weights_only=False``: every http(s), ``torchvision://``, ``mmcls://``
    and ``open-mmlab://`` URL goes through it.
    """
    model_dir = model_dir or osp.join(torch.hub.get_dir(), 'checkpoints')
    os.makedirs(model_dir, exist_ok=True)
    cached_file = osp.join(model_dir, osp.basename(urlparse(url).path))
    if not osp.exists(cached_file):
        torch.hub.download_url_to_file(url, cached_file, progress=progress)
    return safe_load(cached_file, map_location)


def load_from_pavi(filename: str, map_location: Any = None) -> Any:
    """Loads a checkpoint from pavi's model cloud (``pavi://``)."""
    try:
        from pavi import modelcloud
    except ImportError as err:
        raise ImportError(
            'Please install pavi to load checkpoint from modelcloud.') from err
    model = modelcloud.get(filename[len('pavi://'):])
    with TemporaryDirectory() as tmp_dir:
        downloaded_file = osp.join(tmp_dir, model.name)
        model.download(downloaded_file)
        return safe_load(downloaded_file, map_location, name=filename)


def load_from_ceph(filename: str,
                   map_location: Any = None,
                   backend: str = 'petrel') -> Any:
    """Loads a checkpoint from ``s3://`` or ``petrel://`` storage."""
    from mmengine.fileio import get_file_backend
    file_backend = get_file_backend(
        filename, backend_args={'backend': backend})
    with io.BytesIO(file_backend.get(filename)) as buffer:
        return safe_load(buffer, map_location, name=filename)


def load_from_openmmlab(filename: str, map_location: Any = None) -> Any:
    """Loads an OpenMMLab model-zoo checkpoint (``open-mmlab://``)."""
    from mmengine.runner import checkpoint as ckpt
    prefix = 'open-mmlab://' if filename.startswith(
        'open-mmlab://') else 'openmmlab://'
    model_name = filename[len(prefix):]
    deprecated = ckpt.get_deprecated_model_names()
    if model_name in deprecated:
        print_log(
            f'{prefix}{model_name} is deprecated in favor of '
            f'{prefix}{deprecated[model_name]}',
            logger='current',
            level=logging.WARNING)
        model_name = deprecated[model_name]
    model_url = ckpt.get_external_models()[model_name]
    if model_url.startswith(('http://', 'https://')):
        return ckpt.load_from_http(model_url, map_location=map_location)
    return load_from_local(
        osp.join(ckpt._get_mmengine_home(), model_url), map_location)


_SAFE_LOADERS: Tuple[Tuple[Union[str, List[str]], Callable[..., Any]], ...] = (
    ('', load_from_local),
    ('pavi://', load_from_pavi),
    ([r'(\S+\:)?s3://', r'(\S+\:)?petrel://'], load_from_ceph),
    (['open-mmlab://', 'openmmlab://'], load_from_openmmlab),
)


def _install_safe_checkpoint_loading() -> None:
    """Routes every mmengine checkpoint scheme through :func:`safe_load`."""
    from mmengine.runner import checkpoint as ckpt
    serialization = torch.serialization
    # Named (object, name) allowlist entries and the scan for foreign
    # globals both arrived with torch 2.6, the release that made
    # weights_only the default; before it mmengine's loaders still work.
    if not (hasattr(serialization, 'safe_globals')
            and hasattr(serialization, 'get_unsafe_globals_in_checkpoint')):
        print_log(
            f'torch {torch.__version__} cannot restrict unpickling to an '
            'allowlist, so mmengine checkpoints are loaded with full pickle, '
            'which runs any code they contain. Only load checkpoints you '
            'trust, or upgrade to torch >= 2.6.',
            logger='current',
            level=logging.WARNING)
        return
    for prefixes, loader in _SAFE_LOADERS:
        ckpt.CheckpointLoader.register_scheme(
            prefixes=prefixes, loader=loader, force=True)
    # load_from_http and the schemes delegating to it look load_url up in
    # the module namespace at call time.
    ckpt.load_url = load_url


# ---------------------------------------------------------------------------
# 3. Multi-process runs without CUDA
# ---------------------------------------------------------------------------
def _cpu_aware_init_dist_pytorch(
        original: Callable[..., None]) -> Callable[..., None]:
    """Wraps mmengine's ``_init_dist_pytorch`` to work without CUDA.

    With CUDA, another accelerator or a non-torch ``init_backend``, the
    original runs unchanged.
    """
    from mmengine.device import (is_mlu_available, is_musa_available,
                                 is_npu_available)

    @functools.wraps(original)
    def init_dist_pytorch(backend: str,
                          init_backend: str = 'torch',
                          **kwargs: Any) -> None:
        if (torch.cuda.is_available() or is_mlu_available()
                or is_npu_available() or is_musa_available()
                or init_backend != 'torch'):
            original(backend, init_backend=init_backend, **kwargs)
            return
        if backend == 'nccl':
            print_log(
                'CUDA is not available: using the gloo backend instead of '
                'nccl for distributed processes.',
                logger='current',
                level=logging.WARNING)
            backend = 'gloo'
        torch.distributed.init_process_group(backend=backend, **kwargs)

    return init_dist_pytorch


def _cpu_aware_ddp_init(original: Callable[..., None]) -> Callable[..., None]:
    """Wraps ``MMDistributedDataParallel.__init__`` to accept CPU modules.

    ``Runner.wrap_model`` always passes ``device_ids=[LOCAL_RANK]``, which
    DDP rejects for a module on the CPU.
    """

    @functools.wraps(original)
    def __init__(self: Any, module: torch.nn.Module, *args: Any,
                 **kwargs: Any) -> None:
        if all(p.device.type == 'cpu' for p in module.parameters()):
            kwargs.pop('device_ids', None)
            kwargs.pop('output_device', None)
        original(self, module, *args, **kwargs)

    return __init__


def _install_cpu_distributed() -> None:
    """Lets mmengine start and wrap multi-process runs on the CPU."""
    # init_dist looks _init_dist_pytorch up in the module namespace.
    from mmengine.dist import utils as dist_utils
    from mmengine.model import MMDistributedDataParallel
    dist_utils._init_dist_pytorch = _cpu_aware_init_dist_pytorch(
        dist_utils._init_dist_pytorch)
    MMDistributedDataParallel.__init__ = _cpu_aware_ddp_init(
        MMDistributedDataParallel.__init__)


# ---------------------------------------------------------------------------
# 4. PyAVInit on containers without a frame count (webm, mkv)
# ---------------------------------------------------------------------------
def count_video_packets(container: Any) -> int:
    """Frames of the first video stream of an open PyAV container, counted
    by demuxing (no decoding), then rewound to the start."""
    stream = container.streams.video[0]
    count = sum(1 for packet in container.demux(stream) if packet.size)
    container.seek(0)
    return count


def _pyav_init_counting_frames(
        original: Callable[..., dict]) -> Callable[..., dict]:
    """Wraps ``PyAVInit.transform`` to count frames the header omits."""

    @functools.wraps(original)
    def transform(self: Any, results: dict) -> dict:
        results = original(self, results)
        if results['total_frames'] <= 0:
            results['total_frames'] = count_video_packets(
                results['video_reader'])
        return results

    return transform


def _install_pyav_frame_count() -> None:
    """Gives ``PyAVInit`` the real frame count of webm and mkv files."""
    from mmaction.datasets.transforms.loading import PyAVInit
    PyAVInit.transform = _pyav_init_counting_frames(PyAVInit.transform)


# ---------------------------------------------------------------------------
# 5. Whole files or none: atomic local writes
# ---------------------------------------------------------------------------
def atomic_write(path: PathLike, data: Union[bytes, str], mode: str = 'wb',
                 **open_kwargs: Any) -> None:
    """Writes ``data`` to ``path`` whole, or leaves ``path`` as it was.

    The data goes to a temporary file beside the target, is synced to the
    disk, then renamed over the target (a rename within one file system is
    atomic); the directory is synced too, so that the rename outlives a
    crash. A failed write (full disk, quota) removes the temporary file and
    raises. A symlinked target is written through, and an existing file
    keeps its permissions.

    Args:
        path: The file to write.
        data: Its whole content.
        mode: ``'wb'`` for bytes, ``'w'`` for text.
        **open_kwargs: Passed to :func:`open`, e.g. ``encoding``.
    """
    target = osp.realpath(os.fspath(path))
    directory = osp.dirname(target)
    temporary = osp.join(
        directory, f'.{osp.basename(target)}.{uuid.uuid4().hex[:8]}.tmp')
    try:
        with open(temporary, mode.replace('w', 'x'), **open_kwargs) as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        if osp.exists(target):
            os.chmod(temporary, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temporary)
        raise
    _fsync_directory(directory)


def _fsync_directory(directory: str) -> None:
    """Makes a rename in ``directory`` durable (POSIX; a no-op elsewhere)."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:  # e.g. Windows, where directories cannot be opened
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems do not sync directories
    finally:
        os.close(descriptor)


def _install_atomic_local_writes() -> None:
    """Makes mmengine's local ``put`` and ``put_text`` write atomically.

    Every local checkpoint, whichever module imported ``save_checkpoint``,
    reaches the disk through ``LocalBackend.put`` (the runner's
    ``last_checkpoint`` through ``put_text``), a method looked up at call
    time: one patch covers them all.
    """
    from mmengine.fileio import LocalBackend
    from mmengine.utils import mkdir_or_exist

    def put(self: Any, obj: bytes, filepath: PathLike) -> None:
        mkdir_or_exist(osp.dirname(filepath))
        atomic_write(filepath, obj)

    def put_text(self: Any,
                 obj: str,
                 filepath: PathLike,
                 encoding: str = 'utf-8') -> None:
        mkdir_or_exist(osp.dirname(filepath))
        atomic_write(filepath, obj, mode='w', encoding=encoding)

    put.__doc__ = (f'{LocalBackend.put.__doc__ or ""}\n'
                   '(vim_mmaction: whole or not at all, see atomic_write.)')
    put_text.__doc__ = (f'{LocalBackend.put_text.__doc__ or ""}\n'
                        '(vim_mmaction: whole or not at all, see '
                        'atomic_write.)')
    LocalBackend.put = put
    LocalBackend.put_text = put_text


# ---------------------------------------------------------------------------
# 6. VindLU where its imports fail (recent transformers, no timm)
# ---------------------------------------------------------------------------
_VINDLU_HELPERS = ('apply_chunking_to_forward',
                   'find_pruneable_heads_and_indices', 'prune_linear_layer')


def _vindlu_missing() -> List[str]:
    """What mmaction2's VindLU imports and this environment lacks: the
    helpers it takes from ``transformers.modeling_utils``, and timm."""
    try:
        import transformers
        import transformers.modeling_utils as modeling_utils
    except ImportError as err:  # a broken install: VindLU would fail too
        return [f'an importable transformers.modeling_utils ({err})']
    missing = [
        f'{helper} (transformers {transformers.__version__}, modeling_utils)'
        for helper in _VINDLU_HELPERS if not hasattr(modeling_utils, helper)
    ]
    try:
        import timm  # noqa: F401
    except ImportError:
        missing.append('timm')
    return missing


def _install_multimodal_guard() -> None:
    """Keeps ``import mmaction.models`` working where VindLU cannot import.

    mmaction2 turns VindLU on by the installed transformers version alone
    (``transformers >= 4.28``) and reads that flag when ``mmaction.models``
    is first imported, so the flag is corrected before. The imports checked
    are the ones VindLU would make anyway.
    """
    from mmaction.utils import dependency
    if not dependency.WITH_MULTIMODAL:
        return
    missing = _vindlu_missing()
    if not missing:
        return
    dependency.WITH_MULTIMODAL = False
    print_log(
        "mmaction2's VindLU models cannot be imported here (missing: "
        f'{", ".join(missing)}): they are registered as placeholders, as '
        'without transformers, so that mmaction.models imports.',
        logger='current',
        level=logging.WARNING)

"""Tests of the compatibility shims in :mod:`vim_mmaction._compat`."""
import json
import os
import pickle
import shlex
import socket
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch
from mmengine.evaluator import BaseMetric
from mmengine.logging import HistoryBuffer
from mmengine.model import BaseModel
from mmengine.runner import Runner
from mmengine.runner.checkpoint import _load_checkpoint, load_from_http
from torch.utils.data import Dataset

from vim_mmaction import _compat

_compat.apply()

REPO_ROOT = Path(__file__).resolve().parents[1]
COMPAT = REPO_ROOT / 'vim_mmaction' / '_compat.py'
# Loads _compat as module ``shim`` without vim_mmaction's __init__ (which
# applies every shim).
LOAD_SHIM_ALONE = (
    'import importlib.util\n'
    f'spec = importlib.util.spec_from_file_location("shim", {str(COMPAT)!r})\n'
    'shim = importlib.util.module_from_spec(spec)\n'
    'spec.loader.exec_module(shim)\n')


class ToyModel(BaseModel):
    """Linear regression on two features."""

    def __init__(self) -> None:
        super().__init__()
        self.fc = torch.nn.Linear(2, 1)

    def forward(self, inputs, labels, mode='tensor'):
        out = self.fc(inputs).squeeze(-1)
        if mode == 'loss':
            return dict(loss=((out - labels)**2).mean())
        if mode == 'predict':
            return [dict(pred=p, gt=g) for p, g in zip(out, labels)]
        return out


class ToyDataset(Dataset):
    """Eight samples whose label is the sum of their two features."""

    def __init__(self) -> None:
        generator = torch.Generator().manual_seed(0)
        self.inputs = torch.randn(8, 2, generator=generator)

    def __len__(self) -> int:
        return len(self.inputs)

    def __getitem__(self, index):
        return dict(inputs=self.inputs[index], labels=self.inputs[index].sum())


class ToyMetric(BaseMetric):
    """Returns numpy values, as real metrics do, so they reach checkpoints."""

    def process(self, data_batch, data_samples):
        self.results += [float((s['pred'] - s['gt'])**2) for s in data_samples]

    def compute_metrics(self, results):
        mse = np.mean(results)
        return dict(mse=mse, acc=np.float64(1 / (1 + mse)))


def make_runner(work_dir, max_epochs, **kwargs) -> Runner:
    """Builds a CPU runner that validates and checkpoints every epoch."""
    loader = dict(
        dataset=ToyDataset(),
        sampler=dict(type='DefaultSampler', shuffle=False),
        batch_size=4,
        collate_fn=dict(type='default_collate'))
    return Runner(
        model=ToyModel(),
        work_dir=str(work_dir),
        experiment_name=f'compat-{uuid.uuid4().hex}',
        train_dataloader=loader,
        val_dataloader=loader,
        val_evaluator=[ToyMetric()],
        train_cfg=dict(by_epoch=True, max_epochs=max_epochs, val_interval=1),
        val_cfg=dict(),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.01, momentum=0.9)),
        param_scheduler=dict(type='MultiStepLR', milestones=[1]),
        default_hooks=dict(
            checkpoint=dict(
                type='CheckpointHook', interval=1, save_best='acc',
                rule='greater')),
        randomness=dict(seed=0),
        log_level='WARNING',
        **kwargs)


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    """A runner trained for two epochs, and its last checkpoint."""
    work_dir = tmp_path_factory.mktemp('trained')
    runner = make_runner(work_dir, max_epochs=2)
    runner.train()
    return runner, work_dir / 'epoch_2.pth'


def _touch(path: str) -> str:
    """The payload of the foreign pickles: proves that it ran."""
    Path(path).touch()
    return 'payload ran'


class _Reduce:
    """Pickles as a call of ``func(*args)``."""

    def __init__(self, func, *args) -> None:
        self.func, self.args = func, args

    def __reduce__(self):
        return self.func, self.args


def _global_name(func) -> str:
    return f'{func.__module__}.{func.__name__}'


def _foreign_checkpoint(path: Path, marker: Path, func=_touch) -> Path:
    if func is _touch:
        arg = str(marker)
    else:  # a shell command
        arg = f'touch {shlex.quote(str(marker))}'
    torch.save(dict(state_dict={}, meta=_Reduce(func, arg)), path)
    return path


def test_mmaction_models_imports():
    # In a fresh interpreter, as this one imported mmaction.models already;
    # _compat is loaded on its own, without the rest of vim_mmaction.
    code = (
        LOAD_SHIM_ALONE + 'shim.apply()\n'
        'import mmaction.models\n'
        'print(mmaction.models.DRN.__name__)\n')
    result = subprocess.run([sys.executable, '-c', code],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split()[-1] == '_MissingDRN'


# A package stand-in in which every submodule and name exists (as a
# placeholder class, with the from_pretrained that VindLU calls at import),
# apart from the submodules written as files.
STAND_IN_PACKAGE = """
import importlib.abc, importlib.machinery, os, sys, types
__version__ = '5.0.0'
def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)
    return type(name, (),
                {'from_pretrained': classmethod(lambda cls, *args: cls)})
class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path=None, target=None):
        package, _, submodule = fullname.partition('.')
        if package == __name__ and not os.path.exists(
                os.path.join(__path__[0], submodule + '.py')):
            return importlib.machinery.ModuleSpec(
                fullname, self, is_package=True)
    def create_module(self, spec):
        module = types.ModuleType(spec.name)
        module.__getattr__ = __getattr__
        return module
    def exec_module(self, module):
        pass
sys.meta_path.append(_Finder())
"""
VINDLU_HELPERS = ('apply_chunking_to_forward = '
                  'find_pruneable_heads_and_indices = prune_linear_layer = '
                  'None\n')


def stand_in_packages(root: Path, modeling_utils: str,
                      timm: str = STAND_IN_PACKAGE) -> dict:
    """Writes stand-ins of transformers 5.0.0 (package and metadata, with
    ``modeling_utils`` as its modeling_utils.py) and of timm (``timm`` as its
    __init__.py) under ``root``; returns the environment that imports them
    first."""
    for name, init in (('transformers', STAND_IN_PACKAGE), ('timm', timm)):
        (root / name).mkdir()
        (root / name / '__init__.py').write_text(init)
    (root / 'transformers' / 'modeling_utils.py').write_text(modeling_utils)
    metadata = root / 'transformers-5.0.0.dist-info'
    metadata.mkdir()
    (metadata / 'METADATA').write_text(
        'Metadata-Version: 2.1\nName: transformers\nVersion: 5.0.0\n')
    return dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(root), str(REPO_ROOT), os.environ.get('PYTHONPATH', '')]))


def run_python(code: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, '-c', code],
                          capture_output=True, text=True, timeout=120,
                          env=env)


def run_multimodal_guard(env: dict) -> subprocess.CompletedProcess:
    """Runs the VindLU guard alone in a fresh interpreter; it prints
    mmaction2's flag afterwards."""
    result = run_python(
        LOAD_SHIM_ALONE + 'shim._install_multimodal_guard()\n'
        'from mmaction.utils import dependency\n'
        'print(dependency.WITH_MULTIMODAL)\n', env)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def test_mmaction_models_imports_beside_transformers_without_helpers(
        tmp_path):
    env = stand_in_packages(tmp_path, 'class PreTrainedModel: pass\n')
    # The stand-ins reproduce the failure: the DRN shim alone is not enough.
    bare = run_python(
        LOAD_SHIM_ALONE + 'shim._install_drn_placeholder()\n'
        'import mmaction.models\n', env)
    assert bare.returncode != 0
    assert "cannot import name 'apply_chunking_to_forward'" in bare.stderr
    shimmed = run_python(
        'import vim_mmaction\n'
        'from mmaction.registry import MODELS\n'
        "MODELS.build(dict(type='VindLURetrieval'))\n", env)
    # mmaction2's placeholder, built, asks for the multimodal extra.
    assert 'VindLURetrieval requires extra multi-modal dependencies' in (
        shimmed.stderr)
    assert ("VindLU models cannot be imported here (missing: "
            'apply_chunking_to_forward (transformers 5.0.0, modeling_utils), '
            'find_pruneable_heads_and_indices (transformers 5.0.0, '
            'modeling_utils), prune_linear_layer (transformers 5.0.0, '
            'modeling_utils))' in shimmed.stdout + shimmed.stderr)


def test_multimodal_guard_turns_vindlu_off_where_transformers_breaks(
        tmp_path):
    env = stand_in_packages(tmp_path,
                            "raise ImportError('broken modeling_utils')\n")
    result = run_multimodal_guard(env)
    assert result.stdout.split()[-1] == 'False'
    assert ('(missing: an importable transformers.modeling_utils (broken '
            'modeling_utils))' in result.stdout + result.stderr)


@pytest.mark.parametrize('timm_importable', [True, False])
def test_multimodal_guard_needs_helpers_and_timm(tmp_path, timm_importable):
    timm = (STAND_IN_PACKAGE
            if timm_importable else "raise ImportError('no timm here')\n")
    env = stand_in_packages(tmp_path, VINDLU_HELPERS, timm)
    result = run_multimodal_guard(env)
    assert result.stdout.split()[-1] == str(timm_importable)
    assert ('(missing: timm)' in result.stdout + result.stderr) != (
        timm_importable)


def test_building_drn_explains_it_is_missing():
    from mmaction.models import DRN

    with pytest.raises(ImportError, match=r'DRN.*mmaction2 1\.2\.0'):
        DRN()


def test_drn_placeholder_is_not_registered():
    from mmaction.registry import MODELS

    assert MODELS.get('DRN') is None


def test_apply_is_idempotent():
    import mmengine.dist.utils as dist_utils
    from mmengine.runner.checkpoint import CheckpointLoader

    patched = (dist_utils._init_dist_pytorch,
               CheckpointLoader._schemes[''], len(sys.meta_path))
    _compat.apply()
    assert (dist_utils._init_dist_pytorch, CheckpointLoader._schemes[''],
            len(sys.meta_path)) == patched


def test_runner_checkpoint_loads_with_its_message_hub(trained):
    runner, ckpt = trained
    loaded = _load_checkpoint(str(ckpt), map_location='cpu')
    buffer = loaded['message_hub']['log_scalars']['train/loss']
    assert isinstance(buffer, HistoryBuffer)
    np.testing.assert_array_equal(
        buffer.data[0], runner.message_hub.get_scalar('train/loss').data[0])
    assert buffer.mean() == pytest.approx(
        runner.message_hub.get_scalar('train/loss').mean())


def test_runner_resumes_from_its_checkpoint(trained, tmp_path):
    first, ckpt = trained
    runner = make_runner(
        tmp_path, max_epochs=3, resume=True, load_from=str(ckpt))
    runner.train()
    assert (runner.epoch, runner.iter) == (3, 6)
    old = first.message_hub.get_scalar('train/loss').data[0]
    new = runner.message_hub.get_scalar('train/loss').data[0]
    # Two more iterations appended to the resumed history.
    assert len(new) == len(old) + 2
    np.testing.assert_array_equal(new[:len(old)], old)


def test_numpy1_checkpoint_loads(trained, tmp_path):
    # Numpy 1 names its multiarray module numpy.core instead of numpy._core.
    _, ckpt = trained
    legacy = tmp_path / 'numpy1.pth'
    with zipfile.ZipFile(ckpt) as src, zipfile.ZipFile(legacy, 'w') as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith('/data.pkl'):
                data = data.replace(b'numpy._core.multiarray',
                                    b'numpy.core.multiarray')
            dst.writestr(info, data)
    assert 'numpy.core.multiarray._reconstruct' in (
        torch.serialization.get_unsafe_globals_in_checkpoint(legacy))
    loaded = _load_checkpoint(str(legacy))
    assert isinstance(loaded['message_hub']['log_scalars']['train/loss'],
                      HistoryBuffer)


@pytest.mark.parametrize(
    'func', [_touch, os.system], ids=['function', 'os.system'])
def test_foreign_pickle_is_refused(tmp_path, func):
    marker = tmp_path / 'marker'
    ckpt = _foreign_checkpoint(tmp_path / 'foreign.pth', marker, func)
    with pytest.raises(_compat.UnsafeCheckpointError) as info:
        _load_checkpoint(str(ckpt))
    assert _global_name(func) in str(info.value)
    assert str(ckpt) in str(info.value)
    assert _compat.TRUST_ENV in str(info.value)
    assert not marker.exists()


def test_foreign_pickle_over_http_is_refused(tmp_path):
    # Stock mmengine downloads with weights_only=False; file:// stands in
    # for a server, urllib serves both.
    marker = tmp_path / 'marker'
    ckpt = _foreign_checkpoint(tmp_path / 'foreign.pth', marker)
    with pytest.raises(
            _compat.UnsafeCheckpointError, match=_global_name(_touch)):
        load_from_http(ckpt.as_uri(), model_dir=str(tmp_path / 'hub'))
    assert not marker.exists()


def test_trusted_file_in_env_loads_unsafely(tmp_path, monkeypatch):
    marker = tmp_path / 'marker'
    ckpt = _foreign_checkpoint(tmp_path / 'foreign.pth', marker)
    trusted = [str(tmp_path / 'other.pth'), str(ckpt)]
    monkeypatch.setenv(_compat.TRUST_ENV, os.pathsep.join(trusted))
    assert _load_checkpoint(str(ckpt))['meta'] == 'payload ran'
    assert marker.exists()


def test_trust_is_per_file(tmp_path, monkeypatch):
    ckpt = _foreign_checkpoint(tmp_path / 'foreign.pth', tmp_path / 'marker')
    monkeypatch.setenv(_compat.TRUST_ENV, str(tmp_path / 'other.pth'))
    with _compat.trust_checkpoint(tmp_path / 'other.pth'):
        with pytest.raises(_compat.UnsafeCheckpointError):
            _load_checkpoint(str(ckpt))


def test_trust_checkpoint_lasts_for_its_block(tmp_path):
    marker = tmp_path / 'marker'
    ckpt = _foreign_checkpoint(tmp_path / 'foreign.pth', marker)
    with _compat.trust_checkpoint(ckpt):
        assert _load_checkpoint(str(ckpt))['meta'] == 'payload ran'
    marker.unlink()
    with pytest.raises(_compat.UnsafeCheckpointError):
        _load_checkpoint(str(ckpt))
    assert not marker.exists()


def test_plain_torch_load_keeps_torch_defaults(trained):
    _, ckpt = trained
    _load_checkpoint(str(ckpt))
    assert HistoryBuffer not in torch.serialization.get_safe_globals()
    with pytest.raises(pickle.UnpicklingError, match='HistoryBuffer'):
        torch.load(ckpt)


def test_getattr_is_limited_to_history_buffer_statistics(tmp_path):
    ckpt = tmp_path / 'getattr.pth'
    torch.save(dict(meta=_Reduce(getattr, HistoryBuffer, '__init__')), ckpt)
    with pytest.raises(_compat.UnsafeCheckpointError, match='__init__'):
        _load_checkpoint(str(ckpt))


def test_global_allowlist_of_user_survives(trained):
    _, ckpt = trained
    before = torch.serialization.get_safe_globals()
    torch.serialization.add_safe_globals([np.ndarray])
    try:
        _load_checkpoint(str(ckpt))
        assert np.ndarray in torch.serialization.get_safe_globals()
    finally:
        torch.serialization.clear_safe_globals()
        torch.serialization.add_safe_globals(before)


def test_old_torch_keeps_stock_loading_and_warns(monkeypatch):
    from mmengine.runner.checkpoint import CheckpointLoader

    monkeypatch.delattr(torch.serialization,
                        'get_unsafe_globals_in_checkpoint')
    monkeypatch.setattr(CheckpointLoader, '_schemes', {})
    warnings = []
    monkeypatch.setattr(_compat, 'print_log',
                        lambda msg, **kwargs: warnings.append(msg))
    _compat._install_safe_checkpoint_loading()
    assert CheckpointLoader._schemes == {}
    assert len(warnings) == 1 and 'full pickle' in warnings[0]


def test_init_dist_with_cuda_runs_mmengine_code(monkeypatch):
    calls = []
    init = _compat._cpu_aware_init_dist_pytorch(
        lambda *args, **kwargs: calls.append((args, kwargs)))
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    init('nccl', timeout=5)
    assert calls == [(('nccl', ), dict(init_backend='torch', timeout=5))]


def test_ddp_keeps_device_ids_of_non_cpu_modules():
    calls = []
    ddp_init = _compat._cpu_aware_ddp_init(
        lambda self, module, **kwargs: calls.append(kwargs))
    ddp_init(None, torch.nn.Linear(2, 1, device='meta'), device_ids=[0])
    ddp_init(None, torch.nn.Linear(2, 1), device_ids=[0], output_device=0)
    assert calls == [dict(device_ids=[0]), {}]


_DIST_SCRIPT = '''
import gc, json, os, sys
import torch
from vim_mmaction import _compat
_compat.apply()
from mmengine.dist import (all_reduce, get_backend, get_rank, get_world_size,
                           init_dist)
from mmengine.model import MMDistributedDataParallel
from test_compat import make_runner
from vim_mmaction.utils import shutdown_distributed

init_dist('pytorch', backend='nccl')
model = MMDistributedDataParallel(
    module=torch.nn.Linear(2, 1), device_ids=[int(os.environ['LOCAL_RANK'])])
total = torch.tensor([get_rank() + 1.0])
all_reduce(total)
# Different inputs per rank: DDP must average the gradients.
model(torch.full((4, 2), get_rank() + 1.0)).sum().backward()
grad = model.module.weight.grad.tolist()
# Runner.wrap_model passes device_ids=[LOCAL_RANK] as well.
runner = make_runner(sys.argv[1], max_epochs=1, launcher='pytorch')
runner.train()
report = dict(world_size=get_world_size(), backend=get_backend(),
              total=total.item(), grad=grad,
              wrapper=type(runner.model).__name__, rank=get_rank())
# The end of tools/train.py: no DDP wrapper may be left to the interpreter's
# teardown, which aborts now and then under gloo.
del model, runner
shutdown_distributed()
report.update(
    wrappers_left=sum(isinstance(obj, MMDistributedDataParallel)
                      for obj in gc.get_objects()),
    initialized_after=torch.distributed.is_initialized())
with open(os.path.join(sys.argv[1], f'rank{report["rank"]}.json'), 'w') as f:
    json.dump(report, f)
'''


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(torch.cuda.is_available(), reason='tests the CPU path')
def test_no_test_module_shadows_an_installed_package():
    # The multi-process tests put tests/ on PYTHONPATH for their scripts: a
    # tests/cuda.py there once replaced the cuda package torch imports.
    import importlib.util
    shadowing = [
        path.name for path in Path(__file__).parent.glob('*.py')
        if importlib.util.find_spec(path.stem) is not None
        and not str(importlib.util.find_spec(path.stem).origin).startswith(
            str(Path(__file__).parent))
    ]
    assert not shadowing


def test_two_process_cpu_run(tmp_path):
    script = tmp_path / 'dist_script.py'
    script.write_text(_DIST_SCRIPT)
    # The script imports vim_mmaction and, for make_runner, this module.
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(REPO_ROOT), str(Path(__file__).parent),
         os.environ.get('PYTHONPATH', '')]))
    result = subprocess.run(
        [
            sys.executable, '-m', 'torch.distributed.run',
            '--nproc_per_node', '2', '--master_port',
            str(_free_port()),
            str(script),
            str(tmp_path)
        ],
        env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    reports = [
        json.loads((tmp_path / f'rank{rank}.json').read_text())
        for rank in (0, 1)
    ]
    for report in reports:
        assert report['world_size'] == 2
        assert report['backend'] == 'gloo'
        assert report['total'] == 3.0
        assert report['wrapper'] == 'MMDistributedDataParallel'
        assert report['wrappers_left'] == 0
        assert not report['initialized_after']
    assert reports[0]['grad'] == reports[1]['grad']


def _write_on_a_full_disk(write, limit: int) -> int:
    """Runs ``write()`` in a forked child whose files cannot grow past
    ``limit`` bytes, as on a full disk; returns the child's errno (0 if the
    write went through)."""
    import errno
    import multiprocessing
    import resource
    import signal

    def child():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG, not a kill
        hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
        try:
            write()
        except OSError as error:
            os._exit(error.errno or errno.EIO)
        os._exit(0)

    process = multiprocessing.get_context('fork').Process(target=child)
    process.start()
    process.join(60)
    return process.exitcode


def test_checkpoint_write_failing_midway_leaves_no_partial_file(
        trained, tmp_path):
    import errno
    runner, _ = trained
    runner.save_checkpoint(str(tmp_path), 'epoch_1.pth')
    first = tmp_path / 'epoch_1.pth'
    size = first.stat().st_size
    failed = _write_on_a_full_disk(
        lambda: runner.save_checkpoint(str(tmp_path), 'epoch_2.pth'),
        size // 2)
    assert failed == errno.EFBIG
    assert os.listdir(tmp_path) == ['epoch_1.pth']  # no part, no temp file
    assert 'fc.weight' in _load_checkpoint(str(first))['state_dict']


def test_failed_overwrite_keeps_the_previous_file(trained, tmp_path):
    import errno
    from mmengine.fileio import LocalBackend
    runner, _ = trained
    runner.save_checkpoint(str(tmp_path), 'epoch_1.pth')
    checkpoint = tmp_path / 'epoch_1.pth'
    before = checkpoint.read_bytes()
    assert _write_on_a_full_disk(
        lambda: runner.save_checkpoint(str(tmp_path), 'epoch_1.pth'),
        len(before) // 2) == errno.EFBIG
    assert checkpoint.read_bytes() == before
    # last_checkpoint, which names the checkpoint to resume, likewise.
    last = tmp_path / 'last_checkpoint'
    last.write_text(str(checkpoint))
    assert _write_on_a_full_disk(
        lambda: LocalBackend().put_text('x' * 4096, str(last)),
        1024) == errno.EFBIG
    assert last.read_text() == str(checkpoint)
    assert sorted(os.listdir(tmp_path)) == ['epoch_1.pth', 'last_checkpoint']


def test_atomic_write_keeps_mode_and_writes_through_links(tmp_path):
    from mmengine.fileio import LocalBackend
    target = tmp_path / 'target.txt'
    target.write_text('old')
    target.chmod(0o640)
    link = tmp_path / 'link.txt'
    link.symlink_to(target)
    LocalBackend().put_text('new', str(link))
    assert link.is_symlink() and target.read_text() == 'new'
    assert target.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize(
    'damage, detail',
    [(lambda data: b'', 'the file is empty'),
     (lambda data: data[:len(data) // 2], 'its zip archive has no end'),
     (lambda data: b'not a checkpoint\n', 'neither a zip archive nor')],
    ids=['empty', 'truncated', 'not_a_checkpoint'])
def test_damaged_checkpoint_is_named_with_its_size(trained, tmp_path, damage,
                                                   detail):
    _, ckpt = trained
    damaged = tmp_path / 'damaged.pth'
    damaged.write_bytes(damage(ckpt.read_bytes()))
    size = damaged.stat().st_size
    with pytest.raises(_compat.CorruptCheckpointError) as info:
        _load_checkpoint(str(damaged))
    message = str(info.value)
    assert f'checkpoint {damaged}: the file is truncated or corrupt ' \
        f'({size} bytes)' in message
    assert detail in message
    assert 're-download it or pick another checkpoint' in message

"""End to end through tools/: train, test, dump, resume, 2 processes."""
import os
import pickle
import subprocess
import sys

import pytest
import torch

from ..helpers import REPO, free_port

pytestmark = pytest.mark.slow

CONFIG = str(REPO / 'tests' / 'data' / 'tiny_synthetic.py')


def run_tool(*args, env=None, check=True):
    """Run a tool from the repository root; returns the completed process."""
    result = subprocess.run([*args],
                            cwd=REPO,
                            env={
                                **os.environ,
                                **(env or {})
                            },
                            capture_output=True,
                            text=True,
                            timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f'{args} failed:\n{result.stdout[-3000:]}\n'
                             f'{result.stderr[-3000:]}')
    return result


def data_options(synthetic_root):
    return [
        '--cfg-options', *[
            f'{loader}.dataset.dataset.data_root={synthetic_root}'
            for loader in ('train_dataloader', 'val_dataloader',
                           'test_dataloader')
        ]
    ]


def run_train_tool(work_dir, synthetic_root, *flags, cfg=(), check=True):
    """tools/train.py CONFIG in ``work_dir`` with ``flags`` and config
    options ``cfg``."""
    return run_tool(
        sys.executable,
        'tools/train.py',
        CONFIG,
        '--work-dir',
        str(work_dir),
        *flags,
        *data_options(synthetic_root),
        *cfg,
        check=check)


def run_test_tool(checkpoint,
            work_dir,
            synthetic_root,
            *flags,
            script=('tools/test.py', ),
            check=True):
    """tools/test.py CONFIG CHECKPOINT (or ``script``, run with the same
    arguments) in ``work_dir`` with ``flags``."""
    return run_tool(
        sys.executable,
        *script,
        CONFIG,
        str(checkpoint),
        '--work-dir',
        str(work_dir),
        *flags,
        *data_options(synthetic_root),
        check=check)


@pytest.fixture(scope='module')
def trained(tmp_path_factory, synthetic_root):
    work_dir = tmp_path_factory.mktemp('work_dir')
    run_train_tool(work_dir, synthetic_root)
    return work_dir


def test_train_writes_last_and_best_checkpoints(trained):
    assert (trained / 'epoch_1.pth').is_file()
    assert list(trained.glob('best_episodic_accuracy_epoch_1.pth'))


def test_training_log_names_the_machine_and_stack(trained):
    log, = trained.glob('*/*.log')
    assert 'environment: cpu ' in log.read_text()


def test_test_reports_accuracy_and_dumps_each_episode(trained, synthetic_root,
                                                      tmp_path):
    dump = tmp_path / 'episodes.pkl'
    result = run_test_tool(trained / 'epoch_1.pth', tmp_path, synthetic_root,
                           '--dump', str(dump))
    assert 'episodic/accuracy:' in result.stdout
    assert 'episodic/num_episodes: 4' in result.stdout
    last_lines = '\n'.join(result.stdout.strip().splitlines()[-4:])
    assert '4 test episodes: accuracy' in last_lines
    assert 'environment: cpu ' in last_lines
    with open(dump, 'rb') as file:
        records = pickle.load(file)
    assert [r['episode_id'] for r in records] == [0, 1, 2, 3]
    assert records[0]['query_scores'].shape == (5, 5)


def test_resume_continues_from_the_checkpoint(trained, synthetic_root):
    result = run_train_tool(
        trained, synthetic_root, '--resume', cfg=['train_cfg.max_epochs=2'])
    log = result.stdout
    assert 'resumed epoch: 1' in log
    assert 'Epoch(train) [1]' not in log
    assert 'Epoch(train) [2]' in log
    assert (trained / 'epoch_2.pth').is_file()


def test_two_processes_test_the_same_episodes(trained, synthetic_root,
                                              tmp_path):
    checkpoint = str(trained / 'epoch_1.pth')
    single, double = tmp_path / 'one.pkl', tmp_path / 'two.pkl'
    run_test_tool(checkpoint, tmp_path / 'one', synthetic_root, '--dump',
                  str(single))
    run_tool(
        'bash', 'tools/dist_test.sh', CONFIG, checkpoint, '2', '--work-dir',
        str(tmp_path / 'two'), '--dump', str(double),
        *data_options(synthetic_root),
        env=dict(PORT=str(free_port()), PYTHON=sys.executable))
    with open(single, 'rb') as one, open(double, 'rb') as two:
        one, two = pickle.load(one), pickle.load(two)
    assert [r['episode_id'] for r in two] == [0, 1, 2, 3]
    for a, b in zip(one, two):
        assert a['classes'].tolist() == b['classes'].tolist()
        assert a['query_labels'].tolist() == b['query_labels'].tolist()
        torch.testing.assert_close(
            torch.from_numpy(a['query_scores']),
            torch.from_numpy(b['query_scores']),
            rtol=1e-4,
            atol=1e-5)


class Payload:
    """Pickles to a call that creates a marker file when unpickled."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (self.marker, ))


def test_foreign_pickle_checkpoint_is_refused_and_runs_nothing(
        trained, synthetic_root, tmp_path):
    checkpoint = torch.load(
        trained / 'epoch_1.pth', map_location='cpu', weights_only=False)
    marker = tmp_path / 'payload_ran'
    checkpoint['meta']['payload'] = Payload(str(marker))
    forged = tmp_path / 'forged.pth'
    torch.save(checkpoint, forged)
    result = run_test_tool(forged, tmp_path, synthetic_root, check=False)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert 'posix.mkdir' in output
    assert str(forged) in output
    assert not marker.exists()


def test_checkpoint_that_does_not_match_is_named(trained, synthetic_root,
                                                 tmp_path):
    checkpoint = torch.load(
        trained / 'epoch_1.pth', map_location='cpu', weights_only=False)
    del checkpoint['state_dict']['cls_head.log_temperature']
    other = tmp_path / 'other_model.pth'
    torch.save(checkpoint, other)
    result = run_test_tool(other, tmp_path, synthetic_root, check=False)
    assert result.returncode != 0
    assert f'checkpoint {other} holds a different model' in result.stderr
    assert 'missing keys (1): cls_head.log_temperature' in result.stderr
    assert 'episodic/accuracy:' not in result.stdout


def test_truncated_checkpoint_is_named_as_such(trained, synthetic_root,
                                               tmp_path):
    data = (trained / 'epoch_1.pth').read_bytes()
    truncated = tmp_path / 'truncated.pth'
    truncated.write_bytes(data[:len(data) // 3])
    result = run_test_tool(truncated, tmp_path, synthetic_root, check=False)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert f'checkpoint {truncated}: the file is truncated or corrupt' \
        in last_line
    assert 'different model' not in result.stderr


def test_resume_from_another_models_checkpoint_is_named(
        trained, synthetic_root, tmp_path):
    checkpoint = torch.load(
        trained / 'epoch_1.pth', map_location='cpu', weights_only=False)
    # Another model: one parameter fewer, in the weights and the optimizer.
    del checkpoint['state_dict']['cls_head.log_temperature']
    checkpoint['optimizer']['param_groups'][0]['params'].pop()
    other = tmp_path / 'other_model.pth'
    torch.save(checkpoint, other)
    result = run_train_tool(
        tmp_path / 'work', synthetic_root, '--resume', str(other),
        check=False)
    assert result.returncode != 0
    assert f'checkpoint {other} holds a different model' in result.stderr
    assert 'missing keys (1): cls_head.log_temperature' in result.stderr
    assert 'parameter group' not in result.stderr


def test_resume_with_nothing_to_resume_fails_instead_of_starting_over(
        synthetic_root, tmp_path):
    result = run_train_tool(tmp_path, synthetic_root, '--resume', check=False)
    assert result.returncode != 0
    assert f'nothing to resume in {tmp_path}' in result.stderr
    assert not list(tmp_path.glob('*.pth'))


def test_unwritable_dump_fails_before_testing(trained, synthetic_root,
                                              tmp_path):
    not_a_folder = tmp_path / 'file'
    not_a_folder.write_text('')
    dump = not_a_folder / 'episodes.pkl'
    result = run_test_tool(
        trained / 'epoch_1.pth', tmp_path / 'work', synthetic_root, '--dump',
        str(dump), check=False)
    assert result.returncode != 0
    assert f'--dump {dump}: cannot write there' in result.stderr
    assert not (tmp_path / 'work').exists()  # no runner, no test episode


# tools/test.py with every write of the dump failing as on a full disk.
FULL_DISK_TEST = """
import errno, runpy, sys
import vim_mmaction
from mmengine.fileio import LocalBackend

put = LocalBackend.put

def full_disk_put(self, obj, filepath):
    if str(filepath).endswith('episodes.pkl'):
        raise OSError(errno.ENOSPC, 'No space left on device', filepath)
    put(self, obj, filepath)

LocalBackend.put = full_disk_put
sys.argv = ['tools/test.py', *sys.argv[1:]]
runpy.run_path('tools/test.py', run_name='__main__')
"""


def test_failing_dump_still_reports_the_accuracy(trained, synthetic_root,
                                                 tmp_path):
    dump = tmp_path / 'episodes.pkl'
    result = run_test_tool(
        trained / 'epoch_1.pth', tmp_path / 'work', synthetic_root, '--dump',
        str(dump), script=('-c', FULL_DISK_TEST), check=False)
    assert result.returncode != 0
    assert 'No space left on device' in result.stderr
    assert '4 test episodes: accuracy' in result.stdout
    log, = (tmp_path / 'work').glob('*/*.log')
    assert '4 test episodes: accuracy' in log.read_text()
    assert not dump.exists()

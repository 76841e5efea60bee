"""tools/train.py --resume and --resume-or-start: what gets resumed, or why
nothing can be."""
import sys

import pytest
from mmengine.config import Config

from ..helpers import REPO, load_tool

CONFIG = str(REPO / 'tests' / 'data' / 'tiny_synthetic.py')


@pytest.fixture(scope='module')
def train_tool():
    return load_tool('tools/train.py')


def merged(train_tool, monkeypatch, work_dir, *flags):
    monkeypatch.setattr(sys, 'argv', [
        'train.py', CONFIG, '--work-dir', str(work_dir), *flags])
    return train_tool.merge_args(
        Config.fromfile(CONFIG), train_tool.parse_args())


def test_resume_with_nothing_to_resume_names_the_work_dir(
        train_tool, monkeypatch, tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        merged(train_tool, monkeypatch, tmp_path, '--resume')
    message = str(info.value)
    assert f'nothing to resume in {tmp_path}' in message
    assert 'last_checkpoint' in message
    assert '--resume-or-start' in message


def test_resume_without_last_checkpoint_lists_the_checkpoints(
        train_tool, monkeypatch, tmp_path):
    (tmp_path / 'epoch_1.pth').write_bytes(b'')
    with pytest.raises(FileNotFoundError, match='epoch_1.pth'):
        merged(train_tool, monkeypatch, tmp_path, '--resume')


def test_last_checkpoint_naming_a_missing_file(train_tool, monkeypatch,
                                               tmp_path):
    gone = tmp_path / 'epoch_3.pth'
    (tmp_path / 'last_checkpoint').write_text(str(gone))
    with pytest.raises(FileNotFoundError) as info:
        merged(train_tool, monkeypatch, tmp_path, '--resume-or-start')
    assert str(tmp_path / 'last_checkpoint') in str(info.value)
    assert str(gone) in str(info.value)


def test_resume_of_a_missing_file(train_tool, monkeypatch, tmp_path):
    with pytest.raises(FileNotFoundError, match='no_such.pth'):
        merged(train_tool, monkeypatch, tmp_path, '--resume',
               str(tmp_path / 'no_such.pth'))


def test_resume_or_start_starts_a_new_run(train_tool, monkeypatch, tmp_path):
    cfg = merged(train_tool, monkeypatch, tmp_path, '--resume-or-start')
    assert (cfg.resume, cfg.load_from) == (False, None)


@pytest.mark.parametrize('flag', ['--resume', '--resume-or-start'])
def test_latest_checkpoint_is_resumed(train_tool, monkeypatch, tmp_path,
                                      flag):
    latest = tmp_path / 'epoch_2.pth'
    latest.write_bytes(b'')
    (tmp_path / 'last_checkpoint').write_text(str(latest))
    cfg = merged(train_tool, monkeypatch, tmp_path, flag)
    assert (cfg.resume, cfg.load_from) == (True, str(latest))

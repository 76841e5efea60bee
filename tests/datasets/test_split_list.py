"""Split lists as people save them: BOM, CRLF, other encodings, mistakes."""
from pathlib import Path

import pytest

from vim_mmaction.datasets import FewShotVideoDataset


def video_tree(root: Path, lines) -> str:
    """Empty video files for ``lines`` under ``root/videos``."""
    for line in lines:
        path = root / 'videos' / f'{line}.mp4'
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b'')
    return str(root / 'videos')


def build(split: Path, video_root: str, **kwargs) -> FewShotVideoDataset:
    return FewShotVideoDataset(
        str(split), pipeline=[], data_prefix=dict(video=video_root), **kwargs)


def test_a_duplicate_line_names_both_lines(tmp_path):
    lines = ['grow/a', 'grow/b', 'shrink/c', 'grow/b']
    split = tmp_path / 'train.txt'
    split.write_text('\n'.join(lines) + '\n')
    with pytest.raises(ValueError) as error:
        build(split, video_tree(tmp_path, lines))
    assert f"split {split}:4: 'grow/b' repeats line 2" in str(error.value)


def test_two_lines_naming_one_file_are_refused(tmp_path):
    # The flat layout: the class does not take part in the file name.
    (tmp_path / 'videos').mkdir()
    (tmp_path / 'videos' / '7.webm').write_bytes(b'')
    (tmp_path / 'videos' / '8.webm').write_bytes(b'')
    split = tmp_path / 'train.txt'
    split.write_text('train1/7\ntrain1/8\ntrain2/7\n')
    with pytest.raises(ValueError) as error:
        build(split, str(tmp_path / 'videos'))
    assert (f"split {split}:3: 'train2/7' is the file of line 1 ('train1/7')"
            in str(error.value))
    assert str(tmp_path / 'videos' / '7.webm') in str(error.value)


def test_a_byte_order_mark_and_crlf_are_read_as_plain_utf8(tmp_path):
    lines = ['grow/grow_0000', 'café/clip 1']
    split = tmp_path / 'train.txt'
    split.write_bytes(b'\xef\xbb\xbf' + '\r\n'.join(lines).encode() + b'\r\n')
    dataset = build(split, video_tree(tmp_path, lines))
    assert dataset.metainfo['classes'] == ('grow', 'café')
    assert dataset.get_data_info(1)['video_id'] == 'clip 1'


def test_non_utf8_bytes_name_the_line_and_the_offset(tmp_path):
    split = tmp_path / 'train.txt'
    split.write_bytes('grow/a\ncafé/b\n'.encode('latin-1'))
    with pytest.raises(ValueError) as error:
        build(split, str(tmp_path))
    message = str(error.value)
    assert f'split {split}:2: byte 0xe9 at offset 10 is not UTF-8' in message
    assert 'save the file as UTF-8' in message


@pytest.mark.parametrize('text', ['', '\n\n  \n', '\ufeff'])
def test_an_empty_split_list_says_so(tmp_path, text):
    split = tmp_path / 'train.txt'
    split.write_text(text, encoding='utf-8')
    with pytest.raises(ValueError) as error:
        build(split, str(tmp_path))
    assert f"split {split}: no entries (expected one 'class/video_id' per " \
        'line)' in str(error.value)


def test_a_split_whose_videos_are_all_skipped_is_an_error(tmp_path):
    split = tmp_path / 'train.txt'
    split.write_text('grow/a\ngrow/b\n')
    (tmp_path / 'videos').mkdir()
    with pytest.raises(FileNotFoundError) as error:
        build(split, str(tmp_path / 'videos'), on_missing='skip')
    assert f'none of the 2 video(s) of split {split} was found' in str(
        error.value)

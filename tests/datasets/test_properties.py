"""Properties of split parsing, episode drawing and frame folder scanning,
over generated inputs (hypothesis)."""
import re
from typing import Dict, List

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from vim_mmaction.datasets import EpisodicDataset, FewShotVideoDataset
from vim_mmaction.datasets.frame_folder import FrameFolder, scan_frame_folder
from vim_mmaction.datasets.split_list import SplitEntry, parse_split_list

from .memory_backend import MEMORY_BACKEND_ARGS, MemoryBackend

FAST = settings(max_examples=40, deadline=None)
SPLIT = '/props/split.txt'
# Names with spaces, dashes and non-ASCII letters, as in Kinetics classes.
NAME = st.text(
    st.sampled_from('abcxyz019_- é'), min_size=1,
    max_size=8).filter(lambda name: name == name.strip())


@st.composite
def splits(draw, min_clips: int = 1) -> Dict[str, List[str]]:
    """Class name -> distinct video ids, 1 to 6 classes."""
    classes = draw(st.lists(NAME, min_size=1, max_size=6, unique=True))
    return {
        name: draw(
            st.lists(NAME, min_size=min_clips, max_size=6, unique=True))
        for name in classes
    }


@st.composite
def split_files(draw, split: Dict[str, List[str]]):
    """The split's lines in any order, saved as people save them: with or
    without a BOM, LF or CRLF, blank lines, spaces around a line.

    Returns:
        tuple: the file's bytes and the entries it must parse to.
    """
    lines = draw(st.permutations([f'{c}/{v}' for c, v_ids in split.items()
                                  for v in v_ids]))
    text_lines, entries = [], []
    for line in lines:
        text_lines.extend([''] * draw(st.integers(0, 1)))
        text_lines.append(
            draw(st.sampled_from(['', ' ', '\t'])) + line +
            draw(st.sampled_from(['', ' '])))
        class_name, video_id = line.split('/')
        entries.append(SplitEntry(len(text_lines), class_name, video_id))
    end = draw(st.sampled_from(['\n', '\r\n']))
    bom = draw(st.sampled_from([b'', b'\xef\xbb\xbf']))
    return bom + (end.join(text_lines) + end).encode(), entries


@FAST
@given(st.data())
def test_a_valid_split_parses_to_its_lines(data):
    data_bytes, entries = data.draw(split_files(data.draw(splits())))
    assert parse_split_list(data_bytes, SPLIT) == entries


@FAST
@given(st.data())
def test_a_repeated_line_names_both_lines(data):
    data_bytes, entries = data.draw(split_files(data.draw(splits())))
    lines = data_bytes.decode('utf-8-sig').splitlines()
    first = data.draw(st.sampled_from(entries))
    at = data.draw(st.integers(first.line_number, len(lines)))
    lines.insert(at, f'{first.class_name}/{first.video_id}')
    with pytest.raises(ValueError) as error:
        parse_split_list('\n'.join(lines).encode(), SPLIT)
    assert (f"split {SPLIT}:{at + 1}: '{first.class_name}/{first.video_id}' "
            f'repeats line {first.line_number}') in str(error.value)


@FAST
@given(st.data(), st.sampled_from(['foo', 'a/b/c', '/b', 'a/', 'a\\b']))
def test_a_malformed_line_is_named(data, bad_line):
    data_bytes, _ = data.draw(split_files(data.draw(splits())))
    lines = data_bytes.decode('utf-8-sig').splitlines()
    at = data.draw(st.integers(0, len(lines)))
    lines.insert(at, bad_line)
    with pytest.raises(ValueError) as error:
        parse_split_list('\n'.join(lines).encode(), SPLIT)
    assert (f"split {SPLIT}:{at + 1}: expected 'class/video_id', "
            f'got {bad_line!r}') in str(error.value)


def episodic(split: Dict[str, List[str]], **settings) -> EpisodicDataset:
    """Episodes over ``split``, its videos in memory, no pipeline."""
    MemoryBackend.files.clear()
    lines = ''.join(f'{c}/{v}\n' for c, v_ids in split.items() for v in v_ids)
    MemoryBackend.files[SPLIT] = lines.encode()
    for class_name, video_ids in split.items():
        for video_id in video_ids:
            path = f'/props/videos/{class_name}/{video_id}.mp4'
            MemoryBackend.files[path] = b''
    inner = FewShotVideoDataset(
        SPLIT,
        pipeline=[],
        data_prefix=dict(video='/props/videos'),
        backend_args=MEMORY_BACKEND_ARGS,
        serialize_data=False)  # which runs gc.collect(): 0.2 s a build
    return EpisodicDataset(inner, num_episodes=1, **settings)


@FAST
@given(st.data(), st.integers(0, 2**63 - 1))
def test_episodes_hold_distinct_classes_and_disjoint_clips(data, index):
    split = data.draw(splits(min_clips=2).filter(lambda s: len(s) >= 2))
    smallest = min(map(len, split.values()))
    ways = data.draw(st.integers(2, len(split)))
    shots = data.draw(st.integers(1, smallest - 1))
    queries = data.draw(st.integers(1, smallest - shots))
    dataset = episodic(
        split, num_ways=ways, num_shots=shots, num_queries=queries)
    inner = dataset.dataset
    episode = dataset.episode(index)
    assert len(set(episode['classes'].tolist())) == ways
    support, query = set(), set()
    for label, shot_ids, query_ids in zip(episode['classes'],
                                          episode['support'],
                                          episode['query']):
        files = [inner.get_data_info(int(i))['filename']
                 for i in [*shot_ids, *query_ids]]
        assert len(set(files)) == shots + queries
        class_name = inner.metainfo['classes'][label]
        assert all(f'/videos/{class_name}/' in path for path in files)
        support.update(files[:shots])
        query.update(files[shots:])
    assert not support & query


@FAST
@given(splits(), st.integers(0, 7), st.integers(0, 4), st.integers(0, 4))
def test_impossible_episodes_are_refused_by_name(split, ways, shots,
                                                 queries):
    small = [(label, name, len(ids))
             for label, (name, ids) in enumerate(split.items())
             if len(ids) < shots + queries]
    assume(ways < 2 or shots < 1 or queries < 1 or small
           or ways > len(split))
    # The checks in the order EpisodicDataset makes them.
    if ways < 2:
        expected = f'num_ways must be an int >= 2, got {ways}'
    elif shots < 1:
        expected = f'num_shots must be an int >= 1, got {shots}'
    elif queries < 1:
        expected = f'num_queries must be an int >= 1, got {queries}'
    elif small:
        label, name, count = small[0]
        expected = (f'class {name!r} (label {label}) has {count} clip(s), '
                    f'but an episode needs K + Q = {shots + queries}')
    else:
        expected = (f'{ways}-way episodes need {ways} classes, the dataset '
                    f'has {len(split)}')
    with pytest.raises(ValueError) as error:
        episodic(split, num_ways=ways, num_shots=shots, num_queries=queries)
    assert expected in str(error.value)


@FAST
@given(
    st.sampled_from(['img_{:05}.jpg', '{:08}.jpg', '{:05}.jpg',
                     'frame_{:06}.png', '{}.jpg', 'img_{:02}.png']),
    st.integers(0, 1), st.integers(1, 150),
    st.lists(st.sampled_from(['.DS_Store', 'Thumbs.db', 'notes.txt',
                              'cover.jpg', 'x_1.txt']), max_size=3))
def test_a_frame_folder_scans_to_its_frames(tmpl, first, num_frames, strays):
    names = [tmpl.format(first + i) for i in range(num_frames)] + strays
    found = scan_frame_folder(names, 'f')
    # The inferred template may differ in writing, not in the names it
    # gives ('{:05}' for frames 10000 on is '{}').
    assert (found.start_index, found.total_frames) == (first, num_frames)
    assert [found.filename_tmpl.format(first + i)
            for i in range(num_frames)] == names[:num_frames]
    assert found == scan_frame_folder(names, 'f', tmpl)


@FAST
@given(st.integers(0, 1), st.integers(3, 40), st.data())
def test_a_gap_in_a_frame_folder_names_the_first_missing_frame(
        first, num_frames, data):
    missing = sorted(data.draw(st.sets(
        st.integers(first + 1, first + num_frames - 2), min_size=1)))
    names = [f'img_{i:05}.jpg' for i in range(first, first + num_frames)
             if i not in missing]
    with pytest.raises(FileNotFoundError) as error:
        scan_frame_folder(names, 'f')
    assert re.search(rf"'img_{missing[0]:05}.jpg' \(index {missing[0]}\) "
                     'is missing', str(error.value))

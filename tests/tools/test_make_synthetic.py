"""Tests of tools/data/make_synthetic.py, the synthetic benchmark writer."""
import dataclasses
from pathlib import Path

import av
import decord
import numpy as np
import pytest

from ..helpers import load_tool

TINY = dict(videos_per_class=2, num_frames=8, size=32, fps=12)
ms = load_tool('tools/data/make_synthetic.py')


@pytest.fixture(scope='module')
def tiny_run(tmp_path_factory):
    out_dir = tmp_path_factory.mktemp('synthetic')
    return out_dir, ms.make_synthetic(out_dir, seed=0, **TINY)


def _read_splits(out_dir: Path) -> dict:
    return {
        split: (out_dir / 'splits' / f'{split}.list').read_text().splitlines()
        for split in ('train', 'val', 'test')
    }


def _decode_pyav(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        return np.stack([
            frame.to_ndarray(format='rgb24')
            for frame in container.decode(video=0)
        ])


def _all_frames(out_dir: Path) -> dict:
    return {
        path.relative_to(out_dir): _decode_pyav(path)
        for path in sorted((out_dir / 'videos').rglob('*.mp4'))
    }


def test_split_lists(tiny_run):
    out_dir, summary = tiny_run
    splits = _read_splits(out_dir)
    classes = {}
    for split, lines in splits.items():
        assert len(lines) == len(set(lines)) > 0
        for line in lines:
            class_name, video_id = line.split('/')
            assert class_name and video_id and ' ' not in line
            assert (out_dir / 'videos' / class_name /
                    f'{video_id}.mp4').is_file()
        classes[split] = {line.split('/')[0] for line in lines}
        assert len(classes[split]) >= 5
        assert classes[split] == set(summary['classes'][split])
    assert not classes['train'] & classes['val']
    assert not classes['train'] & classes['test']
    assert not classes['val'] & classes['test']
    all_classes = set().union(*classes.values())
    assert all_classes == {motion.name for motion in ms.CLASSES}
    assert summary['num_videos'] == len(all_classes) * TINY['videos_per_class']
    assert sum(map(len, splits.values())) == summary['num_videos']
    assert summary['elapsed_s'] > 0


def test_reverse_pairs_stay_in_one_split(tiny_run):
    _, summary = tiny_run
    split_of = {
        name: split
        for split, names in summary['classes'].items() for name in names
    }
    for name, reverse_name, _ in ms.REVERSE_PAIRS:
        assert split_of[name] == split_of[reverse_name]


def test_videos_decode_with_decord_and_pyav(tiny_run):
    out_dir, summary = tiny_run
    class_name = summary['classes']['test'][0]
    path = out_dir / 'videos' / class_name / f'{class_name}_0001.mp4'
    reader = decord.VideoReader(str(path))
    assert len(reader) == TINY['num_frames']
    assert reader[0].shape == (TINY['size'], TINY['size'], 3)
    assert reader.get_avg_fps() == pytest.approx(TINY['fps'])
    frames = _decode_pyav(path)
    assert frames.shape == (TINY['num_frames'], TINY['size'], TINY['size'],
                            3)
    # Both decoders see the same pictures (up to colour conversion).
    batch = reader.get_batch(list(range(len(reader)))).asnumpy()
    assert np.abs(batch.astype(int) - frames).mean() < 3


def test_same_seed_same_output_other_seed_differs(tiny_run, tmp_path):
    out_dir, _ = tiny_run
    ms.make_synthetic(tmp_path / 'again', seed=0, **TINY)
    ms.make_synthetic(tmp_path / 'other', seed=1, **TINY)
    assert _read_splits(tmp_path / 'again') == _read_splits(out_dir)
    first, again = _all_frames(out_dir), _all_frames(tmp_path / 'again')
    assert first.keys() == again.keys()
    for key, frames in first.items():
        np.testing.assert_array_equal(again[key], frames)
        assert (tmp_path / 'again' / key).read_bytes() == (out_dir /
                                                           key).read_bytes()
    other = _all_frames(tmp_path / 'other')
    assert other.keys() == first.keys()
    assert all(not np.array_equal(other[key], frames)
               for key, frames in first.items())


def test_action_windows_name_every_clip_and_its_moving_frames(tiny_run):
    out_dir, summary = tiny_run
    lines = (out_dir / 'action_windows.txt').read_text().splitlines()
    assert len(lines) == summary['num_videos']
    windows = {}
    for line in lines:
        video, total, first, last = line.split()
        windows[video] = int(total), int(first), int(last)
    assert set(windows) == {
        path.stem for path in (out_dir / 'videos').rglob('*.mp4')}
    # The objects move inside the window and rest outside it.
    motion, clutter = ms.CLASSES[0], ms.PRESETS['motion'].clutter
    scene = ms.sample_scene(motion, np.random.default_rng([0, 0, 1]), 8, 32,
                            clutter)
    _, action = ms.render_clip(0, np.random.default_rng([0, 0, 1]), 8, 32,
                               clutter)
    total, first, last = windows[ms.video_id(motion.name, 1)]
    assert (total, first, last) == (8, np.flatnonzero(action)[0],
                                    np.flatnonzero(action)[-1])
    progress = ms.progress(8, scene.window_start, scene.window_length,
                           scene.ease)
    assert np.all((progress > 0) & (progress < 1) <= action)
    assert np.all(progress[:first] == 0) and np.all(progress[last + 1:] == 1)


def test_a_clip_whose_window_holds_no_frame_is_an_error():
    with pytest.raises(ValueError, match='clip_0003: none of its 2 frames'):
        ms.action_window_line('clip_0003', np.zeros(2, bool))


def _time_mirrored(scene):
    """The same scene played backwards: window, jitter and drift mirrored."""
    return dataclasses.replace(
        scene,
        window_start=1.0 - scene.window_start - scene.window_length,
        jitter=scene.jitter[::-1],
        drift_start=scene.drift_end,
        drift_end=scene.drift_start)


@pytest.mark.parametrize('pair', ms.REVERSE_PAIRS, ids=lambda pair: pair[0])
def test_reverse_pair_is_time_reverse(pair):
    name, reverse_name, _ = pair
    forward = ms.CLASSES[ms.CLASS_INDEX[name]]
    backward = ms.CLASSES[ms.CLASS_INDEX[reverse_name]]
    num_frames, size = 16, 64
    scene = ms.sample_scene(forward, np.random.default_rng([3, 1]),
                            num_frames, size)
    mirrored = _time_mirrored(scene)
    states = ms.object_states(forward, scene, num_frames)
    np.testing.assert_allclose(
        ms.object_states(backward, mirrored, num_frames), states[::-1],
        atol=1e-9)
    # The motion is real: the track (position or size) is no palindrome.
    assert not np.allclose(states, states[::-1], atol=0.5)

    frames = ms.render_frames(forward, scene, num_frames).astype(float)
    reverse_frames = ms.render_frames(backward, mirrored,
                                      num_frames).astype(float)
    # Identical temporal mean image: only the order tells the classes apart.
    np.testing.assert_allclose(reverse_frames.mean(0), frames.mean(0),
                               atol=0.5)
    assert np.abs(reverse_frames - frames).max() > 50


def test_classes_differ_by_path():
    u = np.linspace(0, 1, 33)
    tracks = [motion.path(u) for motion in ms.CLASSES]
    for i, track in enumerate(tracks):
        for other in tracks[i + 1:]:
            assert track.shape != other.shape or not np.allclose(track, other)


def test_clutter_zero_gives_plain_background():
    rng = np.random.default_rng(0)
    plain = ms.render_background(rng, 32, [0.3], clutter=0.0)
    assert (plain == plain[0, 0]).all()
    busy = ms.render_background(rng, 32, [0.3], clutter=1.0)
    assert busy.reshape(-1, 3).std(0).min() > 5

"""Tests of the ``window`` preset of tools/data/make_synthetic.py."""
import dataclasses

import cv2
import numpy as np
import pytest

from ..helpers import load_tool

ms = load_tool('tools/data/make_synthetic.py')
sw = ms.synthetic_window


def test_class_counts_of_the_real_benchmarks():
    splits = sw.assign_splits(0)
    assert {split: len(names) for split, names in splits.items()} == {
        'train': 64, 'val': 12, 'test': 24}
    assert sorted(sum(splits.values(), [])) == sorted(
        window_class.name for window_class in sw.CLASSES)
    assert len(sw.CLASSES) == 100


@pytest.mark.parametrize('seed', [0, 1, 7])
def test_reverse_pairs_stay_together_and_train_has_every_look(seed):
    looks = {window_class.name: window_class.looks for window_class in sw.CLASSES}
    splits = sw.assign_splits(seed)
    for names in splits.values():
        for name in names:
            if len(looks[name]) == 2:
                first, second = looks[name]
                assert f'{second}_to_{first}' in names
    assert {look for name in splits['train'] for look in looks[name]} == set(
        sw.LOOKS)


def _scene_and_class(name: str, seed=0):
    [window_class] = [c for c in sw.CLASSES if c.name == name]
    scene = sw.sample_scene(np.random.default_rng(seed), 128, 0.8)
    return window_class, scene


def test_actor_only_inside_the_window():
    window_class, scene = _scene_and_class('star_to_bar')
    frames = sw.render_frames(window_class, scene, 64)
    empty = sw.render_frames(
        window_class,
        dataclasses.replace(scene, window_start=2.0), 64)  # never active
    inside = ~np.isnan(sw.window_progress(64, scene.window_start,
                                          scene.window_length))
    changed = np.any(frames != empty, axis=(1, 2, 3))
    np.testing.assert_array_equal(changed, inside)
    # A short window: 20-30 % of the clip.
    assert 0.2 * 64 - 1 <= inside.sum() <= 0.3 * 64 + 1


def test_render_clip_marks_the_frames_with_the_actor():
    frames, action = sw.render_clip(0, np.random.default_rng(4), 64, 64, 0.5)
    scene = sw.sample_scene(np.random.default_rng(4), 64, 0.5)
    empty = sw.render_frames(
        sw.CLASSES[0], dataclasses.replace(scene, window_start=2.0), 64)
    np.testing.assert_array_equal(
        np.any(frames != empty, axis=(1, 2, 3)), action)


def test_reverse_pair_swaps_the_halves_of_the_window():
    forward, scene = _scene_and_class('star_to_bar')
    backward, _ = _scene_and_class('bar_to_star')
    a = sw.render_frames(forward, scene, 64)
    b = sw.render_frames(backward, scene, 64)
    progress = sw.window_progress(64, scene.window_start, scene.window_length)
    first_half = progress < 0.5
    second_half = progress >= 0.5
    star = sw.render_frames(
        dataclasses.replace(forward, looks=('star', 'star')), scene, 64)
    np.testing.assert_array_equal(a[first_half], star[first_half])
    np.testing.assert_array_equal(b[second_half], star[second_half])
    assert np.any(a[second_half] != star[second_half])
    outside = np.isnan(progress)
    np.testing.assert_array_equal(a[outside], b[outside])


@pytest.mark.parametrize('name', ['star_to_bar', 'disc_pulsing'])
def test_actor_is_small(name):
    window_class, scene = _scene_and_class(name, seed=3)
    frames = sw.render_frames(window_class, scene, 64)
    empty = sw.render_frames(
        window_class, dataclasses.replace(scene, window_start=2.0), 64)
    area = np.any(frames != empty, axis=-1).sum(axis=(1, 2))
    active = area[area > 0] / 128**2
    # About 3 % of the frame, under 9 % even at the largest pulse (1.3x).
    assert 0.01 < active.mean() < 0.05 and active.max() < 0.09


def test_each_look_has_its_own_hue():
    window_class, scene = _scene_and_class('star_to_bar')
    frames = sw.render_frames(window_class, scene, 64)
    empty = sw.render_frames(
        window_class, dataclasses.replace(scene, window_start=2.0), 64)
    progress = sw.window_progress(64, scene.window_start, scene.window_length)
    hues = []
    for half in (progress < 0.5, progress >= 0.5):
        changed = np.any(frames[half] != empty[half], axis=-1)
        pixels = frames[half][changed].astype(float) / 255
        hsv = cv2.cvtColor(pixels[None].astype(np.float32), cv2.COLOR_RGB2HSV)
        hues.append(np.median(hsv[0, :, 0]) / 360)
    expected = [sw.LOOK_HUES['star'], sw.LOOK_HUES['bar']]
    assert np.allclose(hues, expected, atol=0.05)


def test_window_preset_writes_its_splits(tmp_path):
    summary = ms.make_synthetic(
        tmp_path, preset='window', videos_per_class=1, num_frames=8, size=32)
    assert summary['num_videos'] == 100
    lines = (tmp_path / 'splits' / 'test.list').read_text().splitlines()
    assert len(lines) == 24
    name, video = lines[0].split('/')
    assert (tmp_path / 'videos' / name / f'{video}.mp4').is_file()
    windows = (tmp_path / 'action_windows.txt').read_text().splitlines()
    assert len(windows) == 100
    assert all(line.split()[1] == '8' for line in windows)


def test_unknown_preset_is_named():
    with pytest.raises(ValueError, match="unknown preset 'windows'"):
        ms.make_synthetic('unused', preset='windows')

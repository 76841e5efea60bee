"""The ``window`` preset of the synthetic benchmark: frame choice matters.

A clip is long (64 frames by default) and its action fills only a short
random window of it (20-30 % of the clip, at a random offset). Outside the
window there is no actor, only distractor motion: dull shapes drifting
across a cluttered static background for the whole clip. Inside it a small
actor (about a sixth of the frame across, 3 % of its area on average)
appears, drifts a short way and shows its action. Each look has its own
shape and hue (bright, saturated; the clutter's hues are unrelated):

- ``<a>_to_<b>``: the actor has look ``a`` for the first half of the
  window and look ``b`` for the second. With the 10 looks of
  ``synthetic_render.LOOKS`` (disc, ring, dots, square, hollow_square,
  triangle, plus, star, bar, half_disc) these are 45 pairs of classes that
  are exact time reverses of each other, which a model that averages frame
  features over time cannot tell apart;
- ``<a>_pulsing``: look ``a`` for the whole window, pulsing in size (10
  classes).

Splits are disjoint in classes and keep reverse pairs together: train 30
pairs + 4 pulsing (64 classes), val 5 + 2 (12) and test 10 + 4 (24), the
class counts of the real benchmarks. Training sees every look (a look could
only miss it if all 9 of its pairs fell among the 15 evaluation pairs); the
classes of the evaluation splits are new combinations of the looks.

Uniform frames waste most of the clip (8 evenly spaced frames see about
2 of the window) and the actor is a small part of the frames they see: a
video sampler that keeps the window's frames and zooms into the actor has
something to gain, which the ``motion`` preset (whose object is there in
every frame and moves through most of the clip) does not offer. The
actor's size was set so that ProtoNet on uniform frames learns at all
within the CPU budget of the benchmarks: with half of it (a twelfth of
the frame across) its loss stayed at ln 5 and its validation accuracy at
chance (20 %) after 150 episodes.
"""
import colorsys
import itertools
from dataclasses import dataclass, replace
from typing import Dict, List, Tuple

import numpy as np
from synthetic_render import (LOOKS, REFERENCE_SIZE, SHAPES, Sprite,
                              action_frames, draw_sprite, random_color,
                              render_background, window_position)

SPLIT_GROUPS = {'train': (30, 4), 'val': (5, 2), 'test': (10, 4)}
DEFAULT_FRAMES = 64
DEFAULT_VIDEOS_PER_CLASS = 20
DEFAULT_CLUTTER = 0.5
# Actor radius in pixels of a 128 px frame.
ACTOR_RADIUS = (10.0, 13.0)
# Each look has its own hue, evenly spaced around the colour wheel.
LOOK_HUES = {look: index / len(LOOKS) for index, look in enumerate(LOOKS)}


@dataclass(frozen=True)
class WindowClass:
    """A class of the preset: the actor's looks in order (one: pulsing)."""

    name: str
    looks: Tuple[str, ...]


def _build_classes() -> Tuple[WindowClass, ...]:
    """Each reverse pair in turn, then the pulsing classes."""
    classes = []
    for first, second in itertools.combinations(LOOKS, 2):
        classes.append(WindowClass(f'{first}_to_{second}', (first, second)))
        classes.append(WindowClass(f'{second}_to_{first}', (second, first)))
    classes.extend(WindowClass(f'{look}_pulsing', (look, )) for look in LOOKS)
    return tuple(classes)


CLASSES = _build_classes()
NUM_PAIRS = len(LOOKS) * (len(LOOKS) - 1) // 2


def assign_splits(seed: int) -> Dict[str, List[str]]:
    """Deal the classes out to train, val and test, keeping pairs together.

    Args:
        seed: Seed of the shuffle.

    Returns:
        Mapping from split name to a sorted list of class names.
    """
    rng = np.random.default_rng(seed)
    pairs = list(rng.permutation(NUM_PAIRS))
    pulsing = list(rng.permutation(len(LOOKS)))
    splits = {}
    for split in ('val', 'test', 'train'):
        num_pairs, num_pulsing = SPLIT_GROUPS[split]
        names = [
            CLASSES[2 * pair + which].name for pair in pairs[:num_pairs]
            for which in (0, 1)
        ]
        names += [
            CLASSES[2 * NUM_PAIRS + look].name
            for look in pulsing[:num_pulsing]
        ]
        del pairs[:num_pairs], pulsing[:num_pulsing]
        splits[split] = sorted(names)
    return {split: splits[split] for split in SPLIT_GROUPS}


@dataclass(frozen=True)
class WindowScene:
    """Every random choice behind one clip.

    Attributes:
        background: Static RGB background, shape (S, S, 3), uint8.
        actor: The actor's sprite (its shape and colour follow the look).
        actor_tone: Hue shift, saturation and value of the actor's colour.
        window_start: Start of the action window, fraction of the clip.
        window_length: Length of the action window, fraction of the clip.
        actor_start: Actor position at the window's start, shape (2,).
        actor_end: Actor position at the window's end, shape (2,).
        distractors: Sprites of the drifting distractors.
        drift_start: Distractor positions at the first frame, shape (K, 2).
        drift_end: Distractor positions at the last frame, shape (K, 2).
    """

    background: np.ndarray
    actor: Sprite
    actor_tone: Tuple[float, float, float]
    window_start: float
    window_length: float
    actor_start: np.ndarray
    actor_end: np.ndarray
    distractors: tuple
    drift_start: np.ndarray
    drift_end: np.ndarray


def _drift(rng: np.random.Generator, count: int, size: int,
           extent: Tuple[float, float]) -> Tuple[np.ndarray, np.ndarray]:
    """Start and end points of ``count`` straight drifts inside the frame,
    in random directions, ``extent`` (fractions of the frame) long."""
    start = rng.uniform(0.15 * size, 0.85 * size, (count, 2))
    heading = rng.uniform(0, 2 * np.pi, count)
    length = rng.uniform(*extent, count) * size
    end = start + length[:, None] * np.stack(
        [np.cos(heading), np.sin(heading)], axis=-1)
    return start, np.clip(end, 0.1 * size, 0.9 * size)


def sample_scene(rng: np.random.Generator, size: int,
                 clutter: float) -> WindowScene:
    """Draw every random choice of one clip (the same for every class, so
    a class and its time reverse give the same frames up to order).

    Args:
        rng: Random generator of the clip.
        size: Frame side in pixels.
        clutter: Amount of background clutter (``render_background``).
    """
    unit = size / REFERENCE_SIZE
    actor = Sprite(
        shape=LOOKS[0],
        color=(0, 0, 0),
        radius=rng.uniform(*ACTOR_RADIUS) * unit,
        angle=np.deg2rad(rng.uniform(-20, 20)))
    actor_tone = (rng.normal(0, 0.015), rng.uniform(0.85, 1.0),
                  rng.uniform(0.9, 1.0))
    # The clutter's hue is unrelated to the actor's: it carries no class.
    background = render_background(rng, size, [rng.random()], clutter)
    window_length = rng.uniform(0.2, 0.3)
    [actor_start], [actor_end] = _drift(rng, 1, size, (0.08, 0.2))
    num_distractors = int(rng.integers(2, 5))
    distractors = tuple(
        Sprite(
            shape=SHAPES[rng.integers(len(SHAPES))],
            color=random_color(rng, None, (0.1, 0.45), (0.4, 0.8)),
            radius=rng.uniform(3.5, 7.0) * unit,
            angle=rng.uniform(0, 2 * np.pi)) for _ in range(num_distractors))
    drift_start, drift_end = _drift(rng, num_distractors, size, (0.3, 0.7))
    return WindowScene(
        background=background,
        actor=actor,
        actor_tone=actor_tone,
        window_start=rng.uniform(0, 1 - window_length),
        window_length=window_length,
        actor_start=actor_start,
        actor_end=actor_end,
        distractors=distractors,
        drift_start=drift_start,
        drift_end=drift_end)


def window_progress(num_frames: int, start: float,
                    length: float) -> np.ndarray:
    """Progress through the action window per frame, NaN outside it.

    Returns:
        (num_frames, ) values in [0, 1] inside the window.
    """
    progress = window_position(num_frames, start, length)
    return np.where((progress >= 0) & (progress <= 1), progress, np.nan)


def render_frames(window_class: WindowClass, scene: WindowScene,
                  num_frames: int) -> np.ndarray:
    """Render the RGB frames of one clip.

    Returns:
        Frames of shape (num_frames, S, S, 3), uint8.
    """
    weights = np.linspace(0, 1, num_frames)[:, None, None]
    drift = (1 - weights) * scene.drift_start + weights * scene.drift_end
    progress = window_progress(num_frames, scene.window_start,
                               scene.window_length)
    frames = np.repeat(scene.background[None], num_frames, axis=0)
    for frame, frame_drift, u in zip(frames, drift, progress):
        for sprite, xy in zip(scene.distractors, frame_drift):
            draw_sprite(frame, sprite, xy, 1.0)
        if np.isnan(u):
            continue
        look = window_class.looks[min(int(u * len(window_class.looks)),
                                      len(window_class.looks) - 1)]
        # Pulsing classes breathe twice over the window; the others keep
        # their size, so that only the look tells a pair apart.
        scale = 1.0 + 0.3 * np.sin(4 * np.pi * u) * (
            len(window_class.looks) == 1)
        xy = (1 - u) * scene.actor_start + u * scene.actor_end
        hue_shift, saturation, value = scene.actor_tone
        color = colorsys.hsv_to_rgb((LOOK_HUES[look] + hue_shift) % 1.0,
                                    saturation, value)
        draw_sprite(
            frame,
            replace(
                scene.actor,
                shape=look,
                color=tuple(int(round(255 * c)) for c in color)), xy, scale)
    return frames


def render_clip(class_index: int, rng: np.random.Generator, num_frames: int,
                size: int,
                clutter: float) -> Tuple[np.ndarray, np.ndarray]:
    """One clip of class ``CLASSES[class_index]``.

    Returns:
        Its frames (num_frames, size, size, 3), uint8, and which frames
        show the action (num_frames,), bool: the frames with the actor.
    """
    scene = sample_scene(rng, size, clutter)
    return (render_frames(CLASSES[class_index], scene, num_frames),
            action_frames(num_frames, scene.window_start,
                          scene.window_length))

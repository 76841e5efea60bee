"""Write a small synthetic few-shot action recognition benchmark.

Two presets: ``motion`` (the default, described here) and ``window``
(``--preset window``, described in ``synthetic_window.py``: a small actor
acts in a short window of a long clip, so that frame choice and zoom
matter). Drawing and encoding are shared (``synthetic_render.py``).

Every clip shows one object (about a fifth of the frame across: a disc,
square or triangle of random colour and size; two objects for the
two-object classes) that moves along a
class-specific path over a cluttered, static background. The background is
a smooth colour field with pixel noise and static shapes, duller than the
object and a quarter of them of its hue (``--clutter`` scales all three, 0
leaves a plain colour), and up to two distractor shapes drift slowly in random
directions. The object moves only inside a random active window (40-80 %
of the clip at a random offset) and jitters in place before and after it,
so clips differ in speed and in where the action happens. Path
position, extent and a small rotation (+/- 15 degrees) vary per clip; paths
are never mirrored, because mirroring would turn some classes into others.

Classes therefore differ by motion only. Twenty classes come in pairs that
are exact time reverses of each other, which a model that averages frame
features over time cannot tell apart; the ten other classes differ by path
shape, which survives averaging over time:

==========================  ==========================  =================
class                       time reverse                path
==========================  ==========================  =================
move_left_to_right          move_right_to_left          straight line
move_top_to_bottom          move_bottom_to_top          straight line
move_diagonal_down_right    move_diagonal_up_left       straight line
circle_clockwise            circle_counterclockwise     full circle
spiral_outward              spiral_inward               1.75 turns
grow                        shrink                      size 0.6x <-> 1.4x
approach                    separate                    two objects
right_then_down             up_then_left                L-shaped corner
zigzag_left_to_right        zigzag_right_to_left        3 zigzags
arc_left_to_right           arc_right_to_left           parabolic arc
figure_eight                                            lying eight
bounce_in_place                                         damped bounces
shake_horizontal                                        3 oscillations
shake_vertical                                          3 oscillations
square_clockwise                                        square outline
pendulum_swing                                          2 swings
hop_twice                                               2 equal hops
orbit_pair                                              two objects
swap_places                                             two objects
there_and_back                                          out and back
==========================  ==========================  =================

Splits are disjoint in classes and keep reverse pairs together, so that
episodes of the evaluation splits contain classes that differ only in
temporal order. From the seed, the pairs and the single classes are
shuffled separately and dealt out as train 5 pairs + 6 singles (16
classes), val 2 + 2 (6 classes) and test 3 + 2 (8 classes). Four classes
also differ in appearance statistics (``APPEARANCE_CUES``: two objects, or
a size change); val and test each get one such pair and one such single,
which an order-free baseline can tell from the rest.

Output layout::

    OUT_DIR/videos/<class_name>/<class_name>_0007.mp4
    OUT_DIR/splits/{train,val,test}.list    # one "class/video_id" per line
    OUT_DIR/action_windows.txt   # "video_id total_frames first last" per clip

``action_windows.txt`` gives the frames (inclusive indices) in which each
clip's action happens, for analyses of which frames a sampler keeps
(``tools/visualize_sampler.py --action-windows``); no loader reads it.

Each clip is drawn from ``numpy.random.default_rng([seed, class_index,
video_index])`` and encoded with a single encoder thread, so the output
depends on the seed only. The default size takes about 15 s on one core.

Example::

    python tools/data/make_synthetic.py data/synthetic --seed 0
    python tools/data/make_synthetic.py data/synthetic-window --preset window
"""
import argparse
import functools
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Sequence, Tuple, Union

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic_window  # noqa: E402
from synthetic_render import (DEFAULT_CODEC, REFERENCE_SIZE,  # noqa: E402
                              action_frames, draw_sprite, random_color,
                              random_sprite, render_background,
                              window_position, write_video)

PathFn = Callable[[np.ndarray], np.ndarray]

SPLIT_GROUPS = {'train': (5, 6), 'val': (2, 2), 'test': (3, 2)}


# --------------------------------------------------------------------------
# Unit paths: progress u in [0, 1] of shape (T,) -> (T, num_objects, 3)
# holding x, y (image axes, y pointing down, roughly within [-1, 1]) and a
# multiplier of the object's size.
# --------------------------------------------------------------------------
def _objects(u: np.ndarray, *coords: tuple) -> np.ndarray:
    """Stack per-object ``(x, y[, scale])`` coordinates into a path array.

    Args:
        u: Progress values, shape (T,).
        *coords: One ``(x, y)`` or ``(x, y, scale)`` tuple per object; each
            entry is a scalar or an array broadcastable to ``u``.

    Returns:
        Array of shape (T, num_objects, 3).
    """
    per_object = []
    for xy_scale in coords:
        x, y, scale = (tuple(xy_scale) + (1.0, ))[:3]
        per_object.append(np.stack(np.broadcast_arrays(x, y, scale, u)[:3],
                                   axis=-1))
    return np.stack(per_object, axis=1)


def _polyline(u: np.ndarray, corners: Sequence[tuple]) -> np.ndarray:
    """One object walking through ``corners`` at constant speed per leg."""
    knots = np.linspace(0.0, 1.0, len(corners))
    xs, ys = zip(*corners)
    return _objects(u, (np.interp(u, knots, xs), np.interp(u, knots, ys)))


def _triangle_wave(v: np.ndarray) -> np.ndarray:
    """Triangle wave of period 1 with value -1 at integers and 1 halfway."""
    return 1.0 - 4.0 * np.abs(v - np.floor(v) - 0.5)


def line_right(u: np.ndarray) -> np.ndarray:
    """Straight line from the left edge to the right edge."""
    return _objects(u, (2.0 * u - 1.0, 0.0))


def line_down(u: np.ndarray) -> np.ndarray:
    """Straight line from the top edge to the bottom edge."""
    return _objects(u, (0.0, 2.0 * u - 1.0))


def diagonal_down_right(u: np.ndarray) -> np.ndarray:
    """Straight line from the top-left to the bottom-right corner."""
    return _objects(u, (1.6 * u - 0.8, 1.6 * u - 0.8))


def circle_clockwise(u: np.ndarray) -> np.ndarray:
    """One clockwise turn on a circle, starting and ending at the top."""
    angle = 2.0 * np.pi * u - 0.5 * np.pi
    return _objects(u, (np.cos(angle), np.sin(angle)))


def spiral_outward(u: np.ndarray) -> np.ndarray:
    """Clockwise spiral of 1.75 turns from near the centre outwards."""
    radius = 0.15 + 0.85 * u
    angle = 3.5 * np.pi * u
    return _objects(u, (radius * np.cos(angle), radius * np.sin(angle)))


def grow(u: np.ndarray) -> np.ndarray:
    """Object in place whose size grows from 0.6x to 1.4x."""
    return _objects(u, (0.0, 0.0, 0.6 + 0.8 * u))


def approach(u: np.ndarray) -> np.ndarray:
    """Two objects moving from the sides towards each other."""
    return _objects(u, (0.75 * u - 1.0, 0.0), (1.0 - 0.75 * u, 0.0))


def right_then_down(u: np.ndarray) -> np.ndarray:
    """L-shaped path: along the top edge to the right, then down."""
    return _polyline(u, [(-0.8, -0.8), (0.8, -0.8), (0.8, 0.8)])


def zigzag_right(u: np.ndarray) -> np.ndarray:
    """Left to right while zigzagging up and down three times."""
    return _objects(u, (2.0 * u - 1.0, 0.45 * _triangle_wave(3.0 * u)))


def arc_right(u: np.ndarray) -> np.ndarray:
    """Parabolic arc from bottom left over the top to bottom right."""
    return _objects(u, (2.0 * u - 1.0, 1.4 * (2.0 * u - 1.0)**2 - 0.7))


def figure_eight(u: np.ndarray) -> np.ndarray:
    """Lying figure eight, one full loop."""
    return _objects(u, (np.sin(2.0 * np.pi * u),
                        0.55 * np.sin(4.0 * np.pi * u)))


def bounce_in_place(u: np.ndarray) -> np.ndarray:
    """Dropped from the top, bounces with decaying height, ends at rest."""
    height = np.abs(np.cos(2.5 * np.pi * u)) * np.exp(-1.5 * u)
    return _objects(u, (0.0, 1.0 - 2.0 * height))


def shake_horizontal(u: np.ndarray) -> np.ndarray:
    """Three fast left-right oscillations around the start point."""
    return _objects(u, (0.45 * np.sin(6.0 * np.pi * u), 0.0))


def shake_vertical(u: np.ndarray) -> np.ndarray:
    """Three fast up-down oscillations around the start point."""
    return _objects(u, (0.0, 0.45 * np.sin(6.0 * np.pi * u)))


def square_clockwise(u: np.ndarray) -> np.ndarray:
    """Clockwise round trip on a square outline from the top-left corner."""
    return _polyline(u, [(-0.8, -0.8), (0.8, -0.8), (0.8, 0.8), (-0.8, 0.8),
                         (-0.8, -0.8)])


def pendulum_swing(u: np.ndarray) -> np.ndarray:
    """Two full swings of a pendulum hanging from above the frame centre."""
    angle = 0.9 * np.cos(4.0 * np.pi * u)
    return _objects(u, (1.2 * np.sin(angle), 1.2 * np.cos(angle) - 1.0))


def hop_twice(u: np.ndarray) -> np.ndarray:
    """Two hops of equal height from the same ground point."""
    return _objects(u, (0.0, 0.6 - 1.2 * np.abs(np.sin(2.0 * np.pi * u))))


def orbit_pair(u: np.ndarray) -> np.ndarray:
    """Two objects on opposite sides of a centre, turning once clockwise."""
    angle = 2.0 * np.pi * u
    x, y = 0.6 * np.cos(angle), 0.6 * np.sin(angle)
    return _objects(u, (x, y), (-x, -y))


def swap_places(u: np.ndarray) -> np.ndarray:
    """Two objects passing each other horizontally on parallel lanes."""
    return _objects(u, (2.0 * u - 1.0, -0.2), (1.0 - 2.0 * u, 0.2))


def there_and_back(u: np.ndarray) -> np.ndarray:
    """From the left edge to the right edge and back again."""
    return _objects(u, (-np.cos(2.0 * np.pi * u), 0.0))


def time_reversed(path: PathFn, u: np.ndarray) -> np.ndarray:
    """Evaluate ``path`` backwards in time."""
    return path(1.0 - u)


REVERSE_PAIRS: tuple = (
    ('move_left_to_right', 'move_right_to_left', line_right),
    ('move_top_to_bottom', 'move_bottom_to_top', line_down),
    ('move_diagonal_down_right', 'move_diagonal_up_left',
     diagonal_down_right),
    ('circle_clockwise', 'circle_counterclockwise', circle_clockwise),
    ('spiral_outward', 'spiral_inward', spiral_outward),
    ('grow', 'shrink', grow),
    ('approach', 'separate', approach),
    ('right_then_down', 'up_then_left', right_then_down),
    ('zigzag_left_to_right', 'zigzag_right_to_left', zigzag_right),
    ('arc_left_to_right', 'arc_right_to_left', arc_right),
)
SINGLES: tuple = (
    ('figure_eight', figure_eight),
    ('bounce_in_place', bounce_in_place),
    ('shake_horizontal', shake_horizontal),
    ('shake_vertical', shake_vertical),
    ('square_clockwise', square_clockwise),
    ('pendulum_swing', pendulum_swing),
    ('hop_twice', hop_twice),
    ('orbit_pair', orbit_pair),
    ('swap_places', swap_places),
    ('there_and_back', there_and_back),
)


@dataclass(frozen=True)
class MotionClass:
    """A motion class: its name and its unit path."""

    name: str
    path: PathFn

    @property
    def num_objects(self) -> int:
        """Number of moving objects in the class."""
        return self.path(np.zeros(1)).shape[1]


def _build_classes() -> tuple:
    """All classes: each reverse pair in turn, then the single classes."""
    classes = []
    for name, reverse_name, path in REVERSE_PAIRS:
        classes.append(MotionClass(name, path))
        classes.append(
            MotionClass(reverse_name, functools.partial(time_reversed, path)))
    classes.extend(MotionClass(name, path) for name, path in SINGLES)
    return tuple(classes)


CLASSES: tuple = _build_classes()
CLASS_INDEX = {motion.name: index for index, motion in enumerate(CLASSES)}


# Classes whose frames also differ in appearance statistics (object count or
# size), which even a model that ignores frame order can see. Each evaluation
# split gets one such pair and one such single next to classes that differ by
# path or order only, so an order-free baseline lands above chance there but
# far from perfect.
APPEARANCE_CUES = frozenset(('grow', 'approach', 'orbit_pair', 'swap_places'))


def _take(order: list, count: int, cued: Callable[[int], bool],
          evaluation: bool) -> list:
    """Remove ``count`` indices from ``order`` (kept in its order).

    An evaluation split takes the first cued index and then uncued ones;
    train takes what comes first.
    """
    if evaluation:
        taken = [next(i for i in order if cued(i))]
        taken += [i for i in order if not cued(i)][:count - 1]
    else:
        taken = order[:count]
    for index in taken:
        order.remove(index)
    return taken


def assign_splits(seed: int) -> dict:
    """Deal the classes out to train, val and test, keeping pairs together.

    Args:
        seed: Seed of the shuffle.

    Returns:
        Mapping from split name to a sorted list of class names.
    """
    rng = np.random.default_rng(seed)
    pair_order = list(rng.permutation(len(REVERSE_PAIRS)))
    single_order = list(rng.permutation(len(SINGLES)))
    splits = {}
    for split in ('val', 'test', 'train'):
        num_pairs, num_singles = SPLIT_GROUPS[split]
        evaluation = split != 'train'
        pairs = _take(pair_order, num_pairs,
                      lambda i: REVERSE_PAIRS[i][0] in APPEARANCE_CUES,
                      evaluation)
        singles = _take(single_order, num_singles,
                        lambda i: SINGLES[i][0] in APPEARANCE_CUES, evaluation)
        names = [name for index in pairs for name in REVERSE_PAIRS[index][:2]]
        names += [SINGLES[index][0] for index in singles]
        splits[split] = sorted(names)
    return {split: splits[split] for split in SPLIT_GROUPS}


# --------------------------------------------------------------------------
# Scene sampling and rendering
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Scene:
    """Every random choice behind one clip.

    Attributes:
        background: Static RGB background, shape (S, S, 3), uint8.
        objects: Sprites of the moving objects.
        centre: Pixel position of the path's origin, shape (2,).
        extent: Pixels per unit of the path.
        rotation: Rotation of the path in radians.
        window_start: Start of the active window, as a fraction of the clip.
        window_length: Length of the active window, as a fraction.
        ease: Blend weight between constant speed (0) and smoothstep (1).
        jitter: Pixel offsets of the objects, shape (F, num_objects, 2).
        distractors: Sprites of the drifting distractors.
        drift_start: Distractor positions at the first frame, shape (K, 2).
        drift_end: Distractor positions at the last frame, shape (K, 2).
    """

    background: np.ndarray
    objects: tuple
    centre: np.ndarray
    extent: float
    rotation: float
    window_start: float
    window_length: float
    ease: float
    jitter: np.ndarray
    distractors: tuple
    drift_start: np.ndarray
    drift_end: np.ndarray


def sample_scene(motion: MotionClass, rng: np.random.Generator,
                 num_frames: int, size: int, clutter: float = 0.5) -> Scene:
    """Draw every random choice of one clip of ``motion``.

    The distribution is symmetric under time reversal (window offset, jitter
    and drift direction), so a class and its time reverse yield the same set
    of frames up to order.

    Args:
        motion: Class of the clip.
        rng: Random generator of the clip.
        num_frames: Number of frames.
        size: Frame side in pixels.
        clutter: Amount of background clutter, see ``render_background``.

    Returns:
        The scene.
    """
    unit = size / REFERENCE_SIZE
    hues = rng.random(motion.num_objects)
    objects = tuple(
        random_sprite(rng, (max(1.5, 11.0 * unit), max(2.5, 16.0 * unit)),
                       random_color(rng, hue, (0.8, 1.0), (0.85, 1.0)))
        for hue in hues)
    background = render_background(rng, size, hues, clutter)
    window_length = rng.uniform(0.4, 0.8)
    num_distractors = int(rng.integers(0, 3))
    distractors = tuple(
        random_sprite(rng, (max(1.0, 2.5 * unit), 5.0 * unit),
                       random_color(rng))
        for _ in range(num_distractors))
    drift_start = rng.uniform(0.1 * size, 0.9 * size, (num_distractors, 2))
    heading = rng.uniform(0, 2 * np.pi, num_distractors)
    drift = rng.uniform(0.05, 0.2, num_distractors) * size
    drift_end = np.clip(
        drift_start + drift[:, None] *
        np.stack([np.cos(heading), np.sin(heading)], axis=-1), 0, size)
    return Scene(
        background=background,
        objects=objects,
        centre=size * (0.5 + rng.uniform(-0.08, 0.08, 2)),
        extent=size * rng.uniform(0.2, 0.32),
        rotation=np.deg2rad(rng.uniform(-15, 15)),
        window_start=rng.uniform(0, 1 - window_length),
        window_length=window_length,
        ease=rng.random(),
        jitter=rng.normal(0, 0.35 * unit, (num_frames, motion.num_objects, 2)),
        distractors=distractors,
        drift_start=drift_start,
        drift_end=drift_end)


def progress(num_frames: int, start: float, length: float,
             ease: float) -> np.ndarray:
    """Path progress per frame: 0 before the active window, 1 after it.

    Inside the window progress blends constant speed with smoothstep; both
    satisfy ``f(1 - t) = 1 - f(t)``, so mirroring the window in time
    reverses the progress curve.

    Args:
        num_frames: Number of frames.
        start: Start of the window as a fraction of the clip.
        length: Length of the window as a fraction of the clip.
        ease: Weight of smoothstep in the blend.

    Returns:
        Progress in [0, 1], shape (num_frames,).
    """
    linear = np.clip(window_position(num_frames, start, length), 0, 1)
    smooth = linear * linear * (3 - 2 * linear)
    return (1 - ease) * linear + ease * smooth


def object_states(motion: MotionClass, scene: Scene,
                  num_frames: int) -> np.ndarray:
    """Pixel positions and size multipliers of the objects per frame.

    Args:
        motion: Class of the clip.
        scene: The clip's random choices.
        num_frames: Number of frames.

    Returns:
        Array of shape (num_frames, num_objects, 3): x, y, size multiplier.
    """
    unit_path = motion.path(
        progress(num_frames, scene.window_start, scene.window_length,
                 scene.ease))
    cos, sin = np.cos(scene.rotation), np.sin(scene.rotation)
    rotation = np.array([[cos, -sin], [sin, cos]])
    xy = scene.centre + scene.extent * unit_path[..., :2] @ rotation.T
    return np.concatenate([xy + scene.jitter, unit_path[..., 2:]], axis=-1)


def render_frames(motion: MotionClass, scene: Scene,
                  num_frames: int) -> np.ndarray:
    """Render the RGB frames of one clip.

    Args:
        motion: Class of the clip.
        scene: The clip's random choices.
        num_frames: Number of frames.

    Returns:
        Frames of shape (num_frames, S, S, 3), uint8.
    """
    states = object_states(motion, scene, num_frames)
    weights = np.linspace(0, 1, num_frames)[:, None, None]
    drift = (1 - weights) * scene.drift_start + weights * scene.drift_end
    frames = np.repeat(scene.background[None], num_frames, axis=0)
    for frame, frame_drift, frame_states in zip(frames, drift, states):
        for sprite, xy in zip(scene.distractors, frame_drift):
            draw_sprite(frame, sprite, xy, 1.0)
        for sprite, (x, y, scale) in zip(scene.objects, frame_states):
            draw_sprite(frame, sprite, np.array([x, y]), scale)
    return frames


def render_clip(class_index: int, rng: np.random.Generator, num_frames: int,
                size: int,
                clutter: float) -> Tuple[np.ndarray, np.ndarray]:
    """One clip of class ``CLASSES[class_index]``.

    Returns:
        Its frames (num_frames, size, size, 3), uint8, and which frames
        show the action (num_frames,), bool: the active window, where the
        objects move.
    """
    motion = CLASSES[class_index]
    scene = sample_scene(motion, rng, num_frames, size, clutter)
    return (render_frames(motion, scene, num_frames),
            action_frames(num_frames, scene.window_start,
                          scene.window_length))


@dataclass(frozen=True)
class Preset:
    """A family of classes and clips, with its default clip settings.

    Attributes:
        class_names: Every class, in the order that seeds its clips.
        assign_splits: seed -> split name -> sorted class names.
        render_clip: (class index, rng, frames, size, clutter) -> frames
            and the mask of the frames that show the action.
        num_frames: Default frames per clip.
        videos_per_class: Default clips per class.
        clutter: Default amount of background clutter.
    """

    class_names: tuple
    assign_splits: Callable[[int], dict]
    render_clip: Callable[..., Tuple[np.ndarray, np.ndarray]]
    num_frames: int
    videos_per_class: int
    clutter: float


PRESETS = {
    'motion':
    Preset(
        tuple(motion.name for motion in CLASSES), assign_splits, render_clip,
        num_frames=32, videos_per_class=24, clutter=0.5),
    'window':
    Preset(
        tuple(window_class.name for window_class in synthetic_window.CLASSES),
        synthetic_window.assign_splits,
        synthetic_window.render_clip,
        num_frames=synthetic_window.DEFAULT_FRAMES,
        videos_per_class=synthetic_window.DEFAULT_VIDEOS_PER_CLASS,
        clutter=synthetic_window.DEFAULT_CLUTTER),
}


def video_id(class_name: str, video_index: int) -> str:
    """Identifier of a clip, unique over the whole benchmark."""
    return f'{class_name}_{video_index:04d}'


def action_window_line(clip: str, action: np.ndarray) -> str:
    """``"<video_id> <total_frames> <first> <last>\\n"``: the clip's action
    window as inclusive frame indices.

    Raises:
        ValueError: if no frame shows the action (too few frames).
    """
    shown = np.flatnonzero(action)
    if not shown.size:
        raise ValueError(
            f'{clip}: none of its {action.size} frames falls in its action '
            'window; render more frames')
    return f'{clip} {action.size} {shown[0]} {shown[-1]}\n'


def make_synthetic(out_dir: Union[str, Path],
                   preset: str = 'motion',
                   seed: int = 0,
                   videos_per_class: Optional[int] = None,
                   num_frames: Optional[int] = None,
                   size: int = 128,
                   fps: int = 12,
                   codec: str = DEFAULT_CODEC,
                   clutter: Optional[float] = None) -> dict:
    """Write the synthetic benchmark: videos, split lists, action windows.

    Args:
        out_dir: Output directory; created if missing.
        preset: ``'motion'`` (this module's classes) or ``'window'``
            (``synthetic_window.py``).
        seed: Seed of the split assignment and of every clip.
        videos_per_class: Clips per class; defaults to the preset's.
        num_frames: Frames per clip (at least 2); defaults to the preset's.
        size: Frame width and height in pixels (even, at least 16).
        fps: Frame rate of the files.
        codec: FFmpeg encoder name.
        clutter: Amount of background clutter (0 gives plain backgrounds);
            defaults to the preset's.

    Returns:
        Summary with keys ``classes`` (split name -> class names),
        ``num_videos`` and ``elapsed_s``.
    """
    if preset not in PRESETS:
        raise ValueError(
            f'unknown preset {preset!r}; choose from {sorted(PRESETS)}')
    family = PRESETS[preset]
    videos_per_class = videos_per_class or family.videos_per_class
    num_frames = num_frames or family.num_frames
    clutter = family.clutter if clutter is None else clutter
    if num_frames < 2 or videos_per_class < 1:
        raise ValueError('need at least 2 frames and 1 video per class')
    if size < 16 or size % 2:
        raise ValueError(f'size must be even and at least 16, got {size}')
    if clutter < 0:
        raise ValueError(f'clutter must not be negative, got {clutter}')
    started = time.perf_counter()
    out_dir = Path(out_dir)
    windows = []
    for class_index, name in enumerate(family.class_names):
        (out_dir / 'videos' / name).mkdir(parents=True, exist_ok=True)
        for video_index in range(videos_per_class):
            rng = np.random.default_rng([seed, class_index, video_index])
            frames, action = family.render_clip(class_index, rng, num_frames,
                                                size, clutter)
            clip = video_id(name, video_index)
            write_video(out_dir / 'videos' / name / (clip + '.mp4'), frames,
                        fps, codec)
            windows.append(action_window_line(clip, action))
    (out_dir / 'action_windows.txt').write_text(''.join(windows))
    splits = family.assign_splits(seed)
    (out_dir / 'splits').mkdir(parents=True, exist_ok=True)
    for split, names in splits.items():
        lines = [
            f'{name}/{video_id(name, index)}\n' for name in names
            for index in range(videos_per_class)
        ]
        (out_dir / 'splits' / f'{split}.list').write_text(''.join(lines))
    return {
        'classes': splits,
        'num_videos': len(family.class_names) * videos_per_class,
        'elapsed_s': time.perf_counter() - started,
    }


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('out_dir', type=Path, help='output directory')
    parser.add_argument(
        '--preset',
        choices=sorted(PRESETS),
        default='motion',
        help='motion: classes differ by motion paths through most of the '
        'clip; window: a small actor acts in a short window of a long clip '
        '(see synthetic_window.py)')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--videos-per-class', type=int, help='default: the preset\'s')
    parser.add_argument('--frames', type=int, help='default: the preset\'s')
    parser.add_argument('--size', type=int, default=128,
                        help='frame width and height in pixels')
    parser.add_argument('--fps', type=int, default=12)
    parser.add_argument('--codec', default=DEFAULT_CODEC)
    parser.add_argument('--clutter', type=float,
                        help='amount of background clutter (0: plain; '
                        'default: the preset\'s)')
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Command-line entry point."""
    args = parse_args(argv)
    summary = make_synthetic(args.out_dir, preset=args.preset,
                             seed=args.seed,
                             videos_per_class=args.videos_per_class,
                             num_frames=args.frames, size=args.size,
                             fps=args.fps, codec=args.codec,
                             clutter=args.clutter)
    for split, names in summary['classes'].items():
        print(f'{split} ({len(names)} classes): {", ".join(names)}')
    total_bytes = sum(path.stat().st_size
                      for path in (args.out_dir / 'videos').rglob('*.mp4'))
    print(f'wrote {summary["num_videos"]} videos ({total_bytes / 2**20:.1f} '
          f'MiB) to {args.out_dir} in {summary["elapsed_s"]:.1f} s')


if __name__ == '__main__':
    main()

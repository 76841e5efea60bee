"""Drawing and encoding shared by the synthetic benchmark presets.

Sprites of simple shapes drawn with sub-pixel precision (OpenCV fixed
point, anti-aliased), cluttered static backgrounds, random colours, and the
single-threaded video encoder that makes the output depend on the seed
only. Used by ``make_synthetic.py`` (the ``motion`` preset) and
``synthetic_window.py`` (the ``window`` preset).
"""
import colorsys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

import av
import cv2
import numpy as np

SHAPES = ('disc', 'square', 'triangle')
# MPEG-4 Part 2, FFmpeg's own encoder, by default: the same frames always
# give the same bytes. libx264, even single-threaded, rarely does not.
DEFAULT_CODEC = 'mpeg4'
CODEC_OPTIONS = {
    'mpeg4': {'qmin': '2', 'qmax': '4'},
    'libx264': {'crf': '20', 'preset': 'medium'},
}
REFERENCE_SIZE = 128
SUBPIXEL_BITS = 4


def window_position(num_frames: int, start: float,
                    length: float) -> np.ndarray:
    """Each frame's place in a clip's action window, ``(t - start) / length``.

    Frame times ``t`` are evenly spaced over [0, 1]; the value is in [0, 1]
    inside the window, below it before, above it after.

    Args:
        num_frames: Number of frames.
        start: Start of the window as a fraction of the clip.
        length: Length of the window as a fraction of the clip.

    Returns:
        Array of shape (num_frames,).
    """
    return (np.linspace(0, 1, num_frames) - start) / length


def action_frames(num_frames: int, start: float,
                  length: float) -> np.ndarray:
    """Which frames lie in the action window, shape (num_frames,), bool."""
    position = window_position(num_frames, start, length)
    return (position >= 0) & (position <= 1)


@dataclass(frozen=True)
class Sprite:
    """Appearance of one drawn shape.

    Attributes:
        shape: One of ``SHAPES``.
        color: RGB colour, 0-255 per channel.
        radius: Radius in pixels at size multiplier 1.
        angle: Orientation of polygons in radians.
    """

    shape: str
    color: tuple
    radius: float
    angle: float


def random_color(rng: np.random.Generator,
                 hue: Optional[float] = None,
                 saturation: tuple = (0.3, 1.0),
                 value: tuple = (0.4, 1.0)) -> tuple:
    """Random RGB colour, optionally close to a given hue."""
    hue = rng.random() if hue is None else (hue + rng.normal(0, 0.04)) % 1.0
    rgb = colorsys.hsv_to_rgb(hue, rng.uniform(*saturation),
                              rng.uniform(*value))
    return tuple(int(round(255 * channel)) for channel in rgb)


def random_sprite(rng: np.random.Generator, radius_range: tuple,
                  color: tuple) -> Sprite:
    """Sprite of random shape, size and orientation with a given colour."""
    return Sprite(shape=SHAPES[rng.integers(len(SHAPES))], color=color,
                  radius=rng.uniform(*radius_range),
                  angle=rng.uniform(0, 2 * np.pi))


def render_background(rng: np.random.Generator, size: int,
                      object_hues: Sequence[float],
                      clutter: float) -> np.ndarray:
    """Cluttered static background.

    A smooth random colour field with static pixel noise and scattered
    shapes, duller than the objects, a quarter of them of a moving object's
    hue.

    Args:
        rng: Random generator of the clip.
        size: Frame side in pixels.
        object_hues: Hues of the moving objects.
        clutter: Scale of the colour field's contrast, of the noise and of
            the number of shapes; 0 gives a plain background.

    Returns:
        RGB image of shape (size, size, 3), uint8.
    """
    unit = size / REFERENCE_SIZE
    grid = int(rng.integers(3, 7))
    field = cv2.resize(rng.uniform(-60, 60, (grid, grid, 3)), (size, size),
                       interpolation=cv2.INTER_CUBIC)
    image = rng.uniform(70, 180, 3) + clutter * (
        field + rng.normal(0, 8, field.shape))
    image = np.ascontiguousarray(np.clip(image, 0, 255).astype(np.uint8))
    num_shapes = int(round(rng.uniform(6, 12) * clutter * unit**2))
    for _ in range(num_shapes):
        hue = object_hues[rng.integers(len(object_hues))] \
            if rng.random() < 0.25 else None
        # Duller than the objects: clutter, not a second actor.
        sprite = random_sprite(
            rng, (2.0 * unit, 5.0 * unit),
            random_color(rng, hue, (0.1, 0.6), (0.3, 0.9)))
        draw_sprite(image, sprite, rng.uniform(0, size, 2), 1.0)
    return image


def fixed_point(values: np.ndarray) -> np.ndarray:
    """Pixel coordinates in the fixed-point format of OpenCV drawing."""
    return np.round(np.asarray(values) * (1 << SUBPIXEL_BITS)).astype(np.int32)


def _star(points: int, inner: float) -> np.ndarray:
    """Unit outline of a star with ``points`` tips at radius 1.3."""
    angles = np.pi * np.arange(2 * points) / points
    radii = np.where(np.arange(2 * points) % 2, 1.3 * inner, 1.3)
    return radii[:, None] * np.stack([np.cos(angles), np.sin(angles)], -1)


def _plus(arm: float) -> np.ndarray:
    """Unit outline of a plus sign whose arms are ``2 * arm`` wide."""
    a, b = arm, 1.15
    return np.array([(-a, -b), (a, -b), (a, -a), (b, -a), (b, a), (a, a),
                     (a, b), (-a, b), (-a, a), (-b, a), (-b, -a), (-a, -a)])


def _half_disc() -> np.ndarray:
    """Unit outline of a half disc, its centre of area at the origin."""
    angles = np.linspace(0, np.pi, 17)
    outline = 1.25 * np.stack([np.cos(angles), -np.sin(angles)], -1)
    return outline + (0, 1.25 * 4 / (3 * np.pi))


# Regular polygons: corners and circumradius in radii.
REGULAR_POLYGONS = {'square': (4, 1.25), 'triangle': (3, 1.45)}
# Other polygons: unit outline (radius 1, angle 0) and, for hollow shapes,
# the stroke width in radii. Discs, rings and dot pairs are drawn as circles.
POLYGONS = {
    'hollow_square': (1.1 * np.array([(1, 1), (-1, 1), (-1, -1),
                                      (1, -1)]), 0.45),
    'plus': (_plus(0.38), None),
    'star': (_star(5, 0.45), None),
    'bar': (np.array([(1.5, 0.45), (-1.5, 0.45), (-1.5, -0.45),
                      (1.5, -0.45)]), None),
    'half_disc': (_half_disc(), None),
}
LOOKS = ('disc', 'ring', 'dots', 'square', 'hollow_square', 'triangle',
         'plus', 'star', 'bar', 'half_disc')


def _draw_disc(image: np.ndarray, xy: np.ndarray, radius: float,
               color: tuple, thickness: int = -1) -> None:
    cv2.circle(image, tuple(int(v) for v in fixed_point(xy)),
               int(fixed_point(radius)), color, thickness, cv2.LINE_AA,
               SUBPIXEL_BITS)


def draw_sprite(image: np.ndarray, sprite: Sprite, xy: np.ndarray,
                scale: float) -> None:
    """Draw ``sprite`` centred at sub-pixel position ``xy`` in place.

    Args:
        image: RGB image, modified in place.
        sprite: What to draw; its shape one of ``LOOKS``.
        xy: Pixel position (x, y).
        scale: Multiplier of the sprite's radius.
    """
    radius = sprite.radius * scale
    cos, sin = np.cos(sprite.angle), np.sin(sprite.angle)
    if sprite.shape == 'disc':
        _draw_disc(image, xy, radius, sprite.color)
    elif sprite.shape == 'ring':
        _draw_disc(image, xy, 0.8 * radius, sprite.color,
                   max(1, int(round(0.45 * radius))))
    elif sprite.shape == 'dots':
        offset = 0.75 * radius * np.array([cos, sin])
        for sign in (-1, 1):
            _draw_disc(image, xy + sign * offset, 0.55 * radius,
                       sprite.color)
    elif sprite.shape in REGULAR_POLYGONS:
        corners, circumradius = REGULAR_POLYGONS[sprite.shape]
        angles = sprite.angle + 2 * np.pi * np.arange(corners) / corners
        vertices = xy + circumradius * radius * np.stack(
            [np.cos(angles), np.sin(angles)], axis=-1)
        cv2.fillPoly(image, [fixed_point(vertices)], sprite.color,
                     cv2.LINE_AA, SUBPIXEL_BITS)
    else:
        outline, stroke = POLYGONS[sprite.shape]
        vertices = xy + radius * outline @ np.array([[cos, sin],
                                                     [-sin, cos]])
        if stroke is None:
            cv2.fillPoly(image, [fixed_point(vertices)], sprite.color,
                         cv2.LINE_AA, SUBPIXEL_BITS)
        else:
            cv2.polylines(image, [fixed_point(vertices)], True, sprite.color,
                          max(1, int(round(stroke * radius))), cv2.LINE_AA,
                          SUBPIXEL_BITS)


def write_video(path: Path, frames: np.ndarray, fps: int, codec: str) -> None:
    """Encode RGB frames to a yuv420p video file with one encoder thread.

    Args:
        path: Output file; the container follows the suffix.
        frames: Frames of shape (F, H, W, 3), uint8.
        fps: Frame rate.
        codec: Encoder name known to FFmpeg, e.g. ``mpeg4``.
    """
    with av.open(str(path), 'w') as container:
        stream = container.add_stream(codec, rate=fps)
        stream.height, stream.width = frames.shape[1:3]
        stream.pix_fmt = 'yuv420p'
        stream.codec_context.thread_count = 1
        stream.options = dict(CODEC_OPTIONS.get(codec, {}))
        for index, frame in enumerate(frames):
            video_frame = av.VideoFrame.from_ndarray(frame, format='rgb24')
            video_frame.pts = index
            container.mux(stream.encode(video_frame))
        container.mux(stream.encode())

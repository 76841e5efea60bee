"""PNG figures of clips and of a query's prediction (matplotlib, no pyplot
state: safe in library code, workers and hooks)."""
from typing import NamedTuple, Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .clip_view import ClipView

#: Side of one frame thumbnail, in inches.
THUMB_INCHES = 0.9
#: Height of the row of panels under a query's frames, in thumbnails.
PANEL_ROWS = 2.6


class QueryAlignment(NamedTuple):
    """What VIM's alignment head did to one query, against one class.

    Attributes:
        way: The episode label of the class (the predicted one).
        warp: (a, b) of the query's temporal transformation ``a * t + b``,
            or None without that stage.
        attention: (T, T) attention of the class's frames (rows) over the
            query's frames (columns), or None without temporal
            coordination.
        offsets: (T, 2) spatial offsets (dx, dy) per frame, or None
            without spatial coordination: the class's pooling window moves
            by +offset, the query's by -offset.
    """

    way: int
    warp: Optional[np.ndarray]
    attention: Optional[np.ndarray]
    offsets: Optional[np.ndarray]


def clip_rows(view: ClipView) -> int:
    """Rows of thumbnails :func:`draw_clip` needs for ``view``."""
    return 1 if view.sampled is None else 3


def clip_columns(view: ClipView) -> int:
    """Columns of thumbnails :func:`draw_clip` needs for ``view``."""
    return len(view.frames)


def _mark(ax: Axes, label: str) -> None:
    """Frame a thumbnail in red and label it below."""
    ax.axis('on')
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor('red')
        spine.set_linewidth(2)
    ax.set_xlabel(label, fontsize=6, color='red', labelpad=1)


def draw_clip(rows: np.ndarray, view: ClipView, title: str) -> None:
    """Draw one clip on :func:`clip_rows` rows of axes.

    Row 1: the input frames, those the sampler kept framed and numbered in
    the order kept; with a sampler output, row 2: the kept frames, under
    their saliency where there is one; row 3: the frames the backbone saw
    (zoomed by the amplifier).

    Args:
        rows: (rows, columns) axes, at least :func:`clip_columns` columns,
            their axis lines already off.
        view: The clip.
        title: Written above the first frame.
    """
    rows[0, 0].set_title(title, loc='left', fontsize=7)
    slots = {position: j for j, position in enumerate(view.kept or ())}
    for position, frame in enumerate(view.frames):
        rows[0, position].imshow(frame)
        if position in slots:
            _mark(rows[0, position], f'#{slots[position]}')
    if view.sampled is None:
        return
    for j, position in enumerate(view.kept):
        frame = view.frames[position]
        rows[1, j].imshow(frame)
        if view.saliency is not None:
            rows[1, j].imshow(
                _resize_map(view.saliency[j], frame.shape[:2]),
                cmap='jet',
                alpha=0.5)
        rows[2, j].imshow(view.sampled[j])


def _resize_map(saliency: np.ndarray, size: Sequence[int]) -> np.ndarray:
    """A (h, w) map resized bilinearly to ``size`` (the frame's)."""
    resized = F.interpolate(
        torch.from_numpy(saliency)[None, None],
        size=tuple(size),
        mode='bilinear',
        align_corners=False)
    return resized[0, 0].numpy()


def thumbnail_grid(fig, num_rows: int, num_columns: int) -> np.ndarray:
    """(num_rows, num_columns) axes without axis lines on ``fig`` (a
    figure or subfigure)."""
    axes = fig.subplots(num_rows, num_columns, squeeze=False)
    for ax in axes.flat:
        ax.axis('off')
    return axes


def draw_query(path: str, view: ClipView, title: str,
               class_names: Sequence[str], scores: np.ndarray,
               alignment: Optional[QueryAlignment] = None) -> None:
    """One PNG for one query: its frames (:func:`draw_clip`), its score for
    every class and, for VIM's alignment head, how it was aligned with the
    predicted class (temporal warp, attention over time, spatial offsets).

    Args:
        path: The PNG to write.
        view: The query clip.
        title: Written above the frames (e.g. the file name).
        class_names: Names of the episode's classes, by episode label.
        scores: (ways,) the query's score for each class.
        alignment: See :class:`QueryAlignment`; None draws no alignment.
    """
    panels = [_draw_scores]
    if alignment is not None:
        panels += [
            panel for panel, part in ((_draw_warp, alignment.warp),
                                      (_draw_attention, alignment.attention),
                                      (_draw_offsets, alignment.offsets))
            if part is not None
        ]
    num_rows = clip_rows(view)
    width = max(clip_columns(view), 3 * len(panels)) * THUMB_INCHES
    fig = Figure(figsize=(width, (num_rows + PANEL_ROWS) * THUMB_INCHES))
    frames_fig, panels_fig = fig.subfigures(
        2, 1, height_ratios=[num_rows, PANEL_ROWS])
    draw_clip(
        thumbnail_grid(frames_fig, num_rows, clip_columns(view)), view,
        title)
    axes = panels_fig.subplots(1, len(panels), squeeze=False)[0]
    for ax, panel in zip(axes, panels):
        panel(ax, class_names, scores, alignment)
    panels_fig.subplots_adjust(bottom=0.3, top=0.85, wspace=0.6)
    fig.savefig(path, dpi=80)


def _draw_scores(ax: Axes, class_names: Sequence[str], scores: np.ndarray,
                 alignment: Optional[QueryAlignment]) -> None:
    best = int(np.argmax(scores))
    colours = ['red' if way == best else 'grey' for way in range(len(scores))]
    ax.barh(range(len(scores)), scores, color=colours)
    ax.set_yticks(range(len(scores)), labels=class_names, fontsize=6)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.tick_params(axis='x', labelsize=6)
    ax.set_title('score per class', fontsize=7)


def _draw_warp(ax: Axes, class_names: Sequence[str], scores: np.ndarray,
               alignment: QueryAlignment) -> None:
    scale, shift = alignment.warp
    t = np.linspace(-1, 1, 2)
    ax.plot(t, t, color='grey', linestyle='--', linewidth=1)
    ax.plot(t, scale * t + shift, color='red')
    ax.set_xlim(-1, 1)
    ax.set_ylim(-1.5, 1.5)
    ax.tick_params(labelsize=6)
    ax.set_xlabel('time t', fontsize=6)
    ax.set_title(f'warp {scale:.2f} t {shift:+.2f}', fontsize=7)


def _draw_attention(ax: Axes, class_names: Sequence[str], scores: np.ndarray,
                    alignment: QueryAlignment) -> None:
    ax.imshow(alignment.attention, cmap='viridis', vmin=0, vmax=1)
    ax.set_xlabel('query frame', fontsize=6)
    ax.set_ylabel(f'{class_names[alignment.way]} frame', fontsize=6)
    ax.tick_params(labelsize=6)
    ax.set_title('temporal attention', fontsize=7)


def _draw_offsets(ax: Axes, class_names: Sequence[str], scores: np.ndarray,
                  alignment: QueryAlignment) -> None:
    frames = np.arange(len(alignment.offsets))
    for column, name in enumerate(('dx', 'dy')):
        ax.plot(frames, alignment.offsets[:, column], marker='.', label=name)
    ax.axhline(0, color='grey', linewidth=0.5)
    ax.legend(fontsize=6)
    ax.tick_params(labelsize=6)
    ax.set_xlabel('query frame', fontsize=6)
    ax.set_title('spatial offset', fontsize=7)

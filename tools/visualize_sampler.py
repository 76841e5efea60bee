"""Draw what a trained task-adaptive sampler keeps and where it zooms.

``python tools/visualize_sampler.py CONFIG CHECKPOINT [--out-dir DIR]
[--num-episodes N] [--split test]`` writes ``episode_<id>.png`` per episode
of the config's test (or val) loader. Each clip takes three rows: its M
dense frames with the T kept ones framed and numbered, the saliency map of
each kept frame over it, and the amplified frame the backbone sees
(:func:`vim_mmaction.visualization.draw_clip`).

With ``--frame-stats`` nothing is drawn: one JSON line says which frames
the sampler keeps over the episodes' clips (:func:`frame_choice_stats`),
e.g. whether it follows the content or a fixed position prior. With
``--action-windows FILE`` (``action_windows.txt`` of
``tools/data/make_synthetic.py``) it also says how many of the kept frames
lie in each clip's action window, next to the segment centres and the
dense frames (:func:`action_window_stats`).
"""
import argparse
import json
import os
import os.path as osp
from typing import (Callable, Dict, List, Mapping, Optional, Sequence,
                    Tuple)

import numpy as np
import torch
from matplotlib.figure import Figure
from mmaction.registry import DATASETS, MODELS, TRANSFORMS
from mmengine.config import Config, DictAction
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint

import vim_mmaction  # noqa: F401  (compatibility fixes, registration)
from vim_mmaction.visualization import (ClipView, clip_columns, clip_rows,
                                        clip_views, draw_clip,
                                        thumbnail_grid)
from vim_mmaction.visualization.figures import THUMB_INCHES


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Draw the frames and zooms a task-adaptive sampler picks')
    parser.add_argument('config', help='config file')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--out-dir', default='work_dirs/sampler_vis', help='PNG folder')
    parser.add_argument(
        '--num-episodes', type=int, default=4, help='episodes to draw')
    parser.add_argument(
        '--split', choices=['test', 'val'], default='test', help='loader')
    parser.add_argument(
        '--frame-stats',
        action='store_true',
        help='print statistics of the kept frames (JSON) instead of drawing')
    parser.add_argument(
        '--action-windows',
        help='with --frame-stats: "video_id total_frames first last" per '
        'line (action_windows.txt of tools/data/make_synthetic.py)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config entries, e.g. '
        'test_dataloader.dataset.dataset.data_root=data/synthetic')
    return parser.parse_args(argv)


def kept_positions(indicators: Sequence[torch.Tensor]) -> torch.Tensor:
    """(clips, T) dense positions of the kept frames over all episodes,
    from per-episode (clips, M, T) one-hot indicators."""
    return torch.cat([indicator.argmax(dim=1) for indicator in indicators])


def frame_choice_stats(indicators: Sequence[torch.Tensor]) -> dict:
    """Where the kept frames lie, over all clips.

    Args:
        indicators: per episode, the sampler's (clips, M, T) one-hot
            indicators (test mode).

    Returns:
        dict: ``clips``; ``keep_rate``, per dense frame the share of clips
        that keep it (M values, summing to T); ``mean_largest_gap``, the
        longest run of dropped frames plus one, counting the clip's ends
        (the segment centres: M / T); ``mean_span``, last kept position
        minus first.
    """
    positions = kept_positions(indicators)
    num_clips, num_dense = positions.shape[0], indicators[0].shape[1]
    keep_rate = torch.zeros(num_dense).index_add_(
        0, positions.flatten(), torch.ones(positions.numel())) / num_clips
    bounded = torch.cat([
        positions.new_full((num_clips, 1), -1), positions,
        positions.new_full((num_clips, 1), num_dense)
    ], dim=1)
    return dict(
        clips=num_clips,
        keep_rate=[round(rate, 3) for rate in keep_rate.tolist()],
        mean_largest_gap=round(
            bounded.diff(dim=1).max(dim=1).values.float().mean().item(), 3),
        mean_span=round(
            (positions[:, -1] - positions[:, 0]).float().mean().item(), 3))


def read_action_windows(path: str) -> Dict[str, Tuple[int, int, int]]:
    """``video_id -> (total_frames, first, last)`` from an
    ``action_windows.txt``; a bad line raises an error that names it."""
    windows = {}
    with open(path) as lines:
        for number, line in enumerate(lines, 1):
            fields = line.split()
            try:
                video, total, first, last = fields
                windows[video] = (int(total), int(first), int(last))
            except ValueError:
                raise ValueError(
                    f'{path}:{number}: expected "video_id total_frames first '
                    f'last", got {line.rstrip()!r}') from None
    return windows


def in_window(frames: np.ndarray, window: Tuple[int, int]) -> np.ndarray:
    """Which of the frame indices lie in [first, last] of the window."""
    first, last = window
    return (frames >= first) & (frames <= last)


def action_window_stats(frame_sets: Mapping[str, Sequence[np.ndarray]],
                        windows: Sequence[Tuple[int, int]]) -> dict:
    """How many of each clip's frames lie in its action window.

    Args:
        frame_sets: name -> per clip, the frame indices of the clip that
            the set holds (e.g. the kept frames, the segment centres).
        windows: per clip, the window's first and last frame (inclusive).

    Returns:
        dict: per name, ``share`` (mean over clips of the share of the set's
        frames in the window) and ``clips_without`` (share of clips none of
        whose frames is in it).
    """
    stats = {}
    for name, clips in frame_sets.items():
        inside = [
            in_window(frames, window).mean()
            for frames, window in zip(clips, windows)
        ]
        stats[name] = dict(
            share=round(float(np.mean(inside)), 3),
            clips_without=round(float(np.mean(np.equal(inside, 0))), 3))
    return stats


def segment_frames(pipeline: Sequence[dict],
                   num_frames: int) -> Callable[[int], np.ndarray]:
    """total_frames -> frame indices of the test pipeline's frame sampler
    with ``num_frames`` segments (test mode)."""
    [sampler_cfg] = [
        step for step in pipeline if step['type'].endswith('SampleFrames')
    ]
    sampler = TRANSFORMS.build(
        dict(sampler_cfg, num_clips=num_frames, test_mode=True))
    return lambda total: sampler(
        dict(total_frames=total, start_index=0))['frame_inds']


def kept_frames_in_windows(indicators: Sequence[torch.Tensor],
                           videos: Sequence[str],
                           windows: Mapping[str, Tuple[int, int, int]],
                           pipeline: Sequence[dict]) -> dict:
    """:func:`action_window_stats` of the kept frames, the T segment centres
    (what uniform frames see) and the M dense frames (the share a choice
    blind to content keeps on average), and ``kept_share_ceiling``: the
    largest share of kept frames in the window that any choice of T of the
    M dense frames reaches, averaged over clips.

    Args:
        indicators: per episode, the sampler's (clips, M, T) indicators.
        videos: the clips' video ids, in the indicators' order.
        windows: :func:`read_action_windows` of the clips' benchmark.
        pipeline: the test pipeline that decoded the M dense frames.
    """
    positions = kept_positions(indicators).numpy()
    num_dense, num_kept = indicators[0].shape[1:]
    dense_frames = segment_frames(pipeline, num_dense)
    centre_frames = segment_frames(pipeline, num_kept)
    totals = [windows[video][0] for video in videos]
    spans = [windows[video][1:] for video in videos]
    dense = [dense_frames(total) for total in totals]
    stats = action_window_stats(
        dict(
            kept=[frames[kept] for frames, kept in zip(dense, positions)],
            segment_centres=[centre_frames(total) for total in totals],
            dense=dense), spans)
    # The most a choice of T of the M dense frames can have in the window.
    dense_inside = [
        in_window(frames, span).sum() for frames, span in zip(dense, spans)
    ]
    stats['kept_share_ceiling'] = round(
        float(np.mean(np.minimum(dense_inside, num_kept) / num_kept)), 3)
    return stats


def clip_title(sample, classes: Sequence[str]) -> str:
    meta = sample.metainfo
    label = meta.get('dataset_label')
    name = classes[label] if label is not None and classes else ''
    return f"{meta['role']} {meta['episode_label']}: {name}"


def draw_episode(path: str, views: Sequence[ClipView], titles: Sequence[str]
                 ) -> None:
    """One figure, the rows of :func:`draw_clip` for each clip."""
    rows_per_clip = clip_rows(views[0])
    num_columns = clip_columns(views[0])
    num_rows = rows_per_clip * len(views)
    fig = Figure(
        figsize=(num_columns * THUMB_INCHES, num_rows * THUMB_INCHES))
    axes = thumbnail_grid(fig, num_rows, num_columns)
    for clip, (view, title) in enumerate(zip(views, titles)):
        draw_clip(axes[clip * rows_per_clip:(clip + 1) * rows_per_clip],
                  view, title)
    fig.tight_layout(pad=0.2)
    fig.savefig(path, dpi=80)


def main(argv: Optional[Sequence[str]] = None) -> List[str]:
    """Draw the episodes (or print their frame statistics); returns the PNG
    paths."""
    args = parse_args(argv)
    if args.action_windows and not args.frame_stats:
        raise ValueError('--action-windows needs --frame-stats')
    cfg = Config.fromfile(args.config)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmaction'))

    model = MODELS.build(cfg.model)
    load_checkpoint(model, args.checkpoint, map_location='cpu')
    model.eval()
    sampler = getattr(model, 'sampler', None)
    if not hasattr(sampler, 'sample'):
        raise ValueError(
            f'{args.config}: model.sampler is {type(sampler).__name__}, '
            'expected a TaskAdaptiveSampler')
    dataset = DATASETS.build(cfg[f'{args.split}_dataloader'].dataset)
    classes = dataset.metainfo.get('classes', ())
    preprocessor = model.data_preprocessor

    if not args.frame_stats:
        os.makedirs(args.out_dir, exist_ok=True)
    paths, indicators, videos = [], [], []
    for index in range(min(args.num_episodes, len(dataset))):
        data = preprocessor(dataset[index], False)
        inputs, samples = data['inputs'], data['data_samples']
        with torch.no_grad():
            output = sampler.sample(inputs, samples)
        if args.frame_stats:
            indicators.append(output.indicator)
            videos += [sample.metainfo['video_id'] for sample in samples]
            continue
        episode_id = samples[0].metainfo.get('episode_id', index)
        path = osp.join(args.out_dir, f'episode_{episode_id:04d}.png')
        draw_episode(path, clip_views(inputs, preprocessor, output),
                     [clip_title(sample, classes) for sample in samples])
        paths.append(path)
        print(f'wrote {path}')
    if args.frame_stats:
        stats = frame_choice_stats(indicators)
        if args.action_windows:
            windows = read_action_windows(args.action_windows)
            missing = sorted(set(videos) - set(windows))
            if missing:
                raise ValueError(
                    f'{args.action_windows} has no line for {len(missing)} '
                    f'of the clips, e.g. {missing[0]!r}')
            stats['in_action_window'] = kept_frames_in_windows(
                indicators, videos, windows,
                cfg[f'{args.split}_dataloader'].dataset.dataset.pipeline)
        print(json.dumps(stats))
    return paths


if __name__ == '__main__':
    main()

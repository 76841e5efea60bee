"""Draw what a trained task-adaptive sampler keeps and where it zooms.

``python tools/visualize_sampler.py CONFIG CHECKPOINT [--out-dir DIR]
[--num-episodes N] [--split test]`` writes ``episode_<id>.png`` per episode
of the config's test (or val) loader. Each clip takes three rows: its M
dense frames with the T kept ones framed and numbered, the saliency map of
each kept frame over it, and the amplified frame the backbone sees.
"""
import argparse
import os
import os.path as osp
from typing import List, Optional, Sequence

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from mmaction.registry import DATASETS, MODELS  # noqa: E402
from mmengine.config import Config, DictAction  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402
from mmengine.runner import load_checkpoint  # noqa: E402

import vim_mmaction  # noqa: E402,F401  (compatibility fixes, registration)

THUMB_INCHES = 0.9


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
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config entries, e.g. '
        'test_dataloader.dataset.dataset.data_root=data/synthetic')
    return parser.parse_args(argv)


def to_images(frames: torch.Tensor, mean: torch.Tensor,
              std: torch.Tensor) -> np.ndarray:
    """(..., C, H, W) normalised frames -> (..., H, W, C) in [0, 1]."""
    return (frames * std + mean).div(255).clamp(0, 1).movedim(-3, -1).numpy()


def clip_title(sample, classes: Sequence[str]) -> str:
    meta = sample.metainfo
    label = meta.get('dataset_label')
    name = classes[label] if label is not None and classes else ''
    return f"{meta['role']} {meta['episode_label']}: {name}"


def draw_episode(path: str, inputs: torch.Tensor, output, samples,
                 classes: Sequence[str], mean: torch.Tensor,
                 std: torch.Tensor) -> None:
    """One figure: three rows per clip (dense frames, saliency, zoom).

    Args:
        path (str): PNG to write.
        inputs: (clips, M, C, H, W) normalised dense frames.
        output: the sampler's :class:`SamplerOutput` for ``inputs``.
        samples: the clips' data samples.
        classes: dataset class names.
        mean, std: (C, 1, 1) normalisation of the data preprocessor.
    """
    num_clips, num_dense = inputs.shape[:2]
    num_kept = output.frames.shape[1]
    dense = to_images(inputs, mean, std)
    zoomed = to_images(output.frames, mean, std)
    kept = output.indicator.argmax(dim=1).tolist()  # (clips, T) positions
    fig, axes = plt.subplots(
        3 * num_clips,
        num_dense,
        figsize=(num_dense * THUMB_INCHES, 3 * num_clips * THUMB_INCHES),
        squeeze=False)
    for ax in axes.flat:
        ax.axis('off')
    for clip in range(num_clips):
        rows = axes[3 * clip:3 * clip + 3]
        rows[0, 0].set_title(
            clip_title(samples[clip], classes), loc='left', fontsize=7)
        slots = {p: j for j, p in enumerate(kept[clip])}
        for m in range(num_dense):
            ax = rows[0, m]
            ax.imshow(dense[clip, m])
            if m in slots:
                ax.axis('on')
                ax.set_xticks([])
                ax.set_yticks([])
                for spine in ax.spines.values():
                    spine.set_edgecolor('red')
                    spine.set_linewidth(2)
                ax.set_xlabel(f'#{slots[m]}', fontsize=6, color='red',
                              labelpad=1)
        for j in range(num_kept):
            frame = dense[clip, kept[clip][j]]
            rows[1, j].imshow(frame)
            if output.saliency is not None:
                saliency = F.interpolate(
                    output.saliency[clip, j][None, None],
                    size=frame.shape[:2],
                    mode='bilinear',
                    align_corners=False)[0, 0]
                rows[1, j].imshow(saliency.numpy(), cmap='jet', alpha=0.5)
            rows[2, j].imshow(zoomed[clip, j])
    fig.tight_layout(pad=0.2)
    fig.savefig(path, dpi=80)
    plt.close(fig)


def main(argv: Optional[Sequence[str]] = None) -> List[str]:
    """Draw the episodes; returns the PNG paths."""
    args = parse_args(argv)
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
    mean = preprocessor.mean.view(-1, 1, 1)
    std = preprocessor.std.view(-1, 1, 1)

    os.makedirs(args.out_dir, exist_ok=True)
    paths = []
    for index in range(min(args.num_episodes, len(dataset))):
        data = preprocessor(dataset[index], False)
        inputs, samples = data['inputs'], data['data_samples']
        with torch.no_grad():
            output = sampler.sample(inputs, samples)
        episode_id = samples[0].metainfo.get('episode_id', index)
        path = osp.join(args.out_dir, f'episode_{episode_id:04d}.png')
        draw_episode(path, inputs, output, samples, classes, mean, std)
        paths.append(path)
        print(f'wrote {path}')
    return paths


if __name__ == '__main__':
    main()

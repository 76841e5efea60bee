"""Multiply-adds of the sampler's scan network against the feature backbone.

Counts the multiply-adds (the "FLOPs" of the ShuffleNet and ResNet papers)
of every ``Conv2d`` and ``Linear`` from forward hooks, on PyTorch's meta
device: no memory is allocated and nothing is computed, so a ResNet-50 over
8 frames of 224 px is counted instantly. Other ops (batch norm, attention
matmuls, grid_sample) are left out; they are small next to the convolutions.

Examples (the default scan, then the offline ImageNet one)::

    python tools/analysis/count_flops.py --dense-frames 16 --frames 8 \\
        --size 224 --scan-size 64
    python tools/analysis/count_flops.py \\
        --scan-net "dict(type='ScanEfficientNetLite0')"
"""
import argparse
import json
from typing import Callable, List, Optional, Sequence

import torch
from torch import nn


def conv_linear_macs(model: nn.Module, run: Callable[[], object]) -> int:
    """Multiply-adds of ``model``'s Conv2d and Linear layers during ``run``.

    Args:
        model: The module whose layers are counted.
        run: Calls the model once.

    Returns:
        Multiply-adds: ``out.numel() * in_channels / groups * kh * kw`` per
        convolution, ``out.numel() * in_features`` per linear layer.
    """
    counts: List[int] = []

    def conv_hook(module: nn.Conv2d, args, out: torch.Tensor) -> None:
        kernel = module.kernel_size[0] * module.kernel_size[1]
        counts.append(out.numel() * module.in_channels // module.groups *
                      kernel)

    def linear_hook(module: nn.Linear, args, out: torch.Tensor) -> None:
        counts.append(out.numel() * module.in_features)

    handles = []
    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            handles.append(module.register_forward_hook(conv_hook))
        elif isinstance(module, nn.Linear):
            handles.append(module.register_forward_hook(linear_hook))
    try:
        run()
    finally:
        for handle in handles:
            handle.remove()
    return sum(counts)


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--dense-frames', type=int, default=16, help='M')
    parser.add_argument('--frames', type=int, default=8, help='T')
    parser.add_argument('--size', type=int, default=224, help='frame side')
    parser.add_argument('--scan-size', type=int, default=64)
    parser.add_argument(
        '--backbone',
        default="dict(type='ResNet', depth=50)",
        help='feature backbone config (a Python dict literal)')
    parser.add_argument(
        '--scan-net',
        default="dict(type='ScanShuffleNetV2', arch='x0_5')",
        help='scan network config (a Python dict literal)')
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Print the counts of one setting as one JSON line."""
    args = parse_args(argv)
    from mmaction.registry import MODELS
    from mmengine.registry import init_default_scope

    import vim_mmaction  # noqa: F401  (registers the scan network)
    init_default_scope('mmaction')

    with torch.device('meta'):
        backbone = MODELS.build(eval(args.backbone))
        scan_net = MODELS.build(eval(args.scan_net))
        frames = torch.empty(args.frames, 3, args.size, args.size)
        scans = torch.empty(args.dense_frames, 3, args.scan_size,
                            args.scan_size)
        backbone_macs = conv_linear_macs(backbone, lambda: backbone(frames))
        scan_macs = conv_linear_macs(scan_net, lambda: scan_net(scans))
    print(
        json.dumps(
            dict(
                backbone=args.backbone,
                scan_net=args.scan_net,
                backbone_gmacs_per_clip=backbone_macs / 1e9,
                scan_gmacs_per_clip=scan_macs / 1e9,
                scan_mmacs_per_frame=scan_macs / args.dense_frames / 1e6,
                scan_over_backbone=scan_macs / backbone_macs)))


if __name__ == '__main__':
    main()

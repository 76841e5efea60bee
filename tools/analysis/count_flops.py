"""Multiply-adds of the sampler's scan network against the feature backbone.

Counted by mmengine's ``FlopAnalyzer`` (``mmengine.analysis``, fvcore's
counter), whose counts of convolutions and linear layers are multiply-adds,
the "FLOPs" of the ShuffleNet and ResNet papers: they equal the
``out.numel() * in_channels / groups * kh * kw`` this tool counted by hand
before (ResNet-50 4.09 G, ScanShuffleNetV2 x0.5 10.9 M, ScanEfficientNetLite0
19.9 M per frame). mmengine also counts batch norm (0.5 % of ResNet-50) and
a few element-wise ops; as in the papers, only the matrix products are
reported. The analyzer traces the model with real tensors, so one frame is
traced and the count multiplied by the frames (every layer here acts on
each frame alone).

Examples (the default scan, then the offline ImageNet one)::

    python tools/analysis/count_flops.py --dense-frames 16 --frames 8 \\
        --size 224 --scan-size 64
    python tools/analysis/count_flops.py \\
        --scan-net "dict(type='ScanEfficientNetLite0')"
"""
import argparse
import json
from typing import Optional, Sequence

import torch
from mmengine.analysis import FlopAnalyzer
from torch import nn

#: mmengine's operator names of the matrix products (multiply-adds).
PRODUCT_OPERATORS = ('conv', 'linear', 'addmm', 'bmm', 'mm', 'matmul',
                     'einsum')


def frame_macs(model: nn.Module, size: int) -> int:
    """Multiply-adds of ``model`` on one RGB frame of ``size`` pixels.

    Args:
        model: A 2D network taking (N, 3, H, W); put in eval mode here.
        size: Frame side.

    Returns:
        The multiply-adds of its matrix products (:data:`PRODUCT_OPERATORS`).
    """
    model.eval()
    analyzer = FlopAnalyzer(model, torch.zeros(1, 3, size, size))
    analyzer.unsupported_ops_warnings(False).uncalled_modules_warnings(False)
    per_operator = analyzer.by_operator()
    return sum(per_operator.get(name, 0) for name in PRODUCT_OPERATORS)


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

    with torch.no_grad():
        backbone_macs = args.frames * frame_macs(
            MODELS.build(eval(args.backbone)), args.size)
        scan_macs = args.dense_frames * frame_macs(
            MODELS.build(eval(args.scan_net)), args.scan_size)
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

import torch

from ..helpers import load_tool

benchmark = load_tool('tools/analysis/benchmark_sampler.py')


def tiny_args(*extra: str):
    return benchmark.parse_args([
        '--size', '32', '--dense-frames', '4', '--frames', '2', '--ways',
        '2', '--reps', '1', '--threads', '1', *extra
    ])


def test_every_variant_is_timed_in_interleaved_rounds():
    times = benchmark.interleaved_times(tiny_args('--reps', '2'))
    assert set(times) == set(benchmark.VARIANTS)
    assert all(len(seconds) == 2 and min(seconds) > 0
               for seconds in times.values())


def test_mi_variants_run_the_backbone_in_their_precision():
    from mmaction.models import ResNet
    steps = benchmark.build(tiny_args())
    passes = []

    def record(module, args, out):
        if isinstance(module, ResNet):
            passes.append((out.dtype, out.requires_grad))

    handle = torch.nn.modules.module.register_module_forward_hook(record)
    try:
        steps['mi']()
        steps['mi-bf16']()
    finally:
        handle.remove()
    assert passes == [(torch.float32, False), (torch.bfloat16, False)]


def test_the_guide_variant_adds_one_backward_through_the_backbone():
    from mmaction.models import ResNet
    steps = benchmark.build(tiny_args())
    backwards = []

    def record(module, args, out):
        if isinstance(module, ResNet):
            out.register_hook(lambda grad: backwards.append(grad.shape))

    handle = torch.nn.modules.module.register_module_forward_hook(record)
    try:
        steps['sampler']()
        unguided = len(backwards)
        steps['sampler-guide']()
    finally:
        handle.remove()
    assert (unguided, len(backwards) - unguided) == (1, 2)

"""Time and peak memory of the task-adaptive sampler next to its backbone.

Variants of one training step over the clips of a 5-way episode:

- ``uniform``: the T segment-centre frames through the backbone, forward
  and backward (the cost of the backbone alone);
- ``sampler``: ``TaskAdaptiveSampler`` (default parts, n = 500 top-k
  samples) choosing and amplifying T of M frames, then the backbone,
  forward and backward;
- ``sampler-guide``: the same step plus ``SamplerGuidanceLoss`` (ProtoNet's
  loss on the same features, its input gradient to the sampler): one more
  backward pass through the backbone;
- ``mi``: the extra pass of the mutual-information term, the backbone over
  all M frames without gradient (``SampledFramesMILoss.all_frame_pass``);
- ``mi-bf16``: the same pass under bfloat16 autocast
  (``all_frames_dtype='bfloat16'``), for float32 training.

Peak memory: each variant runs once in its own process; the peak working
memory above what the model and inputs hold comes from the process's peak
RSS on CPU, from the allocator on CUDA. Time: one process runs the
variants in turn, ``reps`` rounds after a warm-up round, so that a machine
shared with other jobs slows all variants alike; the extra time of each
variant but ``uniform`` is the median over rounds of its time over that
round's ``uniform`` time, minus one.

Prints one JSON line per variant (``peak_mem_mb``, ``fwd_bwd_s``: median
seconds per step) and one with the relative extras.

Example (CPU, reduced size)::

    python tools/analysis/benchmark_sampler.py --size 112 --reps 5
"""
import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from typing import Callable, Dict, List, Optional, Sequence

import torch

VARIANTS = ('uniform', 'sampler', 'sampler-guide', 'mi', 'mi-bf16')


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--size', type=int, default=224, help='frame side')
    parser.add_argument('--dense-frames', type=int, default=16, help='M')
    parser.add_argument('--frames', type=int, default=8, help='T')
    parser.add_argument('--ways', type=int, default=5)
    parser.add_argument('--shots', type=int, default=1)
    parser.add_argument('--queries', type=int, default=1, help='per class')
    parser.add_argument('--reps', type=int, default=5)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--threads', type=int, default=2, help='CPU threads')
    parser.add_argument(
        '--variant',
        choices=VARIANTS,
        help='measure the peak memory of one variant in this process')
    return parser.parse_args(argv)


def resident_mb() -> float:
    """Current resident set size of this process."""
    with open('/proc/self/status') as status:
        for line in status:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) / 1024
    raise RuntimeError('no VmRSS in /proc/self/status')


def build(args: argparse.Namespace) -> Dict[str, Callable[[], None]]:
    """One training step per variant, on shared backbone and inputs."""
    from mmaction.registry import MODELS
    from mmengine.registry import init_default_scope

    import vim_mmaction  # noqa: F401
    from vim_mmaction.models import SampledFramesMILoss, SamplerGuidanceLoss
    from vim_mmaction.utils import make_episode_samples
    init_default_scope('mmaction')
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    device = torch.device(args.device)

    backbone = MODELS.build(dict(type='ResNet', depth=50)).to(device)
    uniform = MODELS.build(
        dict(type='UniformFrameSampler', num_frames=args.frames))
    sampler = MODELS.build(
        dict(type='TaskAdaptiveSampler', num_frames=args.frames)).to(device)
    samples = make_episode_samples(args.ways, args.shots, args.queries)
    inputs = torch.randn(
        len(samples),
        args.dense_frames,
        3,
        args.size,
        args.size,
        device=device)

    def train_step(frame_sampler,
                   guide: Optional[SamplerGuidanceLoss] = None
                   ) -> Callable[[], None]:

        def step() -> None:
            frames = frame_sampler(inputs, samples)
            maps = backbone(frames.flatten(0, 1))
            loss = maps.mean()
            if guide is not None:
                loss = loss + guide(frames, maps.unflatten(
                    0, frames.shape[:2]), samples)
            loss.backward()

        return step

    def mi_step(all_frames_dtype: Optional[str]) -> Callable[[], None]:
        mi_loss = SampledFramesMILoss(all_frames_dtype=all_frames_dtype)

        def step() -> None:
            with mi_loss.all_frame_pass(device):
                backbone(inputs.flatten(0, 1))

        return step

    return {
        'uniform': train_step(uniform),
        'sampler': train_step(sampler),
        'sampler-guide': train_step(sampler, SamplerGuidanceLoss()),
        'mi': mi_step(None),
        'mi-bf16': mi_step('bfloat16')
    }


def synchronise(device: str) -> None:
    if device.startswith('cuda'):
        torch.cuda.synchronize()


def peak_memory(args: argparse.Namespace) -> dict:
    """Peak working memory (MiB) of one step of ``args.variant``."""
    step = build(args)[args.variant]
    if args.device.startswith('cuda'):
        torch.cuda.reset_peak_memory_stats()
        base = torch.cuda.memory_allocated()
        step()
        synchronise(args.device)
        peak = (torch.cuda.max_memory_allocated() - base) / 2**20
    else:  # ru_maxrss is in KiB on Linux
        base = resident_mb()
        step()
        peak = resource.getrusage(
            resource.RUSAGE_SELF).ru_maxrss / 1024 - base
    return dict(variant=args.variant, peak_mem_mb=peak)


def interleaved_times(args: argparse.Namespace) -> Dict[str, List[float]]:
    """Seconds per step of every variant, ``reps`` interleaved rounds."""
    steps = build(args)
    times: Dict[str, List[float]] = {name: [] for name in VARIANTS}
    for round_index in range(args.reps + 1):  # round 0 warms up
        for name in VARIANTS:
            synchronise(args.device)
            start = time.perf_counter()
            steps[name]()
            synchronise(args.device)
            if round_index:
                times[name].append(time.perf_counter() - start)
    return times


def main() -> None:
    args = parse_args()
    if args.variant is not None:
        print(json.dumps(peak_memory(args)))
        return
    memory = {}
    for variant in VARIANTS:
        command = [sys.executable, __file__, '--variant', variant]
        for name, value in vars(args).items():
            if name != 'variant':
                command += [f'--{name.replace("_", "-")}', str(value)]
        output = subprocess.run(
            command, check=True, capture_output=True, text=True).stdout
        memory[variant] = json.loads(
            output.strip().splitlines()[-1])['peak_mem_mb']
    times = interleaved_times(args)
    setting = dict(
        clips=args.ways * (args.shots + args.queries),
        dense_frames=args.dense_frames,
        frames=args.frames,
        size=args.size,
        device=args.device,
        threads=args.threads,
        reps=args.reps)
    for variant in VARIANTS:
        print(
            json.dumps(
                dict(
                    variant=variant,
                    fwd_bwd_s=statistics.median(times[variant]),
                    peak_mem_mb=memory[variant],
                    **setting)))
    extras = {}
    for variant in VARIANTS[1:]:
        extras[f'{variant}_extra_time'] = statistics.median(
            t / u - 1 for t, u in zip(times[variant], times['uniform']))
        extras[f'{variant}_extra_mem'] = (
            memory[variant] / memory['uniform'] - 1)
    print(json.dumps(extras))


if __name__ == '__main__':
    main()

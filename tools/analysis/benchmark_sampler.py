"""Time and peak memory of the task-adaptive sampler next to its backbone.

Three variants of one training step (forward + backward) over the clips of a
5-way episode, each in its own process so that peak memory is its own:

- ``uniform``: the T segment-centre frames through the backbone (the cost
  of the backbone alone);
- ``sampler``: ``TaskAdaptiveSampler`` (default parts, n = 500 top-k
  samples) choosing and amplifying T of M frames, then the backbone;
- ``mi``: the extra pass of the mutual-information term, the backbone over
  all M frames without gradient.

Prints one JSON line per variant (``fwd_bwd_s``: median seconds per step;
``peak_mem_mb``: peak working memory above what the model and inputs hold,
from the process's peak RSS on CPU, from the allocator on CUDA) and one with
the extra time and memory of ``sampler`` and ``mi`` relative to
``uniform``.

Example (CPU, reduced size)::

    python tools/analysis/benchmark_sampler.py --size 112 --reps 3
"""
import argparse
import json
import resource
import statistics
import subprocess
import sys
import time

import torch

VARIANTS = ('uniform', 'sampler', 'mi')


def parse_args() -> argparse.Namespace:
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
        '--variant', choices=VARIANTS, help='run one variant in-process')
    return parser.parse_args()


def episode_samples(ways: int, shots: int, queries: int) -> list:
    """Data samples of one episode, support then queries, way-major."""
    from mmaction.structures import ActionDataSample
    samples = []
    for role, per_way in (('support', shots), ('query', queries)):
        for label in range(ways):
            for _ in range(per_way):
                sample = ActionDataSample()
                sample.set_metainfo(
                    dict(
                        episode_id=0,
                        role=role,
                        episode_label=label,
                        num_ways=ways,
                        num_shots=shots,
                        num_queries=queries))
                samples.append(sample)
    return samples


def resident_mb() -> float:
    """Current resident set size of this process."""
    with open('/proc/self/status') as status:
        for line in status:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) / 1024
    raise RuntimeError('no VmRSS in /proc/self/status')


def run_variant(args: argparse.Namespace) -> dict:
    """Time one variant's training step; measure its peak memory."""
    import vim_mmaction  # noqa: F401
    from mmaction.registry import MODELS
    from mmengine.registry import init_default_scope
    init_default_scope('mmaction')
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    device = torch.device(args.device)

    backbone = MODELS.build(dict(type='ResNet', depth=50)).to(device)
    sampler_cfg = (
        dict(type='TaskAdaptiveSampler', num_frames=args.frames)
        if args.variant == 'sampler' else dict(
            type='UniformFrameSampler', num_frames=args.frames))
    sampler = MODELS.build(sampler_cfg).to(device)
    samples = episode_samples(args.ways, args.shots, args.queries)
    inputs = torch.randn(
        len(samples),
        args.dense_frames,
        3,
        args.size,
        args.size,
        device=device)

    def step() -> None:
        if args.variant == 'mi':
            with torch.no_grad():
                backbone(inputs.flatten(0, 1))
            return
        frames = sampler(inputs, samples)
        backbone(frames.flatten(0, 1)).mean().backward()

    def sync() -> None:
        if device.type == 'cuda':
            torch.cuda.synchronize()

    if device.type == 'cuda':
        torch.cuda.reset_peak_memory_stats()
        base = torch.cuda.memory_allocated()
    else:
        base = resident_mb()
    step()  # warm-up
    times = []
    for _ in range(args.reps):
        sync()
        start = time.perf_counter()
        step()
        sync()
        times.append(time.perf_counter() - start)
    if device.type == 'cuda':
        peak = (torch.cuda.max_memory_allocated() - base) / 2**20
    else:  # ru_maxrss is in KiB on Linux
        peak = resource.getrusage(
            resource.RUSAGE_SELF).ru_maxrss / 1024 - base
    return dict(
        variant=args.variant,
        fwd_bwd_s=statistics.median(times),
        peak_mem_mb=peak,
        clips=len(samples),
        dense_frames=args.dense_frames,
        frames=args.frames,
        size=args.size,
        device=args.device,
        threads=args.threads)


def main() -> None:
    args = parse_args()
    if args.variant is not None:
        print(json.dumps(run_variant(args)))
        return
    results = {}
    for variant in VARIANTS:
        command = [sys.executable, __file__, '--variant', variant]
        for name, value in vars(args).items():
            if name != 'variant':
                command += [f'--{name.replace("_", "-")}', str(value)]
        output = subprocess.run(
            command, check=True, capture_output=True, text=True).stdout
        results[variant] = json.loads(output.strip().splitlines()[-1])
        print(json.dumps(results[variant]), flush=True)
    base = results['uniform']
    print(
        json.dumps({
            f'{variant}_extra_{key}': results[variant][key] / base[key] - 1
            for variant in ('sampler', 'mi')
            for key in ('fwd_bwd_s', 'peak_mem_mb')
        }))


if __name__ == '__main__':
    main()

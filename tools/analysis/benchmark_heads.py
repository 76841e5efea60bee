"""Time and memory of few-shot heads on one episode (forward + backward).

Each measurement runs in a fresh process, so that the peak memory of one
head does not hide another's. Prints one JSON line per head (and per
``--pairwise-impl`` of VIMAlignmentHead), then, when several pairwise
implementations were measured, one line with the speed-up of the
factorised form over the naive one.

Example::

    python tools/analysis/benchmark_heads.py \\
        --heads VIMAlignmentHead OTAMHead TRXHead ProtoHead \\
        --in-channels 2048 --way 5 --shot 1 --query 5 --device cpu

``fwd_bwd_s`` is the wall-clock time; ``fwd_bwd_cpu_s`` the process's CPU
time, which other processes on a shared machine disturb far less (with
``--threads 1`` it is the work done). ``peak_mem_mb``: on CUDA,
``torch.cuda.max_memory_allocated`` above what was allocated before the
first pass; on CPU, the process's peak resident memory (``getrusage``) above
its resident memory before the first pass. Parameters and input features are
allocated before, so neither counts.
"""
import argparse
import inspect
import json
import multiprocessing
import resource
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Dict, Optional, Tuple

VIM_HEAD = 'VIMAlignmentHead'


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        '--heads',
        nargs='+',
        default=[VIM_HEAD, 'OTAMHead', 'TRXHead', 'ProtoHead'],
        help='registered head names')
    parser.add_argument('--in-channels', type=int, default=2048)
    parser.add_argument('--way', type=int, default=5)
    parser.add_argument('--shot', type=int, default=1)
    parser.add_argument(
        '--query', type=int, default=5, help='queries per class')
    parser.add_argument('--frames', type=int, default=8)
    parser.add_argument(
        '--size', type=int, default=7, help='feature map height and width')
    parser.add_argument('--device', default='cpu')
    parser.add_argument(
        '--pairwise-impl',
        nargs='+',
        default=['factorised'],
        choices=['factorised', 'naive'],
        help=f'{VIM_HEAD} implementations to measure')
    parser.add_argument('--warmup', type=int, default=1)
    parser.add_argument('--repeats', type=int, default=5)
    parser.add_argument(
        '--threads', type=int, help='torch CPU threads (default: torch\'s)')
    return parser.parse_args(argv)


def _rss_bytes() -> int:
    """Current resident memory of this process (Linux)."""
    with open('/proc/self/statm') as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize()


def measure(head_name: str, pairwise_impl: Optional[str],
            args: argparse.Namespace) -> Dict:
    """Median forward+backward time and peak memory of one head."""
    import torch
    from mmaction.registry import MODELS
    from mmengine.registry import init_default_scope

    import vim_mmaction  # noqa: F401
    init_default_scope('mmaction')
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    device = torch.device(args.device)

    cfg = dict(type=head_name)
    head_cls = MODELS.get(head_name)
    if 'in_channels' in inspect.signature(head_cls).parameters:
        cfg['in_channels'] = args.in_channels
    if pairwise_impl is not None:
        cfg['spatial_cfg'] = dict(pairwise_impl=pairwise_impl)
    head = MODELS.build(cfg).to(device).train()

    clip_shape = (args.frames, args.in_channels, args.size, args.size)
    support = torch.rand(
        args.way, args.shot, *clip_shape, device=device, requires_grad=True)
    query = torch.rand(
        args.way * args.query, *clip_shape, device=device, requires_grad=True)
    labels = torch.arange(args.way, device=device).repeat_interleave(
        args.query)

    def step() -> Tuple[float, float]:
        head.zero_grad(set_to_none=True)
        support.grad = query.grad = None
        if device.type == 'cuda':
            torch.cuda.synchronize(device)
        start, start_cpu = time.perf_counter(), time.process_time()
        losses, _ = head.episode_loss(support, query, labels)
        sum(value for key, value in losses.items() if 'loss' in key).backward()
        if device.type == 'cuda':
            torch.cuda.synchronize(device)
        return (time.perf_counter() - start, time.process_time() - start_cpu)

    if device.type == 'cuda':
        torch.cuda.reset_peak_memory_stats(device)
        before = torch.cuda.memory_allocated(device)
    else:
        before = _rss_bytes()
    for _ in range(args.warmup):
        step()
    times, cpu_times = zip(*[step() for _ in range(args.repeats)])
    if device.type == 'cuda':
        peak = torch.cuda.max_memory_allocated(device) - before
    else:  # ru_maxrss is in KiB on Linux
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        peak -= before
    result = dict(head=head_name)
    if pairwise_impl is not None:
        result['pairwise_impl'] = pairwise_impl
    result.update(
        fwd_bwd_s=round(statistics.median(times), 4),
        fwd_bwd_cpu_s=round(statistics.median(cpu_times), 4),
        peak_mem_mb=round(max(peak, 0) / 2**20, 1),
        times_s=[round(t, 4) for t in times],
        params=sum(p.numel() for p in head.parameters()),
        in_channels=args.in_channels,
        way=args.way,
        shot=args.shot,
        query=args.query,
        frames=args.frames,
        size=args.size,
        device=str(device),
        threads=torch.get_num_threads(),
        torch=torch.__version__)
    return result


def measure_in_fresh_process(head_name: str, pairwise_impl: Optional[str],
                             args: argparse.Namespace) -> Dict:
    context = multiprocessing.get_context('spawn')
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        return pool.submit(measure, head_name, pairwise_impl, args).result()


def main(argv=None) -> None:
    args = parse_args(argv)
    for head_name in args.heads:
        impls = args.pairwise_impl if head_name == VIM_HEAD else [None]
        results = {}
        for impl in impls:
            results[impl] = measure_in_fresh_process(head_name, impl, args)
            print(json.dumps(results[impl]), flush=True)
        if {'factorised', 'naive'} <= set(results):
            speedup = {
                f'speedup_{key}': round(
                    results['naive'][key] / results['factorised'][key], 2)
                for key in ('fwd_bwd_s', 'fwd_bwd_cpu_s')
            }
            print(json.dumps(dict(head=head_name, shot=args.shot, **speedup)),
                  flush=True)


if __name__ == '__main__':
    sys.exit(main())

"""Test episodes per second with and without the feature cache.

Runs a checkpoint's test set twice on the same episodes, first with the
stock loop (every episode through the backbone), then with the feature cache
(each distinct clip encoded once; see docs/architecture.md, "Feature
cache"), and prints one JSON line per run, then one comparing them:

- per run: ``wall_s`` and ``cpu_s`` of ``runner.test()`` (decoding,
  encoding, scoring, metrics; not the imports and the model build).
  ``cpu_s`` is this process's CPU time plus that of its finished children
  (the data loader's workers): on a machine shared with other jobs it moves
  far less than the wall time.
- the comparison: the speed-ups and whether every episode's accuracy is the
  same (the exit status is 1 if not), with the largest score difference.

Example (the figures in docs/benchmarks.md)::

    python tools/analysis/benchmark_test.py \\
        configs/protonet/protonet_effnet-lite0_1xb1-5way-1shot_synthetic.py \\
        work_dirs/demo/best_episodic_accuracy_epoch_2.pth --episodes 1000
"""
import argparse
import json
import os
import os.path as osp
import pickle
import resource
import shutil
import sys
import tempfile
import time
import uuid
from typing import Dict, List, Optional, Sequence, Tuple


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument(
        '--episodes',
        type=int,
        help='test episodes (default: the config\'s); the first N of its '
        'fixed test episodes')
    parser.add_argument('--device', choices=['cpu', 'cuda'], default='cpu')
    # Parsed by mmengine's DictAction in run_test: importing mmengine here
    # would fix its device before --device cpu can hide the GPUs.
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        default=[],
        help='override config entries (KEY=VALUE), e.g. data roots')
    return parser.parse_args(argv)


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def run_test(args: argparse.Namespace, feature_cache: bool,
             work_dir: str) -> Tuple[Dict, List[dict]]:
    """One test of the checkpoint; returns its JSON record and the
    per-episode records it dumped."""
    import torch
    from mmengine.config import Config, DictAction
    from mmengine.runner import Runner

    from vim_mmaction.utils import check_checkpoint_file

    cfg = Config.fromfile(args.config)
    options = argparse.Namespace(cfg_options={})
    DictAction([], 'cfg_options')(None, options, args.cfg_options)
    cfg.merge_from_dict(options.cfg_options)
    if args.episodes is not None:
        cfg.test_dataloader.dataset.num_episodes = args.episodes
    dump = osp.join(work_dir, f'episodes-{feature_cache}.pkl')
    cfg.test_cfg = dict(type='EpisodicTestLoop', feature_cache=feature_cache)
    cfg.test_evaluator = [
        dict(type='EpisodicAccuracy'),
        dict(type='DumpEpisodeResults', out_file_path=dump)
    ]
    cfg.work_dir = work_dir
    cfg.experiment_name = f'benchmark-test-{uuid.uuid4().hex}'
    cfg.log_level = 'WARNING'
    runner = Runner.from_cfg(cfg)
    check_checkpoint_file(runner.model, args.checkpoint)
    runner.load_checkpoint(args.checkpoint, map_location='cpu', strict=True)
    if args.device == 'cuda':
        torch.cuda.synchronize()
    start, start_cpu = time.perf_counter(), cpu_seconds()
    metrics = runner.test()
    if args.device == 'cuda':
        torch.cuda.synchronize()
    wall, cpu = time.perf_counter() - start, cpu_seconds() - start_cpu
    episodes = metrics['episodic/num_episodes']
    with open(dump, 'rb') as file:
        records = pickle.load(file)
    return dict(
        feature_cache=feature_cache,
        episodes=episodes,
        wall_s=round(wall, 2),
        cpu_s=round(cpu, 2),
        episodes_per_s=round(episodes / wall, 2),
        accuracy=metrics['episodic/accuracy'],
        accuracy_ci95=metrics['episodic/accuracy_ci95'],
        device=args.device,
        torch_threads=torch.get_num_threads()), records


def compare(stock: Dict, cached: Dict, stock_records: List[dict],
            cached_records: List[dict]) -> Dict:
    """Speed-ups and agreement of two runs on the same episodes."""
    same = ([r['episode_id'] for r in stock_records] == [
        r['episode_id'] for r in cached_records
    ] and all(a['accuracy'] == b['accuracy']
              for a, b in zip(stock_records, cached_records)))
    return dict(
        speedup_wall=round(stock['wall_s'] / cached['wall_s'], 1),
        speedup_cpu=round(stock['cpu_s'] / cached['cpu_s'], 1),
        same_episode_accuracies=same,
        max_score_difference=float(
            max(
                abs(a['query_scores'] - b['query_scores']).max()
                for a, b in zip(stock_records, cached_records))))


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    if args.device == 'cpu':  # before torch sees a GPU
        os.environ['CUDA_VISIBLE_DEVICES'] = ''
    from mmengine.registry import init_default_scope

    import vim_mmaction  # noqa: F401
    init_default_scope('mmaction')
    work_dir = tempfile.mkdtemp(prefix='benchmark_test_')
    try:
        stock, stock_records = run_test(args, False, work_dir)
        print(json.dumps(stock), flush=True)
        cached, cached_records = run_test(args, True, work_dir)
        print(json.dumps(cached), flush=True)
    finally:
        shutil.rmtree(work_dir)
    summary = compare(stock, cached, stock_records, cached_records)
    print(json.dumps(summary), flush=True)
    return 0 if summary['same_episode_accuracies'] else 1


if __name__ == '__main__':
    sys.exit(main())

"""Model-only GPU benchmark of VIM on ResNet-50, with inputs in memory.

One JSON line per measurement (printed, and appended to
``OUT_DIR/benchmark_gpu.jsonl`` with ``--out-dir``), all in one process:

- ``environment``: device, versions, sizes, and the weights used: random
  init throughout (ResNet-50 with ``pretrained=None``, the sampler's
  ScanShuffleNetV2 with ``pretrained=False``, so nothing is downloaded; the
  cost does not depend on the weights).
- ``train_step``: a training step (forward, backward, SGD step) of VIM in
  full (``vim``: sampler M -> T, ResNet-50, alignment head, both MI terms),
  of VIM without the sampled-vs-all-frames MI term (``vim_no_mi``), and of
  the bare ResNet-50 on the same ``ways * (shots + queries) * T`` frames
  (``resnet50``); 5-way 5-shot VIM's step (``vim_5shot``): episodes per
  second and peak memory (all allocations, parameters and optimiser state
  included).
- ``train_step`` again with channels-last ResNet-50 weights (and frames,
  for the bare step) and cuDNN's benchmark mode on: ``vim_channels_last``,
  ``resnet50_channels_last`` and their ratio, to tell how much of the bare
  step's distance from the card's speed the layout accounts for.
- ``test``: test episodes per second of VIM in full (no feature cache: its
  sampler is task-adaptive) and of VIM's alignment head on uniform frames
  without and with the feature cache (each distinct clip encoded once,
  episodes scored from the cached maps), with the time 10,000 SSv2-Full
  test episodes (2,857 videos) would take.
- ``head``: each head's test-episode forward from cached features and its
  training forward + backward, at ResNet-50's 2048 x 7 x 7 maps.

Example::

    python tools/analysis/benchmark_gpu.py --out-dir gpu_results
    python tools/analysis/benchmark_gpu.py --dry-run   # tiny, CPU, seconds
"""
import argparse
import json
import os
import os.path as osp
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from typing import Callable, Dict, List, Optional, Sequence, Tuple

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
VIM_CONFIG = osp.join(REPO, 'configs', 'vim',
                      'vim_r50_1xb1-5way-1shot_ssv2-full.py')
ALIGN_CONFIG = osp.join(REPO, 'configs', 'vim',
                        'vim-align_r50_1xb1-5way-1shot_ssv2-full.py')
#: Each head as its ResNet-50 method base configures it.
HEAD_CONFIGS = {
    name: osp.join(REPO, 'configs', '_base_', 'models', base)
    for name, base in (('ProtoHead', 'fewshot_r50.py'),
                       ('OTAMHead', 'otam_r50.py'), ('TRXHead', 'trx_r50.py'),
                       ('VIMAlignmentHead', 'vim-align_r50.py'))
}
#: SSv2-Full's test split and the usual test protocol.
SSV2_TEST_VIDEOS, TEST_EPISODES = 2857, 10000
WEIGHTS = ('random init: ResNet-50 built with pretrained=None, the '
           "sampler's ScanShuffleNetV2 with pretrained=False (no download; "
           'the cost does not depend on the weights)')


@dataclass(frozen=True)
class Sizes:
    """Episode and input sizes of one benchmark run."""

    ways: int = 5
    shots: int = 1
    many_shots: int = 5  # the 5-shot step's shots
    train_queries: int = 5  # per class
    test_queries: int = 1
    dense_frames: int = 16  # M
    frames: int = 8  # T
    size: int = 224
    map_size: int = 7  # ResNet-50's maps at ``size``
    test_videos: int = 500  # distinct clips the cached test encodes
    test_episodes: int = 200  # episodes scored from the cache
    warmup: int = 3
    repeats: int = 10


DRY_RUN = Sizes(
    ways=2,
    many_shots=2,
    train_queries=1,
    dense_frames=4,
    frames=3,
    size=32,
    map_size=1,
    test_videos=6,
    test_episodes=2,
    warmup=0,
    repeats=1)


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--out-dir', help='append JSON lines here')
    parser.add_argument(
        '--dry-run',
        action='store_true',
        help='tiny sizes on the CPU: checks that every measurement runs')
    return parser.parse_args(argv)


class Bench:
    """Device, autocast and timing shared by the measurements."""

    def __init__(self, sizes: Sizes, device: str) -> None:
        import torch
        self.torch = torch
        self.sizes = sizes
        self.device = torch.device(device)

    def autocast(self):
        return self.torch.autocast(
            self.device.type, dtype=self.torch.bfloat16)

    def sync(self) -> None:
        if self.device.type == 'cuda':
            self.torch.cuda.synchronize(self.device)

    def median_seconds(self, step: Callable[[], None]) -> float:
        """Median wall time of ``step`` after the warm-up calls."""
        for _ in range(self.sizes.warmup):
            step()
        times = []
        for _ in range(self.sizes.repeats):
            self.sync()
            start = time.perf_counter()
            step()
            self.sync()
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    def reset_peak(self) -> None:
        if self.device.type == 'cuda':
            self.torch.cuda.reset_peak_memory_stats(self.device)

    def peak_gib(self) -> Optional[float]:
        """Peak allocated memory since :meth:`reset_peak` (None on CPU)."""
        if self.device.type != 'cuda':
            return None
        return round(self.torch.cuda.max_memory_allocated(self.device) / 2**30,
                     2)

    def frames(self, clips: int, frames: int):
        """(clips, frames, 3, size, size) normalised random frames."""
        size = self.sizes.size
        return self.torch.randn(
            clips, frames, 3, size, size, device=self.device)


def model_config(config: str, **sampler):
    """The config's model, random-init, with ``sampler`` overrides."""
    from mmengine.config import Config
    cfg = Config.fromfile(config).model
    cfg.backbone.pretrained = None
    if cfg.get('sampler') is not None:
        cfg.sampler.scan_net.pretrained = False
        cfg.sampler.update(sampler)
    return cfg


def build(bench: Bench, cfg: dict):
    from mmaction.registry import MODELS
    return MODELS.build(cfg).to(bench.device)


def samples(ways: int, shots: int, queries: int) -> list:
    from vim_mmaction.utils import make_episode_samples
    return make_episode_samples(ways, shots, queries)


def train_step(bench: Bench, model, inputs, data_samples) -> Callable:
    """One SGD step (lr 1e-3, momentum 0.9, as the configs) of the model's
    summed losses."""
    optimizer = bench.torch.optim.SGD(
        model.parameters(), lr=1e-3, momentum=0.9)

    def step() -> None:
        with bench.autocast():
            losses = model.loss(inputs, data_samples)
        sum(v for k, v in losses.items() if 'loss' in k).backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    return step


def backbone_step(bench: Bench, backbone, frames) -> Callable:
    """One SGD step of the bare backbone on ``frames`` (N, 3, H, W)."""
    optimizer = bench.torch.optim.SGD(
        backbone.parameters(), lr=1e-3, momentum=0.9)

    def step() -> None:
        with bench.autocast():
            loss = backbone(frames).float().mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    return step


def measure_training(bench: Bench) -> List[Dict]:
    """Training steps of VIM (1-shot, without the MI term, 5-shot) and of
    the bare ResNet-50 on the same frames."""
    s = bench.sizes
    return steps_and_ratio(bench, (('vim', s.shots, True),
                                   ('vim_no_mi', s.shots, False),
                                   ('vim_5shot', s.many_shots, True)))


def measure_channels_last(bench: Bench) -> List[Dict]:
    """The 1-shot VIM step and the bare ResNet-50 step with channels-last
    ResNet-50 weights (frames too, for the bare step; VIM's recognizer
    reshapes its clips into contiguous frames) and cuDNN benchmark on."""
    cudnn = bench.torch.backends.cudnn
    saved, cudnn.benchmark = cudnn.benchmark, True
    try:
        records = steps_and_ratio(
            bench, (('vim', bench.sizes.shots, True), ),
            memory_format=bench.torch.channels_last)
    finally:
        cudnn.benchmark = saved
    for record in records:
        record['name'] += '_channels_last'
        if 'step_s' in record:
            record.update(channels_last=True, cudnn_benchmark=True)
    return records


def steps_and_ratio(bench: Bench,
                    vim_steps: Sequence[Tuple[str, int, bool]],
                    memory_format=None) -> List[Dict]:
    """Times each ``(name, shots, with MI term)`` step of VIM, then the bare
    ResNet-50 on as many frames as the first, and the first's ratio to it;
    with ``memory_format``, ResNet-50's weights (and the bare step's
    frames) take that layout."""
    s = bench.sizes
    model = build(bench, model_config(VIM_CONFIG, num_frames=s.frames))
    model.train()
    if memory_format is not None:
        model.backbone.to(memory_format=memory_format)
    mi_weight = model.mi_loss.loss_weight
    records = []
    for name, shots, with_mi in vim_steps:
        model.mi_loss.loss_weight = mi_weight if with_mi else 0.0
        clips = s.ways * (shots + s.train_queries)
        step = train_step(bench, model,
                          bench.frames(clips, s.dense_frames),
                          samples(s.ways, shots, s.train_queries))
        records.append(timed_step(bench, name, step, clips * s.frames))
        del step  # and the optimiser state it holds
    del model
    backbone = build(bench, model_config(VIM_CONFIG).backbone)
    backbone.train()  # mmaction's ResNet.train returns None
    frames = records[0]['backbone_frames']
    inputs = bench.frames(frames, 1).flatten(0, 1)
    if memory_format is not None:
        backbone.to(memory_format=memory_format)
        inputs = inputs.contiguous(memory_format=memory_format)
    records.append(
        timed_step(bench, 'resnet50', backbone_step(bench, backbone, inputs),
                   frames))
    records.append(
        dict(
            measure='train_step',
            name='vim_over_resnet50',
            step_ratio=round(records[0]['step_s'] / records[-1]['step_s'],
                             2)))
    return records


def timed_step(bench: Bench, name: str, step: Callable,
               backbone_frames: int) -> Dict:
    bench.reset_peak()
    seconds = bench.median_seconds(step)
    return dict(
        measure='train_step',
        name=name,
        step_s=round(seconds, 4),
        episodes_per_s=round(1 / seconds, 2),
        peak_mem_gib=bench.peak_gib(),
        backbone_frames=backbone_frames)


def measure_test(bench: Bench) -> List[Dict]:
    """Test episodes per second: VIM in full without the cache, the
    alignment head on uniform frames without and with it."""
    s = bench.sizes
    clips = s.ways * (s.shots + s.test_queries)
    episode = samples(s.ways, s.shots, s.test_queries)
    records = []
    with bench.torch.no_grad():
        for name, config, frames in (('vim', VIM_CONFIG, s.dense_frames),
                                     ('vim_align', ALIGN_CONFIG, s.frames)):
            model = build(bench, model_config(config,
                                              num_frames=s.frames)).eval()
            records.append(
                measure_uncached_test(bench, name, model,
                                      bench.frames(clips, frames), episode))
        # The last model, the alignment head on uniform frames.
        records.append(measure_cached_test(bench, model, episode))
    return records


def measure_uncached_test(bench: Bench, name: str, model, inputs,
                          episode: list) -> Dict:
    """Test episodes per second with every clip through the backbone."""

    def predict() -> None:
        with bench.autocast():
            model.predict(inputs, episode)

    seconds = bench.median_seconds(predict)
    return dict(
        measure='test',
        name=name,
        feature_cache=False,
        episodes_per_s=round(1 / seconds, 2),
        estimate_10000_episodes_s=round(TEST_EPISODES * seconds, 1))


def measure_cached_test(bench: Bench, model, episode: list) -> Dict:
    """The alignment head's test from a feature cache: encode
    ``test_videos`` clips once, score ``test_episodes`` from their maps."""
    torch, s = bench.torch, bench.sizes
    batch = 4 * len(episode)  # clips per encoding call

    def encode(videos: int) -> list:
        feats = []
        for start in range(0, videos, batch):
            inputs = bench.frames(min(batch, videos - start), s.frames)
            with bench.autocast():
                feats.append(model.extract_feat(inputs, None)[0])
        return feats

    encode(batch)  # warm-up
    bench.sync()
    start = time.perf_counter()
    cache = encode(s.test_videos)
    bench.sync()
    encode_s = time.perf_counter() - start
    rows = torch.cat(cache)  # (videos, T, C, h, w)
    generator = torch.Generator().manual_seed(0)
    picks = [
        torch.randperm(s.test_videos, generator=generator)[:len(episode)]
        for _ in range(s.test_episodes)
    ]

    def score() -> None:
        for pick in picks:
            with bench.autocast():
                model.cls_head.predict(rows[pick.to(bench.device)], episode)

    seconds = bench.median_seconds(score) / s.test_episodes
    clip_s = encode_s / s.test_videos
    return dict(
        measure='test',
        name='vim_align',
        feature_cache=True,
        cache_gib=round(rows.numel() * rows.element_size() / 2**30, 3),
        encode_clips_per_s=round(1 / clip_s, 1),
        score_episodes_per_s=round(1 / seconds, 1),
        estimate_10000_episodes_s=round(
            SSV2_TEST_VIDEOS * clip_s + TEST_EPISODES * seconds, 1))


def measure_heads(bench: Bench) -> List[Dict]:
    """Each head on ResNet-50-sized maps: a test episode's forward from
    cached features, a training episode's forward + backward."""
    from mmengine.config import Config

    from vim_mmaction.engine.loops import FeatureCacheSettings
    torch, s = bench.torch, bench.sizes
    shape = (s.frames, 2048, s.map_size, s.map_size)
    test_clips = s.ways * (s.shots + s.test_queries)
    records = []
    for name, config in HEAD_CONFIGS.items():
        torch.manual_seed(0)
        head = build(bench, Config.fromfile(config).model.cls_head)
        pooled = FeatureCacheSettings().pools_space(head)
        cached = torch.randn(test_clips, *shape, device=bench.device)
        if pooled:  # what the cache keeps for this head
            cached = cached.mean(dim=(-2, -1))
        # Gradients reach the features, as in training (OTAM has no
        # parameters).
        support = torch.randn(
            s.ways, s.shots, *shape, device=bench.device, requires_grad=True)
        query = torch.randn(
            s.ways * s.train_queries,
            *shape,
            device=bench.device,
            requires_grad=True)
        labels = torch.arange(
            s.ways, device=bench.device).repeat_interleave(s.train_queries)

        def test_forward() -> None:
            with torch.no_grad(), bench.autocast():
                head.forward_episode(
                    cached[:s.ways * s.shots].unflatten(0,
                                                        (s.ways, s.shots)),
                    cached[s.ways * s.shots:])

        def train_step() -> None:
            with bench.autocast():
                losses, _ = head.episode_loss(support, query, labels)
            sum(v for k, v in losses.items() if 'loss' in k).backward()

        head.eval()
        test_s = bench.median_seconds(test_forward)
        head.train()
        records.append(
            dict(
                measure='head',
                name=name,
                cached_rows='pooled (T, C)' if pooled else 'maps (T, C, h, w)',
                test_episode_ms=round(1000 * test_s, 3),
                train_fwd_bwd_ms=round(
                    1000 * bench.median_seconds(train_step), 3)))
    return records


def environment(bench: Bench, dry_run: bool) -> Dict:
    from vim_mmaction.utils.environment import environment_info
    return dict(
        measure='environment',
        dry_run=dry_run,
        device=str(bench.device),
        autocast='bf16',
        cudnn_benchmark=bench.torch.backends.cudnn.benchmark,
        weights=WEIGHTS,
        sizes=asdict(bench.sizes),
        **environment_info())


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = parse_args(argv)
    from mmengine.registry import init_default_scope

    import vim_mmaction  # noqa: F401
    init_default_scope('mmaction')
    sizes = DRY_RUN if args.dry_run else Sizes()
    bench = Bench(sizes, 'cpu' if args.dry_run else 'cuda')
    bench.torch.manual_seed(0)
    out = None
    if args.out_dir:
        os.makedirs(args.out_dir, exist_ok=True)
        out = open(osp.join(args.out_dir, 'benchmark_gpu.jsonl'), 'a')
    try:
        for measure in (lambda b: [environment(b, args.dry_run)],
                        measure_training, measure_channels_last,
                        measure_test, measure_heads):
            for record in measure(bench):
                line = json.dumps(record)
                print(line, flush=True)
                if out is not None:
                    out.write(line + '\n')
                    out.flush()
    finally:
        if out is not None:
            out.close()


if __name__ == '__main__':
    sys.exit(main())

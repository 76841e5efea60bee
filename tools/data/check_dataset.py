"""Check that every video of a config's splits loads, before a run does.

Usage::

    python tools/data/check_dataset.py CONFIG [--split train val test]
        [--decode] [--workers 8] [--show-all] [--cfg-options KEY=VALUE ...]

A split is the dataset of the config's ``{split}_dataloader``: an
``EpisodicDataset`` over a ``FewShotVideoDataset`` (or a
``FewShotVideoDataset`` alone). Every line of its split list is checked with
the dataset's own file resolution and the split's own pipeline:

- missing: the line resolves to no video file and no frame folder;
- unreadable: the pipeline fails before its frames are chosen: decord (or
  PyAV) cannot open the container and count its frames, or a frame folder
  has no frames or a gap in its numbering. With ``--decode`` the whole
  pipeline runs, frame sampling in test mode, so the frames a test run reads
  are decoded, resized and packed too (several times slower);
- short: fewer frames than the pipeline samples (the loader then repeats
  frames; reported, not an error).

A table per split gives each class's counts and whether it keeps the
K + Q usable videos (neither missing nor unreadable) that its episodes draw.
The exit status is 1 when a run would fail or silently change the benchmark:
the split cannot be indexed (a malformed list, no video found), a video is
missing while the dataset has ``on_missing='error'``, a video is unreadable,
a class has fewer than K + Q usable videos (1 for a dataset without
episodes), or fewer than N classes are left for N-way episodes; else 0.

Paths in the config are relative to the current directory (run it from the
repository root, as tools/train.py). ``--workers`` processes check the
videos; each opens one video at a time with one decoding thread.
"""
import argparse
import copy
import logging
import os
import sys
from collections import defaultdict
from dataclasses import dataclass
from typing import (Callable, Dict, List, NamedTuple, Optional, Sequence,
                    Tuple, Union)

from mmaction.datasets import BaseActionDataset
from mmaction.datasets.transforms import SampleFrames
from mmaction.registry import DATASETS
from mmengine.config import Config, DictAction
from mmengine.logging import MMLogger
from mmengine.registry import init_default_scope
from mmengine.utils import track_parallel_progress, track_progress

import vim_mmaction  # noqa: F401  (compatibility fixes, registration)
from vim_mmaction.datasets import (EpisodicDataset, FewShotVideoDataset,
                                   ReportShortClips)
from vim_mmaction.datasets.split_list import SplitEntry, read_split_list

SPLITS = ('train', 'val', 'test')
# Problems of each kind printed per split without --show-all.
SHOWN_PER_KIND = 20


def line_info(dataset: FewShotVideoDataset, index: int) -> dict:
    """The data info of clip ``index`` as indexed from its split line, without
    reading its frame folder (``FewShotVideoDataset.get_data_info`` lists
    the folder to find its frames)."""
    return BaseActionDataset.get_data_info(dataset, index)


def index_split_list(dataset: FewShotVideoDataset) -> List[SplitEntry]:
    """Index a dataset built with ``lazy_init=True``, leaving out the lines
    that resolve to no file whatever its ``on_missing``.

    Returns:
        list[SplitEntry]: The lines of the split list without a video file
        or frame folder, in file order.

    Raises:
        FileNotFoundError: no line of the split list has a file.
        ValueError: a malformed split list or two lines naming one file (the
            message names the file and the line).
    """
    on_missing = dataset.on_missing
    logger = MMLogger.get_current_instance()
    level = logger.level
    dataset.on_missing = 'skip'
    # Callers report every missing line themselves: the dataset's warnings
    # would list them all a second time.
    logger.setLevel(logging.ERROR)
    try:
        dataset.full_init()
    finally:
        logger.setLevel(level)
        dataset.on_missing = on_missing
    found = set()
    for index in range(len(dataset)):
        info = line_info(dataset, index)
        found.add((info['class_name'], info['video_id']))
    return [
        entry
        for entry in read_split_list(dataset.ann_file, dataset.backend_args)
        if (entry.class_name, entry.video_id) not in found
    ]


def track(func: Callable,
          tasks: list,
          workers: int,
          initializer: Optional[Callable] = None,
          initargs: tuple = ()) -> list:
    """``func`` of every task, in order, with a progress bar: in ``workers``
    processes, or in this one for ``workers <= 1``."""
    # The bar goes to stderr, so that stdout holds the report alone.
    if workers > 1 and len(tasks) > 1:
        return track_parallel_progress(
            func,
            tasks,
            min(workers, len(tasks)),
            initializer=initializer,
            initargs=initargs,
            file=sys.stderr)
    if initializer is not None:
        initializer(*initargs)
    return track_progress(func, tasks, file=sys.stderr)


class Episodes(NamedTuple):
    """What the episodes of a split draw per class."""
    ways: int
    shots: int
    queries: int


@dataclass
class ClipCheck:
    """What checking one clip found.

    Attributes:
        class_name: The clip's class.
        where: The video file or frame folder and its split line.
        error: Why the clip cannot be loaded; None when it loads.
        total_frames: Frames of the video (None when unreadable).
        sampled: Frames the pipeline samples from it (None when
            unreadable).
    """
    class_name: str
    where: str
    error: Optional[str] = None
    total_frames: Optional[int] = None
    sampled: Optional[int] = None

    @property
    def short(self) -> bool:
        return self.error is None and self.total_frames < self.sampled


@dataclass
class SplitCheck:
    """One split: its dataset, what its episodes need and what was found."""
    name: str
    dataset: Optional[FewShotVideoDataset] = None
    episodes: Optional[Episodes] = None
    error: Optional[str] = None
    missing: Tuple[SplitEntry, ...] = ()
    clips: Tuple[ClipCheck, ...] = ()

    @property
    def needed(self) -> int:
        """Usable videos each class needs: K + Q, or 1 without episodes."""
        return (self.episodes.shots +
                self.episodes.queries if self.episodes else 1)


def describe(error: Exception) -> str:
    """The type and last line of an error (decoders write several)."""
    lines = str(error).strip().splitlines() or ['']
    return f'{type(error).__name__}: {lines[-1][:300]}'


def is_a(type_name: Union[str, type], cls: type) -> bool:
    """Whether a config's ``type`` (a registered name or a class) is
    ``cls`` or a subclass of it."""
    found = DATASETS.get(type_name) if isinstance(type_name,
                                                   str) else type_name
    return isinstance(found, type) and issubclass(found, cls)


def build_split(name: str, dataset_cfg: dict) -> SplitCheck:
    """Build and index the dataset of one split (missing lines left out).

    A split that cannot be built or indexed comes back with ``error`` set.
    """
    episodic = is_a(dataset_cfg['type'], EpisodicDataset)
    inner_cfg = dataset_cfg['dataset'] if episodic else dataset_cfg
    if not is_a(inner_cfg['type'], FewShotVideoDataset):
        return SplitCheck(
            name,
            error=f'{name}_dataloader.dataset: expected an EpisodicDataset '
            'over a FewShotVideoDataset, or a FewShotVideoDataset, got '
            f"{dataset_cfg['type']}" +
            (f" over {inner_cfg['type']}" if episodic else ''))
    try:
        dataset = DATASETS.build(dict(inner_cfg, lazy_init=True))
        episodes = None
        if episodic:
            settings = DATASETS.build(
                dict(dataset_cfg, dataset=dataset, lazy_init=True))
            episodes = Episodes(settings.num_ways, settings.num_shots,
                                settings.num_queries)
        missing = index_split_list(dataset)
    except (FileNotFoundError, ValueError) as error:
        return SplitCheck(name, error=str(error))
    return SplitCheck(name, dataset, episodes, missing=tuple(missing))


def probe_transforms(dataset: FewShotVideoDataset,
                     decode: bool) -> List[Callable]:
    """The split's pipeline up to its frame sampling step, or all of it with
    ``decode``; frame sampling in test mode, without ReportShortClips (the
    check reports short videos itself).

    Raises:
        ValueError: the pipeline has no mmaction2 ``SampleFrames`` step.
    """
    transforms = [
        transform for transform in dataset.pipeline.transforms
        if not isinstance(transform, ReportShortClips)
    ]
    steps = [
        index for index, transform in enumerate(transforms)
        if isinstance(transform, SampleFrames)
    ]
    if not steps:
        raise ValueError(
            f'{dataset.ann_file}: its pipeline has no SampleFrames step, so '
            'the frames it reads are unknown; pipeline: '
            f'{[type(transform).__name__ for transform in transforms]}')
    transforms[steps[0]] = copy.copy(transforms[steps[0]])
    transforms[steps[0]].test_mode = True
    return transforms if decode else transforms[:steps[0] + 1]


# Per process: split name -> (dataset, transforms); set by set_probes.
_PROBES: Dict[str, Tuple[FewShotVideoDataset, List[Callable]]] = {}


def set_probes(probes: Dict[str, Tuple[FewShotVideoDataset,
                                       List[Callable]]]) -> None:
    """Give this process the datasets and transforms of the splits."""
    _PROBES.clear()
    _PROBES.update(probes)


def check_clip(task: Tuple[str, int]) -> ClipCheck:
    """Run clip ``index`` of split ``name`` through its probe transforms."""
    name, index = task
    dataset, transforms = _PROBES[name]
    info = line_info(dataset, index)
    path = info.get('filename', info.get('frame_dir'))
    check = ClipCheck(info['class_name'], f"{path} ({info['split_line']})")
    try:
        results = dataset.get_data_info(index)
        for transform in transforms:
            results = transform(results)
            if results is None:
                raise RuntimeError(f'{transform!r} dropped the clip')
            if isinstance(transform, SampleFrames):
                check.total_frames = results['total_frames']
                check.sampled = len(results['frame_inds'])
    except Exception as error:  # any failure of any decoder or transform
        check.error = describe(error)
        check.total_frames = check.sampled = None
    return check


@dataclass
class ClassRow:
    """The counts of one class in one split."""
    name: str
    listed: int = 0
    missing: int = 0
    unreadable: int = 0
    short: int = 0

    @property
    def usable(self) -> int:
        return self.listed - self.missing - self.unreadable


def class_rows(split: SplitCheck) -> List[ClassRow]:
    """Per-class counts, classes in split-list order."""
    dataset = split.dataset
    entries = read_split_list(dataset.ann_file, dataset.backend_args)
    rows: Dict[str, ClassRow] = {}
    for entry in entries:
        rows.setdefault(entry.class_name, ClassRow(entry.class_name))
        rows[entry.class_name].listed += 1
    for entry in split.missing:
        rows[entry.class_name].missing += 1
    for clip in split.clips:
        rows[clip.class_name].unreadable += clip.error is not None
        rows[clip.class_name].short += clip.short
    return list(rows.values())


def format_table(header: Sequence[str], rows: List[Sequence]) -> List[str]:
    """Rows of text in aligned columns: the first left-aligned, the others
    right-aligned."""
    cells = [[str(cell) for cell in row] for row in [header, *rows]]
    widths = [max(len(row[column]) for row in cells)
              for column in range(len(header))]
    return [
        '  '.join([row[0].ljust(widths[0])] + [
            cell.rjust(width) for cell, width in zip(row[1:], widths[1:])
        ]).rstrip() for row in cells
    ]


def split_failures(split: SplitCheck, rows: List[ClassRow]) -> List[str]:
    """Why a run on this split would fail (empty when it would not)."""
    failures = []
    if split.missing and split.dataset.on_missing == 'error':
        key = 'dataset.dataset' if split.episodes else 'dataset'
        failures.append(
            f"{len(split.missing)} missing video(s) and on_missing='error': "
            'the dataset refuses to build; restore them, or set '
            f"{split.name}_dataloader.{key}.on_missing='skip' to "
            'leave them out')
    unreadable = sum(row.unreadable for row in rows)
    if unreadable:
        failures.append(
            f'{unreadable} unreadable video(s): a run stops at the first '
            'episode that draws one; replace them (download or extract '
            'again), or remove their lines from the split list')
    needed = split.needed
    lacking = [row for row in rows if row.usable < needed]
    if lacking:
        names = ', '.join(f'{row.name!r} ({row.usable})' for row in lacking)
        failures.append(
            f'{len(lacking)} class(es) with fewer than {needed} usable '
            f'video(s): {names}')
    if split.episodes and len(rows) - len(lacking) < split.episodes.ways:
        failures.append(
            f'{split.episodes.ways}-way episodes need {split.episodes.ways} '
            f'classes with {needed} usable videos; '
            f'{len(rows) - len(lacking)} have them')
    return failures


def report(split: SplitCheck, rows: List[ClassRow], failures: List[str],
           show_all: bool) -> List[str]:
    """The summary of one split: table, problems, verdict."""
    needed = split.needed
    episodes = (f'{split.episodes.ways}-way {split.episodes.shots}-shot '
                f'episodes with Q = {split.episodes.queries}: each class '
                f'needs K + Q = {needed} usable videos' if split.episodes else
                'no episodes: each class needs 1 usable video')
    frames = [clip.total_frames for clip in split.clips if clip.error is None]
    lines = [
        f'{split.name}: {split.dataset.ann_file}: {sum(r.listed for r in rows)}'
        f' videos of {len(rows)} classes; {episodes}'
    ]
    if frames:
        lines.append(f'  frames per video: min {min(frames)}, mean '
                     f'{sum(frames) / len(frames):.1f}, max {max(frames)}; '
                     f'{sum(frames)} in all')
    header = ('class', 'videos', 'missing', 'unreadable', 'short', 'usable',
              'verdict')
    lines += [
        '  ' + line for line in format_table(header, [(
            row.name, row.listed, row.missing, row.unreadable, row.short,
            row.usable, 'ok' if row.usable >= needed else f'< {needed}')
                                                    for row in rows])
    ]
    problems = {
        'missing': [
            f"{split.dataset.ann_file}:{entry.line_number}: "
            f"'{entry.class_name}/{entry.video_id}'" for entry in split.missing
        ],
        'unreadable': [
            f'{clip.where}: {clip.error}' for clip in split.clips
            if clip.error is not None
        ],
        'short': [
            f'{clip.where}: {clip.total_frames} frame(s), {clip.sampled} '
            'sampled (frames repeat)' for clip in split.clips if clip.short
        ],
    }
    for kind, found in problems.items():
        shown = found if show_all else found[:SHOWN_PER_KIND]
        lines += [f'  {kind}: {line}' for line in shown]
        if len(shown) < len(found):
            lines.append(f'  ... and {len(found) - len(shown)} more {kind} '
                         '(--show-all lists them all)')
    lines += [f'{split.name}: FAILED: {failure}' for failure in failures]
    if not failures:
        lines.append(f'{split.name}: ok')
    return lines


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description='Check the videos of a config\'s splits: missing, '
        'unreadable, too short, and K + Q usable videos per class')
    parser.add_argument('config', help='config file')
    parser.add_argument(
        '--split',
        nargs='+',
        choices=SPLITS,
        default=list(SPLITS),
        help='splits to check (default: all three)')
    parser.add_argument(
        '--decode',
        action='store_true',
        help='run the whole pipeline (frame sampling in test mode), not '
        'only up to the frame count')
    parser.add_argument(
        '--workers',
        type=int,
        default=min(8, os.cpu_count() or 1),
        help='processes that check videos (default: min(8, CPUs))')
    parser.add_argument(
        '--show-all',
        action='store_true',
        help=f'list every problem, not the first {SHOWN_PER_KIND} of each '
        'kind per split')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config entries, e.g. '
        'train_dataloader.dataset.dataset.data_prefix.video=data/frames')
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Check the splits; returns the exit status (1: a run would fail)."""
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    splits, probes = [], {}
    for name in args.split:
        loader = cfg.get(f'{name}_dataloader')
        if not loader:
            print(f'{name}: the config has no {name}_dataloader; skipped')
            continue
        split = build_split(name, loader['dataset'])
        splits.append(split)
        if split.error is None:
            try:
                probes[name] = (split.dataset,
                                probe_transforms(split.dataset, args.decode))
            except ValueError as error:
                split.error = str(error)
    tasks = [(name, index) for name, (dataset, _) in probes.items()
             for index in range(len(dataset))]
    print(f'checking {len(tasks)} videos of {len(probes)} split(s) '
          f"({'whole pipeline' if args.decode else 'open and count frames'})")
    checks = track(check_clip, tasks, args.workers, set_probes, (probes, ))
    clips = defaultdict(list)
    for (name, _), check in zip(tasks, checks):
        clips[name].append(check)
    failed = False
    for split in splits:
        if split.error is not None:
            print(f'{split.name}: FAILED: {split.error}')
            failed = True
            continue
        split.clips = tuple(clips[split.name])
        rows = class_rows(split)
        failures = split_failures(split, rows)
        print('\n'.join(report(split, rows, failures, args.show_all)))
        failed = failed or bool(failures)
    print('a run would fail (see FAILED above)' if failed else 'all splits ok')
    return int(failed)


if __name__ == '__main__':
    sys.exit(main())

"""Extract the videos of few-shot split lists to folders of JPEG frames.

Usage::

    python tools/data/extract_frames.py VIDEO_ROOT OUT_ROOT --splits LIST...
        [--list-dir DIR] [--short-side 256] [--quality 95] [--workers 8]

Each line ``class/video_id`` of the split lists resolves under VIDEO_ROOT as
``FewShotVideoDataset`` resolves it (``<class>/<video_id>.<ext>`` or
``<video_id>.<ext>``), and its frames go to
``OUT_ROOT/<class>/<video_id>/img_00001.jpg``, ``img_00002.jpg``, ... (from
1, as mmaction2's extractor names them). Frames are decoded with decord,
so frame ``i`` of a folder is the frame ``DecordDecode`` reads as frame
``i - 1`` of the video; they are resized so that their short side is
``--short-side`` pixels (0 keeps the size) and written at ``--quality``.

- Resumable: a video whose folder exists is skipped. A folder appears only
  when complete: frames are written to ``.<video_id>.partial`` beside it,
  which is renamed at the end; a failure or Ctrl-C removes the partial
  folder, and a rerun replaces one that a killed process left.
- The split lists for the frames are written to ``--list-dir`` (default:
  OUT_ROOT) under their input file names, without the lines whose video
  was missing or failed to decode; those are listed in the summary, and the
  exit status is then 1.

Run it again with the same arguments after an interruption. To change the
short side or quality, extract to another OUT_ROOT.
"""
import argparse
import functools
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import cv2
import decord
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from check_dataset import (describe, index_split_list,  # noqa: E402
                           line_info, track)

from vim_mmaction.datasets import FewShotVideoDataset  # noqa: E402
from vim_mmaction.datasets.split_list import SplitEntry  # noqa: E402

FRAME_TMPL = 'img_{:05}.jpg'
# A split line: (class_name, video_id).
Line = Tuple[str, str]


@dataclass(frozen=True)
class Job:
    """One video to extract.

    Attributes:
        video: The video file.
        target: The frame folder to write.
        where: The split line that names the video (``file:line``).
    """
    video: str
    target: str
    where: str


@dataclass
class Outcome:
    """What extracting one video did: ``status`` is ``'extracted'``,
    ``'skipped'`` (its folder was complete) or ``'failed'`` (``error``)."""
    status: str
    frames: int = 0
    bytes: int = 0
    seconds: float = 0.0
    error: str = ''


def resize_short_side(image: np.ndarray, short_side: int) -> np.ndarray:
    """``image`` scaled so that its short side is ``short_side`` pixels
    (unchanged for 0), the long side rounded as mmcv's ``rescale_size``."""
    height, width = image.shape[:2]
    scale = short_side / min(height, width) if short_side else 1.0
    if scale == 1.0:
        return image
    size = (int(width * scale + 0.5), int(height * scale + 0.5))
    # Area averaging when shrinking: bilinear would alias.
    return cv2.resize(
        image,
        size,
        interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)


def write_frame(path: Path, rgb: np.ndarray, short_side: int,
                quality: int) -> int:
    """Write one RGB frame as a JPEG file; returns its size in bytes."""
    bgr = cv2.cvtColor(resize_short_side(rgb, short_side), cv2.COLOR_RGB2BGR)
    encoded, data = cv2.imencode('.jpg', bgr,
                                 [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not encoded:
        raise RuntimeError(f'{path}: OpenCV could not encode the frame')
    path.write_bytes(data.tobytes())
    return data.size


def write_frames(video: str, folder: Path, short_side: int,
                 quality: int) -> Tuple[int, int]:
    """Decode every frame of ``video`` into ``folder``.

    Returns:
        tuple[int, int]: Frames and bytes written.
    """
    if os.path.isdir(video):
        raise IsADirectoryError(f'{video} is a folder, not a video; frames '
                                'are extracted from video files only')
    # One decoding thread: the videos are spread over processes.
    reader = decord.VideoReader(video, num_threads=1)
    num_frames = len(reader)
    if num_frames == 0:
        raise RuntimeError('decord found no frames')
    written = 0
    for index in range(num_frames):
        written += write_frame(folder / FRAME_TMPL.format(index + 1),
                               reader.next().asnumpy(), short_side, quality)
    return num_frames, written


def extract_video(job: Job, short_side: int, quality: int) -> Outcome:
    """Extract one video unless its folder exists; never leaves a partial
    folder behind (unless the process is killed; a rerun replaces it)."""
    target = Path(job.target)
    if target.is_dir():
        return Outcome('skipped')
    partial = target.with_name(f'.{target.name}.partial')
    shutil.rmtree(partial, ignore_errors=True)  # left by a killed run
    partial.mkdir(parents=True)
    started = time.perf_counter()
    try:
        frames, written = write_frames(job.video, partial, short_side,
                                       quality)
        partial.rename(target)
    except Exception as error:  # any decoding or writing failure
        return Outcome('failed', error=describe(error))
    finally:
        # Gone after the rename; after an error or an interrupt (which
        # propagates) this removes the half-written folder.
        shutil.rmtree(partial, ignore_errors=True)
    return Outcome('extracted', frames, written,
                   time.perf_counter() - started)


@dataclass
class SplitList:
    """One input split list: its dataset and its lines without a video."""
    path: Path
    dataset: FewShotVideoDataset
    missing: List[SplitEntry]


def read_lists(video_root: str, lists: Sequence[Path]) -> List[SplitList]:
    """Resolve every line of ``lists`` under ``video_root``."""
    split_lists = []
    for path in lists:
        dataset = FewShotVideoDataset(
            str(path),
            pipeline=[],
            data_prefix=dict(video=video_root),
            lazy_init=True)
        missing = index_split_list(dataset)
        split_lists.append(SplitList(path, dataset, missing))
    return split_lists


def plan_jobs(split_lists: List[SplitList],
              out_root: Path) -> Dict[Line, Job]:
    """One job per frame folder: a line in several lists is one job."""
    jobs: Dict[Line, Job] = {}
    for split_list in split_lists:
        dataset = split_list.dataset
        for index in range(len(dataset)):
            info = line_info(dataset, index)
            line = (info['class_name'], info['video_id'])
            jobs.setdefault(
                line,
                Job(
                    info.get('filename', info.get('frame_dir')),
                    str(out_root.joinpath(*line)), info['split_line']))
    return jobs


def write_lists(split_lists: List[SplitList], list_dir: Path,
                outcomes: Dict[Line, Outcome]) -> List[str]:
    """Write each split list without its missing or failed lines; returns
    a line of summary per list."""
    list_dir.mkdir(parents=True, exist_ok=True)
    summary = []
    for split_list in split_lists:
        dataset = split_list.dataset
        kept = []
        for index in range(len(dataset)):
            info = line_info(dataset, index)
            line = (info['class_name'], info['video_id'])
            if outcomes[line].status != 'failed':
                kept.append('/'.join(line) + '\n')
        out = list_dir / split_list.path.name
        partial = out.with_name(f'.{out.name}.partial')
        partial.write_text(''.join(kept))
        os.replace(partial, out)
        listed = len(dataset) + len(split_list.missing)
        summary.append(f'wrote {out}: {len(kept)} of {listed} lines')
    return summary


def check_list_paths(lists: Sequence[Path], list_dir: Path) -> None:
    """Refuse two lists of the same name, or a list written over itself."""
    names = [path.name for path in lists]
    for path in lists:
        if names.count(path.name) > 1:
            raise ValueError(
                f'--splits: two lists are named {path.name!r}; their frame '
                f'lists would overwrite each other in {list_dir}: extract '
                'them in separate runs with separate --list-dir')
        if (list_dir / path.name).resolve() == path.resolve():
            raise ValueError(
                f'--list-dir {list_dir}: the frame list would overwrite the '
                f'input list {path}; choose another --list-dir')


def summarize(outcomes: List[Outcome], workers: int,
              elapsed: float) -> List[str]:
    """Counts, frames, bytes and speed of a run."""
    counts = {
        status: sum(outcome.status == status for outcome in outcomes)
        for status in ('extracted', 'skipped', 'failed')
    }
    frames = sum(outcome.frames for outcome in outcomes)
    written = sum(outcome.bytes for outcome in outcomes)
    busy = sum(outcome.seconds for outcome in outcomes)
    lines = [
        f"videos: {counts['extracted']} extracted, {counts['skipped']} "
        f"skipped (complete already), {counts['failed']} failed",
        f'frames written: {frames} ({written / 2**20:.1f} MiB'
        f"{f', {written / frames / 1024:.1f} KiB per frame' if frames else ''}"
        f') in {elapsed:.1f} s with {workers} process(es)'
    ]
    if busy:
        lines.append(f'per process: {frames / busy:.0f} frames/s '
                     '(decode, resize, encode, write)')
    return lines


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description='Extract the videos of few-shot split lists to JPEG '
        'frame folders OUT_ROOT/<class>/<video_id>/img_00001.jpg')
    parser.add_argument('video_root', help='folder of the videos')
    parser.add_argument('out_root', type=Path, help='folder of the frames')
    parser.add_argument(
        '--splits',
        nargs='+',
        type=Path,
        required=True,
        help='split lists (class/video_id lines) of the videos to extract')
    parser.add_argument(
        '--list-dir',
        type=Path,
        help='where the split lists of the frames go (default: OUT_ROOT)')
    parser.add_argument(
        '--short-side',
        type=int,
        default=256,
        help='short side of the frames in pixels; 0 keeps the video size '
        '(default: 256)')
    parser.add_argument(
        '--quality',
        type=int,
        default=95,
        help='JPEG quality, 1-100 (default: 95, OpenCV\'s default)')
    parser.add_argument(
        '--workers',
        type=int,
        default=min(8, os.cpu_count() or 1),
        help='processes, one video each at a time (default: min(8, CPUs))')
    args = parser.parse_args(argv)
    if args.short_side < 0:
        parser.error(f'--short-side must be >= 0, got {args.short_side}')
    if not 1 <= args.quality <= 100:
        parser.error(f'--quality must be in 1-100, got {args.quality}')
    return args


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Extract; returns the exit status (1: videos missing or failed)."""
    args = parse_args(argv)
    list_dir = args.list_dir or args.out_root
    check_list_paths(args.splits, list_dir)
    started = time.perf_counter()
    split_lists = read_lists(args.video_root, args.splits)
    jobs = plan_jobs(split_lists, args.out_root)
    print(f'{len(jobs)} videos of {len(split_lists)} split list(s) -> '
          f'{args.out_root} (short side {args.short_side or "kept"}, JPEG '
          f'quality {args.quality})')
    extract = functools.partial(
        extract_video, short_side=args.short_side, quality=args.quality)
    outcomes = dict(
        zip(jobs, track(extract, list(jobs.values()), args.workers)))
    report = summarize(
        list(outcomes.values()), args.workers,
        time.perf_counter() - started)
    for line, outcome in outcomes.items():
        if outcome.status == 'failed':
            job = jobs[line]
            report.append(f'  failed, left out of the lists: {job.video} '
                         f'({job.where}): {outcome.error}')
    missing = [(split_list.dataset.ann_file, entry)
               for split_list in split_lists for entry in split_list.missing]
    if missing:
        report.append(f'missing under {args.video_root}: {len(missing)} '
                     'video(s), left out of the lists')
    report += [
        f"  missing: {ann_file}:{entry.line_number}: "
        f"'{entry.class_name}/{entry.video_id}'"
        for ann_file, entry in missing
    ]
    report += write_lists(split_lists, list_dir, outcomes)
    print('\n'.join(report))
    failed = any(outcome.status == 'failed' for outcome in outcomes.values())
    return int(failed or bool(missing))


if __name__ == '__main__':
    sys.exit(main())

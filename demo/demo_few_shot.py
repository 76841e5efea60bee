"""Few-shot recognition of your own videos, from a few examples per class.

``python demo/demo_few_shot.py CONFIG CHECKPOINT SUPPORT_DIR QUERY...
[--out DIR] [--device cpu]``

``SUPPORT_DIR`` holds one folder per class, named after it, with the same
number of example videos in each (video files, or folders of frames if the
config's test pipeline reads frames); hidden files and other files are
ignored. Every ``QUERY`` video is classified among these classes, with the
config's test pipeline, in one episode. A table goes to standard output:
query, predicted class, score per class. ``--out DIR`` also writes one PNG
per query: the frames the sampler kept and zoomed, the scores and, for
VIM's alignment head, the alignment with the predicted class.
"""
import argparse
import os
import os.path as osp
import sys
from typing import Dict, List, Optional, Sequence

import torch
from mmengine.config import Config, DictAction

from vim_mmaction.apis import (QueryResult, inference_few_shot,
                               init_few_shot_model, load_episode,
                               query_results)
from vim_mmaction.datasets.few_shot_video_dataset import VIDEO_EXTENSIONS


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Classify videos among classes given by a few examples')
    parser.add_argument('config', help='config file')
    parser.add_argument('checkpoint', help='checkpoint of the config')
    parser.add_argument(
        'support_dir', help='one folder per class, its example videos inside')
    parser.add_argument('queries', nargs='+', help='videos to classify')
    parser.add_argument('--out', help='write one PNG per query here')
    parser.add_argument(
        '--device',
        default='cuda:0' if torch.cuda.is_available() else 'cpu',
        help='cuda:N or cpu (default: cuda:0 when there is a GPU)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config entries')
    return parser.parse_args(argv)


def read_support_dir(support_dir: str) -> Dict[str, List[str]]:
    """Class name -> its videos (files with a video extension, and
    folders), one class per sub-folder, classes and videos sorted by name.

    Raises:
        FileNotFoundError: ``support_dir`` is not a folder.
        ValueError: It has no class folder, or a class folder has no
            videos.
    """
    if not osp.isdir(support_dir):
        raise FileNotFoundError(f'support folder {support_dir}: not a folder')
    classes = sorted(
        name for name in os.listdir(support_dir)
        if not name.startswith('.') and osp.isdir(osp.join(support_dir, name)))
    if not classes:
        raise ValueError(
            f'support folder {support_dir} has no class folders: put each '
            'class\'s example videos in a folder named after the class')
    support = {}
    for name in classes:
        folder = osp.join(support_dir, name)
        entries = sorted(
            entry for entry in os.listdir(folder) if not entry.startswith('.'))
        videos = [
            osp.join(folder, entry) for entry in entries
            if osp.isdir(osp.join(folder, entry))
            or osp.splitext(entry)[1].lower() in VIDEO_EXTENSIONS
        ]
        if not videos:
            raise ValueError(
                f'support class folder {folder} has no videos (files ending '
                f'in {", ".join(VIDEO_EXTENSIONS)}, or folders of frames); '
                f'it holds {entries[:5] or "nothing"}')
        support[name] = videos
    return support


def format_table(results: Sequence[QueryResult]) -> str:
    """Query, predicted class and score per class, one line per query."""
    header = ['query', 'predicted', *results[0].scores]
    rows = [[
        result.query, result.pred_class,
        *(f'{score:.3f}' for score in result.scores.values())
    ] for result in results]
    widths = [max(map(len, column)) for column in zip(header, *rows)]
    return '\n'.join('  '.join(
        cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
                     for row in [header, *rows])


def draw_queries(model, support: Dict[str, List[str]], queries: List[str],
                 out_dir: str) -> List[QueryResult]:
    """Classify the queries and write ``NN_<name>.png`` per query."""
    # Imported here: matplotlib is needed for pictures only.
    from vim_mmaction.visualization import (draw_recorded_query,
                                            record_episodes)
    record = record_episodes(model, load_episode(model, support, queries))
    results = query_results(record.outputs, list(support), queries)
    os.makedirs(out_dir, exist_ok=True)
    first_query = len(record.outputs) - len(queries)
    for n, result in enumerate(results):
        name = osp.basename(osp.normpath(result.query))
        png = osp.join(out_dir, f'{n:02d}_{osp.splitext(name)[0]}.png')
        draw_recorded_query(record, first_query + n, png,
                            f'{name}: {result.pred_class}', list(support))
    return results


def main(argv: Optional[Sequence[str]] = None) -> List[QueryResult]:
    """Print the table (and write the PNGs); returns the results."""
    args = parse_args(argv)
    support = read_support_dir(args.support_dir)
    cfg = Config.fromfile(args.config)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    model = init_few_shot_model(cfg, args.checkpoint, args.device)
    if args.out is None:
        results = inference_few_shot(model, support, args.queries)
    else:
        results = draw_queries(model, support, args.queries, args.out)
    print(format_table(results))
    return results


if __name__ == '__main__':
    try:
        main()
    except (FileNotFoundError, ValueError, RuntimeError) as error:
        sys.exit(f'{osp.basename(__file__)}: error: {error}')

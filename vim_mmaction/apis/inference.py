"""Few-shot inference on your own videos: a support set of labelled videos
per class, queries of unknown class, one episode."""
import copy
import os.path as osp
from pathlib import Path
from typing import Dict, List, Mapping, NamedTuple, Optional, Sequence, Union

import torch
from mmaction.registry import DATASETS, MODELS
from mmengine import fileio
from mmengine.config import Config
from mmengine.dataset import BaseDataset
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint
from torch import nn

from ..datasets.episode_collate import episode_collate
from ..datasets.frame_folder import scan_frame_folder
from ..utils.checkpoint_match import check_checkpoint_file
from ..utils.episode import QUERY, SUPPORT

# Pipeline steps that open a video file, and the one that reads frame files.
VIDEO_READERS = ('DecordInit', 'PyAVInit', 'OpenCVInit', 'PIMSInit')
FRAME_READER = 'RawFrameDecode'


class QueryResult(NamedTuple):
    """The prediction for one query.

    Attributes:
        query: The query's path, as given.
        scores: Class name -> score (softmax over the support classes), in
            the order of the support dict.
        pred_class: The class of the highest score.
    """

    query: str
    scores: Dict[str, float]
    pred_class: str


def init_few_shot_model(config: Union[str, Path, Config],
                        checkpoint: Optional[str] = None,
                        device: Union[str, torch.device] = 'cuda:0'
                        ) -> nn.Module:
    """Build a few-shot recognizer from its config and load its weights.

    Args:
        config: Config file or :class:`mmengine.Config` (any config of
            ``configs/``, or your own with an ``EpisodicDataset`` test
            loader).
        checkpoint: A checkpoint of this config's model (e.g. the
            ``best_*.pth`` that ``tools/train.py`` wrote). Defaults to None:
            the weights as built (random layers; no pretrained weights are
            loaded), for trying the plumbing only.
        device: Where the model runs. Defaults to ``'cuda:0'``.

    Returns:
        The model in eval mode, with the config as ``model.cfg``.

    Raises:
        FileNotFoundError: The checkpoint file does not exist.
        vim_mmaction.utils.CheckpointMismatchError: The checkpoint holds
            another model's weights (its keys named).
    """
    if isinstance(config, (str, Path)):
        config = Config.fromfile(str(config))
    elif not isinstance(config, Config):
        raise TypeError('config must be a file name or an mmengine Config, '
                        f'got {type(config).__name__}')
    init_default_scope(config.get('default_scope', 'mmaction'))
    model = MODELS.build(config.model)
    if checkpoint is not None:
        if '://' not in checkpoint and not osp.isfile(checkpoint):
            raise FileNotFoundError(
                f'checkpoint {checkpoint}: no such file. Pass the .pth file '
                'that tools/train.py wrote for this config (in its work '
                'dir), or no checkpoint for untrained weights.')
        # Names a damaged file or another model's weights, key by key.
        check_checkpoint_file(model, checkpoint)
        load_checkpoint(
            model, checkpoint, map_location='cpu', strict=True,
            logger='silent')
    model.cfg = config
    model.to(device)
    model.eval()
    return model


def inference_clip_dataset(cfg: Config) -> BaseDataset:
    """The clip dataset inside the config's test ``EpisodicDataset``, built
    without reading its split list: its pipeline and frame folder settings
    are what testing used.

    Raises:
        ValueError: The test loader is not an ``EpisodicDataset`` of a clip
            dataset.
    """
    episodes = cfg.get('test_dataloader', {}).get('dataset', {})
    if 'dataset' not in episodes:
        raise ValueError(
            'the config has no test_dataloader.dataset.dataset (the clip '
            'dataset inside the EpisodicDataset): inference takes its test '
            'pipeline')
    clips = copy.deepcopy(episodes['dataset'])
    clips['lazy_init'] = True  # the split list may not exist here
    return DATASETS.build(clips)


def load_episode(model: nn.Module, support: Mapping[str, Sequence[str]],
                 queries: Sequence[str]) -> dict:
    """One episode of the given clips, as a collated batch.

    Each clip goes through the test pipeline of ``model.cfg``; the data
    samples carry the episode layout (see docs/architecture.md): support
    clips first, class by class in the order of ``support`` (episode label
    = position), then the queries in the order given, with episode label
    -1 (unknown) and ``num_queries`` the number of queries.

    Args:
        model: From :func:`init_few_shot_model`.
        support: Class name -> its support videos (files, or folders of
            frames). Every class needs the same number of videos (K): the
            episode layout has one K per episode, as every head reads it.
        queries: Videos (files or frame folders) to classify.

    Returns:
        dict: ``inputs`` and ``data_samples``, one per clip, for
        ``model.test_step``.

    Raises:
        ValueError: Fewer than 2 classes, a class without videos, classes
            with different numbers of videos, or no queries.
        FileNotFoundError: A path that does not exist.
        RuntimeError: A clip that fails to load (naming it).
    """
    shots = _check_support(support)
    if not queries:
        raise ValueError('no queries: give at least one video to classify')
    dataset = inference_clip_dataset(model.cfg)
    layout = dict(
        episode_id=0,
        num_ways=len(support),
        num_shots=shots,
        num_queries=len(queries))
    clips = [(path, SUPPORT, label)
             for label, paths in enumerate(support.values())
             for path in paths]
    clips += [(path, QUERY, -1) for path in queries]
    episode = dict(inputs=[], data_samples=[])
    for path, role, label in clips:
        packed = _load_clip(dataset, str(path))
        packed['data_samples'].set_metainfo(
            dict(layout, role=role, episode_label=label))
        episode['inputs'].append(packed['inputs'])
        episode['data_samples'].append(packed['data_samples'])
    return episode_collate([episode])


def _check_support(support: Mapping[str, Sequence[str]]) -> int:
    """K, the videos per class, after checking the support set."""
    if len(support) < 2:
        raise ValueError(
            f'the support set has {len(support)} class(es) '
            f'({", ".join(map(repr, support))}); give at least 2 classes to '
            'tell apart')
    counts = {name: len(paths) for name, paths in support.items()}
    empty = [name for name, count in counts.items() if count == 0]
    if empty:
        raise ValueError(f'support class(es) without videos: {empty}')
    if len(set(counts.values())) > 1:
        listing = ', '.join(f'{name!r}: {count}'
                            for name, count in counts.items())
        raise ValueError(
            f'support classes have different numbers of videos ({listing}); '
            'an episode has one number of shots K for every class, which '
            'all heads rely on: give every class the same number')
    return next(iter(counts.values()))


def _load_clip(dataset: BaseDataset, path: str) -> dict:
    """Run ``dataset``'s pipeline on the video or frame folder ``path``."""
    backend_args = getattr(dataset, 'backend_args', None)
    if not fileio.exists(path, backend_args=backend_args):
        raise FileNotFoundError(f'{path}: no such video or frame folder')
    is_folder = fileio.isdir(path, backend_args=backend_args)
    _check_reader(dataset, path, is_folder)
    info = dict(modality=dataset.modality, start_index=dataset.start_index)
    if is_folder:
        names = fileio.list_dir_or_file(
            path, list_dir=False, backend_args=backend_args)
        info.update(
            frame_dir=path,
            **scan_frame_folder(names, path,
                                getattr(dataset, 'filename_tmpl', None),
                                getattr(dataset, 'frame_start_index',
                                        None))._asdict())
    else:
        info.update(filename=path)
    try:
        return dataset.pipeline(info)
    except Exception as error:
        raise RuntimeError(
            f'failed to load {path}: {type(error).__name__}: {error}. Is it '
            'a video file (or a folder of frames) that plays?') from error


def _check_reader(dataset: BaseDataset, path: str, is_folder: bool) -> None:
    """Refuse a frame folder for a pipeline that decodes videos, and the
    other way round."""
    steps = {type(step).__name__ for step in dataset.pipeline.transforms}
    video_readers = sorted(steps.intersection(VIDEO_READERS))
    reads_frames = FRAME_READER in steps
    if is_folder and video_readers and not reads_frames:
        raise ValueError(
            f'{path} is a folder of frames, but the config\'s test pipeline '
            f'decodes video files ({", ".join(video_readers)}): pass the '
            f'video, or a config whose pipeline has {FRAME_READER}')
    if not is_folder and reads_frames and not video_readers:
        raise ValueError(
            f'{path} is a file, but the config\'s test pipeline reads '
            f'folders of frames ({FRAME_READER}): extract its frames '
            '(tools/data/extract_frames.py), or use a config whose pipeline '
            'decodes videos')


def inference_few_shot(model: nn.Module, support: Mapping[str,
                                                          Sequence[str]],
                       queries: Sequence[str]) -> List[QueryResult]:
    """Classify ``queries`` among the classes of ``support`` (one episode).

    Args:
        model: From :func:`init_few_shot_model`.
        support: Class name -> its support videos (files or frame folders),
            the same number per class.
        queries: Videos (files or frame folders) to classify.

    Returns:
        One :class:`QueryResult` per query, in order.
    """
    batch = load_episode(model, support, queries)
    with torch.no_grad():
        outputs = model.test_step(batch)
    return query_results(outputs, list(support), queries)


def query_results(outputs: Sequence, class_names: Sequence[str],
                  queries: Sequence[str]) -> List[QueryResult]:
    """:class:`QueryResult` of each query of a predicted episode from
    :func:`load_episode` (its queries are its last clips)."""
    results = []
    for query, sample in zip(queries, outputs[-len(queries):]):
        scores = sample.pred_score.tolist()
        best = max(range(len(scores)), key=scores.__getitem__)
        results.append(
            QueryResult(
                str(query), dict(zip(class_names, scores)),
                class_names[best]))
    return results

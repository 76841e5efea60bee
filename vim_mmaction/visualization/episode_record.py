"""Run a few-shot model on a batch of episodes and keep what it did."""
from collections import defaultdict
from contextlib import contextmanager
from typing import Dict, Iterator, List, NamedTuple, Optional

import numpy as np
import torch
from torch import nn

from ..models.heads.temporal_coordination import frame_attention
from ..utils.episode import split_episodes
from .clip_view import ClipView, clip_views
from .figures import QueryAlignment


class EpisodeRecord(NamedTuple):
    """A test forward of a batch of episodes, for drawing.

    Attributes:
        outputs: The data samples of every clip; queries carry
            ``pred_score``.
        views: One :class:`ClipView` per clip, in batch order.
        alignments: Batch position of each query -> its
            :class:`QueryAlignment` with its predicted class (heads with
            VIM's alignment stages only; empty otherwise).
    """

    outputs: list
    views: List[ClipView]
    alignments: Dict[int, QueryAlignment]


def _warp(module: nn.Module, args: tuple) -> torch.Tensor:
    """(clips, 2) warp (a, b) of every clip the transformation got."""
    return module.warp_parameters(args[0])


def _attention(module: nn.Module, args: tuple) -> torch.Tensor:
    """(ways, queries, T, T): ``TemporalCoordination``'s attention, from
    its inputs (pooled prototypes, pooled queries)."""
    support, query = args[:2]
    return frame_attention(
        module.support_proj(support)[:, None],
        module.query_proj(query)[None])


def _offsets(module: nn.Module, args: tuple) -> torch.Tensor:
    """(ways, queries, T, 2) spatial offsets of every pair."""
    return module.offsets(*args)


# Alignment stage of VIMAlignmentHead -> what to record from its inputs.
_STAGES = dict(
    temporal_transform=_warp,
    temporal_coordination=_attention,
    spatial_coordination=_offsets)


@contextmanager
def _record_alignment(head: nn.Module,
                      captured: Dict[str, list]) -> Iterator[None]:
    """While inside, each call of an alignment stage of ``head`` appends
    what :data:`_STAGES` computes from its inputs to ``captured[stage]``
    (one entry per episode). Heads without these stages record nothing."""
    handles = []
    for name, compute in _STAGES.items():
        module = getattr(head, name, None)
        if isinstance(module, nn.Module):

            def hook(module, args, output, name=name, compute=compute):
                captured[name].append(compute(module, args).cpu())

            handles.append(module.register_forward_hook(hook))
    try:
        yield
    finally:
        for handle in handles:
            handle.remove()


def record_episodes(model: nn.Module, data_batch: dict) -> EpisodeRecord:
    """Test forward of ``model`` on a collated batch, recording the frames
    the sampler kept and zoomed and, for VIM's alignment head, how each
    query was aligned with its predicted class.

    The forward is the one of ``model.test_step`` (eval mode, no gradient);
    a :class:`TaskAdaptiveSampler` runs once more through its ``sample``
    method, which returns what decided the frames (deterministic at test
    time, so the same frames).

    Args:
        model: A :class:`FewShotRecognizer` (unwrapped), in eval mode.
        data_batch: ``dict(inputs=[...], data_samples=[...])`` as
            ``episode_collate`` returns it.
    """
    data = model.data_preprocessor(data_batch, False)
    inputs, samples = data['inputs'], data['data_samples']
    captured: Dict[str, list] = defaultdict(list)
    sampler = getattr(model, 'sampler', None)
    with torch.no_grad(), _record_alignment(model.cls_head, captured):
        outputs = model(**data, mode='predict')
        sampler_output = (
            sampler.sample(inputs, samples)
            if hasattr(sampler, 'sample') else None)
    views = clip_views(inputs, model.data_preprocessor, sampler_output)
    return EpisodeRecord(outputs, views, _alignments(outputs, captured))


def _alignments(outputs: list,
                captured: Dict[str, list]) -> Dict[int, QueryAlignment]:
    """Per query position, the recorded alignment with its predicted
    class."""
    if not captured:
        return {}
    alignments = {}
    for episode, layout in enumerate(split_episodes(outputs)):
        num_support = layout.support_index.numel()
        for i, position in enumerate(layout.query_index.tolist()):
            way = int(outputs[position].pred_score.argmax())
            alignments[position] = QueryAlignment(
                way=way,
                warp=_part(captured, 'temporal_transform', episode,
                           (num_support + i, )),
                attention=_part(captured, 'temporal_coordination', episode,
                                (way, i)),
                offsets=_part(captured, 'spatial_coordination', episode,
                              (way, i)))
    return alignments


def _part(captured: Dict[str, list], stage: str, episode: int,
          index: tuple) -> Optional[np.ndarray]:
    """``captured[stage][episode][index]``, or None if the stage never
    ran."""
    records = captured.get(stage)
    return records[episode][index].numpy() if records else None

"""Few-shot accuracy over episodes, with its 95 % confidence interval."""
import math
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
from mmaction.registry import METRICS
from mmengine.evaluator import BaseMetric

from ..utils.episode import split_episodes


def episode_results(data_samples: Sequence[dict]) -> List[dict]:
    """Per-episode query predictions of a batch of clip outputs.

    Args:
        data_samples: the model's outputs in dict form (one per clip, queries
            with ``pred_score``), as mmengine's evaluator passes them.

    Returns:
        One dict per episode: ``episode_id``, ``classes`` (ways,) dataset
        labels in episode-label order, ``query_labels`` (queries,),
        ``query_scores`` (queries, ways) and ``accuracy`` (fraction).
    """
    results = []
    for layout in split_episodes(data_samples):
        queries = [data_samples[i] for i in layout.query_index.tolist()]
        scores = torch.stack([q['pred_score'].cpu() for q in queries])
        labels = layout.query_labels
        first_shots = layout.support_index[:, 0].tolist()
        supports = [data_samples[i] for i in first_shots]
        results.append(
            dict(
                episode_id=layout.episode_id,
                classes=np.array([s['dataset_label'] for s in supports]),
                query_labels=labels.numpy(),
                query_scores=scores.numpy(),
                accuracy=(scores.argmax(1) == labels).float().mean().item()))
    return results


def mean_and_ci95(values: np.ndarray) -> tuple:
    """Mean and 95 % CI half-width ``1.96 * std / sqrt(n)`` (std, ddof 0)."""
    return float(values.mean()), float(1.96 * values.std() /
                                       math.sqrt(len(values)))


@METRICS.register_module()
class EpisodicAccuracy(BaseMetric):
    """Mean query accuracy over episodes and its 95 % CI half-width.

    Records exactly one result per episode (mmengine truncates results to the
    dataset length, which counts episodes), so padded duplicates of a
    multi-process run drop out and the figure does not depend on the number
    of processes.

    Args:
        collect_device (str): ``'cpu'`` or ``'gpu'``. Defaults to ``'cpu'``.
        prefix (str, optional): Defaults to ``'episodic'``.

    Metrics (in percent): ``accuracy``, ``accuracy_ci95``; and
    ``num_episodes``.
    """

    default_prefix = 'episodic'

    def __init__(self,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        for result in episode_results(data_samples):
            self.results.append(
                dict(
                    episode_id=result['episode_id'],
                    accuracy=result['accuracy']))

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        accuracy, ci95 = mean_and_ci95(
            100 * np.array([r['accuracy'] for r in results]))
        return dict(
            accuracy=accuracy, accuracy_ci95=ci95, num_episodes=len(results))

"""Dump every episode's query predictions to a pickle file."""
from typing import Sequence

from mmaction.registry import METRICS
from mmengine.evaluator import DumpResults

from .episodic_accuracy import episode_results


@METRICS.register_module()
class DumpEpisodeResults(DumpResults):
    """Writes one record per episode (see :func:`episode_results`).

    mmengine's ``DumpResults`` records one result per data sample, but an
    episodic dataset has one item per episode of many clips, and results are
    truncated to the dataset length; this metric keeps them aligned.

    Args:
        out_file_path (str): Path of the ``.pkl`` file.
        collect_device (str): ``'cpu'`` or ``'gpu'``. Defaults to ``'cpu'``.
    """

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        self.results.extend(episode_results(data_samples))

"""An evaluator that reports the metrics before it writes any dump."""
from typing import Callable

from mmengine.evaluator import DumpResults, Evaluator


class ReportFirstEvaluator(Evaluator):
    """mmengine's :class:`Evaluator` over the metrics of ``evaluator``, with
    the dump metrics (:class:`DumpResults` and subclasses) evaluated last,
    after ``report`` has been given the other metrics' results.

    mmengine evaluates the metrics in order and returns their results only
    when all are done, so a dump that cannot be written (full disk) would
    take the accuracy of a whole test run with it.

    Args:
        evaluator (Evaluator): The evaluator to take the metrics (and the
            dataset meta) from.
        report (Callable[[dict], None]): Called on every process with the
            results of the metrics that are not dumps, before any dump.
    """

    def __init__(self, evaluator: Evaluator,
                 report: Callable[[dict], None]) -> None:
        super().__init__(list(evaluator.metrics))
        if evaluator.dataset_meta is not None:
            self.dataset_meta = evaluator.dataset_meta
        self.report = report

    def evaluate(self, size: int) -> dict:
        """The results of the metrics that are not dumps; reported before
        the dumps are written."""
        metrics = self.metrics
        dumps = [m for m in metrics if isinstance(m, DumpResults)]
        try:
            self.metrics = [m for m in metrics if m not in dumps]
            results = super().evaluate(size)
            self.report(results)
            if dumps:
                self.metrics = dumps
                super().evaluate(size)
        finally:
            self.metrics = metrics
        return results

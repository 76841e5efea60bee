"""Val and test loops that encode each distinct clip once, where exact."""
from typing import Dict, List, Union

import torch
from mmaction.registry import LOOPS
from mmengine.logging import MMLogger
from mmengine.model import is_model_wrapper
from mmengine.runner import TestLoop, ValLoop
from mmengine.runner.amp import autocast
from torch.utils.data import DataLoader

from .clip_feature_cache import ClipFeatureCache
from .feature_cache_policy import FeatureCacheSettings, cache_refusal


class FeatureCacheLoopMixin:
    """``run()`` of a val/test loop scoring episodes from a feature cache.

    Where :func:`cache_refusal` finds the cache exact, the loop encodes the
    distinct clips of all episodes once (:class:`ClipFeatureCache`, through
    the loader's workers), then walks the loader's batches of episode
    indices, building each batch from the cache and scoring it with the
    head's ``predict``. Hooks, evaluator and metrics see what the stock loop
    gives them: the same batches (their ``inputs`` are cached features, not
    frames), outputs with the same ``pred_score`` up to float rounding. Else
    it logs why and runs the stock loop.

    Subclasses set ``stage`` (``'val'`` or ``'test'``: hook names).

    Args:
        runner, dataloader, evaluator, fp16: as the stock loop's.
        feature_cache (bool | dict): False for the stock loop, or the
            settings of :class:`FeatureCacheSettings`. Defaults to True.
    """

    stage: str

    def __init__(self,
                 runner,
                 dataloader: Union[DataLoader, dict],
                 evaluator: Union[dict, list],
                 fp16: bool = False,
                 feature_cache: Union[bool, dict] = True) -> None:
        super().__init__(runner, dataloader, evaluator, fp16=fp16)
        self.feature_cache = FeatureCacheSettings.parse(feature_cache)

    def run(self) -> Dict[str, float]:
        """Launch the loop, cached where exact."""
        model = self.runner.model
        model = model.module if is_model_wrapper(model) else model
        reason = ('switched off (feature_cache=False)'
                  if not self.feature_cache.enabled else cache_refusal(
                      model, self.dataloader))
        if reason is not None:
            MMLogger.get_current_instance().info(
                f'feature cache: not used: {reason}')
            return super().run()
        return self._run_cached(model)

    def _run_cached(self, model: torch.nn.Module) -> Dict[str, float]:
        runner, stage = self.runner, self.stage
        runner.call_hook(f'before_{stage}')
        runner.call_hook(f'before_{stage}_epoch')
        runner.model.eval()
        loader: DataLoader = self.dataloader
        dataset = loader.dataset
        clips_per_episode = dataset.num_ways * (
            dataset.num_shots + dataset.num_queries)
        cache = ClipFeatureCache.build(
            model,
            dataset,
            self.feature_cache,
            batch_size=self.feature_cache.batch_size
            or loader.batch_size * clips_per_episode,
            num_workers=loader.num_workers,
            fp16=self.fp16,
            work_dir=runner.work_dir,
            name=stage)
        try:
            for index, episodes in enumerate(loader.batch_sampler):
                data_batch = cache.episode_batch(episodes)
                runner.call_hook(
                    f'before_{stage}_iter',
                    batch_idx=index,
                    data_batch=data_batch)
                with torch.no_grad(), autocast(enabled=self.fp16):
                    outputs: List = cache.predict(model, data_batch)
                self.evaluator.process(
                    data_samples=outputs, data_batch=data_batch)
                runner.call_hook(
                    f'after_{stage}_iter',
                    batch_idx=index,
                    data_batch=data_batch,
                    outputs=outputs)
        finally:
            cache.close()
        metrics = self.evaluator.evaluate(len(dataset))
        runner.call_hook(f'after_{stage}_epoch', metrics=metrics)
        runner.call_hook(f'after_{stage}')
        return metrics


@LOOPS.register_module()
class EpisodicValLoop(FeatureCacheLoopMixin, ValLoop):
    """mmengine's ``ValLoop`` with a feature cache where it is exact (see
    :class:`FeatureCacheLoopMixin` for the arguments)."""

    stage = 'val'


@LOOPS.register_module()
class EpisodicTestLoop(FeatureCacheLoopMixin, TestLoop):
    """mmengine's ``TestLoop`` with a feature cache where it is exact (see
    :class:`FeatureCacheLoopMixin` for the arguments)."""

    stage = 'test'

"""Recognizer for episodes: [video sampler] -> 2D backbone -> few-shot head."""
from typing import Dict, Optional, Sequence, Tuple

import torch
from mmaction.models.recognizers import BaseRecognizer
from mmaction.registry import MODELS
from mmaction.utils import ConfigType, OptConfigType


@MODELS.register_module()
class FewShotRecognizer(BaseRecognizer):
    """Few-shot recognizer over the clips of one or more episodes.

    All clips of the batch (support and query, every episode) go through the
    backbone in one call; the head splits them into episodes with the layout
    in the data samples' metainfo.

    Args:
        backbone (dict): Any mmaction2 2D backbone (or ``torchvision.`` /
            ``timm.`` / ``mmpretrain.`` one, as in mmaction2).
        cls_head (dict): A few-shot head, e.g. ``ProtoHead``.
        sampler (dict, optional): A video sampler mapping each clip's M
            frames to T frames before the backbone, e.g.
            ``UniformFrameSampler`` or ``TaskAdaptiveSampler``. Defaults to
            None (frames used as given).
        mi_loss (dict, optional): A loss comparing each episode's query
            logits from the sampled frames with those from all M frames,
            e.g. ``SampledFramesMILoss``; needs a sampler and a head that
            accepts M frames. The all-frame pass runs in training only, at
            the steps the loss allows (``due()``: positive weight, its
            interval) and in its context (``all_frame_pass``: no gradient
            unless the loss needs it, its autocast). Defaults to None.
        sampler_guide (dict, optional): A loss on the sampled frames'
            features whose gradient reaches the sampler only, e.g.
            ``SamplerGuidanceLoss``; needs a trainable sampler. Defaults to
            None.
        data_preprocessor (dict, optional): Defaults to
            ``ActionDataPreprocessor``.
        train_cfg (dict, optional): Unused, kept for mmaction2 configs.
        test_cfg (dict, optional): Unused, kept for mmaction2 configs.

    Inputs:
        inputs: (clips, M, C, H, W) frames of every clip of the batch
            (``FormatShape('NCHW')`` with ``clip_len=1``).

    Sampler contract: ``sampler(inputs, data_samples)`` maps (clips, M, C,
    H, W) to (clips, T, C, H, W); ``data_samples`` (one per clip, with the
    episode metainfo) may be None (``mode='tensor'``). Loss terms that need
    the backbone and head (the mutual-information term) are computed here,
    from ``mi_loss``.
    """

    def __init__(self,
                 backbone: ConfigType,
                 cls_head: ConfigType,
                 sampler: OptConfigType = None,
                 mi_loss: OptConfigType = None,
                 sampler_guide: OptConfigType = None,
                 data_preprocessor: OptConfigType = None,
                 train_cfg: OptConfigType = None,
                 test_cfg: OptConfigType = None) -> None:
        super().__init__(
            backbone=backbone,
            cls_head=cls_head,
            train_cfg=train_cfg,
            test_cfg=test_cfg,
            data_preprocessor=data_preprocessor)
        self.sampler = MODELS.build(sampler) if sampler is not None else None
        self.mi_loss = MODELS.build(mi_loss) if mi_loss is not None else None
        if self.mi_loss is not None and self.sampler is None:
            raise ValueError('mi_loss compares the sampled frames with all '
                             'frames: it needs a sampler')
        self.sampler_guide = (
            MODELS.build(sampler_guide) if sampler_guide is not None else None)
        if self.sampler_guide is not None and self.sampler is None:
            raise ValueError('sampler_guide trains the sampler: it needs a '
                             'sampler')

    def extract_feat(self,
                     inputs: torch.Tensor,
                     data_samples: Optional[Sequence] = None,
                     stage: str = 'backbone',
                     test_mode: bool = False) -> Tuple[torch.Tensor, Dict]:
        """Frame features of every clip.

        Args:
            inputs: (clips, M, C, H, W) frames.
            data_samples: one per clip; needed by task-adaptive samplers.
            stage (str): Only ``'backbone'``: there is no neck.
            test_mode (bool): Unused; samplers follow ``self.training``.

        Returns:
            (clips, T, C', h, w) features (or (clips, T, C') for backbones
            that pool), and an empty dict of extra head arguments.
        """
        if stage != 'backbone':
            raise ValueError(
                f"FewShotRecognizer has no stage {stage!r}, only 'backbone'")
        return self._frame_features(self._sample(inputs, data_samples)), dict()

    def _sample(self, inputs: torch.Tensor,
                data_samples: Optional[Sequence]) -> torch.Tensor:
        """(clips, M, C, H, W) -> (clips, T, C, H, W) by the sampler, if
        any."""
        if self.sampler is None:
            return inputs
        return self.sampler(inputs, data_samples)

    def _frame_features(self, frames: torch.Tensor) -> torch.Tensor:
        """One backbone call: (clips, T, C, H, W) -> (clips, T, C', ...)."""
        num_clips, num_frames = frames.shape[:2]
        feats = self.backbone(frames.flatten(0, 1))
        if isinstance(feats, (tuple, list)):
            feats = feats[-1]
        return feats.unflatten(0, (num_clips, num_frames))

    def loss(self, inputs: torch.Tensor, data_samples: Sequence,
             **kwargs) -> Dict[str, torch.Tensor]:
        """Losses of the episodes in the batch (plus ``loss_sampler_mi``
        at the steps ``mi_loss`` is due, ``loss_sampler_guide`` with a
        ``sampler_guide``, and the sampler's ``log_vars``)."""
        frames = self._sample(inputs, data_samples)
        feats = self._frame_features(frames)
        if self.mi_loss is None or not self.mi_loss.due():
            losses = self.cls_head.loss(feats, data_samples)
        else:
            losses, logits = self.cls_head.loss_and_logits(
                feats, data_samples)
            losses['loss_sampler_mi'] = self._sampler_mi_loss(
                inputs, logits, data_samples)
        if self.sampler_guide is not None:
            losses['loss_sampler_guide'] = self.sampler_guide(
                frames, feats, data_samples)
        if hasattr(self.sampler, 'log_vars'):
            # Logged only: keys without 'loss' are not summed into the loss.
            losses.update(self.sampler.log_vars())
        return losses

    def _sampler_mi_loss(self, inputs: torch.Tensor,
                         sampled_logits: Sequence[torch.Tensor],
                         data_samples: Sequence) -> torch.Tensor:
        """``mi_loss`` of every episode's queries, averaged over episodes.

        Args:
            inputs: (clips, M, C, H, W) all dense frames.
            sampled_logits: per episode, the (queries, ways) logits from the
                sampled frames (those of the head's training forward).
        """
        with self.mi_loss.all_frame_pass(inputs.device):
            all_feats = self._frame_features(inputs)
            all_logits = [
                self.cls_head.forward_episode(support, query)
                for _, support, query in self.cls_head.split_features(
                    all_feats, data_samples)
            ]
        return torch.stack([
            self.mi_loss(logits, target)
            for logits, target in zip(sampled_logits, all_logits)
        ]).mean()

    def predict(self, inputs: torch.Tensor, data_samples: Sequence,
                **kwargs) -> Sequence:
        """Data samples of every clip; queries get ``pred_score``."""
        feats, _ = self.extract_feat(inputs, data_samples, test_mode=True)
        return self.cls_head.predict(feats, data_samples)

    def _forward(self, inputs: torch.Tensor, stage: str = 'backbone',
                 **kwargs) -> torch.Tensor:
        """Frame features without a head (``mode='tensor'``)."""
        feats, _ = self.extract_feat(inputs, stage=stage)
        return feats

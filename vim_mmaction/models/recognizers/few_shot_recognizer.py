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
            ``UniformFrameSampler``. Defaults to None (frames used as given).
        data_preprocessor (dict, optional): Defaults to
            ``ActionDataPreprocessor``.
        train_cfg (dict, optional): Unused, kept for mmaction2 configs.
        test_cfg (dict, optional): Unused, kept for mmaction2 configs.

    Inputs:
        inputs: (clips, M, C, H, W) frames of every clip of the batch
            (``FormatShape('NCHW')`` with ``clip_len=1``).
    """

    def __init__(self,
                 backbone: ConfigType,
                 cls_head: ConfigType,
                 sampler: OptConfigType = None,
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
        if self.sampler is not None:
            inputs = self.sampler(inputs, data_samples)
        num_clips, num_frames = inputs.shape[:2]
        feats = self.backbone(inputs.flatten(0, 1))
        if isinstance(feats, (tuple, list)):
            feats = feats[-1]
        return feats.unflatten(0, (num_clips, num_frames)), dict()

    def loss(self, inputs: torch.Tensor, data_samples: Sequence,
             **kwargs) -> Dict[str, torch.Tensor]:
        """Losses of the episodes in the batch."""
        feats, _ = self.extract_feat(inputs, data_samples)
        return self.cls_head.loss(feats, data_samples)

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


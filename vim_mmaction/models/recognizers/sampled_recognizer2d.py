"""mmaction2's Recognizer2D with a video sampler in front of the backbone."""
from typing import Dict, Optional, Sequence

import torch
from mmaction.models.recognizers import Recognizer2D
from mmaction.registry import MODELS
from mmaction.utils import ConfigType, OptConfigType
from mmengine.model import merge_dict


@MODELS.register_module()
class SampledRecognizer2D(Recognizer2D):
    """Supervised 2D recognizer whose frames are chosen by a video sampler.

    The sampler (e.g. ``TaskAdaptiveSampler``) maps each clip's M dense
    frames to T frames; everything after it is mmaction2's
    :class:`Recognizer2D` (backbone, optional neck, head, ``num_segs`` = T).
    Clips carry no episode here, so a task-adaptive sampler treats each clip
    as its own task. One view per clip: inputs from ``SampleFrames`` with
    ``clip_len=1, num_clips=M`` and a single crop.

    Args:
        backbone (dict): Any mmaction2 2D backbone.
        sampler (dict): The video sampler.
        cls_head (dict, optional): E.g. ``TSNHead``.
        mi_loss (dict, optional): E.g. ``SampledFramesMILoss``: the class
            logits from the T sampled frames against those from all M frames
            (one more backbone pass in training, at the steps the loss is
            due, in its ``all_frame_pass`` context). Defaults to None.
        neck, train_cfg, test_cfg, data_preprocessor: As for
            :class:`Recognizer2D`.

    Inputs:
        inputs: (N, M, C, H, W) -> the backbone sees (N * T, C, H, W).
    """

    def __init__(self,
                 backbone: ConfigType,
                 sampler: ConfigType,
                 cls_head: OptConfigType = None,
                 mi_loss: OptConfigType = None,
                 neck: OptConfigType = None,
                 train_cfg: OptConfigType = None,
                 test_cfg: OptConfigType = None,
                 data_preprocessor: OptConfigType = None) -> None:
        super().__init__(
            backbone=backbone,
            cls_head=cls_head,
            neck=neck,
            train_cfg=train_cfg,
            test_cfg=test_cfg,
            data_preprocessor=data_preprocessor)
        self.sampler = MODELS.build(sampler)
        self.mi_loss = MODELS.build(mi_loss) if mi_loss is not None else None

    def extract_feat(self,
                     inputs: torch.Tensor,
                     stage: str = 'neck',
                     data_samples: Optional[Sequence] = None,
                     test_mode: bool = False) -> tuple:
        """Sample T of the M frames, then :meth:`Recognizer2D.extract_feat`."""
        return super().extract_feat(
            self.sampler(inputs, data_samples), stage, data_samples,
            test_mode)

    def loss(self, inputs: torch.Tensor, data_samples: Sequence,
             **kwargs) -> Dict[str, torch.Tensor]:
        """Classification losses (plus ``loss_sampler_mi`` with an
        ``mi_loss`` of positive weight, and the sampler's ``log_vars``)."""
        feats, loss_kwargs = self.extract_feat(
            inputs, data_samples=data_samples)
        losses = merge_dict(
            self.cls_head.loss(feats, data_samples, **loss_kwargs),
            loss_kwargs.get('loss_aux', dict()))
        if self.mi_loss is not None and self.mi_loss.due():
            with self.mi_loss.all_frame_pass(inputs.device):
                all_feats, all_kwargs = super().extract_feat(
                    inputs, data_samples=data_samples)
                all_logits = self.cls_head(all_feats, **all_kwargs)
            losses['loss_sampler_mi'] = self.mi_loss(
                self.cls_head(feats, **loss_kwargs), all_logits)
        if hasattr(self.sampler, 'log_vars'):
            # Logged only: keys without 'loss' are not summed into the loss.
            losses.update(self.sampler.log_vars())
        return losses

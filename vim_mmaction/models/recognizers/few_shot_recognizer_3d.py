"""Recognizer for episodes behind a clip backbone (3D CNN, video
transformer)."""
import torch
from mmaction.registry import MODELS

from .few_shot_recognizer import FewShotRecognizer


@MODELS.register_module()
class FewShotRecognizer3D(FewShotRecognizer):
    """:class:`FewShotRecognizer` whose backbone reads whole clips.

    Any mmaction2 backbone that maps (clips, C, T, H, W) to features with a
    time axis, (clips, C', T', h, w), fits: the 3D CNNs (``X3D``,
    ``ResNet3dSlowOnly``, ``ResNet3d``, ...) and the video transformer
    ``VisionTransformer`` with ``return_feat_map=True`` (VideoMAE; its
    tubelets halve the time axis, T' = T / 2). The heads get (clips, T', C',
    h, w), as from a 2D backbone: ``VIMAlignmentHead`` uses the maps,
    ``ProtoHead``, ``OTAMHead`` and ``TRXHead`` pool them (TRX's triples
    need T' >= 3).

    Everything else is :class:`FewShotRecognizer`'s, inputs included
    ((clips, T, C, H, W) from ``FormatShape('NCHW')``, so a data config
    serves 2D and 3D backbones alike) and the optional video sampler, which
    picks the T frames before the backbone.
    """

    def _frame_features(self, frames: torch.Tensor) -> torch.Tensor:
        """One backbone call: (clips, T, C, H, W) -> (clips, T', C', h, w).

        Raises:
            ValueError: The backbone's features have no time axis.
        """
        feats = self.backbone(frames.transpose(1, 2))
        if isinstance(feats, (tuple, list)):
            feats = feats[-1]
        if feats.dim() != 5:
            raise ValueError(
                f'{type(self.backbone).__name__} returned features of shape '
                f'{tuple(feats.shape)}; FewShotRecognizer3D needs (clips, C, '
                'T, h, w), with a time axis (VisionTransformer: set '
                'return_feat_map=True)')
        return feats.transpose(1, 2)

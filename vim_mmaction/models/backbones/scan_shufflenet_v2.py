"""ShuffleNetV2 trunk for the sampler's low-resolution scan of all frames."""
from typing import Optional, Tuple

import torch
import torchvision
from mmaction.registry import MODELS
from mmengine.logging import MMLogger
from mmengine.model import BaseModule
from torch import nn

ARCHS = {
    'x0_5': torchvision.models.shufflenet_v2_x0_5,
    'x1_0': torchvision.models.shufflenet_v2_x1_0,
    'x1_5': torchvision.models.shufflenet_v2_x1_5,
    'x2_0': torchvision.models.shufflenet_v2_x2_0,
}


@MODELS.register_module()
class ScanShuffleNetV2(BaseModule):
    """torchvision's ShuffleNetV2 without its stem max-pool, all stages out.

    The task-adaptive sampler runs it on 64 x 64 copies of every dense
    frame. Without the max-pool the maps of a 64 px input are 32, 16, 8, 4
    and 4 pixels wide, fine enough for a saliency map. The x0.5 trunk has
    0.34 M parameters and costs 11 M multiply-adds per 64 px frame.

    Args:
        arch (str): Width, one of ``'x0_5'``, ``'x1_0'``, ``'x1_5'``,
            ``'x2_0'``. Defaults to ``'x0_5'``.
        pretrained (str, optional): Local torchvision ImageNet state dict
            (e.g. ``shufflenetv2_x0.5-f707e7126e.pth``); the classifier is
            ignored. Defaults to None (random initialisation).
        init_cfg (dict, optional): mmengine initialisation config.

    Shapes:
        input: (N, 3, H, W) -> tuple of the stem, stage 2, 3, 4 and conv5
        maps, (N, c_i, H / 2^(i + 1), W / 2^(i + 1)) with the last two at
        H / 16; for x0.5 c = (24, 48, 96, 192, 1024).
    """

    def __init__(self,
                 arch: str = 'x0_5',
                 pretrained: Optional[str] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if arch not in ARCHS:
            raise ValueError(f'arch must be one of {sorted(ARCHS)}, '
                             f'got {arch!r}')
        self.pretrained = pretrained
        net = ARCHS[arch](weights=None)
        self.stages = nn.ModuleList(
            [net.conv1, net.stage2, net.stage3, net.stage4, net.conv5])

    def init_weights(self) -> None:
        """Load the local ImageNet weights if ``pretrained`` is set."""
        super().init_weights()
        if self.pretrained is None:
            return
        state = torch.load(
            self.pretrained, map_location='cpu', weights_only=True)
        names = ('conv1', 'stage2', 'stage3', 'stage4', 'conv5')
        renamed = {}
        for key, value in state.items():
            prefix, _, rest = key.partition('.')
            if prefix in names:
                renamed[f'stages.{names.index(prefix)}.{rest}'] = value
        self.load_state_dict(renamed, strict=True)
        MMLogger.get_current_instance().info(
            f'ScanShuffleNetV2: loaded ImageNet weights from '
            f'{self.pretrained}')

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """(N, 3, H, W) images -> the five stage outputs."""
        outs = []
        for stage in self.stages:
            x = stage(x)
            outs.append(x)
        return tuple(outs)

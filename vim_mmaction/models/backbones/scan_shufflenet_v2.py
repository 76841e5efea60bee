"""ShuffleNetV2 trunk for the sampler's low-resolution scan of all frames."""
import os
import os.path as osp
from typing import Dict, Optional, Tuple, Union

import torch
import torchvision
from mmaction.registry import MODELS
from mmengine.logging import MMLogger
from mmengine.model import BaseModule
from torch import nn
from torchvision.models import (ShuffleNet_V2_X0_5_Weights,
                                ShuffleNet_V2_X1_0_Weights,
                                ShuffleNet_V2_X1_5_Weights,
                                ShuffleNet_V2_X2_0_Weights)

# Width -> (torchvision constructor, its ImageNet weights).
ARCHS = {
    'x0_5': (torchvision.models.shufflenet_v2_x0_5,
             ShuffleNet_V2_X0_5_Weights.IMAGENET1K_V1),
    'x1_0': (torchvision.models.shufflenet_v2_x1_0,
             ShuffleNet_V2_X1_0_Weights.IMAGENET1K_V1),
    'x1_5': (torchvision.models.shufflenet_v2_x1_5,
             ShuffleNet_V2_X1_5_Weights.IMAGENET1K_V1),
    'x2_0': (torchvision.models.shufflenet_v2_x2_0,
             ShuffleNet_V2_X2_0_Weights.IMAGENET1K_V1),
}
# torchvision's names of the kept parts, in the order of ``self.stages``;
# its ``maxpool`` has no weights and its classifier ``fc`` is not used.
STAGE_NAMES = ('conv1', 'stage2', 'stage3', 'stage4', 'conv5')


@MODELS.register_module()
class ScanShuffleNetV2(BaseModule):
    """torchvision's ShuffleNetV2 without its stem max-pool, all stages out.

    The task-adaptive sampler runs it on 64 x 64 copies of every dense
    frame. Without the max-pool the maps of a 64 px input are 32, 16, 8, 4
    and 4 pixels wide, fine enough for a saliency map. The x0.5 trunk has
    0.34 M parameters and costs 11 M multiply-adds per 64 px frame.

    ImageNet weights (``pretrained=True``, as the authors' code) are
    torchvision's ``IMAGENET1K_V1`` file of the width, looked up in torch
    hub's checkpoint dir (``$TORCH_HOME/hub/checkpoints``, where torchvision
    caches it) and downloaded there if missing. They are loaded in
    ``init_weights``, which mmengine's runner calls before training; a
    missing file fails there, before any forward, with the file name, the
    dir and the URL. Evaluating a trained checkpoint does not need them.

    Args:
        arch (str): Width, one of ``'x0_5'``, ``'x1_0'``, ``'x1_5'``,
            ``'x2_0'``. Defaults to ``'x0_5'``.
        pretrained (bool | str): True: torchvision's ImageNet weights from
            the hub cache; a path: a local copy of such a state dict (e.g.
            ``shufflenetv2_x0.5-f707e7126e.pth``); False or None: random
            initialisation. The classifier is ignored. Defaults to False.
        download (bool): With ``pretrained=True``, download the file when
            the hub cache lacks it; False fails instead. Defaults to True.
        init_cfg (dict, optional): mmengine initialisation config.

    Shapes:
        input: (N, 3, H, W) -> tuple of the stem, stage 2, 3, 4 and conv5
        maps, (N, c_i, H / 2^(i + 1), W / 2^(i + 1)) with the last two at
        H / 16; for x0.5 c = (24, 48, 96, 192, 1024).
    """

    def __init__(self,
                 arch: str = 'x0_5',
                 pretrained: Union[bool, str, None] = False,
                 download: bool = True,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if arch not in ARCHS:
            raise ValueError(f'arch must be one of {sorted(ARCHS)}, '
                             f'got {arch!r}')
        self.arch = arch
        self.pretrained = pretrained
        self.download = download
        build, self.imagenet_weights = ARCHS[arch]
        net = build(weights=None)
        self.stages = nn.ModuleList(
            [getattr(net, name) for name in STAGE_NAMES])

    def init_weights(self) -> None:
        """Load the ImageNet weights if ``pretrained`` is set."""
        super().init_weights()
        if not self.pretrained:
            return
        path = self._checkpoint()
        state = torch.load(path, map_location='cpu', weights_only=True)
        self.load_state_dict(self._from_torchvision(state, path), strict=True)
        MMLogger.get_current_instance().info(
            f'ScanShuffleNetV2: loaded ImageNet weights from {path}')

    def _checkpoint(self) -> str:
        """Path of the weights file, downloaded into the hub cache for
        ``pretrained=True`` if allowed and missing."""
        url = self.imagenet_weights.url
        name = osp.basename(url)
        if isinstance(self.pretrained, str):
            if not osp.isfile(self.pretrained):
                raise FileNotFoundError(
                    f'ScanShuffleNetV2(pretrained={self.pretrained!r}): no '
                    f'such file; torchvision\'s ImageNet {self.arch} weights '
                    f'are {name}, from {url}')
            return self.pretrained
        hub_dir = osp.join(torch.hub.get_dir(), 'checkpoints')
        path = osp.join(hub_dir, name)
        if osp.isfile(path):
            return path
        failure = 'downloads are off (download=False)'
        if self.download:
            MMLogger.get_current_instance().info(
                f'ScanShuffleNetV2: downloading {url} to {path}')
            os.makedirs(hub_dir, exist_ok=True)
            try:
                torch.hub.download_url_to_file(
                    url, path, hash_prefix=torch.hub.HASH_REGEX.search(
                        name).group(1))
                return path
            except (OSError, RuntimeError) as error:  # URLError, bad hash
                failure = f'the download failed: {error}'
        raise FileNotFoundError(
            f'ScanShuffleNetV2(arch={self.arch!r}, pretrained=True): '
            f'torchvision\'s ImageNet weights {name} are not in torch hub\'s '
            f'checkpoint dir {hub_dir} ($TORCH_HOME/hub/checkpoints) and '
            f'{failure}. Download {url} into that dir, or pass a local copy '
            f'as pretrained=\'<path>\' (pretrained=False when a trained '
            f'checkpoint is loaded anyway).')

    def _from_torchvision(self, state: Dict[str, torch.Tensor],
                          path: str) -> Dict[str, torch.Tensor]:
        """torchvision's ShuffleNetV2 state dict -> this module's keys.

        Raises:
            RuntimeError: naming the keys of the kept parts the file lacks
                and the keys it has that belong to no part of ShuffleNetV2.
        """
        # torchvision key -> own key, e.g. 'stage2.0.branch1.0.weight' ->
        # 'stages.1.0.branch1.0.weight'.
        own = {}
        for key in self.state_dict():
            _, index, rest = key.split('.', 2)
            own[f'{STAGE_NAMES[int(index)]}.{rest}'] = key
        missing = [key for key in own if key not in state]
        unexpected = [
            key for key in state
            if key not in own and key.partition('.')[0] != 'fc'
        ]
        if missing or unexpected:
            raise RuntimeError(
                f'{path} is not torchvision\'s shufflenet_v2_{self.arch} '
                f'state dict: missing {len(missing)} keys '
                f'{missing[:5]}, unexpected {len(unexpected)} keys '
                f'{unexpected[:5]}')
        return {own_key: state[key] for key, own_key in own.items()}

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """(N, 3, H, W) images -> the five stage outputs."""
        outs = []
        for stage in self.stages:
            x = stage(x)
            outs.append(x)
        return tuple(outs)

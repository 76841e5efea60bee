"""tools/visualize_sampler.py on the tiny synthetic benchmark."""
import matplotlib.image
import pytest
import torch
from mmaction.registry import MODELS
from mmengine.config import Config

from ..helpers import REPO, load_tool

pytestmark = pytest.mark.slow

CONFIG = str(REPO / 'configs' / 'vim' /
             'vim-sampler_effnet-lite0_1xb1-5way-1shot_synthetic.py')


def test_writes_one_png_per_episode_with_three_rows_per_clip(
        synthetic_root, tmp_path):
    cfg = Config.fromfile(CONFIG)
    cfg.model.backbone.pretrained = False
    checkpoint = tmp_path / 'sampler.pth'
    torch.save(dict(state_dict=MODELS.build(cfg.model).state_dict()),
               checkpoint)
    out_dir = tmp_path / 'vis'
    paths = load_tool('tools/visualize_sampler.py').main([
        CONFIG,
        str(checkpoint), '--out-dir',
        str(out_dir), '--num-episodes', '2', '--cfg-options',
        f'test_dataloader.dataset.dataset.data_root={synthetic_root}',
        'model.backbone.pretrained=False'
    ])
    assert sorted(p.name for p in out_dir.iterdir()) == [
        'episode_0000.png', 'episode_0001.png'
    ]
    image = matplotlib.image.imread(paths[0])
    # 5-way 1-shot, 1 query per class: 10 clips x 3 rows of 16 thumbnails.
    height, width = image.shape[:2]
    assert height / width == pytest.approx(30 / 16, rel=0.02)

"""A head built for other channels than the backbone gives is named at the
first batch, with both numbers (not a Conv3d shape error inside)."""
import sys

import pytest
import torch

from vim_mmaction.models.heads import TRXHead, VIMAlignmentHead
from vim_mmaction.utils import make_episode_samples

from ..helpers import REPO
from .test_train_test_resume import data_options, run_tool

MESSAGE = ('VIMAlignmentHead: in_channels=512, but the features have 1280 '
           'channels')


@pytest.mark.parametrize('mode', ['loss', 'predict'])
def test_head_names_both_channel_counts(mode):
    head = VIMAlignmentHead(in_channels=512)
    samples = make_episode_samples(ways=2, shots=1, queries=1)
    feats = torch.zeros(len(samples), 4, 1280, 2, 2)  # (clips, T, C, h, w)
    with pytest.raises(ValueError, match=MESSAGE):
        getattr(head, mode)(feats, samples)


def test_trx_head_checks_its_channels_too():
    head = TRXHead(in_channels=64, embed_channels=8)
    samples = make_episode_samples(ways=2, shots=1, queries=1)
    feats = torch.zeros(len(samples), 4, 32)  # (clips, T, C)
    with pytest.raises(ValueError, match='TRXHead: in_channels=64, but the '
                       'features have 32 channels'):
        head.loss(feats, samples)


@pytest.mark.slow
def test_training_stops_at_the_first_batch_naming_both(
        tmp_path, synthetic_root):
    result = run_tool(
        sys.executable,
        'tools/train.py',
        str(REPO / 'tests' / 'data' / 'tiny_vim.py'),
        '--work-dir',
        str(tmp_path),
        *data_options(synthetic_root),
        'model.cls_head.in_channels=512',
        check=False)
    assert result.returncode != 0
    assert MESSAGE in result.stderr
    assert 'set cls_head.in_channels=1280' in result.stderr

"""How tools/train.py --resume and tools/test.py name another model's
checkpoint (vim_mmaction.utils.check_checkpoint_matches)."""
import pytest
import torch
from torch import nn

from vim_mmaction.utils import (CheckpointMismatchError,
                                check_checkpoint_matches)


def model():
    return nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))


def mismatch(checkpoint):
    with pytest.raises(CheckpointMismatchError) as info:
        check_checkpoint_matches(model(), checkpoint, 'ckpt.pth')
    return str(info.value)


def test_same_model_passes_also_wrapped_by_ddp():
    state = {f'module.{k}': v for k, v in model().state_dict().items()}
    check_checkpoint_matches(model(), dict(state_dict=state), 'ckpt.pth')


def test_missing_unexpected_and_reshaped_keys_are_named():
    state = model().state_dict()
    del state['1.bias']
    state['2.weight'] = torch.zeros(1)
    state['0.weight'] = torch.zeros(4, 2)
    message = mismatch(dict(state_dict=state))
    assert message.startswith('checkpoint ckpt.pth holds a different model: ')
    assert 'missing keys (1): 1.bias;' in message
    assert 'unexpected keys (1): 2.weight;' in message
    assert 'other shapes (1): 0.weight (4, 2) in the file, (3, 2) in the ' \
        'model' in message


def test_long_lists_are_cut_and_counted_per_module():
    state = dict(model().state_dict())
    state.update(
        {f'sampler.layer{i}.weight': torch.zeros(1) for i in range(9)})
    state['head.scale'] = torch.zeros(1)
    message = mismatch(state)
    assert 'unexpected keys (10): sampler.layer0.weight, ' in message
    assert 'and 5 more (sampler.*: 9, head.*: 1)' in message
    assert 'sampler.layer5.weight' not in message

import pytest
import torch

from vim_mmaction.models.samplers import TemporalSelector
from vim_mmaction.models.utils import sinusoidal_encoding


def test_adaptive_scores_match_reference_and_span_zero_to_one():
    torch.manual_seed(0)
    selector = TemporalSelector(in_channels=6, hidden_channels=5)
    feats, guidance = torch.randn(3, 7, 6), torch.randn(3, 6)
    weight = torch.randn(3, 5)
    scores = selector(feats, guidance, weight)
    x = torch.cat((feats, guidance[:, None].expand(-1, 7, -1)), -1)
    x = x + sinusoidal_encoding(7, 12, x)
    raw = (selector.hidden(x).relu() * weight[:, None]).sum(-1)
    low = raw.min(1, keepdim=True).values
    high = raw.max(1, keepdim=True).values
    torch.testing.assert_close(scores, (raw - low) / (high - low + 1e-4))
    assert scores.min(1).values.max().item() == 0
    assert scores.max(1).values.min().item() == pytest.approx(1, abs=1e-3)


def test_fixed_selector_has_its_own_last_layer():
    selector = TemporalSelector(in_channels=4, hidden_channels=3,
                                adaptive=False)
    scores = selector(torch.randn(2, 5, 4), torch.randn(2, 4))
    assert scores.shape == (2, 5)
    assert selector.last.weight.shape == (1, 3)


def test_adaptive_selector_without_weight_is_refused():
    selector = TemporalSelector(in_channels=4)
    with pytest.raises(ValueError, match='adaptive=True.*without'):
        selector(torch.randn(2, 5, 4), torch.randn(2, 4))


@pytest.mark.parametrize('positional_encoding', [True, False])
def test_without_position_encoding_equal_frames_score_equally(
        positional_encoding):
    torch.manual_seed(0)
    selector = TemporalSelector(
        in_channels=6,
        hidden_channels=5,
        adaptive=False,
        positional_encoding=positional_encoding)
    # Frames 1 and 4 of the clip are the same frame.
    feats = torch.randn(1, 6, 6)
    feats[0, 4] = feats[0, 1]
    scores = selector(feats, torch.randn(1, 6))
    same = torch.isclose(scores[0, 1], scores[0, 4]).item()
    assert same != positional_encoding

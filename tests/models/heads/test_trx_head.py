import math

import pytest
import torch

from vim_mmaction.models.heads import TRXHead
from vim_mmaction.models.heads.trx_head import frame_tuples


def test_frame_tuples_are_every_ordered_choice_of_frames():
    frames = torch.arange(5.)[:, None].expand(5, 2)  # frame i holds i
    triples = frame_tuples(frames, 3)
    assert triples.shape == (math.comb(5, 3), 6)
    assert triples[:, ::2].tolist()[:4] == [[0, 1, 2], [0, 1, 3], [0, 1, 4],
                                            [0, 2, 3]]
    assert all(a < b < c for a, b, c in triples[:, ::2].tolist())


def test_logits_match_a_loop_over_queries_classes_and_tuples():
    torch.manual_seed(0)
    head = TRXHead(in_channels=4, cardinalities=(2, ), embed_channels=6,
                   pe_scale=0.0).eval()
    support = torch.rand(2, 2, 3, 4)
    query = torch.rand(3, 3, 4)
    logits = head.forward_episode(support, query)
    transformer = head.transformers[0]
    pairs = [(0, 1), (0, 2), (1, 2)]

    def tuple_of(clip, pair):
        return torch.cat([clip[pair[0]], clip[pair[1]]])

    for q in range(3):
        for way in range(2):
            support_tuples = [tuple_of(support[way, shot], p)
                              for shot in range(2) for p in pairs]
            keys = [transformer.key_norm(transformer.key(t))
                    for t in support_tuples]
            distance = 0.0
            for pair in pairs:
                query_tuple = tuple_of(query[q], pair)
                query_key = transformer.key_norm(transformer.key(query_tuple))
                weights = torch.stack([query_key @ key / math.sqrt(6)
                                       for key in keys]).softmax(0)
                prototype = sum(w * transformer.value(t)
                                for w, t in zip(weights, support_tuples))
                distance += (transformer.value(query_tuple) -
                             prototype).pow(2).sum()
            torch.testing.assert_close(logits[q, way], -distance / len(pairs))


def test_too_few_frames_for_the_cardinality_is_refused():
    head = TRXHead(in_channels=4)
    with pytest.raises(ValueError, match='at least 3 frames per clip, got 2'):
        head.forward_episode(torch.rand(2, 1, 2, 4), torch.rand(2, 2, 4))


def test_temperature_divides_the_logits():
    torch.manual_seed(0)
    support, query = torch.rand(3, 1, 4, 8), torch.rand(3, 4, 8)
    plain = TRXHead(in_channels=8, embed_channels=6).eval()
    tempered = TRXHead(in_channels=8, embed_channels=6, temperature=6.0).eval()
    tempered.load_state_dict(plain.state_dict())
    torch.testing.assert_close(
        tempered.forward_episode(support, query),
        plain.forward_episode(support, query) / 6)


def test_temperature_that_is_not_positive_is_named():
    with pytest.raises(ValueError, match='temperature must be positive, '
                       'got 0'):
        TRXHead(in_channels=8, temperature=0)


def test_logits_average_the_cardinalities_by_hand():
    # Zero keys attend uniformly, so each class prototype is the mean value
    # of the class's tuples; each value is the sum of the tuple's features.
    head = TRXHead(in_channels=2, cardinalities=(2, 3), embed_channels=1,
                   pe_scale=0.0).eval()
    with torch.no_grad():
        for transformer in head.transformers:
            transformer.key.weight.zero_()
            transformer.key.bias.zero_()
            transformer.value.weight.fill_(1.0)
            transformer.value.bias.zero_()
    frames = torch.tensor([[0., 1., 2.], [3., 3., 3.]])  # (ways, T)
    support = torch.stack([frames, torch.zeros(2, 3)], -1)[:, None]
    query = support[:1, 0]  # the frames of class 0
    # Pairs (0,1) (0,2) (1,2): query values 1, 2, 3.
    #   class 0 values 1, 2, 3 -> prototype 2: (1 + 0 + 1) / 3 = 2/3;
    #   class 1 values 6, 6, 6 -> prototype 6: (25 + 16 + 9) / 3 = 50/3.
    # Triple (0,1,2): query value 3.
    #   class 0 value 3: 0;  class 1 value 9: 36.
    # Mean over the two cardinalities: 1/3 and (50/3 + 36) / 2 = 79/3.
    torch.testing.assert_close(
        head.forward_episode(support, query),
        torch.tensor([[-1 / 3, -79 / 3]]))

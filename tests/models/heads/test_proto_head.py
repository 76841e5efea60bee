import pytest
import torch
import torch.nn.functional as F

from vim_mmaction.models import ProtoHead
from vim_mmaction.utils import make_episode_samples


@pytest.mark.parametrize('metric', ['cosine', 'euclidean'])
def test_logits_match_reference(metric):
    torch.manual_seed(0)
    ways, shots, queries = 3, 2, 2
    head = ProtoHead(metric=metric, temperature=0.5)
    support = torch.randn(ways, shots, 4, 6, 2, 2)
    query = torch.randn(ways * queries, 4, 6, 2, 2)
    logits = head.forward_episode(support, query)
    prototypes = support.mean(dim=(2, 4, 5)).mean(dim=1)
    pooled = query.mean(dim=(1, 3, 4))
    if metric == 'cosine':
        expected = F.cosine_similarity(
            pooled[:, None], prototypes[None], dim=-1) / 0.5
    else:
        expected = -((pooled[:, None] - prototypes[None])**2).sum(-1) / 0.5
    torch.testing.assert_close(logits, expected, rtol=1e-5, atol=1e-5)


def test_permuting_support_classes_permutes_logits():
    torch.manual_seed(1)
    head = ProtoHead()
    support = torch.randn(5, 1, 8, 16)
    query = torch.randn(5, 8, 16)
    order = torch.tensor([3, 0, 4, 1, 2])
    torch.testing.assert_close(
        head.forward_episode(support[order], query),
        head.forward_episode(support, query)[:, order])


def test_loss_and_predict_read_the_layout_from_data_samples():
    torch.manual_seed(2)
    ways, shots, queries = 5, 2, 3
    samples = make_episode_samples(ways, shots, queries, episode_id=0)
    samples += make_episode_samples(ways, shots, queries, episode_id=1)
    # Queries equal to their class's support clips must be classified right.
    per_episode = ways * (shots + queries)
    feats = torch.empty(2 * per_episode, 4, 32)
    for e in range(2):
        centres = torch.randn(ways, 32) * 5
        for i, s in enumerate(samples[e * per_episode:(e + 1) * per_episode]):
            feats[e * per_episode + i] = centres[s.metainfo['episode_label']]
    head = ProtoHead()
    losses = head.loss(feats, samples)
    assert losses['top1_acc'].item() == 1.0
    losses['loss_cls'].backward()
    assert head.log_temperature.grad is not None
    predicted = head.predict(feats, samples)
    queries_out = [s for s in predicted if s.metainfo['role'] == 'query']
    assert all(s.pred_score.argmax().item() == s.metainfo['episode_label']
               for s in queries_out)
    assert all('pred_score' not in s for s in predicted
               if s.metainfo['role'] == 'support')


def test_support_set_that_is_not_ways_by_shots_is_refused():
    samples = make_episode_samples(3, 2, 1)
    del samples[1]
    with pytest.raises(ValueError, match='expected 3 ways x 2 shots'):
        ProtoHead().loss(torch.randn(len(samples), 2, 8), samples)


def test_bad_metric_is_named():
    with pytest.raises(ValueError, match="got 'dot'"):
        ProtoHead(metric='dot')

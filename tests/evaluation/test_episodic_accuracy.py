import math

import numpy as np
import pytest
import torch

from vim_mmaction.evaluation import EpisodicAccuracy, episode_results
from vim_mmaction.utils import make_episode_samples


def predicted_episode(episode_id, correct_queries, ways=5, queries=2):
    """Clip outputs (dict form) of one episode with some queries right."""
    outputs = []
    query_number = 0
    samples = make_episode_samples(ways, 1, queries, episode_id=episode_id)
    for sample in samples:
        out = sample.to_dict()
        out['dataset_label'] = 10 + out['episode_label']
        if out['role'] == 'query':
            label = out['episode_label']
            guess = label if query_number < correct_queries else (label +
                                                                  1) % ways
            out['pred_score'] = torch.nn.functional.one_hot(
                torch.tensor(guess), ways).float()
            query_number += 1
        outputs.append(out)
    return outputs


def test_one_result_per_episode_and_ci_formula():
    metric = EpisodicAccuracy()
    correct = [10, 5, 0, 7]
    batch = [o for e, c in enumerate(correct) for o in predicted_episode(e, c)]
    metric.process({}, batch)
    assert [r['episode_id'] for r in metric.results] == [0, 1, 2, 3]
    values = 100 * np.array(correct) / 10
    result = metric.compute_metrics(metric.results)
    assert result['accuracy'] == pytest.approx(values.mean())
    assert result['accuracy_ci95'] == pytest.approx(
        1.96 * values.std() / math.sqrt(4))
    assert result['num_episodes'] == 4


def test_episode_results_keep_scores_and_dataset_classes():
    (record, ) = episode_results(predicted_episode(9, 4))
    assert record['episode_id'] == 9
    assert record['classes'].tolist() == [10, 11, 12, 13, 14]
    assert record['query_scores'].shape == (10, 5)
    assert record['accuracy'] == pytest.approx(0.4)

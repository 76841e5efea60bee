import numpy as np
import pytest
import torch

from vim_mmaction.datasets import (EpisodeSampler, EpisodicDataset,
                                   FewShotVideoDataset, episode_collate)

from ..helpers import make_video_tree, write_split

TINY_PIPELINE = [
    dict(type='DecordInit'),
    dict(
        type='SampleFrames',
        clip_len=1,
        frame_interval=1,
        num_clips=2,
        test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(32, 32), keep_ratio=False),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs'),
]


def split_dataset(root, split='test', pipeline=TINY_PIPELINE):
    return dict(
        type='FewShotVideoDataset',
        data_root=str(root),
        ann_file=f'splits/{split}.list',
        data_prefix=dict(video='videos'),
        pipeline=pipeline,
        test_mode=True)


def episodic(root, seed=0, ways=5, shots=1, queries=2, episodes=50):
    return EpisodicDataset(
        split_dataset(root),
        num_ways=ways,
        num_shots=shots,
        num_queries=queries,
        num_episodes=episodes,
        seed=seed)


def test_episode_layout_and_metainfo(synthetic_root):
    dataset = episodic(synthetic_root, ways=5, shots=1, queries=2)
    item = dataset[3]
    episode = dataset.episode(3)
    samples = item['data_samples']
    assert len(item['inputs']) == len(samples) == 5 * 1 + 5 * 2
    assert tuple(item['inputs'][0].shape) == (2, 3, 32, 32)
    roles = [s.metainfo['role'] for s in samples]
    assert roles == ['support'] * 5 + ['query'] * 10
    labels = [s.metainfo['episode_label'] for s in samples]
    assert labels == list(range(5)) + [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert [int(s.gt_label) for s in samples] == labels
    inner = dataset.dataset
    for sample, clip in zip(samples[:5], episode['support'][:, 0]):
        assert sample.metainfo['dataset_label'] == inner.get_data_info(
            int(clip))['label']
    assert {s.metainfo['episode_id'] for s in samples} == {3}


def test_episode_classes_and_clips_are_distinct(synthetic_root):
    dataset = episodic(synthetic_root, ways=5, shots=2, queries=2)
    for index in range(20):
        episode = dataset.episode(index)
        assert len(set(episode['classes'].tolist())) == 5
        clips = np.concatenate([episode['support'], episode['query']], axis=1)
        assert len(set(clips.ravel().tolist())) == clips.size
        for label, row in zip(episode['classes'], clips):
            assert {dataset.dataset.get_data_info(int(c))['label']
                    for c in row} == {label}


def test_episodes_are_a_function_of_seed_and_index(synthetic_root):
    first = episodic(synthetic_root, seed=7)
    again = episodic(synthetic_root, seed=7)
    other = episodic(synthetic_root, seed=8)

    def draw(dataset, order):
        return {i: np.concatenate(list(dataset.episode(i).values()), axis=None)
                for i in order}

    forward = draw(first, range(30))
    backward = draw(again, reversed(range(30)))
    assert all(np.array_equal(forward[i], backward[i]) for i in range(30))
    different = draw(other, range(30))
    assert sum(np.array_equal(forward[i], different[i])
               for i in range(30)) < 3


def test_small_class_is_named_with_both_counts(tmp_path, sample_videos):
    lines = [f'big/v{i}' for i in range(6)] + ['small/v0', 'small/v1']
    make_video_tree(tmp_path / 'videos', lines, sample_videos / 'test.mp4')
    split = write_split(tmp_path / 'list.txt', lines)
    inner = FewShotVideoDataset(
        split, pipeline=[], data_prefix=dict(video=str(tmp_path / 'videos')))
    with pytest.raises(ValueError) as error:
        EpisodicDataset(
            inner, num_ways=2, num_shots=1, num_queries=2, num_episodes=1)
    assert ("class 'small' (label 1) has 2 clip(s), but an episode needs "
            'K + Q = 3 (1 shots + 2 queries)') in str(error.value)


def test_corrupt_video_error_names_the_file(tmp_path, sample_videos):
    lines = [f'{name}/v{i}' for name in ('a', 'b') for i in range(2)]
    make_video_tree(tmp_path / 'videos', lines, sample_videos / 'test.mp4')
    broken = tmp_path / 'videos' / 'b' / 'v1.mp4'
    broken.write_bytes(b'\x00not a video' * 100)
    split = write_split(tmp_path / 'list.txt', lines)
    dataset = EpisodicDataset(
        dict(
            type='FewShotVideoDataset',
            ann_file=split,
            data_prefix=dict(video=str(tmp_path / 'videos')),
            pipeline=TINY_PIPELINE),
        num_ways=2,
        num_shots=1,
        num_queries=1,
        num_episodes=1)
    with pytest.raises(RuntimeError) as error:
        dataset[0]
    assert f'failed to load {broken} ({split}:4)' in str(error.value)


def test_collate_flattens_episode_major(synthetic_root):
    dataset = episodic(synthetic_root, ways=5, shots=1, queries=1)
    batch = episode_collate([dataset[0], dataset[1]])
    assert len(batch['inputs']) == len(batch['data_samples']) == 20
    assert all(isinstance(x, torch.Tensor) for x in batch['inputs'])
    ids = [s.metainfo['episode_id'] for s in batch['data_samples']]
    assert ids == [0] * 10 + [1] * 10


def test_sampler_draws_fresh_reproducible_episodes(synthetic_root):
    dataset = episodic(synthetic_root, episodes=8)
    sampler = EpisodeSampler(dataset, seed=3)
    epoch0 = list(sampler)
    sampler.set_epoch(1)
    epoch1 = list(sampler)
    assert len(epoch0) == len(sampler) == 8
    assert not set(epoch0) & set(epoch1)
    sampler.set_epoch(0)
    assert list(sampler) == epoch0
    assert list(EpisodeSampler(dataset, seed=4)) != epoch0


def test_sampler_shards_disjointly_across_ranks(synthetic_root):
    dataset = episodic(synthetic_root, episodes=7)
    shards = []
    for rank in range(2):
        sampler = EpisodeSampler(dataset, seed=3)
        sampler.rank, sampler.world_size = rank, 2
        sampler.num_samples = 4
        shards.append(list(sampler))
    assert not set(shards[0]) & set(shards[1])
    single = EpisodeSampler(dataset, seed=3)
    single.num_samples = 8
    assert sorted(shards[0] + shards[1]) == sorted(single)


def test_datasets_without_get_cat_ids_give_labels_by_data_info(tmp_path):
    # mmaction2's VideoDataset: 'path label' lines, no get_cat_ids.
    ann_file = tmp_path / 'list.txt'
    ann_file.write_text(''.join(f'v{i}.mp4 {i % 3}\n' for i in range(9)))
    dataset = EpisodicDataset(
        dict(type='VideoDataset', ann_file=str(ann_file), pipeline=[]),
        num_ways=3,
        num_shots=2,
        num_queries=1,
        num_episodes=1)
    episode = dataset.episode(0)
    clips = np.concatenate([episode['support'], episode['query']], axis=1)
    np.testing.assert_array_equal(clips % 3,
                                  np.repeat(episode['classes'][:, None], 3, 1))


@pytest.mark.parametrize('name,value,expected', [
    ('num_ways', 1, 'num_ways must be an int >= 2'),
    ('num_ways', 0, 'num_ways must be an int >= 2'),
    ('num_shots', 0, 'num_shots must be an int >= 1'),
    ('num_queries', 0, 'num_queries must be an int >= 1'),
    ('num_episodes', 0, 'num_episodes must be an int >= 1'),
    ('num_shots', 1.0, 'num_shots must be an int >= 1'),
])
def test_episode_settings_out_of_range_are_named(synthetic_root, name, value,
                                                 expected):
    settings = dict(num_ways=2, num_shots=1, num_queries=1, num_episodes=1)
    settings[name] = value
    with pytest.raises(ValueError) as error:
        EpisodicDataset(split_dataset(synthetic_root), **settings)
    assert f'{expected}, got {value!r}' in str(error.value)

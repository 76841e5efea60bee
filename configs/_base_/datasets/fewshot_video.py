# Episodic loaders shared by the benchmark configs, with the usual protocol:
# 5-way 1-shot, 5 queries per class in training and 1 in val/test, 10,000
# fixed test episodes; 8 uniformly sampled frames, 224 px, decoded with
# decord. A benchmark config sets the split lists and video folder; a method
# config changes the shots, or swaps in the dense pipelines below.
num_frames = 8
# VIM's task-adaptive sampler reads M dense frames and keeps T = num_frames.
num_dense_frames = 16

# No flip here: SSv2 has left/right classes. Benchmarks without such classes
# take fewshot_video_flip.py instead.
train_pipeline = [
    dict(type='DecordInit'),
    dict(
        type='SampleFrames', clip_len=1, frame_interval=1,
        num_clips=num_frames),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='RandomCrop', size=224),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
test_pipeline = [
    dict(type='DecordInit'),
    dict(
        type='SampleFrames',
        clip_len=1,
        frame_interval=1,
        num_clips=num_frames,
        test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='CenterCrop', crop_size=224),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
# The same with M dense frames (segment centres, jittered in training) in
# place of the sampling step, for configs with the sampler:
# pipeline={{_base_.dense_train_pipeline}}.
dense_train_pipeline = [
    train_pipeline[0],
    dict(
        type='SegmentSampleFrames',
        num_clips=num_dense_frames,
        end_jitter=0.1),
    *train_pipeline[2:],
]
dense_test_pipeline = [
    test_pipeline[0],
    dict(
        type='SegmentSampleFrames',
        num_clips=num_dense_frames,
        test_mode=True),
    *test_pipeline[2:],
]

# No persistent_workers: PyTorch refuses it with num_workers=0 (a debugging
# run's --cfg-options), and restarting the workers once an epoch costs little
# next to an epoch of episodes.
train_dataloader = dict(
    batch_size=1,
    num_workers=4,
    # Fresh episodes every epoch, drawn from the run's seed.
    sampler=dict(type='EpisodeSampler'),
    collate_fn=dict(type='episode_collate'),
    dataset=dict(
        type='EpisodicDataset',
        num_ways=5,
        num_shots=1,
        num_queries=5,
        num_episodes=2000,
        dataset=dict(type='FewShotVideoDataset', pipeline=train_pipeline)))
# Val and test episodes are fixed by their own seeds, whatever the run's seed.
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='episode_collate'),
    dataset=dict(
        type='EpisodicDataset',
        num_ways=5,
        num_shots=1,
        num_queries=1,
        num_episodes=1000,
        seed=1,
        dataset=dict(
            type='FewShotVideoDataset',
            pipeline=test_pipeline,
            test_mode=True)))
test_dataloader = dict(
    batch_size=1,
    num_workers=4,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='episode_collate'),
    dataset=dict(
        type='EpisodicDataset',
        num_ways=5,
        num_shots=1,
        num_queries=1,
        num_episodes=10000,
        seed=2,
        dataset=dict(
            type='FewShotVideoDataset',
            pipeline=test_pipeline,
            test_mode=True)))

val_evaluator = dict(type='EpisodicAccuracy')
test_evaluator = val_evaluator

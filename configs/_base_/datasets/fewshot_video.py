# Episodic loaders shared by the benchmark configs: 8 uniformly sampled
# frames, 224 px, decoded with decord. A benchmark config sets the split lists
# and video folder; a method config sets the episode shape.
num_frames = 8

# No flip here: SSv2 has left/right classes. Benchmarks without such classes
# add one in their own train pipeline.
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

train_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    # Fresh episodes every epoch, drawn from the run's seed.
    sampler=dict(type='EpisodeSampler'),
    collate_fn=dict(type='episode_collate'),
    dataset=dict(
        type='EpisodicDataset',
        dataset=dict(type='FewShotVideoDataset', pipeline=train_pipeline)))
# Val and test episodes are fixed by their own seeds, whatever the run's seed.
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='episode_collate'),
    dataset=dict(
        type='EpisodicDataset',
        seed=1,
        dataset=dict(
            type='FewShotVideoDataset',
            pipeline=test_pipeline,
            test_mode=True)))
test_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='episode_collate'),
    dataset=dict(
        type='EpisodicDataset',
        seed=2,
        dataset=dict(
            type='FewShotVideoDataset',
            pipeline=test_pipeline,
            test_mode=True)))

val_evaluator = dict(type='EpisodicAccuracy')
test_evaluator = val_evaluator

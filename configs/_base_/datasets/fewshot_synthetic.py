# The embedded synthetic benchmark (tools/data/make_synthetic.py): 128 px mp4
# clips of a small object moving over clutter; classes differ by motion.
# Method configs set the episode shape (ways, shots, queries, episodes).
data_root = 'data/synthetic'
num_frames = 8

# No flips: left-to-right and right-to-left are different classes.
train_pipeline = [
    dict(type='DecordInit'),
    dict(
        type='SampleFrames', clip_len=1, frame_interval=1,
        num_clips=num_frames),
    dict(type='DecordDecode'),
    dict(type='RandomCrop', size=112),
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
    dict(type='CenterCrop', crop_size=112),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]

train_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='EpisodeSampler'),
    collate_fn=dict(type='episode_collate'),
    dataset=dict(
        type='EpisodicDataset',
        dataset=dict(
            type='FewShotVideoDataset',
            data_root=data_root,
            ann_file='splits/train.list',
            data_prefix=dict(video='videos'),
            pipeline=train_pipeline)))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='episode_collate'),
    dataset=dict(
        type='EpisodicDataset',
        seed=1,
        dataset=dict(
            type='FewShotVideoDataset',
            data_root=data_root,
            ann_file='splits/val.list',
            data_prefix=dict(video='videos'),
            pipeline=test_pipeline,
            test_mode=True)))
test_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='episode_collate'),
    dataset=dict(
        type='EpisodicDataset',
        seed=2,
        dataset=dict(
            type='FewShotVideoDataset',
            data_root=data_root,
            ann_file='splits/test.list',
            data_prefix=dict(video='videos'),
            pipeline=test_pipeline,
            test_mode=True)))

val_evaluator = dict(type='EpisodicAccuracy')
test_evaluator = val_evaluator

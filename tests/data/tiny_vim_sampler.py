# The sampler demo config shrunk for end-to-end tests on a CPU: 8 dense
# frames of 64 px, 4 kept, 2 training and 2 val episodes, 4 test episodes,
# the top-k sigma decayed once, after the 2 training episodes.
_base_ = [
    '../../configs/vim/vim-sampler_effnet-lite0_1xb1-5way-1shot_synthetic.py'
]

num_dense_frames = 8
pipeline = [
    dict(type='DecordInit'),
    dict(
        type='SegmentSampleFrames',
        num_clips=num_dense_frames,
        test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(64, 64), keep_ratio=False),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]

model = dict(
    backbone=dict(frozen_blocks=14),
    sampler=dict(num_frames=4, scan_size=32, topk=dict(num_samples=50)))
custom_hooks = [
    dict(
        type='TopKSigmaDecayHook',
        gamma=0.8,
        interval_episodes=2,
        min_sigma=0.01)
]
train_dataloader = dict(
    num_workers=1,
    dataset=dict(
        num_queries=1, num_episodes=2, dataset=dict(pipeline=pipeline)))
val_dataloader = dict(
    num_workers=1,
    dataset=dict(num_episodes=2, dataset=dict(pipeline=pipeline)))
test_dataloader = dict(
    num_workers=1,
    dataset=dict(num_episodes=4, dataset=dict(pipeline=pipeline)))
train_cfg = dict(max_epochs=1)

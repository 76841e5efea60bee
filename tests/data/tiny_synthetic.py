# The demo config shrunk for end-to-end tests on a CPU: 4 frames of 64 px,
# 2 training and 2 val episodes per epoch, 4 test episodes.
_base_ = [
    '../../configs/protonet/protonet_effnet-lite0_1xb1-5way-1shot_synthetic.py'
]

num_frames = 4
pipeline = [
    dict(type='DecordInit'),
    dict(
        type='SampleFrames',
        clip_len=1,
        frame_interval=1,
        num_clips=num_frames,
        test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(64, 64), keep_ratio=False),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]

model = dict(backbone=dict(frozen_blocks=14))
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

# The demo config on frame folders (RawFrameDecode) for end-to-end tests on
# a CPU: 8 frames of 64 px, 5-way 1-shot, 2 training and 2 val episodes per
# epoch, 4 test episodes. Every loader reads
# data_root/{train,val,test}.list and the frames under data_root/frames; the
# tests set data_root.
_base_ = [
    '../../configs/protonet/protonet_effnet-lite0_1xb1-5way-1shot_synthetic.py'
]

num_frames = 8
pipeline = [
    dict(
        type='SampleFrames',
        clip_len=1,
        frame_interval=1,
        num_clips=num_frames,
        test_mode=True),
    dict(type='RawFrameDecode'),
    dict(type='Resize', scale=(64, 64), keep_ratio=False),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]


def _split(name, **episodes):
    return dict(
        num_workers=1,
        dataset=dict(
            **episodes,
            dataset=dict(
                ann_file=f'{name}.list',
                data_prefix=dict(video='frames'),
                pipeline=pipeline)))


model = dict(backbone=dict(frozen_blocks=14))
train_dataloader = _split('train', num_queries=1, num_episodes=2)
val_dataloader = _split('val', num_episodes=2)
test_dataloader = _split('test', num_episodes=4)
train_cfg = dict(max_epochs=1)

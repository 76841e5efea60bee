# fewshot_video.py with horizontal flips in training, for the benchmarks
# whose classes all survive a mirror (Kinetics-100, UCF101, HMDB51).
_base_ = ['./fewshot_video.py']

num_frames = 8
num_dense_frames = 16

train_pipeline = [
    dict(type='DecordInit'),
    dict(
        type='SampleFrames', clip_len=1, frame_interval=1,
        num_clips=num_frames),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='RandomCrop', size=224),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
dense_train_pipeline = [
    train_pipeline[0],
    dict(
        type='SegmentSampleFrames',
        num_clips=num_dense_frames,
        end_jitter=0.1),
    *train_pipeline[2:],
]
train_dataloader = dict(dataset=dict(dataset=dict(pipeline=train_pipeline)))

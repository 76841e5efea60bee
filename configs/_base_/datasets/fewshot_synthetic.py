# The embedded synthetic benchmark written by tools/data/make_synthetic.py:
# 128 px mp4 clips of a small object moving over clutter, classes that differ
# by motion. Small frames (96 px crops of 112 px) so that it trains on a CPU.
_base_ = ['./fewshot_video.py']

data_root = 'data/synthetic'
num_frames = 8
num_dense_frames = 16

train_pipeline = [
    dict(type='DecordInit'),
    dict(
        type='SampleFrames', clip_len=1, frame_interval=1,
        num_clips=num_frames),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 112)),
    dict(type='RandomCrop', size=96),
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
    dict(type='Resize', scale=(-1, 112)),
    dict(type='CenterCrop', crop_size=96),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
# M dense frames for configs with the sampler (see fewshot_video.py).
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


def _split(name, pipeline):
    return dict(
        data_root=data_root,
        ann_file=f'splits/{name}.list',
        data_prefix=dict(video='videos'),
        pipeline=pipeline)


train_dataloader = dict(
    num_workers=2,
    dataset=dict(dataset=_split('train', train_pipeline)))
val_dataloader = dict(
    num_workers=2, dataset=dict(dataset=_split('val', test_pipeline)))
test_dataloader = dict(
    num_workers=2, dataset=dict(dataset=_split('test', test_pipeline)))

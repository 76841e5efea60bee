# Kinetics-100 (CMN split: 64/12/24 classes, 100 videos each).
# Videos: data/kinetics100/videos/<class>/<youtube_id>_<start>_<end>.mp4.
# Split lists ship in tools/data/splits/kinetics100/; see docs/data_preparation.md.
_base_ = ['./fewshot_video.py']

splits = 'tools/data/splits/kinetics100'
video_root = 'data/kinetics100/videos'
num_frames = 8

# Horizontal flips keep every class of this benchmark.
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
train_dataloader = dict(
    dataset=dict(
        dataset=dict(
            ann_file=f'{splits}/train.list',
            data_prefix=dict(video=video_root),
            pipeline=train_pipeline)))
val_dataloader = dict(
    dataset=dict(
        dataset=dict(
            ann_file=f'{splits}/val.list',
            data_prefix=dict(video=video_root))))
test_dataloader = dict(
    dataset=dict(
        dataset=dict(
            ann_file=f'{splits}/test.list',
            data_prefix=dict(video=video_root))))

# HMDB51 (ARN split: 31/10/10 classes, 4,280/1,194/1,292 videos).
# Videos: data/hmdb51/videos/<class>/<clip name>.avi (the HMDB51 release).
# Split lists ship in tools/data/splits/hmdb51/; see docs/data_preparation.md.
_base_ = ['./fewshot_video.py']

splits = 'tools/data/splits/hmdb51'
video_root = 'data/hmdb51/videos'
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
            ann_file=f'{splits}/trainlist03.txt',
            data_prefix=dict(video=video_root),
            pipeline=train_pipeline)))
val_dataloader = dict(
    dataset=dict(
        dataset=dict(
            ann_file=f'{splits}/vallist03.txt',
            data_prefix=dict(video=video_root))))
test_dataloader = dict(
    dataset=dict(
        dataset=dict(
            ann_file=f'{splits}/testlist03.txt',
            data_prefix=dict(video=video_root))))

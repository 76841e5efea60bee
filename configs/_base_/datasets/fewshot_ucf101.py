# UCF101 (ARN split: 70/10/21 classes, 9,154/1,421/2,745 videos).
# Videos: data/ucf101/videos/<Class>/v_<Class>_gXX_cXX.avi (the UCF101 release).
# Split lists ship in tools/data/splits/ucf101/; see docs/data_preparation.md.
_base_ = ['./fewshot_video.py']

splits = 'tools/data/splits/ucf101'
video_root = 'data/ucf101/videos'
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

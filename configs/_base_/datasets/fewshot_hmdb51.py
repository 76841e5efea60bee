# HMDB51 (ARN split: 31/10/10 classes, 4,280/1,194/1,292 videos).
# Videos: data/hmdb51/videos/<class>/<clip name>.avi (the HMDB51 release).
# Split lists ship in tools/data/splits/hmdb51/; see docs/data_preparation.md.
_base_ = ['./fewshot_video_flip.py']

splits = 'tools/data/splits/hmdb51'
video_root = 'data/hmdb51/videos'

train_dataloader = dict(
    dataset=dict(
        dataset=dict(
            ann_file=f'{splits}/trainlist03.txt',
            data_prefix=dict(video=video_root))))
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

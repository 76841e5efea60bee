# Kinetics-100 (CMN split: 64/12/24 classes, 100 videos each).
# Videos: data/kinetics100/videos/<class>/<youtube_id>_<start>_<end>.mp4.
# Split lists ship in tools/data/splits/kinetics100/; see
#   docs/data_preparation.md.
_base_ = ['./fewshot_video_flip.py']

splits = 'tools/data/splits/kinetics100'
video_root = 'data/kinetics100/videos'

train_dataloader = dict(
    dataset=dict(
        dataset=dict(
            ann_file=f'{splits}/train.list',
            data_prefix=dict(video=video_root))))
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

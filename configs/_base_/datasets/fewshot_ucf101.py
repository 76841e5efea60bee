# UCF101 (ARN split: 70/10/21 classes, 9,154/1,421/2,745 videos).
# Videos: data/ucf101/videos/<Class>/v_<Class>_gXX_cXX.avi (the UCF101
#   release).
# Split lists ship in tools/data/splits/ucf101/; see docs/data_preparation.md.
_base_ = ['./fewshot_video_flip.py']

splits = 'tools/data/splits/ucf101'
video_root = 'data/ucf101/videos'

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

# Something-Something V2 "Small" (CMN split: 64/12/24 classes, 100 videos
#   each).
# Videos: data/ssv2/videos/<video_id>.webm (the SSv2 release, flat).
# Split lists ship in tools/data/splits/ssv2_small/; see
#   docs/data_preparation.md.
_base_ = ['./fewshot_video.py']

splits = 'tools/data/splits/ssv2_small'
video_root = 'data/ssv2/videos'

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

# Something-Something V2 "Full" (OTAM split: 64/12/24 classes,
#   67,013/1,926/2,857 videos).
# Videos: data/ssv2/videos/<video_id>.webm (the SSv2 release, flat).
# Split lists ship in tools/data/splits/ssv2_full/; see
#   docs/data_preparation.md.
_base_ = ['./fewshot_video.py']

splits = 'tools/data/splits/ssv2_full'
video_root = 'data/ssv2/videos'

train_dataloader = dict(
    dataset=dict(
        dataset=dict(
            ann_file=f'{splits}/trainlist07.txt',
            data_prefix=dict(video=video_root))))
val_dataloader = dict(
    dataset=dict(
        dataset=dict(
            ann_file=f'{splits}/vallist07.txt',
            data_prefix=dict(video=video_root))))
test_dataloader = dict(
    dataset=dict(
        dataset=dict(
            ann_file=f'{splits}/testlist07.txt',
            data_prefix=dict(video=video_root))))

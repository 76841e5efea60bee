_base_ = ['./vim-align_r50_1xb1-5way-1shot_ssv2-full.py']

# The alignment head behind mmaction2's VideoMAE ViT-B/16, a video
# transformer: FewShotRecognizer3D hands it whole clips of 8 frames, and its
# tubelets of 2 frames give 768 x 4 x 14 x 14 token maps
# (return_feat_map=True), handed to the head as (clips, 4, 768, 14, 14).
# Data, schedule and head are the ResNet-50 config's.
model = dict(
    type='FewShotRecognizer3D',
    backbone=dict(
        _delete_=True,
        type='VisionTransformer',
        img_size=224,
        patch_size=16,
        embed_dims=768,
        depth=12,
        num_heads=12,
        mlp_ratio=4,
        qkv_bias=True,
        num_frames=8,
        norm_cfg=dict(type='LN', eps=1e-6),
        return_feat_map=True),
    cls_head=dict(in_channels=768))
# The backbone starts from mmaction2's VideoMAE ViT-B fine-tuned on
# Kinetics-400 (16 frames: its fixed sinusoidal time positions for 8 tubelets
# are skipped with a warning, this model keeps its own for 4; the head's keys
# too). Kinetics-400 holds test classes of Kinetics-100, UCF101 and HMDB51:
# on those benchmarks start from other weights (load_from = None: random).
load_from = ('https://download.openmmlab.com/mmaction/v1.0/recognition/'
             'videomae/vit-base-p16_videomae-k400-pre_16x4x1_kinetics-400_'
             '20221013-860a3cd3.pth')

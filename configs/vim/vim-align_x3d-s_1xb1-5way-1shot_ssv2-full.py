_base_ = ['./vim-align_r50_1xb1-5way-1shot_ssv2-full.py']

# The alignment head behind mmaction2's X3D-S, a 3D CNN that keeps the time
# axis: FewShotRecognizer3D hands it whole clips (clips, 3, 8, 224, 224) and
# the head its 432 x 8 x 7 x 7 maps, as (clips, 8, 432, 7, 7). Data,
# schedule and head are the ResNet-50 config's.
model = dict(
    type='FewShotRecognizer3D',
    backbone=dict(
        _delete_=True, type='X3D', gamma_w=1, gamma_b=2.25, gamma_d=2.2),
    cls_head=dict(in_channels=432),
    data_preprocessor=dict(mean=[114.75] * 3, std=[57.38] * 3))
# The backbone starts from mmaction2's Kinetics-400 X3D-S (its head's keys
# are skipped with a warning). Kinetics-400 holds test classes of
# Kinetics-100, UCF101 and HMDB51: on those benchmarks start from other
# weights (load_from = None: random) to keep the test classes unseen.
load_from = ('https://download.openmmlab.com/mmaction/v1.0/recognition/x3d/'
             'facebook/x3d_s_13x6x1_facebook-kinetics400-rgb_20201027-'
             '623825a0.pth')

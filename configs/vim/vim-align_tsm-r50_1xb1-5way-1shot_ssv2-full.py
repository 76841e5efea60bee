_base_ = ['./vim-align_r50_1xb1-5way-1shot_ssv2-full.py']

# The alignment head behind mmaction2's TSM ResNet-50: the head only needs
# per-clip frame maps and the episode layout, so the backbone is one line.
# num_segments must equal the frames per clip (8, the datasets' num_frames):
# FewShotRecognizer hands the backbone clips x T frames, clip-major, as TSM
# expects.
model = dict(
    backbone=dict(
        _delete_=True,
        type='ResNetTSM',
        depth=50,
        num_segments=8,
        shift_div=8,
        pretrained='torchvision://resnet50',
        norm_eval=False))

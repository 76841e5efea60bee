_base_ = ['./vim-sampler_r50_1xb1-5way-1shot_ssv2-full.py']

# VIM in full: the task-adaptive spatial-temporal sampler (M = 16 -> T = 8,
# from the base config) in front of ResNet-50, and the spatial-temporal
# action alignment head on its 2048 x 7 x 7 maps. Two mutual-information
# terms: sampled vs all frames (sampler, weight 0.5 in the base) and aligned
# vs unaligned features (head, weight 0.1); neither weight is public. Two
# schedules: the sampler's top-k sigma and the head's pooling jitter.
model = dict(
    cls_head=dict(
        _delete_=True,
        type='VIMAlignmentHead',
        in_channels=2048,
        temporal_transform=True,
        multi_shot_fusion=True,
        temporal_coordination=True,
        spatial_coordination=True,
        spatial_cfg=dict(
            channels=128,
            max_offset=0.75,
            jitter=0.2,
            pairwise_impl='factorised'),
        mi_loss_weight=0.1))
custom_hooks = [
    dict(type='TopKSigmaDecayHook', gamma=0.8, interval=1000, min_sigma=0.01),
    dict(type='SpatialJitterDecayHook', gamma=0.5, interval=5000)
]

# VIM's spatial-temporal action alignment on ResNet-50 maps (2048 x 7 x 7 per
# frame), after TA2N's Dropout(0.5) on the maps: temporal transformation,
# multi-shot fusion (K > 1; its value layer also projects the queries),
# temporal and spatial coordination, then -sum_t (1 - cos). Each stage is a
# switch, for ablations. The MI term KL(aligned || unaligned) has weight 0.1
# (the paper's weight is not public). The pooling jitter starts at 0.2 and
# SpatialJitterDecayHook halves it every 5,000 episodes.
_base_ = ['./fewshot_r50.py']

model = dict(
    cls_head=dict(
        _delete_=True,
        type='VIMAlignmentHead',
        in_channels=2048,
        feature_dropout=0.5,
        temporal_transform=True,
        multi_shot_fusion=True,
        temporal_coordination=True,
        spatial_coordination=True,
        fusion_cfg=dict(value_proj=True),
        spatial_cfg=dict(
            channels=128,
            max_offset=0.75,
            jitter=0.2,
            pairwise_impl='factorised'),
        mi_loss_weight=0.1))
# 5,000 training episodes over all GPUs and accumulated iterations: the
# 5000 iterations of the 1xb1 layout (1 episode per iteration).
custom_hooks = [
    dict(type='SpatialJitterDecayHook', gamma=0.5, interval_episodes=5000)
]

# VIM in full, shrunk for an end-to-end test on a CPU: the tiny sampler config
# with the alignment head on EfficientNet-Lite0's 1280 x 2 x 2 maps (64 px),
# both schedules (top-k sigma, pooling jitter) decayed once, after the 2
# training episodes.
_base_ = ['./tiny_vim_sampler.py']

model = dict(
    cls_head=dict(
        _delete_=True,
        type='VIMAlignmentHead',
        in_channels=1280,
        spatial_cfg=dict(channels=16, hidden_channels=8),
        mi_loss_weight=0.1))
custom_hooks = [
    dict(
        type='TopKSigmaDecayHook',
        gamma=0.8,
        interval_episodes=2,
        min_sigma=0.01),
    dict(type='SpatialJitterDecayHook', gamma=0.5, interval_episodes=2)
]

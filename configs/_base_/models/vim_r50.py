# VIM in full: the task-adaptive spatial-temporal sampler (M = 16 dense
# frames -> T = 8) in front of ResNet-50, and the spatial-temporal action
# alignment head (vim-align_r50.py) on its maps. Two mutual-information
# terms: sampled vs all frames (sampler, weight 0.5) and aligned vs unaligned
# features (head, weight 0.1); neither weight is public. Two schedules: the
# sampler's top-k sigma and the head's pooling jitter.
#
# The sampler needs the M dense frames: a config on this base takes the
# dataset base's dense pipelines ({{_base_.dense_train_pipeline}}, ...).
_base_ = ['./vim-align_r50.py']

model = dict(
    sampler=dict(
        type='TaskAdaptiveSampler',
        num_frames=8,
        # ImageNet ShuffleNetV2 x0.5 as the released code uses: torchvision's
        # shufflenetv2_x0.5-f707e7126e.pth from the torch hub cache
        # (downloaded if missing), or pretrained='<local copy>'.
        scan_net=dict(type='ScanShuffleNetV2', arch='x0_5', pretrained=True),
        scan_size=64,
        saliency_indices=(1, 2, 3),
        selector=dict(hidden_channels=512),
        topk=dict(num_samples=500, sigma=0.05),
        learner=dict(latent_channels=64, adapt_saliency=False),
        amplifier=dict(saliency='attention', max_zoom=4.0, iterations=5)),
    mi_loss=dict(type='SampledFramesMILoss', loss_weight=0.5))
# sigma 0.05, x0.8 every 1000 iterations, floor 0.01 (the released code).
custom_hooks = [
    dict(type='TopKSigmaDecayHook', gamma=0.8, interval=1000, min_sigma=0.01),
    dict(type='SpatialJitterDecayHook', gamma=0.5, interval=5000)
]

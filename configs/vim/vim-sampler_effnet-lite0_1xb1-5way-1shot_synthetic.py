_base_ = [
    '../protonet/protonet_effnet-lite0_1xb1-5way-1shot_synthetic.py',
    '../_base_/models/vim-sampler_effnet-lite0.py'
]

# VIM's task-adaptive spatial-temporal sampler (_base_/models/
# vim-sampler_effnet-lite0.py) in front of ProtoNet, on the embedded synthetic
# benchmark.
model = dict(
    sampler={{_base_.vim_sampler}}, mi_loss={{_base_.vim_sampler_mi_loss}})
custom_hooks = [{{_base_.vim_sampler_sigma_hook}}]
optim_wrapper = dict(
    paramwise_cfg=dict(custom_keys={{_base_.vim_sampler_lr}}))
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
# Not the default: on the window preset (seed 0) it kept the sampler at
# chance, 35.5 +- 3.0 points below the shared clip (docs/benchmarks.md,
# variant sampler-own-clip).

# The dense pipelines of datasets/fewshot_synthetic.py.
train_dataloader = dict(
    dataset=dict(dataset=dict(pipeline={{_base_.dense_train_pipeline}})))
val_dataloader = dict(
    dataset=dict(dataset=dict(pipeline={{_base_.dense_test_pipeline}})))
test_dataloader = dict(
    dataset=dict(dataset=dict(pipeline={{_base_.dense_test_pipeline}})))

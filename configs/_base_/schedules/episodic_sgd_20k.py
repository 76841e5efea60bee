# 10 epochs of 2,000 training episodes (20,000 in all), validation after each.
# Method configs set the episode shape and counts.
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=10, val_interval=1)
# mmengine's val/test loops that encode each distinct clip once where that
# gives every episode's own scores (not behind the task-adaptive sampler);
# feature_cache=False (tools/test.py --no-feature-cache) runs the stock loop.
val_cfg = dict(type='EpisodicValLoop')
test_cfg = dict(type='EpisodicTestLoop')

# SGD at lr 1e-3 with 16 episodes accumulated per step, as TA2N's released
# code trains.
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=1e-3, momentum=0.9, weight_decay=5e-4),
    accumulative_counts=16,
    clip_grad=dict(max_norm=20, norm_type=2))
# The lr above is for 16 training episodes per optimiser step (1 GPU x 1
# episode x 16 accumulated). Keep 16 on other layouts (8 GPUs:
# accumulative_counts=2) and the recipe is unchanged; --auto-scale-lr scales
# the lr linearly when the episodes per step change (docs/getting_started.md).
auto_scale_lr = dict(enable=False, base_batch_size=16)
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=True, milestones=[6, 8], gamma=0.1)
]

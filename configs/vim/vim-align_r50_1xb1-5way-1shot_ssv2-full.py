_base_ = [
    '../_base_/models/fewshot_r50.py',
    '../_base_/datasets/fewshot_ssv2-full.py',
    '../_base_/schedules/episodic_sgd_20k.py',
    '../_base_/default_runtime.py'
]

# VIM's spatial-temporal action alignment on ResNet-50 maps (2048 x 7 x 7 per
# frame): temporal transformation, multi-shot fusion (K > 1), temporal and
# spatial coordination, then -sum_t (1 - cos). The MI term KL(aligned ||
# unaligned) has weight 0.1 (the paper's weight is not public). The pooling
# jitter starts at 0.2 and SpatialJitterDecayHook halves it every 5,000
# episodes.
model = dict(
    cls_head=dict(
        type='VIMAlignmentHead',
        in_channels=2048,
        temporal_transform=True,
        multi_shot_fusion=True,
        temporal_coordination=True,
        spatial_coordination=True,
        spatial_cfg=dict(
            channels=128,
            max_offset=0.75,
            jitter=0.2,
            pairwise_impl='factorised'),
        mi_loss_weight=0.1))

# 5-way 1-shot; 5 queries per class in training, 1 in val/test (the usual
# protocol); 10,000 fixed test episodes. SGD lr 1e-3, 16 episodes per step,
# 20,000 training episodes (schedules/episodic_sgd_20k.py).
custom_hooks = [dict(type='SpatialJitterDecayHook', gamma=0.5, interval=5000)]

train_dataloader = dict(
    dataset=dict(num_ways=5, num_shots=1, num_queries=5, num_episodes=2000))
val_dataloader = dict(
    dataset=dict(num_ways=5, num_shots=1, num_queries=1, num_episodes=1000))
test_dataloader = dict(
    dataset=dict(num_ways=5, num_shots=1, num_queries=1, num_episodes=10000))

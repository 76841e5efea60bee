_base_ = [
    '../_base_/models/fewshot_r50.py',
    '../_base_/datasets/fewshot_ssv2-full.py',
    '../_base_/schedules/episodic_sgd_20k.py',
    '../_base_/default_runtime.py'
]

# TRX: cross-transformer over ordered frame pairs and triples of ResNet-50
# frames, keys and values 1152-d, positional encoding scaled by 0.1.
model = dict(
    cls_head=dict(
        type='TRXHead',
        in_channels=2048,
        cardinalities=(2, 3),
        embed_channels=1152,
        pe_scale=0.1,
        dropout=0.1))

# 5-way 1-shot; 5 queries per class in training, 1 in val/test (the usual
# protocol); 10,000 fixed test episodes. SGD lr 1e-3, 16 episodes per step,
# 20,000 training episodes (schedules/episodic_sgd_20k.py).
train_dataloader = dict(
    dataset=dict(num_ways=5, num_shots=1, num_queries=5, num_episodes=2000))
val_dataloader = dict(
    dataset=dict(num_ways=5, num_shots=1, num_queries=1, num_episodes=1000))
test_dataloader = dict(
    dataset=dict(num_ways=5, num_shots=1, num_queries=1, num_episodes=10000))

_base_ = [
    '../_base_/models/fewshot_r50.py',
    '../_base_/datasets/fewshot_ssv2-small.py',
    '../_base_/schedules/episodic_sgd_20k.py',
    '../_base_/default_runtime.py'
]

# ProtoNet over clip-mean ResNet-50 features, cosine similarity.
model = dict(
    cls_head=dict(
        type='ProtoHead',
        metric='cosine',
        temperature=0.1,
        learn_temperature=True))

# 5-way 1-shot; 5 queries per class in training, 1 in val/test (the usual
# protocol); 10,000 fixed test episodes. SGD lr 1e-3, 16 episodes per step,
# 20,000 training episodes (schedules/episodic_sgd_20k.py).
train_dataloader = dict(
    dataset=dict(num_ways=5, num_shots=1, num_queries=5, num_episodes=2000))
val_dataloader = dict(
    dataset=dict(num_ways=5, num_shots=1, num_queries=1, num_episodes=1000))
test_dataloader = dict(
    dataset=dict(num_ways=5, num_shots=1, num_queries=1, num_episodes=10000))

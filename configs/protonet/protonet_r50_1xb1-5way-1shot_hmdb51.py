_base_ = [
    '../_base_/models/fewshot_r50.py',
    '../_base_/datasets/fewshot_hmdb51.py',
    '../_base_/schedules/episodic_sgd_20k.py',
    '../_base_/default_runtime.py'
]

# ProtoNet on ResNet-50, HMDB51, 5-way 1-shot. The protocol (5 queries per
# class in training, 1 in val/test, 10,000 fixed test episodes) is set in
# datasets/fewshot_video.py; SGD lr 1e-3, 16 episodes per step, 20,000
# episodes in schedules/episodic_sgd_20k.py.

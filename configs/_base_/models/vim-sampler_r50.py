# Ablation of VIM (vim_r50.py) without the alignment head: the task-adaptive
# sampler in front of ProtoNet's head, the sigma schedule only.
_base_ = ['./vim_r50.py']

model = dict(
    cls_head=dict(
        _delete_=True,
        type='ProtoHead',
        metric='cosine',
        temperature=0.1,
        learn_temperature=True))
custom_hooks = [
    dict(type='TopKSigmaDecayHook', gamma=0.8, interval=1000, min_sigma=0.01)
]

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
# vim_r50.py's sigma schedule: x0.8 every 1,000 episodes (1000 iterations
# at 1xb1), floor 0.01.
custom_hooks = [
    dict(
        type='TopKSigmaDecayHook',
        gamma=0.8,
        interval_episodes=1000,
        min_sigma=0.01)
]

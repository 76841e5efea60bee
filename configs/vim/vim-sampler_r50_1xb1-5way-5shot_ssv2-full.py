_base_ = ['./vim-sampler_r50_1xb1-5way-1shot_ssv2-full.py']

# 5-way 5-shot: support guidance is the class mean over the 5 shots.
train_dataloader = dict(dataset=dict(num_shots=5))
val_dataloader = dict(dataset=dict(num_shots=5))
test_dataloader = dict(dataset=dict(num_shots=5))

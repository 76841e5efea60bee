_base_ = ['./vim_effnet-lite0_1xb1-5way-1shot_synthetic.py']

# 5-way 5-shot: support guidance is the class mean over the 5 shots, and the
# shots of a class are fused into one prototype clip.
train_dataloader = dict(dataset=dict(num_shots=5))
val_dataloader = dict(dataset=dict(num_shots=5))
test_dataloader = dict(dataset=dict(num_shots=5))

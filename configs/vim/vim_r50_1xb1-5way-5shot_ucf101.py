_base_ = ['./vim_r50_1xb1-5way-1shot_ucf101.py']

# 5-way 5-shot: the head fuses the 5 shots of a class before aligning.
train_dataloader = dict(dataset=dict(num_shots=5))
val_dataloader = dict(dataset=dict(num_shots=5))
test_dataloader = dict(dataset=dict(num_shots=5))

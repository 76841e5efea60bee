_base_ = ['./otam_effnet-lite0_1xb1-5way-1shot_synthetic.py']

# 5-way 5-shot: a class's distance is the mean over its shots.
train_dataloader = dict(dataset=dict(num_shots=5))
val_dataloader = dict(dataset=dict(num_shots=5))
test_dataloader = dict(dataset=dict(num_shots=5))

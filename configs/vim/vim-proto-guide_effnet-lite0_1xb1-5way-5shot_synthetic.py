_base_ = ['./vim-proto-guide_effnet-lite0_1xb1-5way-1shot_synthetic.py']

# 5-way 5-shot, as vim_effnet-lite0_1xb1-5way-5shot_synthetic.py.
train_dataloader = dict(dataset=dict(num_shots=5))
val_dataloader = dict(dataset=dict(num_shots=5))
test_dataloader = dict(dataset=dict(num_shots=5))

_base_ = ['./vim-align-uniform16_effnet-lite0_1xb1-5way-1shot_synthetic.py']

train_dataloader = dict(dataset=dict(num_shots=5))
val_dataloader = dict(dataset=dict(num_shots=5))
test_dataloader = dict(dataset=dict(num_shots=5))

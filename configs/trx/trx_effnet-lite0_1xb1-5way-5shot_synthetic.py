_base_ = ['./trx_effnet-lite0_1xb1-5way-1shot_synthetic.py']

# 5-way 5-shot: query tuples attend over the tuples of all shots of a class.
train_dataloader = dict(dataset=dict(num_shots=5))
val_dataloader = dict(dataset=dict(num_shots=5))
test_dataloader = dict(dataset=dict(num_shots=5))

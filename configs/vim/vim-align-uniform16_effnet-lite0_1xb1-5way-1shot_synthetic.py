_base_ = ['./vim-align_effnet-lite0_1xb1-5way-1shot_synthetic.py']

# VIM's alignment head on exactly the full VIM's input (vim_effnet-lite0_*):
# the same 16 dense frames per clip, of which the 8 segment centres are kept.
# The sampler-free baseline of the alignment head.
model = dict(sampler=dict(type='UniformFrameSampler', num_frames=8))

# The dense pipelines of datasets/fewshot_synthetic.py.
train_dataloader = dict(
    dataset=dict(dataset=dict(pipeline={{_base_.dense_train_pipeline}})))
val_dataloader = dict(
    dataset=dict(dataset=dict(pipeline={{_base_.dense_test_pipeline}})))
test_dataloader = dict(
    dataset=dict(dataset=dict(pipeline={{_base_.dense_test_pipeline}})))

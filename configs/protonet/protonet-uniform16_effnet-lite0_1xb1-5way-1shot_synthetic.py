_base_ = ['../vim/vim-sampler_effnet-lite0_1xb1-5way-1shot_synthetic.py']

# The sampler-free baseline on exactly the sampler's input: the same 16
# dense frames per clip, of which the 8 segment centres are kept.
model = dict(
    sampler=dict(_delete_=True, type='UniformFrameSampler', num_frames=8),
    mi_loss=None)
custom_hooks = []

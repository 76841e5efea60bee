_base_ = ['./vim_effnet-lite0_1xb1-5way-1shot_synthetic.py']

# VIM in full, its sampler guided by ProtoNet as well: SamplerGuidanceLoss
# scores each training episode a second time with a fixed-temperature
# ProtoNet head on the same features and passes that loss's gradient to the
# sampler only; backbone and alignment head learn from the head's loss alone.
# Why: the zoom helps behind ProtoNet and cost behind the alignment head
# (docs/benchmarks.md, issue 8). Its figures on the window preset
# (benchmark_sampler_accuracy.py, variant vim-proto-guide) are in
# configs/vim/README.md and docs/benchmarks.md, kept there only.
# Costs one more input-gradient backward per step.
model = dict(sampler_guide=dict(type='SamplerGuidanceLoss'))

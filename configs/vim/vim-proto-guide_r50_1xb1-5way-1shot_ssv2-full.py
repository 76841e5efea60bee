_base_ = ['./vim_r50_1xb1-5way-1shot_ssv2-full.py']

# VIM in full with its sampler guided by ProtoNet as well (SamplerGuidanceLoss:
# the gradient of a fixed-temperature ProtoNet loss on the same features goes
# to the sampler only). It helped on the synthetic window preset
# (vim-proto-guide_effnet-lite0_1xb1-5way-1shot_synthetic.py); not yet trained
# on SSv2. One more input-gradient backward through ResNet-50 per step.
model = dict(sampler_guide=dict(type='SamplerGuidanceLoss'))

_base_ = ['../vim/vim-align_effnet-lite0_1xb1-5way-1shot_synthetic.py']

# OTAM (soft-DTW over frame cosine distances, gamma 0.1, both directions) on
# the embedded synthetic benchmark, with the backbone, data and budget of
# VIM's alignment head there: the two compare on equal terms.
model = dict(cls_head=dict(_delete_=True, type='OTAMHead', gamma=0.1))
custom_hooks = []

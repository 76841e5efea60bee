# OTAM on ResNet-50: soft-DTW (gamma 0.1) over frame cosine distances of
# clip-pooled frames, OTAM's zero padding and move set, both directions
# summed; no parameters.
_base_ = ['./fewshot_r50.py']

model = dict(cls_head=dict(_delete_=True, type='OTAMHead', gamma=0.1))

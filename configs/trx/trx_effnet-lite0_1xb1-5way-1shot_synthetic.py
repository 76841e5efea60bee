_base_ = ['../vim/vim-align_effnet-lite0_1xb1-5way-1shot_synthetic.py']

# TRX (cross-transformer over ordered frame pairs and triples, 1152-d) on
# EfficientNet-Lite0's 1280-d frames of the embedded synthetic benchmark,
# with the backbone, data and budget of VIM's alignment head there. The
# distances are divided by the 1152 channels: undivided (TRX's form) they
# start hundreds apart here, and AdamW drove every value to the same point
# (loss ln 5, chance accuracy; docs/benchmarks.md).
model = dict(
    cls_head=dict(
        _delete_=True,
        type='TRXHead',
        in_channels=1280,
        cardinalities=(2, 3),
        embed_channels=1152,
        pe_scale=0.1,
        dropout=0.1,
        temperature=1152.0))
custom_hooks = []

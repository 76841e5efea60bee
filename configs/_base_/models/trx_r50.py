# TRX on ResNet-50: cross-transformer over ordered frame pairs and triples,
# keys and values 1152-d, positional encoding scaled by 0.1; the distances
# are averaged over the two cardinalities.
_base_ = ['./fewshot_r50.py']

model = dict(
    cls_head=dict(
        _delete_=True,
        type='TRXHead',
        in_channels=2048,
        cardinalities=(2, 3),
        embed_channels=1152,
        pe_scale=0.1,
        dropout=0.1))

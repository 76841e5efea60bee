# Few-shot recognizer on an ImageNet ResNet-50 (frame features 2048 x 7 x 7).
# Method configs choose the head and its numbers.
model = dict(
    type='FewShotRecognizer',
    backbone=dict(
        type='ResNet',
        depth=50,
        pretrained='torchvision://resnet50',
        norm_eval=False),
    cls_head=dict(type='ProtoHead'),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCHW'))

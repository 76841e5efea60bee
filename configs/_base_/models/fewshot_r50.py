# Few-shot recognizer on an ImageNet ResNet-50 (frame features 2048 x 7 x 7),
# with ProtoNet's head: cosine similarity of clip-mean features to the class
# prototypes. The other method bases in this folder replace the head.
model = dict(
    type='FewShotRecognizer',
    backbone=dict(
        type='ResNet',
        depth=50,
        pretrained='torchvision://resnet50',
        norm_eval=False),
    cls_head=dict(
        type='ProtoHead',
        metric='cosine',
        temperature=0.1,
        learn_temperature=True),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCHW'))

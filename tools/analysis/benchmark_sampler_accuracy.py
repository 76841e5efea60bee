"""VIM's sampler against uniform frames, its parts alone, and its switches.

Every variant of a family gets the same backbone, dense input (16 frames
per clip), training budget, seed and fixed test episodes; only the frame
selection (or one switch of the sampler) differs. Runs, JSON lines and
paired differences as described in ``accuracy_benchmark.py``;
``--skip-existing`` reuses finished runs, e.g. to add a variant later.

Example (the figures in docs/benchmarks.md)::

    python tools/data/make_synthetic.py data/synthetic-window --preset window
    python tools/analysis/benchmark_sampler_accuracy.py \\
        --data-root data/synthetic-window --shots 1 --seeds 0 1 \\
        --variants uniform sampler selector amplifier align-uniform vim

Variants under ProtoNet (``protonet-uniform16_*`` / ``vim-sampler_*``
synthetic configs; paired with ``uniform``):

- ``uniform``: the 8 segment centres of the 16 frames.
- ``sampler``: ``TaskAdaptiveSampler`` keeps 8 and zooms (selector,
  task-adaptive learner, amplifier); no MI term, as configured.
- ``selector``: the sampler without its amplifier (frame choice only).
- ``amplifier``: the sampler without selector and learner (the segment
  centres, zoomed).
- ``sampler-anchored``: the sampler with 4 of its 8 frames anchored at the
  centres of 4 equal segments (``anchor_frames=4``: no gap between kept
  frames above 4 of the 16; a window of a quarter of the clip holds one
  anchor); the selector chooses the other 4.
- ``selector-anchored``: ``sampler-anchored`` without its amplifier (frame
  choice only).

Under VIM's alignment head (``vim-align-uniform16_*`` / ``vim_*``; ``vim``
paired with ``align-uniform``):

- ``align-uniform``: the alignment head on the 8 segment centres.
- ``vim``: VIM in full, the sampler and the alignment head.
- ``vim-own-clip``: VIM in full with the sampler's gradient clipped by its
  own norm (max 5), the rest by max_norm=20 (paired with ``vim``).
- ``vim-lr2x``: VIM in full at the ProtoNet family's learning rate (2e-4,
  the sampler's new layers 2e-3; paired with ``vim``).
- ``vim-selector``: VIM without the amplifier: the head on the selector's
  frames, unzoomed (paired with ``align-uniform``).
- ``vim-clip-zoom``: VIM with one zoom per clip (the mean saliency of its
  kept frames) instead of one per frame (paired with ``align-uniform``).
- ``vim-zoom2``: VIM in full with the zoom bounded at 2x instead of 4x
  (paired with ``align-uniform``).
- ``vim-zoom-warmup``: VIM in full with a zoom that starts as the identity
  and grows to 4x over the first 100 episodes (``vim-zoom-warmup_*``;
  paired with ``align-uniform``).
- ``vim-sampler-lr1x``: VIM in full with the sampler's own layers at the
  head's learning rate (lr_mult 1 instead of 10; paired with
  ``align-uniform``).
- ``vim-scan-frozen``: VIM in full with its ImageNet scan network frozen
  (the selector, learner and saliency weights still learn; paired with
  ``align-uniform``).
- ``vim-detach-grid``: VIM in full with the released amplifier's detached
  zoom grid (paired with ``align-uniform``).
- ``vim-zoom-strength``: VIM with a learned zoom strength: the amplifier's
  grid blended with the identity by a learned scalar that starts at 0.1
  (nearly unzoomed, as ``vim-selector``) and learns at 1e-1 (paired with
  ``align-uniform``).
- ``vim-proto-guide``: VIM in full whose sampler also learns from a
  ProtoNet loss on the sampled frames' features (``SamplerGuidanceLoss``:
  its gradient reaches the sampler only, backbone and head learn from the
  head's loss alone; paired with ``align-uniform``).
- ``vim-proto-guide-anchored``: ``vim-proto-guide`` with the anchors of
  ``sampler-anchored`` (paired with ``align-uniform``).

Switches of the sampler (paired with ``sampler``; each changes one thing):

- ``sampler-detach-grid``: no gradient through the zoom grid (the
  released code's amplifier).
- ``sampler-mean-saliency``: the parameter-free channel-mean saliency.
- ``sampler-adapt-saliency``: saliency channel weights offset per task by
  the learner (theta_sa).
- ``sampler-mi``: with the sampled-vs-all-frames MI term (weight 0.5, the
  all-frame prediction as the target).
- ``sampler-mi-sampled``: the same in TA2N's direction (the all-frame pass
  learns, the sampled prediction is the target).
- ``sampler-baseline``: the perturbed top-k's gradient with a leave-one-out
  baseline.
- ``sampler-own-clip``: the sampler's gradient clipped by its own norm
  (max 5) instead of within the shared max_norm=20.
- ``sampler-no-position``: the selector without its position encoding
  (frames scored from content and guidance only).

Cheaper forms of the MI term (paired with ``sampler-mi``):

- ``sampler-mi-every4``: the term at every 4th step, weighted 4x.
- ``sampler-mi-bf16``: its all-frame pass under bfloat16 autocast.
"""
import os.path as osp
import sys
from typing import Optional, Sequence

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))

from accuracy_benchmark import Suite, run_suite  # noqa: E402

CONFIG = 'configs/{folder}/{name}_effnet-lite0_1xb1-5way-{{shot}}shot_synthetic.py'
UNIFORM = CONFIG.format(folder='protonet', name='protonet-uniform16')
SAMPLER = CONFIG.format(folder='vim', name='vim-sampler')
VIM = CONFIG.format(folder='vim', name='vim')
NO_AMPLIFIER = ['model.sampler.amplifier=None']
ANCHORED = ['model.sampler.anchor_frames=4']
PROTO_GUIDE = ['model.sampler_guide.type=SamplerGuidanceLoss']
SWITCHES = {
    'sampler-detach-grid': ['model.sampler.amplifier.detach_grid=True'],
    'sampler-mean-saliency': ['model.sampler.amplifier.saliency=mean'],
    'sampler-adapt-saliency': ['model.sampler.learner.adapt_saliency=True'],
    'sampler-mi': ['model.mi_loss.loss_weight=0.5'],
    'sampler-mi-sampled':
    ['model.mi_loss.loss_weight=0.5', 'model.mi_loss.target=sampled'],
    'sampler-baseline': ['model.sampler.topk.baseline=True'],
    'sampler-own-clip': [
        'optim_wrapper.type=GroupClipOptimWrapper',
        'optim_wrapper.clip_grad_groups.sampler.max_norm=5.0'
    ],
    'sampler-no-position':
    ['model.sampler.selector.positional_encoding=False'],
}
# custom_keys match by substring, the longest key first: the strength's own
# key wins over 'sampler'. At 1000x the base 1e-4 its logit can cross from
# 0.1 to 0.9 in a few tens of the 300 training steps.
ZOOM_STRENGTH = [
    'model.sampler.amplifier.initial_strength=0.1',
    'optim_wrapper.paramwise_cfg.custom_keys.zoom_strength_logit.lr_mult=1000.0',
    'optim_wrapper.paramwise_cfg.custom_keys.zoom_strength_logit.decay_mult=0.0',
]
MI_OPTIONS = {
    'sampler-mi-every4':
    SWITCHES['sampler-mi'] + ['model.mi_loss.interval=4'],
    'sampler-mi-bf16':
    SWITCHES['sampler-mi'] + ['model.mi_loss.all_frames_dtype=bfloat16'],
}
SUITE = Suite(
    description=__doc__.split('\n')[0],
    configs={
        'uniform': UNIFORM,
        'sampler': SAMPLER,
        'selector': SAMPLER,
        'amplifier': SAMPLER,
        'sampler-anchored': SAMPLER,
        'selector-anchored': SAMPLER,
        'align-uniform': CONFIG.format(
            folder='vim', name='vim-align-uniform16'),
        'vim': VIM,
        'vim-own-clip': VIM,
        'vim-lr2x': VIM,
        'vim-selector': VIM,
        'vim-clip-zoom': VIM,
        'vim-zoom2': VIM,
        'vim-zoom-warmup': CONFIG.format(folder='vim', name='vim-zoom-warmup'),
        'vim-sampler-lr1x': VIM,
        'vim-scan-frozen': VIM,
        'vim-detach-grid': VIM,
        'vim-zoom-strength': VIM,
        'vim-proto-guide': VIM,
        'vim-proto-guide-anchored': VIM,
        **{switch: SAMPLER
           for switch in {**SWITCHES, **MI_OPTIONS}},
    },
    reference='uniform',
    references={
        'align-uniform': 'align-uniform',  # a reference of its own
        'vim': 'align-uniform',
        'vim-own-clip': 'vim',
        'vim-lr2x': 'vim',
        'vim-selector': 'align-uniform',
        'vim-clip-zoom': 'align-uniform',
        'vim-zoom2': 'align-uniform',
        'vim-zoom-warmup': 'align-uniform',
        'vim-sampler-lr1x': 'align-uniform',
        'vim-scan-frozen': 'align-uniform',
        'vim-detach-grid': 'align-uniform',
        'vim-zoom-strength': 'align-uniform',
        'vim-proto-guide': 'align-uniform',
        'vim-proto-guide-anchored': 'align-uniform',
        **{switch: 'sampler'
           for switch in SWITCHES},
        **{option: 'sampler-mi'
           for option in MI_OPTIONS},
    },
    default_variants=['uniform', 'sampler'],
    work_root='work_dirs/benchmark_sampler_accuracy',
    extra_options={
        'selector': NO_AMPLIFIER,
        'vim-selector': NO_AMPLIFIER,
        'vim-clip-zoom': ['model.sampler.amplifier.zoom=clip'],
        'vim-zoom2': ['model.sampler.amplifier.max_zoom=2.0'],
        # Without a selector there is no perturbed top-k for the sigma hook.
        'amplifier': [
            'model.sampler.selector=None', 'model.sampler.learner=None',
            'custom_hooks=[]'
        ],
        **SWITCHES,
        **MI_OPTIONS,
        'vim-own-clip': SWITCHES['sampler-own-clip'],
        'vim-lr2x': ['optim_wrapper.optimizer.lr=2e-4'],
        'vim-sampler-lr1x':
        ['optim_wrapper.paramwise_cfg.custom_keys.sampler.lr_mult=1.0'],
        # The stem and all 11 MBConv blocks the scan keeps.
        'vim-scan-frozen': ['model.sampler.scan_net.frozen_blocks=11'],
        'vim-detach-grid': SWITCHES['sampler-detach-grid'],
        'vim-zoom-strength': ZOOM_STRENGTH,
        'sampler-anchored': ANCHORED,
        'selector-anchored': NO_AMPLIFIER + ANCHORED,
        'vim-proto-guide': PROTO_GUIDE,
        'vim-proto-guide-anchored': PROTO_GUIDE + ANCHORED,
    },
    train_episodes=100,
    epochs=3)


def main(argv: Optional[Sequence[str]] = None) -> None:
    run_suite(SUITE, argv)


if __name__ == '__main__':
    main()

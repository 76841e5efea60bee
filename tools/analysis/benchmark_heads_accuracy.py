"""VIM's alignment head against ProtoNet, OTAM and TRX, trained and tested.

Every head sits on the same EfficientNet-Lite0 (blocks 0-7 frozen), reads
the same 8 frames per clip, and gets the same optimiser (AdamW, lr 1e-4),
training budget (3 queries per class), seed and fixed test episodes of the
embedded synthetic benchmark; only the head differs. Runs, JSON lines and
paired differences to ``protonet`` as described in
``accuracy_benchmark.py``.

Example (the figures in docs/benchmarks.md)::

    python tools/data/make_synthetic.py data/synthetic
    python tools/analysis/benchmark_heads_accuracy.py --shots 1

Variants:

- ``protonet``: order-free, cosine to the clip-mean prototypes
  (``protonet_effnet-lite0_*_synthetic.py``, brought to the budget of the
  others by the options below).
- ``otam``: soft-DTW over frame distances (``otam_effnet-lite0_*``).
- ``trx``: cross-transformer over frame pairs and triples
  (``trx_effnet-lite0_*``).
- ``vim-align``: VIM's spatial-temporal alignment head, MI term included
  (``vim-align_effnet-lite0_*``).
"""
import os.path as osp
import sys
from typing import Optional, Sequence

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))

from accuracy_benchmark import Suite, run_suite  # noqa: E402

SUITE = Suite(
    description=__doc__.split('\n')[0],
    configs={
        name: f'configs/{folder}/{name}_effnet-lite0_'
        '1xb1-5way-{shot}shot_synthetic.py'
        for name, folder in (('protonet', 'protonet'), ('otam', 'otam'),
                             ('trx', 'trx'), ('vim-align', 'vim'))
    },
    reference='protonet',
    default_variants=['protonet', 'otam', 'trx', 'vim-align'],
    work_root='work_dirs/benchmark_heads_accuracy',
    # The demo config trains less of the backbone, faster, on fewer queries.
    extra_options={
        'protonet': [
            'model.backbone.frozen_blocks=8',
            'optim_wrapper.optimizer.lr=0.0001',
            'train_dataloader.dataset.num_queries=3'
        ]
    },
    train_episodes=100,
    epochs=3)


def main(argv: Optional[Sequence[str]] = None) -> None:
    run_suite(SUITE, argv)


if __name__ == '__main__':
    main()

"""Sampler + ProtoHead against uniform frames + ProtoHead, trained and tested.

Every variant gets the same backbone, dense input (16 frames per clip),
training budget, seed and fixed test episodes; only the frame selection
differs. Runs, JSON lines and paired differences to ``uniform`` as
described in ``accuracy_benchmark.py``; ``--skip-existing`` reuses finished
runs, e.g. to add a variant later.

Example (the figures in docs/benchmarks.md)::

    python tools/data/make_synthetic.py data/synthetic
    python tools/analysis/benchmark_sampler_accuracy.py --shots 1 5

Variants:

- ``uniform``: the 8 segment centres of the 16 frames
  (``protonet-uniform16_effnet-lite0_*_synthetic.py``).
- ``sampler``: ``TaskAdaptiveSampler`` keeps 8 and zooms, plus the MI term
  (``vim-sampler_effnet-lite0_*_synthetic.py``).
- ``sampler-no-amplifier``: the same without the spatial amplifier.
"""
import os.path as osp
import sys
from typing import Optional, Sequence

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))

from accuracy_benchmark import Suite, run_suite  # noqa: E402

SAMPLER_CONFIG = ('configs/vim/vim-sampler_effnet-lite0_'
                  '1xb1-5way-{shot}shot_synthetic.py')
SUITE = Suite(
    description=__doc__.split('\n')[0],
    configs={
        'uniform': 'configs/protonet/protonet-uniform16_effnet-lite0_'
        '1xb1-5way-{shot}shot_synthetic.py',
        'sampler': SAMPLER_CONFIG,
        'sampler-no-amplifier': SAMPLER_CONFIG,
    },
    reference='uniform',
    default_variants=['uniform', 'sampler'],
    work_root='work_dirs/benchmark_sampler_accuracy',
    extra_options={'sampler-no-amplifier': ['model.sampler.amplifier=None']})


def main(argv: Optional[Sequence[str]] = None) -> None:
    run_suite(SUITE, argv)


if __name__ == '__main__':
    main()

import json
import subprocess
import sys

from ..helpers import REPO


def test_one_json_line_per_implementation_and_the_speedup():
    out = subprocess.run([
        sys.executable, 'tools/analysis/benchmark_heads.py', '--heads',
        'VIMAlignmentHead', '--in-channels', '8', '--way', '2', '--shot', '2',
        '--query', '1', '--frames', '4', '--size', '3', '--warmup', '0',
        '--repeats', '2', '--threads', '1', '--pairwise-impl', 'factorised',
        'naive'
    ],
                         cwd=REPO,
                         capture_output=True,
                         text=True,
                         check=True).stdout
    lines = [json.loads(line) for line in out.splitlines()]
    assert [(line['head'], line.get('pairwise_impl'))
            for line in lines] == [('VIMAlignmentHead', 'factorised'),
                                   ('VIMAlignmentHead', 'naive'),
                                   ('VIMAlignmentHead', None)]
    for line in lines[:2]:
        assert line['fwd_bwd_s'] > 0 and line['peak_mem_mb'] >= 0
        assert len(line['times_s']) == 2 and line['in_channels'] == 8
    assert lines[2]['speedup_fwd_bwd_s'] > 0

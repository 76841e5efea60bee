"""tools/analysis/benchmark_gpu.py --dry-run: every measurement of the GPU
benchmark runs, at tiny sizes on the CPU, and lands in OUT_DIR."""
import json

from ..helpers import load_tool


def test_dry_run_writes_every_measurement(tmp_path, capsys):
    load_tool('tools/analysis/benchmark_gpu.py').main(
        ['--dry-run', '--out-dir', str(tmp_path)])
    lines = (tmp_path / 'benchmark_gpu.jsonl').read_text().splitlines()
    assert capsys.readouterr().out.splitlines() == lines
    records = [json.loads(line) for line in lines]
    assert [(r['measure'], r.get('name'), r.get('feature_cache'))
            for r in records] == [
                ('environment', None, None),
                *[('train_step', name, None)
                  for name in ('vim', 'vim_no_mi', 'vim_5shot', 'resnet50',
                               'vim_over_resnet50', 'vim_channels_last',
                               'resnet50_channels_last',
                               'vim_over_resnet50_channels_last')],
                ('test', 'vim', False), ('test', 'vim_align', False),
                ('test', 'vim_align', True),
                *[('head', name, None)
                  for name in ('ProtoHead', 'OTAMHead', 'TRXHead',
                               'VIMAlignmentHead')]
            ]
    environment = records[0]
    assert environment['device'] == 'cpu' and environment['dry_run']
    assert 'ScanShuffleNetV2 with pretrained=False' in environment['weights']
    assert all(r['step_s'] > 0 for r in records[1:5])
    assert all(r['step_s'] > 0 and r['channels_last'] and r['cudnn_benchmark']
               for r in records[6:8])
    assert records[8]['step_ratio'] > 0
    assert records[9]['episodes_per_s'] > 0
    assert records[11]['estimate_10000_episodes_s'] > 0
    assert [r['cached_rows'] for r in records[12:]] == [
        'pooled (T, C)', 'pooled (T, C)', 'pooled (T, C)',
        'maps (T, C, h, w)'
    ]

"""tools/slurm_{train,test}.sh hand srun mmaction2's arguments (a stand-in
srun on PATH records what it is given)."""
import os
import shlex
import subprocess

import pytest

from ..helpers import REPO

SRUN = '#!/usr/bin/env bash\nprintf "%s\\n" "$@" > "$SRUN_RECORD"\n'


@pytest.mark.parametrize('script, arguments, tool', [
    ('tools/slurm_train.sh', ['part', 'job', 'cfg.py', '--seed', '1'],
     ['tools/train.py', 'cfg.py', '--seed', '1', '--launcher', 'slurm']),
    ('tools/slurm_test.sh', ['part', 'job', 'cfg.py', 'ckpt.pth', '--dump',
                             'out.pkl'],
     ['tools/test.py', 'cfg.py', 'ckpt.pth', '--dump', 'out.pkl',
      '--launcher', 'slurm']),
])
def test_srun_gets_the_job_and_the_tool(tmp_path, script, arguments, tool):
    (tmp_path / 'srun').write_text(SRUN)
    (tmp_path / 'srun').chmod(0o755)
    record = tmp_path / 'record.txt'
    env = dict(
        os.environ,
        PATH=f'{tmp_path}:{os.environ["PATH"]}',
        SRUN_RECORD=str(record),
        GPUS='16',
        GPUS_PER_NODE='8',
        SRUN_ARGS='--quotatype=auto',
        PYTHON='python3')
    subprocess.run(['bash', script, *arguments],
                   cwd=REPO,
                   env=env,
                   check=True)
    recorded = record.read_text().splitlines()
    assert recorded == [
        '--partition=part', '--job-name=job', '--gres=gpu:8', '--ntasks=16',
        '--ntasks-per-node=8', '--cpus-per-task=5', '--kill-on-bad-exit=1',
        '--quotatype=auto', 'python3', '-u', *tool
    ], shlex.join(recorded)

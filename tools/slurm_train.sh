#!/usr/bin/env bash
# Usage: tools/slurm_train.sh PARTITION JOB_NAME CONFIG [train.py options]
# GPUS, GPUS_PER_NODE, CPUS_PER_TASK, SRUN_ARGS: see slurm_run.sh. Keep the
# recipe's episodes per optimiser step on other GPU counts with
# --cfg-options optim_wrapper.accumulative_counts=N (docs/getting_started.md).
set -euo pipefail
exec bash "$(dirname "$0")/slurm_run.sh" "$1" "$2" train.py "${@:3}"

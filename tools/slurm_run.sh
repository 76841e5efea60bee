#!/usr/bin/env bash
# Usage: tools/slurm_run.sh PARTITION JOB_NAME TOOL [TOOL arguments]
# Runs tools/TOOL (train.py or test.py) as one srun task per GPU: GPUS in
# all (default 8), GPUS_PER_NODE per node (default 8), CPUS_PER_TASK each
# (default 5), SRUN_ARGS passed to srun; each task gets --launcher slurm.
# tools/slurm_train.sh and slurm_test.sh call it with mmaction2's arguments.
set -euo pipefail
PARTITION=$1
JOB_NAME=$2
TOOL=$3
GPUS=${GPUS:-8}
GPUS_PER_NODE=${GPUS_PER_NODE:-8}
CPUS_PER_TASK=${CPUS_PER_TASK:-5}
SRUN_ARGS=${SRUN_ARGS:-""}
# One rendezvous port per job, so that jobs sharing a node do not collide.
export MASTER_PORT=${MASTER_PORT:-$((20000 + RANDOM % 20000))}
PYTHON=${PYTHON:-python}
PYTHONPATH="$(dirname "$0")/..${PYTHONPATH:+:$PYTHONPATH}" \
srun --partition="$PARTITION" --job-name="$JOB_NAME" \
    --gres=gpu:"$GPUS_PER_NODE" --ntasks="$GPUS" \
    --ntasks-per-node="$GPUS_PER_NODE" --cpus-per-task="$CPUS_PER_TASK" \
    --kill-on-bad-exit=1 $SRUN_ARGS \
    "$PYTHON" -u "$(dirname "$0")/$TOOL" "${@:4}" --launcher slurm

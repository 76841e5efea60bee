#!/usr/bin/env bash
# Usage: tools/analysis/gpu_wheels.sh DIR [REQUIREMENT ...]
#
# On a machine with network: downloads into DIR the wheels that
# tools/analysis/gpu_check.sh installs on a GPU machine without one (CPython
# 3.12, x86-64 Linux): tools/analysis/gpu_requirements.txt, plus any extra
# REQUIREMENT (e.g. scipy opencv-python-headless for a machine without them;
# then the folder outgrows 60 MB). Prints the folder's size.
set -euo pipefail
DIR=${1:?usage: tools/analysis/gpu_wheels.sh DIR [REQUIREMENT ...]}
shift
PYTHON=${PYTHON:-python3}
REQUIREMENTS="$(dirname "$0")/gpu_requirements.txt"
"$PYTHON" -m pip download --dest "$DIR" --no-deps --only-binary=:all: \
    --python-version 3.12 --implementation cp \
    --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 \
    --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
    --platform manylinux2010_x86_64 --platform manylinux1_x86_64 \
    -r "$REQUIREMENTS" "$@"
SIZE_MB=$(du -sm "$DIR" | cut -f1)
echo "$DIR: $(ls "$DIR" | wc -l) wheels, $SIZE_MB MB"
if [ "$SIZE_MB" -gt 60 ]; then
    echo "note: over the 60 MB the GPU check is sized for" >&2
fi

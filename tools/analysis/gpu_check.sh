#!/usr/bin/env bash
# Usage: tools/analysis/gpu_check.sh OUT_DIR [--wheels DIR] [--dry-run]
#
# The GPU check, in one go on a machine without network that has CPython
# 3.12 with torch and torchvision (and numpy, Pillow, scipy, cv2, matplotlib; see
# tools/analysis/gpu_requirements.txt):
#   1. installs the wheels of DIR (default wheels/, made on a networked
#      machine by tools/analysis/gpu_wheels.sh DIR), keeping packages that
#      already fit, and puts the project (this checkout) on PYTHONPATH;
#   2. runs the CUDA tests (pytest -m cuda, in the files that have them);
#   3. runs tools/analysis/benchmark_gpu.py (model-only VIM-R50);
#   4. trains and tests VIM in full through the stock tools/train.py and
#      tools/test.py (the real Runner, data loading and decoding included) on
#      the embedded synthetic benchmark, made in data/synthetic if missing
#      (that needs PyAV; else copy the folder in): 200 training and 300 test
#      episodes, 8 loader workers.
# Writes OUT_DIR/gpu_check.log (the Runner's log too), OUT_DIR/cuda_tests.xml
# and OUT_DIR/benchmark_gpu.jsonl. Sized to end within 8 minutes on an H100;
# the exit status is that of the first failed step (each step runs even when
# an earlier one fails). PYTHON picks the interpreter (default python3).
# --dry-run tries the same steps on a machine without a GPU: the CUDA tests
# skip, the benchmark runs at tiny sizes on the CPU, and the Runner step
# trains 4 and tests 4 episodes.
set -uo pipefail
usage='usage: tools/analysis/gpu_check.sh OUT_DIR [--wheels DIR] [--dry-run]'
OUT=${1:?$usage}
shift
WHEELS=wheels
DRY_RUN=()
while [ $# -gt 0 ]; do
    case $1 in
        --wheels) WHEELS=${2:?$usage}; shift 2 ;;
        --dry-run) DRY_RUN=(--dry-run); shift ;;
        *) echo "$usage" >&2; exit 2 ;;
    esac
done
PYTHON=${PYTHON:-python3}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
if [ ! -d "$WHEELS" ]; then
    echo "--wheels $WHEELS: no such folder; make it on a networked machine" \
        "with tools/analysis/gpu_wheels.sh $WHEELS" >&2
    exit 2
fi
WHEELS=$(cd "$WHEELS" && pwd)
cd "$(dirname "$0")/../.."  # the repository root
exec > >(tee "$OUT/gpu_check.log") 2>&1
status=0
step() { echo "== $(date -u +%H:%M:%S) $*"; }
failed() { [ "$status" -ne 0 ] || status=$1; }

step 'prerequisites'
"$PYTHON" - "${DRY_RUN[@]}" <<'EOF' || exit 1
import importlib
import sys
missing = []
for module, package in (('torch', 'torch'), ('torchvision', 'torchvision'),
                        ('numpy', 'numpy'), ('PIL', 'Pillow'),
                        ('scipy', 'scipy'), ('matplotlib', 'matplotlib'),
                        ('cv2', 'opencv-python-headless')):
    try:
        importlib.import_module(module)
    except ImportError:
        missing.append(package)
if missing:
    sys.exit(f'missing: {", ".join(missing)}. Add them to the wheels: '
             f'tools/analysis/gpu_wheels.sh DIR {" ".join(missing)}')
import torch
if not torch.cuda.is_available() and '--dry-run' not in sys.argv:
    sys.exit(f'torch {torch.__version__} sees no CUDA device')
device = torch.cuda.get_device_name() if torch.cuda.is_available() else 'CPU'
print(f'python {sys.version.split()[0]}, torch {torch.__version__}, {device}')
EOF

step "install (wheels from $WHEELS)"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_BREAK_SYSTEM_PACKAGES=1
"$PYTHON" -m pip install --quiet --no-index --find-links "$WHEELS" \
    --no-deps -r tools/analysis/gpu_requirements.txt || exit 1
# The project runs from this checkout: no build step (an editable install
# would need the machine's setuptools to build a wheel).
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
"$PYTHON" -c 'import vim_mmaction as v; print("vim_mmaction", v.__version__)' \
    || exit 1

step 'CUDA tests'
mapfile -t files < <(grep -rlE 'NEEDS_CUDA|pytest\.mark\.cuda' tests \
    --include='test_*.py' | sort)
PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 timeout 240 "$PYTHON" -m pytest -m cuda \
    -p no:cacheprovider -q -rs --junitxml "$OUT/cuda_tests.xml" "${files[@]}" \
    || failed $?

step 'benchmark'
PYTHONUNBUFFERED=1 timeout 300 "$PYTHON" tools/analysis/benchmark_gpu.py \
    --out-dir "$OUT" "${DRY_RUN[@]}" || failed $?

step 'training and test through the Runner'
CONFIG=configs/vim/vim_effnet-lite0_1xb1-5way-1shot_synthetic.py
if [ ${#DRY_RUN[@]} -eq 0 ]; then
    EPISODES=(200 30 300) WORKERS=8
else
    EPISODES=(4 2 4) WORKERS=2
fi
WORK_DIR=$(mktemp -d)
# make_synthetic.py encodes with PyAV, which the wheels leave out (35 MB):
# on a machine without it, bring data/synthetic made elsewhere.
if [ ! -f data/synthetic/splits/test.list ]; then
    "$PYTHON" -c 'import av' 2>/dev/null \
        || echo 'data/synthetic is missing and PyAV (av) is not installed' \
            'to make it: copy in data/synthetic made by' \
            'tools/data/make_synthetic.py, or add av to the wheels' >&2
    "$PYTHON" tools/data/make_synthetic.py data/synthetic || failed $?
fi
timeout 300 "$PYTHON" tools/train.py "$CONFIG" --work-dir "$WORK_DIR" \
    --cfg-options train_cfg.max_epochs=1 \
    "train_dataloader.dataset.num_episodes=${EPISODES[0]}" \
    "val_dataloader.dataset.num_episodes=${EPISODES[1]}" \
    train_dataloader.num_workers=$WORKERS val_dataloader.num_workers=$WORKERS \
    || failed $?
timeout 120 "$PYTHON" tools/test.py "$CONFIG" "$WORK_DIR/epoch_1.pth" \
    --work-dir "$WORK_DIR/test" --cfg-options \
    "test_dataloader.dataset.num_episodes=${EPISODES[2]}" \
    test_dataloader.num_workers=$WORKERS || failed $?
rm -r "$WORK_DIR"

step "done: status $status"
exit "$status"

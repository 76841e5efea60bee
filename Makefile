# Two entry points, both self-contained on a fresh machine:
#   make demo  - venv, install, synthetic benchmark, train, test 5-way 1-shot
#   make test  - the test suite in the same venv
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Tools run from make (tools/dist_*.sh included) find the venv's python first.
export PATH := $(abspath $(BIN)):$(PATH)
# Tested stack; override for another torch/CUDA build, e.g. TORCH='torch torchvision'.
TORCH ?= torch==2.14.1 torchvision==0.29.1
DEMO_DATA := data/synthetic
DEMO_CONFIG := configs/protonet/protonet_effnet-lite0_1xb1-5way-1shot_synthetic.py
DEMO_WORK_DIR := work_dirs/demo
define OPENCV_CHECK
from importlib.metadata import version
import cv2
releases = {version(d) for d in ('opencv-python', 'opencv-contrib-python')}
assert len(releases) == 1, f'cv2 comes from two opencv releases: {releases}'
print('cv2', cv2.__version__, 'from opencv(-contrib)-python', *releases)
endef
export OPENCV_CHECK

.PHONY: install demo test

install: $(VENV)/.installed

$(VENV)/.installed: setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install $(TORCH)
	$(BIN)/python -m pip install -e '.[tests]'
	# cv2 has two owners (see setup.py): both of one release, cv2 importable.
	$(BIN)/python -c "$$OPENCV_CHECK"
	touch $@

$(DEMO_DATA)/splits/test.list: tools/data/make_synthetic.py | install
	$(BIN)/python tools/data/make_synthetic.py $(DEMO_DATA)

demo: install $(DEMO_DATA)/splits/test.list
	$(BIN)/python tools/train.py $(DEMO_CONFIG) --work-dir $(DEMO_WORK_DIR)
	$(BIN)/python tools/test.py $(DEMO_CONFIG) \
		"$$(ls -t $(DEMO_WORK_DIR)/best_episodic_accuracy_epoch_*.pth | head -n 1)" \
		--work-dir $(DEMO_WORK_DIR)/test

test: install
	$(BIN)/python -m pytest -q -rs

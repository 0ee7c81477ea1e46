# Two commands on a fresh machine: `make run` (the app) and `make test` (the whole suite).
# Both create .venv and install everything on first use (llama-cpp-python compiles: ~7 min on 2 cores).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The CPU build of torch: pip finds it on this machine's disk; elsewhere add
# TORCH_INDEX=--index-url=https://download.pytorch.org/whl/cpu so that pip does not pull a CUDA build.
TORCH_INDEX ?=
# Portable x86-64 (AVX2) build. AMX kernels of a native build crash on some VMs (seen here).
# NVIDIA GPUs: make LLAMA_CMAKE_ARGS="-DGGML_CUDA=on"; Apple: LLAMA_CMAKE_ARGS="-DGGML_METAL=on".
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON
TEST_ENV := QT_QPA_PLATFORM=offscreen HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
# llama-cpp-python is built once into a wheel here, so a second venv (check-wheel) does not compile it again.
WHEELS := .wheels
LLAMA := llama-cpp-python==0.3.36

.PHONY: run test install models check-wheel clean

run: $(STAMP)
	$(VENV)/bin/desktop-app

test: $(STAMP)
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0 $(TORCH_INDEX)
	ls $(WHEELS)/llama_cpp_python-*.whl >/dev/null 2>&1 || \
		CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc 2>/dev/null || echo 2) \
		$(PY) -m pip wheel --no-deps --no-cache-dir -w $(WHEELS) $(LLAMA)
	$(PY) -m pip install --find-links $(WHEELS) $(LLAMA)
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# Assemble and verify the bundled models ahead of the first start (the app also does it on demand).
models: $(STAMP)
	$(VENV)/bin/desktop-app models

# `pip install .` (not editable) into a fresh venv finds the shipped adapter and icons and answers with the adapter.
check-wheel: $(STAMP)
	TORCH_INDEX="$(TORCH_INDEX)" PYTHON=$(PYTHON) bash scripts/check_wheel.sh

clean:
	rm -rf $(VENV) $(WHEELS) build *.egg-info .pytest_cache

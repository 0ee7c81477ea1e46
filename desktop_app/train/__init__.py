"""Training LoRA adapters for the bundled models (optional extra: ``pip install -e .[train]``)."""

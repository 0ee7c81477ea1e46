"""A local desktop assistant: RAG over your documents and live LoRA adapters on a GGUF model."""

__version__ = "0.1.0"

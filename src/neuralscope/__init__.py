"""neuralscope: see inside neural networks while they are built, trained, searched and shipped."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]

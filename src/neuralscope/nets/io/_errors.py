"""Typed errors for model loading: every refusal says what was wrong and what to do instead."""

from __future__ import annotations


class ModelLoadError(ValueError):
    """A model file could not be loaded."""


class EmptyModelError(ModelLoadError):
    """The file is empty or holds no tensors."""


class CorruptModelError(ModelLoadError):
    """The file is truncated or not a valid file of its format."""


class UnsafePickleError(ModelLoadError):
    """The pickle needs arbitrary code to load; it was refused and never executed."""


class UnsupportedFormatError(ModelLoadError):
    """The file's format is not one neuralscope reads."""

"""Safe loading of saved models, and layer inference when only weights exist."""

from neuralscope.nets.io._errors import (
    CorruptModelError,
    EmptyModelError,
    ModelLoadError,
    UnsafePickleError,
    UnsupportedFormatError,
)
from neuralscope.nets.io._infer import LayerInfo, infer_layers, module_layers
from neuralscope.nets.io._load import LoadedModel, from_module, load_model

__all__ = [
    "CorruptModelError",
    "EmptyModelError",
    "LayerInfo",
    "LoadedModel",
    "ModelLoadError",
    "UnsafePickleError",
    "UnsupportedFormatError",
    "from_module",
    "infer_layers",
    "load_model",
    "module_layers",
]

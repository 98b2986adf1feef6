"""Validating and storing an uploaded model file (for ``routers/models.py``).

The file is loaded with the safe loader (``nets.io.load_model``: a pickle that needs code is
refused, never executed) and, with an example input shape, run once on it; only then is it stored
as a content-addressed artifact, so nothing is kept when validation fails.
"""

from __future__ import annotations

import contextlib
import math
from pathlib import Path

import torch

from neuralscope.nets.io import (
    CorruptModelError,
    EmptyModelError,
    ModelLoadError,
    UnsafePickleError,
    UnsupportedFormatError,
    load_model,
)
from neuralscope.server.errors import ApiError
from neuralscope.server.schemas_models import ModelOut
from neuralscope.store import ArtifactNotFound, Store
from neuralscope.store.models_repo import ModelRecord

MEDIA_TYPE = "application/vnd.neuralscope.model"
MAX_INPUT_ELEMENTS = 1 << 22
_LOAD_ERRORS: tuple[tuple[type[ModelLoadError], str], ...] = (
    (UnsafePickleError, "unsafe_model"),
    (CorruptModelError, "corrupt_model"),
    (EmptyModelError, "empty_model"),
    (UnsupportedFormatError, "unsupported_format"),
)


def parse_dims(shape: str | None) -> list[int] | None:
    return [int(d) for d in shape.split(",")] if shape else None


def input_shape_of(shape: str | None) -> str | None:
    dims = parse_dims(shape)
    if dims is None:
        return None
    if min(dims) < 1 or math.prod(dims) > MAX_INPUT_ELEMENTS:
        raise ApiError(
            422,
            "invalid",
            f"input_shape must be positive sizes with at most {MAX_INPUT_ELEMENTS} elements",
        )
    return ",".join(map(str, dims))


def model_out(record: ModelRecord) -> ModelOut:
    return ModelOut(
        id=record.sha256,
        name=record.name,
        format=record.format,
        size=record.size,
        input_shape=parse_dims(record.input_shape),
        created_at=record.created_at,
    )


def get_model_out(store: Store, model_id: str) -> ModelOut:
    try:
        return model_out(store.models.get(model_id))
    except ArtifactNotFound:
        raise ApiError(404, "not_found", f"no model with id {model_id}") from None


def _check_input(module: torch.nn.Module | None, name: str, input_shape: str) -> None:
    """Run the model once on the example input, so a shape that does not fit is refused now."""
    if module is None:
        raise ApiError(
            422,
            "input_shape_unusable",
            f"{name} holds only weights, so input_shape cannot be used; upload TorchScript, "
            "torch.export or ONNX to measure FLOPs and latency",
        )
    example = torch.randn(*map(int, input_shape.split(",")))
    with contextlib.suppress(NotImplementedError):  # torch.export modules refuse eval()
        module.eval()
    try:
        with torch.no_grad():
            module(example)
    except (RuntimeError, ValueError, TypeError, IndexError, AssertionError) as exc:
        first = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise ApiError(
            422,
            "input_shape_mismatch",
            f"{name} does not run on an input of shape [{input_shape}]: {first}",
        ) from None


def validate_and_store(store: Store, temp: Path, name: str, input_shape: str | None) -> ModelOut:
    """Load ``temp`` safely (and run it on ``input_shape``); store it only if that works."""
    try:
        loaded = load_model(temp)
    except ModelLoadError as exc:
        code = next((c for t, c in _LOAD_ERRORS if isinstance(exc, t)), "invalid_model")
        message = str(exc).replace(str(temp), name)
        raise ApiError(422, code, message) from None
    if input_shape is not None:
        _check_input(loaded.module, name, input_shape)
    artifact = store.artifacts.put_file(temp, MEDIA_TYPE)
    record = store.models.add(
        artifact.sha256,
        name=name,
        format=loaded.format,
        size=artifact.size,
        input_shape=input_shape,
    )
    return model_out(record)


def safe_name(filename: str) -> str:
    name = Path(filename.replace("\\", "/")).name.strip()
    if not name or name in (".", ".."):
        raise ApiError(422, "invalid", "filename must name a file, e.g. model.safetensors")
    return name

"""Safe model loading: safetensors, state_dict / checkpoint files, TorchScript, torch.export, ONNX.

Pickles are only ever read with ``torch.load(weights_only=True)``, PyTorch's restricted
unpickler (tensors, containers, primitives); anything needing other globals is refused with
:class:`UnsafePickleError` before any of its code runs. Formats are told apart by their magic
bytes, not their suffix: safetensors (8-byte little-endian header length then ``{``), zip
(torch.save, TorchScript ``code/``, torch.export ``.pt2``), raw pickle protocol 2+ (``0x80``)
and ONNX protobuf (by ``.onnx`` suffix, validated by ``onnx``).
"""

from __future__ import annotations

import pickle
import re
import struct
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import torch

from neuralscope.nets.io._errors import (
    CorruptModelError,
    EmptyModelError,
    ModelLoadError,
    UnsafePickleError,
    UnsupportedFormatError,
)
from neuralscope.nets.io._infer import LayerInfo, infer_layers, module_layers

_CHECKPOINT_KEYS = ("state_dict", "model", "model_state_dict", "module", "net", "weights")


def _pickle_detail(exc: Exception) -> str:
    """The useful line of torch's weights_only refusal (it names the global), without the
    ANSI-coloured advice to turn the protection off."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))
    found = re.search(r"Unsupported global: GLOBAL ([\w.]+)", text)
    if found:
        return f"it references {found.group(1)}, which a weights-only load does not allow."
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return (lines[-1] if lines else text)[:200]


@dataclass(frozen=True)
class LoadedModel:
    """What was loaded: an executable module when the file holds one, and always the weights."""

    source: str
    format: str
    state: dict[str, torch.Tensor]
    layers: list[LayerInfo]
    module: torch.nn.Module | None = None
    graph_ops: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _from_state(source: str, fmt: str, state: dict[str, torch.Tensor], note: str) -> LoadedModel:
    if not state:
        raise EmptyModelError(f"{source}: the file holds no tensors")
    layers = infer_layers(state)
    kinds = sorted({layer.kind for layer in layers})
    notes = [note, f"layers and roles inferred from names and shapes: {', '.join(kinds)}"]
    return LoadedModel(source, fmt, state, layers, notes=notes)


def from_module(module: torch.nn.Module, source: str = "<module>") -> LoadedModel:
    """Wrap a live module (nothing inferred)."""
    state = {k: v.detach() for k, v in module.state_dict(keep_vars=True).items()}
    return LoadedModel(source, "module", state, module_layers(module), module=module)


def _tensor_dict(obj: object, source: str) -> dict[str, torch.Tensor]:
    if isinstance(obj, torch.nn.Module):
        return {k: v.detach() for k, v in obj.state_dict().items()}
    if isinstance(obj, dict):
        tensors = {str(k): v for k, v in obj.items() if isinstance(v, torch.Tensor)}
        if tensors:
            return tensors
        for key in _CHECKPOINT_KEYS:
            if key in obj:
                return _tensor_dict(obj[key], source)
        raise EmptyModelError(
            f"{source}: a dict without tensors; expected a state_dict or a checkpoint with one of "
            f"the keys {', '.join(_CHECKPOINT_KEYS)}"
        )
    raise UnsupportedFormatError(f"{source}: holds a {type(obj).__name__}, not a state_dict")


def _load_safetensors(path: Path) -> LoadedModel:
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    try:
        state = load_file(str(path))
    except (SafetensorError, OSError, ValueError) as exc:
        raise CorruptModelError(f"{path}: not a valid safetensors file ({exc})") from exc
    return _from_state(str(path), "safetensors", state, "weights only (safetensors)")


def _load_pickle(path: Path) -> LoadedModel:
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        raise UnsafePickleError(
            f"{path}: refused: this pickle needs arbitrary code to load (it is not a plain "
            "state_dict), so it was not executed. Save `model.state_dict()` or export with "
            f"torch.export / TorchScript / safetensors instead. Detail: {_pickle_detail(exc)}"
        ) from exc
    except (RuntimeError, EOFError, zipfile.BadZipFile, struct.error) as exc:
        raise CorruptModelError(f"{path}: truncated or corrupt torch file ({exc})") from exc
    return _from_state(str(path), "torch", _tensor_dict(obj, str(path)), "weights only (.pt)")


def _load_torchscript(path: Path) -> LoadedModel:
    try:
        with warnings.catch_warnings():  # TorchScript is deprecated upstream, still a format
            warnings.simplefilter("ignore", DeprecationWarning)
            module = torch.jit.load(str(path), map_location="cpu")  # type: ignore[no-untyped-call]
    except RuntimeError as exc:
        raise CorruptModelError(f"{path}: invalid TorchScript archive ({exc})") from exc
    loaded = from_module(module, str(path))
    note = "layers and roles inferred from names and shapes (TorchScript hides module types)"
    layers = infer_layers(loaded.state)
    return LoadedModel(str(path), "torchscript", loaded.state, layers, module, notes=[note])


def _load_export(path: Path) -> LoadedModel:
    try:
        program = torch.export.load(str(path))
    except Exception as exc:  # torch.export raises many types for bad archives
        raise CorruptModelError(f"{path}: invalid torch.export archive ({exc})") from exc
    module = program.module()
    assert isinstance(module, torch.nn.Module)
    loaded = from_module(module, str(path))
    ops = sorted({str(n.target) for n in program.graph.nodes if n.op == "call_function"})
    note = "layers and roles inferred from names and shapes (torch.export flattens modules)"
    layers = infer_layers(loaded.state)
    return LoadedModel(str(path), "torch.export", loaded.state, layers, module, ops, [note])


def _load_onnx(path: Path) -> LoadedModel:
    import onnx
    from onnx import numpy_helper

    try:
        proto = onnx.load(str(path))
        onnx.checker.check_model(proto)
    except Exception as exc:  # protobuf DecodeError, checker ValidationError, ...
        raise CorruptModelError(f"{path}: invalid ONNX model ({exc})") from exc
    state = {
        init.name: torch.from_numpy(numpy_helper.to_array(init).copy())
        for init in proto.graph.initializer
    }
    loaded = _from_state(str(path), "onnx", state, "weights from ONNX initializers")
    ops = sorted({node.op_type for node in proto.graph.node})
    return LoadedModel(str(path), "onnx", loaded.state, loaded.layers, None, ops, loaded.notes)


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile as exc:
        raise CorruptModelError(f"{path}: truncated or corrupt zip archive ({exc})") from exc
    if any("serialized_exported_program" in n or n.endswith("archive_format") for n in names):
        return "export"
    if any("/code/" in n or n.startswith("code/") for n in names) and any(
        n.endswith("constants.pkl") for n in names
    ):
        return "torchscript"
    return "pickle"


def _is_safetensors(head: bytes, size: int) -> bool:
    if len(head) < 9:
        return False
    (n,) = struct.unpack("<Q", head[:8])
    return head[8:9] == b"{" and 0 < n <= size - 8


def load_model(path: str | Path) -> LoadedModel:
    """Load a model file safely (see module docstring); raises a :class:`ModelLoadError`."""
    path = Path(path)
    if not path.is_file():
        raise ModelLoadError(f"{path}: no such file")
    size = path.stat().st_size
    if size == 0:
        raise EmptyModelError(f"{path}: the file is empty")
    with path.open("rb") as fh:
        head = fh.read(16)
    if path.suffix.lower() == ".onnx":
        return _load_onnx(path)
    if _is_safetensors(head, size):
        return _load_safetensors(path)
    if path.suffix.lower() == ".safetensors":
        raise CorruptModelError(f"{path}: truncated or corrupt safetensors header")
    if head.startswith(b"PK"):
        kind = _zip_kind(path)
        loader = {"export": _load_export, "torchscript": _load_torchscript}.get(kind, _load_pickle)
        return loader(path)
    if head[:1] == b"\x80":
        return _load_pickle(path)
    raise UnsupportedFormatError(
        f"{path}: unrecognised format; supported: .safetensors, .pt/.pth state_dict or "
        "checkpoint, TorchScript, torch.export (.pt2), .onnx"
    )

"""A run's model as an analytics model entry (``POST /api/models/from-run/{run_id}``).

A live Playground run's current weights are copied between two optimizer steps and stored as
one safetensors file whose header metadata (the format's ``__metadata__`` string map, see
https://huggingface.co/docs/safetensors) carries the run's :class:`ExportSpec` under
``SPEC_KEY``. The file stays an ordinary safetensors file any tool can read; neuralscope reads
the spec back, rebuilds the very ``nn.Sequential`` the Playground trained (``build_model``) and
loads the weights into it, so the analysis gets the real module tree and can run the model on an
input of the spec's shape (fx graph, FLOPs, latency, readiness) instead of a weights-only pass.
"""

from __future__ import annotations

import re
import struct
import tempfile
from pathlib import Path

import torch
from pydantic import ValidationError
from safetensors import safe_open
from safetensors.torch import load_file, save
from torch import nn

from neuralscope.analysis import ModelReport, analyze
from neuralscope.nets import build_model
from neuralscope.server.model_reports import AnalysisFailed, analyze_artifact
from neuralscope.server.model_uploads import MEDIA_TYPE, model_out
from neuralscope.server.schemas_models import ModelOut
from neuralscope.store import Store
from neuralscope.training.export import ExportSpec

SPEC_KEY = "neuralscope.export_spec"
_MAX_HEADER = 1 << 24


def run_model_bytes(model: nn.Module, spec: ExportSpec) -> bytes:
    """The weights as safetensors with the spec in the header metadata."""
    state = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    # One metadata key: safetensors writes the map in hash order, and the same weights must
    # give the same bytes (the model id is their sha256).
    return save(state, metadata={SPEC_KEY: spec.model_dump_json()})


def spec_in(path: Path) -> ExportSpec | None:
    """The spec stored in a safetensors file's metadata; None for any other file."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if len(head) < 8 or struct.unpack("<Q", head)[0] > _MAX_HEADER:
        return None
    try:
        with safe_open(str(path), framework="pt") as f:
            meta = f.metadata() or {}
    except Exception:  # not safetensors (safetensors raises its own error types)
        return None
    text = meta.get(SPEC_KEY)
    if text is None:
        return None
    try:
        return ExportSpec.model_validate_json(text)
    except ValidationError:
        return None


def rebuild(path: Path, spec: ExportSpec) -> nn.Module:
    """The Playground model rebuilt from ``spec`` with the file's weights loaded strictly."""
    model = build_model(spec.spec, spec.input_shape, spec.output_width, features=spec.data.features)
    model.load_state_dict(load_file(str(path)))
    return model.eval()


def analyze_stored(path: Path, name: str, input_shape: list[int] | None) -> ModelReport:
    """A stored model's report: spec-rebuilt when the file carries a spec, else as uploaded."""
    spec = spec_in(path)
    if spec is None:
        return analyze_artifact(path, name, input_shape)
    try:
        module = rebuild(path, spec)
    except (ValueError, RuntimeError, KeyError) as exc:  # SpecError is a ValueError
        raise AnalysisFailed(f"{name}: its spec does not rebuild the model: {exc}") from exc
    shape = input_shape or [1, *spec.input_shape]
    example = torch.randn(*shape, generator=torch.Generator().manual_seed(0))
    report = analyze(module, example_input=example)
    note = "rebuilt from the run's spec (nn.Sequential) with the stored weights"
    return report.model_copy(
        update={"source": name, "format": "safetensors", "notes": [note, *report.notes]}
    )


def file_name(run_name: str, step: int) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", run_name).strip("-.")[:80] or "run"
    return f"{slug}-step{step}.safetensors"


def store_run_model(
    store: Store, model: nn.Module, spec: ExportSpec, run_name: str, step: int
) -> ModelOut:
    """Store the run's model (content-addressed: the same weights give the same entry)."""
    body = run_model_bytes(model, spec)
    with tempfile.TemporaryDirectory(prefix="neuralscope-run-model-") as tmp:
        temp = Path(tmp) / "model.safetensors"
        temp.write_bytes(body)
        rebuild(temp, spec)  # refuse now what would not rebuild later
    artifact = store.artifacts.put_bytes(body, MEDIA_TYPE)
    record = store.models.add(
        artifact.sha256,
        name=file_name(run_name, step),
        format="safetensors",
        size=artifact.size,
        input_shape=",".join(map(str, [1, *spec.input_shape])),
    )
    return model_out(record)

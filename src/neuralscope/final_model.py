"""The model a Playground run keeps after it ends: its final weights and spec as run artifacts.

When a run reaches a terminal status the runner (:mod:`neuralscope.runner`) stores the model
it trained through the content-addressed artifact store, under two names of the run:

* ``model.safetensors``: the state dict, written by :func:`~neuralscope.training.export.
  to_safetensors`, so the bytes are exactly those a live run's safetensors export returns;
* ``spec.json``: the :class:`~neuralscope.training.export.ExportSpec` as the live spec export
  writes it (net spec, data config, input shape, output width, task).

Each file is written atomically by the store (temporary file, fsync, rename); the spec goes
first and the weights last, so a run has a model exactly when both names are attached
(:func:`has_final_model`). Reading is safe: safetensors runs no code on load.

A run whose process was killed (or that ended before models were kept) has no such
artifacts; :func:`final_model` then raises :class:`NoFinalModel` with a message that says why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file
from torch import nn

from neuralscope.nets import build_model
from neuralscope.store import ArtifactNotFound, RunArtifact, RunRecord, Store
from neuralscope.training import SessionConfig
from neuralscope.training.export import ExportSpec, export_spec, to_safetensors

MODEL_ARTIFACT = "model.safetensors"
SPEC_ARTIFACT = "spec.json"
SAFETENSORS_MEDIA = "application/octet-stream"
SPEC_MEDIA = "application/json"


class NoFinalModel(LookupError):
    """The run has no stored final model; the message says why, for the user."""


@dataclass(frozen=True)
class FinalModel:
    """A run's stored final model: where its weights lie and what rebuilds them."""

    run_id: str
    weights: Path
    spec: ExportSpec
    spec_json: bytes

    def weights_bytes(self) -> bytes:
        return self.weights.read_bytes()

    def state(self) -> dict[str, torch.Tensor]:
        """The stored state dict, read safely; :class:`NoFinalModel` if the file is damaged."""
        try:
            return load_file(str(self.weights))
        except (SafetensorError, OSError, ValueError) as exc:
            raise NoFinalModel(self._damaged(exc)) from exc

    def model(self) -> nn.Sequential:
        """The network rebuilt from the stored spec with the stored weights, in eval mode."""
        spec = self.spec
        try:
            model = build_model(
                spec.spec, spec.input_shape, spec.output_width, features=spec.data.features
            )
            model.load_state_dict(self.state())
        except (RuntimeError, ValueError) as exc:  # SpecError is a ValueError
            raise NoFinalModel(self._damaged(exc)) from exc
        return model.eval()

    def _damaged(self, exc: Exception) -> str:
        return f"run {self.run_id}: its stored model is damaged ({exc}); train it again"


def spec_json(config: SessionConfig) -> bytes:
    """The spec export of a run's config (the bytes of ``/export/spec``, live or ended)."""
    return export_spec(config.spec, config.data).model_dump_json(indent=2).encode()


def weights_finite(model: nn.Module) -> bool:
    """True when every floating-point parameter and buffer is finite."""
    return all(
        bool(torch.isfinite(t).all()) for t in model.state_dict().values() if t.is_floating_point()
    )


def store_final_model(store: Store, run_id: str, model: nn.Module, config: SessionConfig) -> None:
    """Attach ``model`` (the run's model at its terminal status) and its spec to the run."""
    store.artifacts.put_bytes(spec_json(config), SPEC_MEDIA, run_id=run_id, name=SPEC_ARTIFACT)
    store.artifacts.put_bytes(
        to_safetensors(model), SAFETENSORS_MEDIA, run_id=run_id, name=MODEL_ARTIFACT
    )


def has_final_model(artifacts: Iterable[RunArtifact]) -> bool:
    """Whether a run's artifacts include a complete final model (weights and spec)."""
    return {MODEL_ARTIFACT, SPEC_ARTIFACT} <= {a.name for a in artifacts}


def final_model(store: Store, record: RunRecord) -> FinalModel:
    """The run's stored final model, or :class:`NoFinalModel` naming why there is none."""
    if record.kind == "watch":
        raise NoFinalModel(
            f"run {record.id} is a watched run: neuralscope records its statistics, not its "
            "weights. Save the model in your script and upload the file instead."
        )
    found = {a.name: a.artifact.sha256 for a in store.artifacts.list_for_run(record.id)}
    if MODEL_ARTIFACT not in found or SPEC_ARTIFACT not in found:
        raise NoFinalModel(
            f"run {record.id} is {record.status.value} and no longer live, and no model was "
            "stored when it ended (its process was stopped abruptly, or the run ended before "
            "this version of neuralscope kept models); train it again to get its model."
        )
    try:
        weights = store.artifacts.path(found[MODEL_ARTIFACT])
        with store.artifacts.open(found[SPEC_ARTIFACT]) as stream:
            text = stream.read()
    except ArtifactNotFound:
        raise NoFinalModel(
            f"run {record.id}: the file of its stored model is missing from the artifact "
            "directory; train it again to get its model."
        ) from None
    try:
        spec = ExportSpec.model_validate_json(text)
    except ValueError as exc:  # pydantic's ValidationError
        raise NoFinalModel(f"run {record.id}: its stored spec is damaged ({exc})") from exc
    return FinalModel(record.id, weights, spec, text)

"""A finished trial's files (``ARTIFACT_FILES``) in ``<home>/search/<study>/trial-<n:05d>/``.

Weights as safetensors, the :class:`ModelSpec` as spec.json (rebuild with
:func:`neuralscope.search.models.build_model`), ONNX (opset 18, dynamic batch axis) and a
TorchScript trace for serving, and config.json to re-run the trial
(:func:`neuralscope.search.experiment.rerun_trial`).

The ONNX file comes from :func:`neuralscope.training.export.onnx_bytes`, the exporter the
Playground's downloads use too.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import torch
from safetensors.torch import save_file
from torch import nn

from neuralscope.search.architecture import example_input
from neuralscope.search.contract import ARTIFACT_FILES
from neuralscope.search.experiment import TrialConfig
from neuralscope.search.models import ModelSpec
from neuralscope.training.export import onnx_bytes


def trial_dir(home: Path, study: str, number: int) -> Path:
    return home / "search" / study / f"trial-{number:05d}"


def write_artifacts(
    directory: Path, model: nn.Module, spec: ModelSpec, config: TrialConfig
) -> list[str]:
    """Write every artifact file; return the names written."""
    directory.mkdir(parents=True, exist_ok=True)
    model = model.cpu().eval()
    state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    save_file(state, str(directory / ARTIFACT_FILES["safetensors"]))
    (directory / ARTIFACT_FILES["spec"]).write_text(spec.model_dump_json(indent=2) + "\n")
    (directory / ARTIFACT_FILES["config"]).write_text(config.model_dump_json(indent=2) + "\n")
    example = example_input(spec)
    with warnings.catch_warnings(), torch.no_grad():  # the exporters' deprecation notices
        warnings.simplefilter("ignore")
        (directory / ARTIFACT_FILES["onnx"]).write_bytes(onnx_bytes(model, example))
        traced = torch.jit.trace(model, example)  # type: ignore[no-untyped-call]
        traced.save(str(directory / ARTIFACT_FILES["torchscript"]))
    return [ARTIFACT_FILES[k] for k in ("safetensors", "spec", "onnx", "torchscript", "config")]

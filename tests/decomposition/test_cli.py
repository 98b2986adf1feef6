"""``neuralscope decompose`` end to end on a saved Playground network."""

from __future__ import annotations

import json
from pathlib import Path

import torch
from safetensors.torch import save_file
from typer.testing import CliRunner

from neuralscope.cli import app
from neuralscope.data import DataConfig, make_dataset
from neuralscope.nets import NetSpec, build_model
from neuralscope.training.tasks import output_width


def _saved(tmp_path: Path) -> tuple[Path, Path]:
    spec = NetSpec.mlp([8, 8], "relu")
    data = make_dataset(DataConfig(dataset="blobs", n_samples=600))
    torch.manual_seed(0)
    model = build_model(spec, data.input_shape, output_width(data.task, data.n_classes))
    weights, spec_file = tmp_path / "net.safetensors", tmp_path / "spec.json"
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(weights))
    spec_file.write_text(spec.model_dump_json())
    return weights, spec_file


def test_decompose_prints_json_for_a_weights_file_with_its_spec(tmp_path: Path) -> None:
    weights, spec = _saved(tmp_path)
    args = ["decompose", str(weights), "--data", "blobs", "--layer", "act1", "--layer", "act2"]
    args += ["--spec", str(spec), "--samples", "600", "--random-sets", "20", "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert [layer["layer"] for layer in payload["layers"]] == ["act1", "act2"]
    assert payload["probe_samples"] == 300
    for layer in payload["layers"]:
        assert layer["units"] == 8
        covered = sorted(u for m in layer["modules"] for u in m["units"]) + layer["dead_units"]
        assert sorted(covered) == list(range(8))
        assert all(m["metrics"]["keep_only"] for m in layer["modules"])


def test_decompose_explains_what_a_weights_only_file_lacks(tmp_path: Path) -> None:
    weights, _ = _saved(tmp_path)
    result = CliRunner().invoke(
        app, ["decompose", str(weights), "--data", "blobs", "--layer", "act1"]
    )
    assert result.exit_code == 2
    assert "--spec" in result.output
    assert "weights only" in result.output


def test_kmeans_needs_k(tmp_path: Path) -> None:
    weights, spec = _saved(tmp_path)
    args = ["decompose", str(weights), "--data", "blobs", "--layer", "act1", "--spec", str(spec)]
    result = CliRunner().invoke(app, [*args, "--method", "kmeans"])
    assert result.exit_code == 2
    assert "--k" in result.output

"""``neuralscope analyze`` / ``compare``: --json prints only the typed report; errors exit 2."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file
from tests.analysis._models import mlp
from typer.testing import CliRunner

from neuralscope.analysis import Comparison, ModelReport
from neuralscope.cli import app

runner = CliRunner()


def test_analyze_json_and_rich(tmp_path: Path) -> None:
    model = mlp().eval()
    path = tmp_path / "m.pt2"
    torch.export.save(torch.export.export(model, (torch.randn(1, 32),)), path)
    result = runner.invoke(app, ["analyze", str(path), "--input-shape", "1,32", "--json"])
    assert result.exit_code == 0, result.output
    report = ModelReport.model_validate_json(result.stdout)
    assert report.format == "torch.export"
    assert report.cost.flops == 2 * (32 * 64 + 3 * 64 * 64 + 64 * 10)
    assert report.health.score == 100
    text = runner.invoke(app, ["analyze", str(path), "--input-shape", "1,32"])
    assert text.exit_code == 0
    assert "Health score" in text.stdout
    assert "Layers" in text.stdout


def test_compare_recommends_the_healthy_model(tmp_path: Path) -> None:
    good, bad = mlp(seed=1), mlp(seed=2)
    with torch.no_grad():
        bad[2].weight[0, 0] = float("nan")
    save_file(dict(good.state_dict()), tmp_path / "good.safetensors")
    save_file(dict(bad.state_dict()), tmp_path / "bad.safetensors")
    args = ["compare", str(tmp_path / "bad.safetensors"), str(tmp_path / "good.safetensors")]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    comparison = Comparison.model_validate(json.loads(result.stdout))
    assert comparison.recommended.endswith("good.safetensors")
    assert runner.invoke(app, args).exit_code == 0


class _Evil:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, ("touch pwned_marker",))


def test_analyze_refuses_malicious_pickle(tmp_path: Path) -> None:
    path = tmp_path / "evil.pth"
    path.write_bytes(pickle.dumps(_Evil(), protocol=2))
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        result = runner.invoke(app, ["analyze", str(path)])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 2
    assert "refused" in result.output
    assert not (tmp_path / "pwned_marker").exists()


@pytest.mark.filterwarnings("ignore:`torch.jit:DeprecationWarning")
def test_analyze_torchscript_counts_flops_without_hooks(tmp_path: Path) -> None:
    path = tmp_path / "s.pt"
    torch.jit.save(torch.jit.script(mlp().eval()), path)
    result = runner.invoke(app, ["analyze", str(path), "--input-shape", "2,32", "--json"])
    assert result.exit_code == 0, result.output
    report = ModelReport.model_validate_json(result.stdout)
    assert report.cost.flops == 2 * 2 * (32 * 64 + 3 * 64 * 64 + 64 * 10)
    assert report.architecture.types == ["MLP"]
    assert any("TorchScript refuses hooks" in n for n in report.notes)

"""The example trains under watch on digits and the report renders every figure and the page."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import matplotlib.image
import pytest
from typer.testing import CliRunner

from neuralscope import Settings
from neuralscope.cli import app
from neuralscope.store import Store

EXAMPLE = Path(__file__).parents[2] / "examples" / "mnist_mlp.py"
FIGURES = [
    "progress.png",
    "samples.png",
    "weights.png",
    "activations.png",
    "gradients.png",
    "confidence.png",
]


def _example() -> object:
    spec = importlib.util.spec_from_file_location("mnist_mlp_example", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_example_runs_on_digits_and_the_report_renders(tmp_path: Path) -> None:
    example = _example()
    home = tmp_path / "home"
    run_id = example.main(  # type: ignore[attr-defined]
        [
            "--home",
            str(home),
            "--epochs",
            "3",
            "--max-steps",
            "45",
            "--report",
            str(tmp_path / "r1"),
        ]
    )
    with Store(Settings(home=home).db_url, Settings(home=home).artifacts_dir) as store:
        record = store.runs.get(run_id)
    assert record.kind == "watch"
    assert record.last_step == 45
    assert record.config["parameters"] == 784 * 128 + 128 + 128 * 10 + 10

    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["report", run_id, "--out", str(out), "--home", str(home)])
    assert result.exit_code == 0, result.output
    for name in FIGURES:
        image = matplotlib.image.imread(out / name)
        assert image.shape[0] > 100, name
        assert image.shape[1] > 100, name
    page = (out / "index.html").read_text()
    for name in FIGURES:
        assert f'src="{name}"' in page
    assert page.count("What to look for.") == len(FIGURES)
    assert "In this run." in page
    assert "Warning signs" in page
    assert "Good signs" in page
    assert "Opportunities" in page


def test_report_of_an_unknown_run_fails_cleanly(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["report", "nope", "--out", str(tmp_path / "o"), "--home", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "no run" in result.output

"""``neuralscope datasets``: list, and import MNIST from local IDX files."""

from __future__ import annotations

import json
from pathlib import Path

from tests.data.mnist_files import write_mnist
from typer.testing import CliRunner

from neuralscope.cli import app

runner = CliRunner()


def test_list_shows_mnist_missing_on_a_fresh_home(tmp_path: Path) -> None:
    result = runner.invoke(app, ["datasets", "list", "--home", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in json.loads(result.stdout)["items"]}
    assert rows["mnist"]["available"] is False
    assert rows["digits"]["input_shape"] == [1, 8, 8]


def test_import_refuses_files_that_are_not_mnist(tmp_path: Path) -> None:
    # small files: right format, wrong size for the real MNIST counts -> a clear error
    write_mnist(tmp_path / "src", gz=False)
    result = runner.invoke(
        app, ["datasets", "import", "mnist", str(tmp_path / "src"), "--home", str(tmp_path / "h")]
    )
    assert result.exit_code == 2
    assert "expected images of shape (60000, 28, 28)" in " ".join(result.output.split())
    assert not (tmp_path / "h" / "datasets" / "mnist" / "manifest.json").exists()


def test_import_of_a_missing_directory_fails(tmp_path: Path) -> None:
    result = runner.invoke(app, ["datasets", "import", "mnist", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "not a directory" in " ".join(result.output.split())

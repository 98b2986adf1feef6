"""The CLI end to end: headless training stores a run that `runs list` shows."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from neuralscope.cli import app

runner = CliRunner()


def test_train_json_then_runs_list(tmp_path: Path) -> None:
    home = str(tmp_path)
    result = runner.invoke(
        app,
        [
            "train",
            "--dataset",
            "circle",
            "--hidden",
            "6",
            "--activation",
            "tanh",
            "--optimizer",
            "adam",
            "--lr",
            "0.03",
            "--batch-size",
            "10",
            "--steps",
            "300",
            "--seed",
            "2",
            "--json",
            "--home",
            home,
        ],
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["status"] == "completed"
    assert out["steps"] == 300
    assert out["final"]["val_accuracy"] > 0.8
    assert set(out["final"]) == {"train_loss", "val_loss", "train_accuracy", "val_accuracy"}

    listed = runner.invoke(app, ["runs", "list", "--json", "--home", home])
    assert listed.exit_code == 0
    runs = json.loads(listed.stdout)
    assert runs["total"] == 1
    assert runs["items"][0]["id"] == out["run_id"]
    assert runs["items"][0]["status"] == "completed"

    table = runner.invoke(app, ["runs", "list", "--home", home])
    assert out["run_id"][:12] in table.stdout


def test_train_is_reproducible_by_seed(tmp_path: Path) -> None:
    args = [
        "train",
        "--dataset",
        "xor",
        "--steps",
        "100",
        "--seed",
        "5",
        "--json",
        "--home",
        str(tmp_path),
    ]
    first = json.loads(runner.invoke(app, args).stdout)["final"]
    second = json.loads(runner.invoke(app, args).stdout)["final"]
    assert first == second


def test_bad_hidden_flag_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["train", "--hidden", "8,x", "--home", str(tmp_path)])
    assert result.exit_code == 2
    assert "--hidden" in result.stderr


def test_serve_refuses_public_bind_without_token(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "neuralscope.cli",
            "serve",
            "--host",
            "0.0.0.0",
            "--home",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "without a token" in result.stderr


def test_csv_dataset_needs_an_upload(tmp_path: Path) -> None:
    result = runner.invoke(app, ["train", "--dataset", "csv", "--home", str(tmp_path)])
    assert result.exit_code == 2
    assert "upload" in result.stderr

"""``neuralscope search`` and ``neuralscope worker``: clear errors, a real local run, re-run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.search.helpers import tiny_space
from typer.testing import CliRunner

from neuralscope.cli import app
from neuralscope.search import save_space
from neuralscope.search.commands import worker_commands
from neuralscope.search.logs import log_path

runner = CliRunner()


def _search(tmp_path: Path, *args: str) -> tuple[int, str]:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    result = runner.invoke(
        app, ["search", "--home", str(tmp_path), "--storage", url, "--workers", "0", *args]
    )
    return result.exit_code, " ".join(result.output.split())  # rich wraps long lines


def test_search_errors_name_the_problem(tmp_path: Path) -> None:
    code, out = _search(tmp_path, "--dataset", "nope")
    assert code == 2
    assert "unknown dataset 'nope'" in out
    code, out = _search(tmp_path, "--dataset", "mnist")
    assert code == 2
    assert "neuralscope datasets download mnist" in out
    bad = tmp_path / "space.yaml"
    bad.write_text("family: cnn\nparams:\n  filters: {type: int, low: 0, high: -3}\n")
    code, out = _search(tmp_path, "--dataset", "digits", "--space", str(bad))
    assert code == 2
    assert "params.filters" in out
    result = runner.invoke(
        app,
        ["search", "--dataset", "digits", "--workers", "0", "--home", str(tmp_path),
         "--storage", "postgresql+psycopg://x:pw@127.0.0.1:9/none"],
    )  # fmt: skip
    assert result.exit_code == 2
    out = " ".join(result.output.split())  # rich wraps long lines
    assert "cannot open the study database at postgresql+psycopg://x:***@" in out
    assert "pw" not in out


def test_worker_errors_name_the_problem(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    result = runner.invoke(app, ["worker", "--study", "ghost", "--storage", url])
    assert result.exit_code == 2
    assert "no study named 'ghost'" in result.output
    code, _ = _search(tmp_path, "--dataset", "digits", "--name", "taken")
    assert code == 0
    code, out = _search(tmp_path, "--dataset", "digits", "--name", "taken")
    assert code == 2
    assert "already exists" in out


@pytest.mark.slow
def test_search_runs_local_workers_and_a_trial_reruns(tmp_path: Path) -> None:
    space = tmp_path / "tiny.json"
    save_space(tiny_space(), space)
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    command = [sys.executable, "-m", "neuralscope.cli", "search", "--dataset", "digits",
               "--trials", "2", "--workers", "1", "--epochs", "1", "--space", str(space),
               "--max-train", "200", "--name", "cli", "--objective", "accuracy",
               "--storage", url, "--home", str(tmp_path), "--json"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["complete"] + summary["pruned"] == 2
    assert "complete" in done.stderr  # the progress line
    messages = [
        json.loads(x)["message"] for x in log_path(tmp_path, "cli").read_text().split("\n") if x
    ]
    assert messages[0] == "study created"
    assert messages[-1] == "search finished"

    config = tmp_path / "search" / "cli" / "trial-00000" / "config.json"
    result = runner.invoke(
        app, ["worker", "--rerun", str(config), "--home", str(tmp_path), "--json"]
    )
    assert result.exit_code == 0, result.output
    rerun = json.loads(result.stdout)
    assert abs(rerun["val_accuracy"] - rerun["recorded_val_accuracy"]) <= 0.005


def test_local_workers_of_a_seeded_search_get_distinct_seeds(tmp_path: Path) -> None:
    seeded = worker_commands("s", "sqlite:///db", tmp_path, 3, 7)
    assert [c[c.index("--seed") + 1] for c in seeded] == ["7", "1007", "2007"]
    assert all(c[:-2] == seeded[0][:-2] for c in seeded)
    assert all("--seed" not in c for c in worker_commands("s", "sqlite:///db", tmp_path, 2, None))


@pytest.mark.slow
def test_a_worker_with_the_same_seed_draws_the_same_trials(tmp_path: Path) -> None:
    import optuna

    from neuralscope.search import close_storage, open_storage

    space = tmp_path / "tiny.json"
    save_space(tiny_space(), space)
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"

    def params(name: str, *worker_args: str) -> list[dict[str, object]]:
        code, out = _search(tmp_path, "--dataset", "digits", "--trials", "2", "--epochs", "1",
                            "--space", str(space), "--max-train", "200", "--name", name,
                            "--objective", "accuracy")  # fmt: skip
        assert code == 0, out
        result = runner.invoke(
            app, ["worker", "--study", name, "--storage", url, "--home", str(tmp_path),
                  *worker_args],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        storage = open_storage(url)
        try:
            study = optuna.load_study(study_name=name, storage=storage)
            return [t.params for t in sorted(study.trials, key=lambda t: t.number)]
        finally:
            close_storage(storage)

    first = params("first", "--seed", "7")
    assert len(first) == 2
    assert params("again", "--seed", "7") == first
    assert params("other", "--seed", "100", "--max-trials", "1")[0] != first[0]


@pytest.mark.slow
def test_ctrl_c_stops_the_workers_and_fails_their_running_trials(tmp_path: Path) -> None:
    import signal
    import time

    import optuna

    from neuralscope.search import close_storage, open_storage

    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    command = [sys.executable, "-m", "neuralscope.cli", "search", "--dataset", "digits",
               "--trials", "5", "--workers", "1", "--epochs", "50", "--name", "cc",
               "--storage", url, "--home", str(tmp_path)]  # fmt: skip
    search = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as in a terminal
    )
    log = log_path(tmp_path, "cc")
    deadline = time.monotonic() + 180
    while not (log.exists() and '"trial started"' in log.read_text()):
        assert time.monotonic() < deadline, "no trial started"
        assert search.poll() is None, search.communicate()[1]
        time.sleep(0.5)
    search.send_signal(signal.SIGINT)
    _, err = search.communicate(timeout=60)
    assert search.returncode == 130, err
    storage = open_storage(url)
    try:
        states = [t.state for t in optuna.load_study(study_name="cc", storage=storage).trials]
    finally:
        close_storage(storage)
    assert states == [optuna.trial.TrialState.FAIL]
    assert "worker stopped" in log.read_text()

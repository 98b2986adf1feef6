"""``neuralscope worker --study NAME --storage URL``: join a search study from any machine.

Runs trials (each in its own process) until the study has its trials or is cancelled, then
exits 0. Any number of workers on any machines that reach the same database share one study.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from pydantic import BaseModel, ValidationError

from neuralscope.cli._common import HomeOpt, JsonOpt, err, fail, print_json, settings_from
from neuralscope.data.catalog import DatasetNotAvailable
from neuralscope.search.experiment import TrialConfig, rerun_trial
from neuralscope.search.storage import Heartbeat, StorageUnavailable, mask_url
from neuralscope.search.study import StudyNotFound
from neuralscope.search.worker import WorkerOptions, run_worker


def worker(
    study: Annotated[
        str | None, typer.Option("--study", help="Name of the study to work on")
    ] = None,
    storage: Annotated[
        str | None,
        typer.Option("--storage", help="Study database URL [default: the project's database]"),
    ] = None,
    home: HomeOpt = None,
    max_trials: Annotated[
        int | None, typer.Option("--max-trials", min=1, help="Stop after this many trials")
    ] = None,
    device: Annotated[
        str, typer.Option("--device", help="auto (one trial per GPU), cpu, cuda, cuda:0,cuda:1")
    ] = "auto",
    heartbeat: Annotated[
        int, typer.Option("--heartbeat", min=1, help="Seconds between trial heartbeats")
    ] = 3,
    grace: Annotated[
        int,
        typer.Option("--grace", min=1, help="Seconds without heartbeat before a trial is FAIL"),
    ] = 20,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed",
            help="Sampler seed: this worker's k-th trial draws its parameters with SEED + k, "
            "so a one-worker study is reproducible (workers sharing a study need different "
            "seeds) [default: a fresh draw per trial]",
        ),
    ] = None,
    rerun: Annotated[
        Path | None,
        typer.Option("--rerun", help="Re-run one trial from its config.json instead (no study)"),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Run trials of a search study until it is complete or cancelled."""
    settings = settings_from(home=home)
    if rerun is not None:
        _rerun(rerun, settings.datasets_dir, device, as_json)
        return
    if study is None:
        fail("pass --study NAME (or --rerun CONFIG)")
    url = storage or settings.db_url
    options = WorkerOptions(
        storage_url=url,
        study_name=study,
        home=settings.home,
        max_trials=max_trials,
        device=device,
        heartbeat=Heartbeat(interval_s=heartbeat, grace_s=grace),
        seed=seed,
    )
    try:
        summary = run_worker(options)
    except StorageUnavailable as exc:
        fail(str(exc))
    except (StudyNotFound, DatasetNotAvailable) as exc:
        fail(f"{exc} (database {mask_url(url)})" if isinstance(exc, StudyNotFound) else str(exc))
    except ValueError as exc:
        fail(str(exc))
    err.print(
        f"worker done: {summary.started} trial(s) started, {summary.crashed} crashed; "
        f"stopped: {summary.stop_reason}"
    )


class RerunResult(BaseModel):
    config: str
    val_accuracy: float
    recorded_val_accuracy: float | None
    health: float


def _rerun(path: Path, datasets_dir: Path, device: str, as_json: bool) -> None:
    try:
        recorded = TrialConfig.model_validate_json(path.read_text()).val_accuracy
        result = rerun_trial(path, datasets_dir, "cpu" if device == "auto" else device)
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}")
    except ValidationError as exc:
        fail(f"{path} is not a trial configuration: {exc.errors()[0]['msg']}")
    except (DatasetNotAvailable, ValueError) as exc:
        fail(str(exc))
    out = RerunResult(
        config=str(path),
        val_accuracy=result.metrics.val_accuracy,
        recorded_val_accuracy=recorded,
        health=result.metrics.health,
    )
    if as_json:
        print_json(out)
    else:
        err.print(f"val accuracy {out.val_accuracy:.4f} (recorded {out.recorded_val_accuracy})")

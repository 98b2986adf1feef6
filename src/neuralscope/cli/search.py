"""``neuralscope search --dataset NAME --trials N --workers K``: run a study with local workers.

Creates the study on the database URL (the project's by default), starts K ``neuralscope
worker`` processes, shows their progress (complete / pruned / failed, best value) and waits.
Ctrl-C stops the workers cleanly (their running trials are marked FAIL). More workers on other
machines may join with ``neuralscope worker --study NAME --storage URL``.
"""

from __future__ import annotations

import signal
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import optuna
import typer
from pydantic import BaseModel, ValidationError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from neuralscope.cli._common import HomeOpt, JsonOpt, err, fail, print_json, settings_from
from neuralscope.data.catalog import catalog_entry, fetch_hint, is_cached
from neuralscope.search import SpaceError, StorageUnavailable, StudyExists, create_study
from neuralscope.search.commands import WORKER_SEED_STRIDE, worker_commands
from neuralscope.search.contract import Objective, SearchSpace, StudyConfig
from neuralscope.search.logs import log, study_logger
from neuralscope.search.spaces import load_space
from neuralscope.search.storage import close_storage, open_storage

State = optuna.trial.TrialState


class StudySummary(BaseModel):
    study: str
    storage: str
    complete: int
    pruned: int
    failed: int
    best_values: list[float] | None
    best_params: dict[str, Any] | None


def _config(values: dict[str, Any]) -> StudyConfig:
    try:
        return StudyConfig.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        fail(f"{'.'.join(map(str, first['loc']))}: {first['msg']}")


def _counts(study: optuna.Study) -> tuple[int, int, int, str]:
    trials = study.get_trials(deepcopy=False)
    states = [t.state for t in trials]
    best = ""
    done = [t for t in trials if t.state == State.COMPLETE and t.values]
    if done and len(study.directions) == 1:
        best = f"best {study.best_value:.4g}"
    elif done:
        best = f"front {len(study.best_trials)}"
    return states.count(State.COMPLETE), states.count(State.PRUNED), states.count(State.FAIL), best


def _stop(workers: list[subprocess.Popen[bytes]]) -> None:
    for process in workers:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 30
    for process in workers:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()


def search(
    dataset: Annotated[str, typer.Option("--dataset", help="Catalog dataset to search on")],
    trials: Annotated[int, typer.Option("--trials", min=1, help="Trials in the study")] = 20,
    workers: Annotated[
        int, typer.Option("--workers", min=0, help="Local worker processes (0: create only)")
    ] = 1,
    objective: Annotated[Objective, typer.Option("--objective", help="What to optimise")] = (
        "health"
    ),
    storage: Annotated[
        str | None, typer.Option("--storage", help="Study database URL [default: project's]")
    ] = None,
    space: Annotated[
        Path | None, typer.Option("--space", help="Search space file (JSON or YAML)")
    ] = None,
    epochs: Annotated[int, typer.Option("--epochs", min=1, help="Epoch budget per trial")] = 10,
    name: Annotated[str | None, typer.Option("--name", help="Study name [default: dated]")] = None,
    max_train: Annotated[
        int | None, typer.Option("--max-train", min=10, help="Cap on training samples")
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed",
            help="Seed of data splits, trial initialisation and the workers' samplers (worker i "
            f"draws with SEED + {WORKER_SEED_STRIDE}·i, its k-th trial SEED + "
            f"{WORKER_SEED_STRIDE}·i + k) [default: data seed 0, fresh sampler draws]",
        ),
    ] = None,
    pruning: Annotated[bool, typer.Option(help="Prune poor and collapsing trials")] = True,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Run a health-aware hyperparameter search with local worker processes."""
    settings = settings_from(home=home)
    url = storage or settings.db_url
    try:
        catalog_entry(dataset)
    except ValueError as exc:
        fail(str(exc))
    if not is_cached(dataset, settings.datasets_dir):
        fail(f"{dataset} is not downloaded yet: {fetch_hint(dataset, settings.datasets_dir)}")
    search_space: SearchSpace | None = None
    if space is not None:
        try:
            search_space = load_space(space)
        except SpaceError as exc:
            fail(str(exc))
    study_name = name or f"{dataset}-{datetime.now(UTC):%Y%m%d-%H%M%S}"
    config = _config(
        {
            "name": study_name,
            "dataset": dataset,
            "objective": objective,
            "n_trials": trials,
            "max_epochs": epochs,
            "space": search_space,
            "max_train_samples": max_train,
            "seed": 0 if seed is None else seed,
            "pruning": pruning,
        }
    )
    try:
        study = create_study(config, url)
    except StudyExists as exc:
        fail(f"{exc}: pick another --name, or join it with `neuralscope worker --study {name}`")
    except StorageUnavailable as exc:
        fail(str(exc))
    except ValueError as exc:
        fail(str(exc))
    logger = study_logger(settings.home, study_name)
    log(logger, "study created", config=config.model_dump(mode="json"), workers=workers)
    if workers == 0:
        close_storage(study._storage)
        err.print(f"study {study_name} created; join it with: neuralscope worker --study "
                  f"{study_name} --storage URL")  # fmt: skip
        return
    commands = worker_commands(study_name, url, settings.home, workers, seed)
    # Own sessions: Ctrl-C reaches this process only, which then stops the workers in order.
    procs = [subprocess.Popen(command, start_new_session=True) for command in commands]
    err.print(f"study [bold]{study_name}[/]: {trials} trials, {workers} worker(s), {objective}")
    try:
        _progress(study, trials, procs)
    except KeyboardInterrupt:
        err.print("stopping the workers ...")
        _stop(procs)
        log(logger, "search interrupted")
        raise typer.Exit(130) from None
    close_storage(study._storage)
    opened = open_storage(url)
    summary = _summary(opened, study_name, url)
    close_storage(opened)
    log(logger, "search finished", **summary.model_dump(exclude={"storage"}))
    if as_json:
        print_json(summary)
    else:
        err.print(
            f"done: {summary.complete} complete, {summary.pruned} pruned, {summary.failed} failed;"
            f" best {summary.best_values} with {summary.best_params}"
        )
    if any(p.returncode != 0 for p in procs):
        fail("a worker failed; see the log under " + str(settings.home / "logs" / "search"), 1)


def _progress(study: optuna.Study, total: int, procs: list[subprocess.Popen[bytes]]) -> None:
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[detail]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=False) as progress:
        task = progress.add_task("trials", total=total, detail="")
        while True:
            complete, pruned, failed, best = _counts(study)
            detail = f"complete {complete} · pruned {pruned} · failed {failed} {best}"
            progress.update(task, completed=complete + pruned + failed, detail=detail)
            if all(p.poll() is not None for p in procs):
                return
            time.sleep(1.0)


def _summary(storage: optuna.storages.BaseStorage, name: str, url: str) -> StudySummary:
    study = optuna.load_study(study_name=name, storage=storage)
    complete, pruned, failed, _ = _counts(study)
    best_values, best_params = None, None
    if complete:
        best = study.best_trials[0] if len(study.directions) > 1 else study.best_trial
        best_values, best_params = best.values, best.params
    from neuralscope.search.storage import mask_url

    return StudySummary(
        study=name, storage=mask_url(url), complete=complete, pruned=pruned, failed=failed,
        best_values=best_values, best_params=best_params,
    )  # fmt: skip

"""``neuralscope train``: a Playground run, headless, through the same engine and store."""

from __future__ import annotations

from typing import Annotated

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from neuralscope.bus import EventBus
from neuralscope.cli._common import (
    DbOpt,
    HomeOpt,
    JsonOpt,
    err,
    fail,
    open_store,
    print_json,
    settings_from,
)
from neuralscope.data import DataConfig, DatasetName
from neuralscope.events import RunStatus
from neuralscope.nets import Activation, NetSpec
from neuralscope.runner import RunManager
from neuralscope.store import Recorder, Store
from neuralscope.training import Hyperparameters, OptimizerName, SessionConfig


class FinalMetrics(BaseModel):
    train_loss: float
    val_loss: float
    train_accuracy: float
    val_accuracy: float


class TrainResult(BaseModel):
    run_id: str
    status: RunStatus
    steps: int
    final: FinalMetrics


def _parse_hidden(text: str) -> list[int]:
    try:
        widths = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        fail(f"--hidden must be comma-separated layer widths like 8,8 (got {text!r})")
    return widths


def train(
    dataset: Annotated[DatasetName, typer.Option(help="Dataset (see `datasets list`)")] = "spirals",
    hidden: Annotated[str, typer.Option(help="Hidden layer widths, e.g. 8,8")] = "8,8",
    activation: Annotated[
        Activation, typer.Option(help="Activation of the hidden layers")
    ] = "tanh",
    optimizer: Annotated[OptimizerName, typer.Option(help="Optimizer")] = "adam",
    lr: Annotated[float, typer.Option(help="Learning rate")] = 0.03,
    batch_size: Annotated[int, typer.Option(help="Batch size")] = 10,
    steps: Annotated[int, typer.Option(help="Optimizer steps to train")] = 1000,
    noise: Annotated[float, typer.Option(help="Label noise, 0..0.5")] = 0.0,
    seed: Annotated[int, typer.Option(help="Random seed")] = 0,
    name: Annotated[str | None, typer.Option(help="Run name")] = None,
    home: HomeOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Train a Playground network headless; the run is stored like one started from the page."""
    if dataset == "csv":
        fail(
            "--dataset csv trains on an uploaded table: upload it in the web app or with "
            "POST /api/datasets/csv, then start the run from there"
        )
    settings = settings_from(home=home, database_url=db)
    try:
        config = SessionConfig(
            spec=NetSpec.mlp(_parse_hidden(hidden), activation),
            data=DataConfig(dataset=dataset, noise=noise),
            hyperparameters=Hyperparameters(
                optimizer=optimizer, learning_rate=lr, batch_size=batch_size
            ),
            seed=seed,
            max_steps=steps,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        fail(f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}")
    store = open_store(settings)
    with Recorder(store) as recorder:
        manager = RunManager(
            store,
            recorder,
            EventBus(),
            device=settings.resolve_device(),
            data_home=settings.datasets_dir,
        )
        record = manager.create(config, name=name, start=True)
        live = manager.live(record.id)
        assert live is not None
        columns = (
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("loss {task.fields[loss]}"),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=err, disable=as_json or not err.is_terminal) as progress:
            task = progress.add_task(f"training {record.name}", total=steps, loss="-")
            try:
                while not live.wait(0.1):
                    loss = recorder_latest_loss(store, record.id)
                    progress.update(task, completed=live.session.global_step, loss=loss)
            except KeyboardInterrupt:
                manager.control(record.id, "stop")
                live.wait()
            progress.update(task, completed=live.session.global_step)
        session = live.session
        tr, va = session.evaluate("train"), session.evaluate("val")
    result = TrainResult(
        run_id=record.id,
        status=session.status,
        steps=session.global_step,
        final=FinalMetrics(
            train_loss=tr.loss,
            val_loss=va.loss,
            train_accuracy=tr.accuracy,
            val_accuracy=va.accuracy,
        ),
    )
    store.close()
    if as_json:
        print_json(result)
    else:
        _print_train_result(result)
    if result.status in (RunStatus.DIVERGED, RunStatus.FAILED):
        raise typer.Exit(1)


def recorder_latest_loss(store: Store, run_id: str) -> str:
    value = store.runs.get(run_id).summary.get("train/loss")
    return "-" if value is None else f"{value:.4f}"


def _print_train_result(result: TrainResult) -> None:
    table = Table(
        title=f"{result.status.value} after {result.steps} steps", caption=f"run {result.run_id}"
    )
    table.add_column("split")
    table.add_column("loss", justify="right")
    table.add_column("accuracy", justify="right")
    f = result.final
    table.add_row("train", f"{f.train_loss:.4f}", f"{f.train_accuracy:.1%}")
    table.add_row("validation", f"{f.val_loss:.4f}", f"{f.val_accuracy:.1%}")
    Console().print(table)

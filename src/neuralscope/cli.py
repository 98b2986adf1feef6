"""The ``neuralscope`` command: serve, train, runs.

Human-readable output by default (rich, on stderr for progress); ``--json`` prints only JSON on
stdout. Errors go to stderr with a non-zero exit code.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from neuralscope import __version__
from neuralscope.bus import EventBus
from neuralscope.config import Settings
from neuralscope.data import DataConfig, DatasetName
from neuralscope.events import RunStatus
from neuralscope.nets import Activation, NetSpec
from neuralscope.runner import RunManager
from neuralscope.store import Recorder, RunRecord, Store, StoreUnavailable, mask_url
from neuralscope.training import Hyperparameters, OptimizerName, SessionConfig

app = typer.Typer(help="See inside neural networks while they train.", no_args_is_help=True)
runs_app = typer.Typer(help="Inspect stored runs.", no_args_is_help=True)
app.add_typer(runs_app, name="runs")

err = Console(stderr=True)

HomeOpt = Annotated[
    Path | None, typer.Option("--home", help="Data directory [env NEURALSCOPE_HOME]")
]
DbOpt = Annotated[
    str | None, typer.Option("--db", help="SQLAlchemy database URL [env NEURALSCOPE_DATABASE_URL]")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print only JSON on stdout")]


def _settings(**overrides: Any) -> Settings:
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        _fail(f"invalid setting: {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}")


def _fail(message: str, code: int = 2) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


def _open_store(settings: Settings) -> Store:
    try:
        return Store(settings.db_url, settings.artifacts_dir)
    except StoreUnavailable as exc:
        _fail(str(exc))


def _print_json(model: BaseModel) -> None:
    sys.stdout.write(model.model_dump_json(indent=2) + "\n")


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind [default 127.0.0.1]")] = None,
    port: Annotated[int | None, typer.Option(help="Port [default 8765]")] = None,
    home: HomeOpt = None,
    db: DbOpt = None,
    token: Annotated[
        str | None, typer.Option(help="Bearer token clients must send [env NEURALSCOPE_TOKEN]")
    ] = None,
    demo: Annotated[bool, typer.Option(help="Seed demo runs into an empty database")] = False,
) -> None:
    """Serve the API and the web app."""
    import uvicorn

    from neuralscope.server import create_app

    settings = _settings(host=host, port=port, home=home, database_url=db, token=token)
    if not settings.is_loopback and not settings.token_value():
        _fail(
            f"refusing to listen on {settings.host} without a token: anyone on the network "
            "could start training and read your runs. Pass --token (or set NEURALSCOPE_TOKEN), "
            "or bind 127.0.0.1."
        )
    if demo:
        store = _open_store(settings)
        with Recorder(store) as recorder:
            added = _seed_demo(store, recorder, settings)
        store.close()
        if added:
            err.print(f"seeded {added} demo runs")
    err.print(
        f"neuralscope {__version__} on [bold]http://{settings.host}:{settings.port}[/] "
        f"(database: {mask_url(settings.db_url)})"
    )
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="warning",
        # Frames are mostly base64 grids that barely compress, and deflating them per viewer
        # takes the GIL away from the training threads.
        ws_per_message_deflate=False,
    )


def _seed_demo(store: Store, recorder: Recorder, settings: Settings) -> int:
    from neuralscope.demo import seed_demo

    manager = RunManager(store, recorder, EventBus(), device=settings.resolve_device())
    with err.status("training demo runs..."):
        return seed_demo(manager)


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
        _fail(f"--hidden must be comma-separated layer widths like 8,8 (got {text!r})")
    return widths


@app.command()
def train(
    dataset: Annotated[DatasetName, typer.Option(help="2-D dataset")] = "spirals",
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
    settings = _settings(home=home, database_url=db)
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
        _fail(f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}")
    store = _open_store(settings)
    with Recorder(store) as recorder:
        manager = RunManager(store, recorder, EventBus(), device=settings.resolve_device())
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
        _print_json(result)
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


class RunListItem(BaseModel):
    id: str
    name: str
    kind: str
    status: RunStatus
    last_step: int
    created_at: str
    summary: dict[str, float]


class RunList(BaseModel):
    items: list[RunListItem]
    total: int


def _item(r: RunRecord) -> RunListItem:
    return RunListItem(
        id=r.id,
        name=r.name,
        kind=r.kind,
        status=r.status,
        last_step=r.last_step,
        created_at=r.created_at.isoformat(),
        summary=r.summary,
    )


@runs_app.command("list")
def runs_list(
    limit: Annotated[int, typer.Option(min=1, max=500, help="How many, newest first")] = 50,
    home: HomeOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List stored runs, newest first."""
    store = _open_store(_settings(home=home, database_url=db))
    page = store.runs.list(limit=limit)
    store.close()
    result = RunList(items=[_item(r) for r in page.items], total=page.total)
    if as_json:
        _print_json(result)
        return
    if not result.items:
        err.print(
            "no runs yet: start one with `neuralscope train` "
            "or from the web app (`neuralscope serve`)"
        )
        return
    table = Table(title=f"{len(result.items)} of {result.total} runs")
    for col in ("id", "name", "status", "steps", "val loss", "val acc", "created"):
        table.add_column(
            col,
            justify="right" if col in ("steps", "val loss", "val acc") else "left",
            no_wrap=col in ("id", "status", "steps"),
        )
    for item in result.items:
        vl, va = item.summary.get("val/loss"), item.summary.get("val/accuracy")
        table.add_row(
            item.id[:12],
            item.name,
            item.status.value,
            str(item.last_step),
            "-" if vl is None else f"{vl:.4f}",
            "-" if va is None else f"{va:.1%}",
            item.created_at[:19].replace("T", " "),
        )
    Console().print(table)


def main() -> None:
    app()


if __name__ == "__main__":
    main()

"""``neuralscope zoo ...``: train the Playground's model zoo into the home, and list it."""

from __future__ import annotations

from typing import Annotated

import torch
import typer
from pydantic import BaseModel
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from neuralscope.cli._common import HomeOpt, JsonOpt, err, fail, print_json, settings_from
from neuralscope.zoo import (
    TRAIN_COMMAND,
    ZOO,
    ZOO_BY_NAME,
    ZooCard,
    ZooProgress,
    entry_steps,
    installed,
    train_zoo,
    zoo_dir,
)

zoo_app = typer.Typer(
    help="The Playground's model zoo: train it into the home, list it.", no_args_is_help=True
)


class ZooListing(BaseModel):
    directory: str
    items: list[ZooCard]
    missing: list[str]


def _listing(home: HomeOpt) -> ZooListing:
    directory = zoo_dir(settings_from(home=home).home)
    cards = installed(directory)
    names = {c.name for c in cards}
    missing = [e.name for e in ZOO if e.name not in names]
    return ZooListing(directory=str(directory), items=cards, missing=missing)


def _accuracy(card: ZooCard) -> str:
    value = card.metrics.get("val/accuracy")
    return f"{value:.1%}" if value is not None else "-"


@zoo_app.command("train")
def train_command(
    scale: Annotated[
        float,
        typer.Option(min=0.0001, max=100.0, help="Multiply every step budget (1 = full)"),
    ] = 1.0,
    only: Annotated[
        list[str] | None, typer.Option("--only", help="Train only this entry (repeatable)")
    ] = None,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Train the zoo with neuralscope's own engine into <home>/zoo (about 15 s on 2 cores)."""
    unknown = [n for n in only or [] if n not in ZOO_BY_NAME]
    if unknown:
        fail(f"no zoo model named {', '.join(unknown)}; known: {', '.join(ZOO_BY_NAME)}")
    entries = [ZOO_BY_NAME[n] for n in only] if only else list(ZOO)
    directory = zoo_dir(settings_from(home=home).home)
    torch.set_num_threads(1)  # tiny nets: one thread is as fast, and never oversubscribes
    columns = (TextColumn("{task.description:<12}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=err, transient=as_json) as bar:
        tasks: dict[str, TaskID] = {
            e.name: bar.add_task(e.name, total=entry_steps(e, scale)) for e in entries
        }

        def report(progress: ZooProgress) -> None:
            bar.update(tasks[progress.name], completed=progress.step)

        try:
            cards = train_zoo(directory, scale, entries=entries, progress=report)
        except OSError as exc:
            fail(f"cannot write the zoo into {directory}: {exc}")
    if as_json:
        print_json(ZooListing(directory=str(directory), items=cards, missing=[]))
        return
    for card in cards:
        err.print(f"{card.name}: validation accuracy {_accuracy(card)} after {card.steps} steps")
    err.print(f"installed into {directory}")


@zoo_app.command("list")
def list_command(home: HomeOpt = None, as_json: JsonOpt = False) -> None:
    """The installed zoo models with their validation metrics."""
    listing = _listing(home)
    if as_json:
        print_json(listing)
        return
    table = Table("name", "dataset", "net", "val accuracy", "val loss", "steps")
    for card in listing.items:
        table.add_row(
            card.name,
            card.config.data.dataset,
            card.config.spec.short_name(),
            _accuracy(card),
            f"{card.metrics.get('val/loss', float('nan')):.3f}",
            str(card.steps),
        )
    if listing.items:
        Console().print(table)
    if listing.missing:
        err.print(
            f"not installed: {', '.join(listing.missing)}; run `{TRAIN_COMMAND}` "
            f"(installs into {listing.directory})"
        )

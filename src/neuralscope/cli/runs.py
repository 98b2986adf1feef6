"""``neuralscope runs ...``: inspect stored runs."""

from __future__ import annotations

from typing import Annotated

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from neuralscope.cli._common import (
    DbOpt,
    HomeOpt,
    JsonOpt,
    err,
    open_store,
    print_json,
    settings_from,
)
from neuralscope.events import RunStatus
from neuralscope.store import RunRecord

runs_app = typer.Typer(help="Inspect stored runs.", no_args_is_help=True)


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
    store = open_store(settings_from(home=home, database_url=db))
    page = store.runs.list(limit=limit)
    store.close()
    result = RunList(items=[_item(r) for r in page.items], total=page.total)
    if as_json:
        print_json(result)
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

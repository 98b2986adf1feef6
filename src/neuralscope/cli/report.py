"""``neuralscope report RUN --out DIR``: the visual report of a (watched) run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from pydantic import BaseModel

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
from neuralscope.store import RunNotFound


class ReportOut(BaseModel):
    run_id: str
    files: list[str]


def report_command(
    run_id: Annotated[str, typer.Argument(help="Run id (see `neuralscope runs list`)")],
    out: Annotated[Path, typer.Option("--out", help="Directory for the PNGs and index.html")],
    home: HomeOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Write PNG figures and an index.html explaining them for RUN into --out."""
    from neuralscope.report import render_report  # matplotlib loads only for this command

    store = open_store(settings_from(home=home, database_url=db))
    try:
        files = render_report(store, run_id, out)
    except RunNotFound:
        fail(f"no run {run_id!r}: see `neuralscope runs list`")
    finally:
        store.close()
    if as_json:
        print_json(ReportOut(run_id=run_id, files=[str(f) for f in files]))
        return
    for f in files:
        typer.echo(str(f))
    err.print(f"open {out / 'index.html'} in a browser")

"""What every command shares: stderr console, common options, settings, errors, JSON out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console

from neuralscope.config import Settings
from neuralscope.store import Store, StoreUnavailable

err = Console(stderr=True)

HomeOpt = Annotated[
    Path | None, typer.Option("--home", help="Data directory [env NEURALSCOPE_HOME]")
]
DbOpt = Annotated[
    str | None, typer.Option("--db", help="SQLAlchemy database URL [env NEURALSCOPE_DATABASE_URL]")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print only JSON on stdout")]


def settings_from(**overrides: Any) -> Settings:
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        fail(f"invalid setting: {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}")


def fail(message: str, code: int = 2) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


def open_store(settings: Settings) -> Store:
    try:
        return Store(settings.db_url, settings.artifacts_dir)
    except StoreUnavailable as exc:
        fail(str(exc))


def print_json(model: BaseModel) -> None:
    sys.stdout.write(model.model_dump_json(indent=2) + "\n")

"""``neuralscope datasets ...``: list the registry, import or download MNIST into the cache."""

from __future__ import annotations

import urllib.error
from pathlib import Path
from typing import Annotated, Literal

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from neuralscope.cli._common import HomeOpt, JsonOpt, err, fail, print_json, settings_from
from neuralscope.data import REGISTRY, IdxError, MnistCache

datasets_app = typer.Typer(help="Datasets: list them, import MNIST.", no_args_is_help=True)


class DatasetRow(BaseModel):
    name: str
    title: str
    task: str
    input_shape: list[int]
    available: bool


class DatasetList(BaseModel):
    items: list[DatasetRow]


class ImportResult(BaseModel):
    dataset: Literal["mnist"]
    directory: str
    files: list[str]


def _cache(home: Path | None) -> MnistCache:
    return MnistCache(settings_from(home=home).datasets_dir / "mnist")


@datasets_app.command("list")
def list_datasets(home: HomeOpt = None, as_json: JsonOpt = False) -> None:
    """The registered datasets and whether each is ready to use."""
    ready = _cache(home).complete
    rows = [
        DatasetRow(
            name=name,
            title=spec.info.title,
            task=spec.info.task,
            input_shape=list(spec.info.input_shape),
            available=ready if name == "mnist" else True,
        )
        for name, spec in REGISTRY.items()
    ]
    if as_json:
        print_json(DatasetList(items=rows))
        return
    table = Table("name", "title", "task", "input", "ready")
    for r in rows:
        shape = "x".join(map(str, r.input_shape))
        table.add_row(r.name, r.title, r.task, shape, "yes" if r.available else "no")
    Console().print(table)


@datasets_app.command("import")
def import_dataset(
    name: Annotated[str, typer.Argument(help="Dataset to import (only 'mnist')")],
    directory: Annotated[Path, typer.Argument(help="Folder with the four IDX files (.gz or raw)")],
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Verify local MNIST IDX files and copy them into the cache under the home dir."""
    if name != "mnist":
        fail(f"only 'mnist' can be imported, not {name!r}")
    if not directory.is_dir():
        fail(f"{directory} is not a directory")
    cache = _cache(home)
    try:
        files = cache.import_dir(directory)
    except IdxError as exc:
        fail(str(exc))
    result = ImportResult(dataset="mnist", directory=str(cache.root), files=files)
    if as_json:
        print_json(result)
    else:
        err.print(f"imported {len(files)} MNIST files into {cache.root}")


@datasets_app.command("download")
def download_dataset(
    name: Annotated[str, typer.Argument(help="Dataset to download (only 'mnist')")],
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Download MNIST from the PyTorch mirror, verify the published MD5s, and cache it."""
    if name != "mnist":
        fail(f"only 'mnist' can be downloaded, not {name!r}")
    cache = _cache(home)
    try:
        files = cache.download()
    except (IdxError, urllib.error.URLError, TimeoutError) as exc:
        fail(f"download failed: {exc}")
    result = ImportResult(dataset="mnist", directory=str(cache.root), files=files)
    if as_json:
        print_json(result)
    else:
        err.print(f"downloaded {len(files)} MNIST files into {cache.root}")

"""``neuralscope datasets ...``: list every dataset with its state; download or import the
downloadable ones (MNIST, Fashion-MNIST, CIFAR-10/100, GTSRB, IMDB, Reuters) into the cache."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from neuralscope.cli._common import HomeOpt, JsonOpt, err, fail, print_json, settings_from
from neuralscope.data import REGISTRY
from neuralscope.data.catalog import CATALOG, download_set, import_set, is_cached
from neuralscope.data.downloads import DatasetFileError, DownloadError, FetchOptions

datasets_app = typer.Typer(
    help="Datasets: list them, download or import the published ones.", no_args_is_help=True
)
State = Literal["offline", "cached", "not cached"]
_DOWNLOADABLE = [n for n, e in CATALOG.items() if e.obtain == "download"]


class DatasetRow(BaseModel):
    name: str
    title: str
    task: str
    input_shape: list[int]
    available: bool
    state: State = "offline"
    kind: str | None = None  # the search catalog's kind (image/text/tabular); None: not in it
    search: bool = False  # whether `neuralscope search --dataset NAME` accepts it


class DatasetList(BaseModel):
    items: list[DatasetRow]


class ImportResult(BaseModel):
    dataset: str
    directory: str
    files: list[str]


def _rows(datasets_dir: Path) -> list[DatasetRow]:
    rows: dict[str, DatasetRow] = {}
    for name, spec in REGISTRY.items():
        rows[name] = DatasetRow(
            name=name,
            title=spec.info.title,
            task=spec.info.task,
            input_shape=list(spec.info.input_shape),
            available=True,
        )
    for name, entry in CATALOG.items():
        state: State = "offline"
        if entry.obtain == "download":
            state = "cached" if is_cached(name, datasets_dir) else "not cached"
        row = rows.get(name) or DatasetRow(
            name=name,
            title=entry.title,
            task="binary" if entry.n_classes == 2 else "multiclass",
            input_shape=list(entry.input_shape),
            available=True,
        )
        rows[name] = row.model_copy(
            update={
                "available": state != "not cached",
                "state": state,
                "kind": entry.kind,
                "search": True,
            }
        )
    return list(rows.values())


@datasets_app.command("list")
def list_datasets(home: HomeOpt = None, as_json: JsonOpt = False) -> None:
    """Every dataset: offline, cached, or still to download (`datasets download NAME`)."""
    rows = _rows(settings_from(home=home).datasets_dir)
    if as_json:
        print_json(DatasetList(items=rows))
        return
    table = Table("name", "title", "kind", "input", "state", "search")
    for r in rows:
        shape = "x".join(map(str, r.input_shape)) or "sequence"
        colour = {"offline": "", "cached": "green", "not cached": "yellow"}[r.state]
        state = f"[{colour}]{r.state}[/]" if colour else r.state
        table.add_row(r.name, r.title, r.kind or r.task, shape, state, "yes" if r.search else "")
    Console().print(table)
    missing = [r.name for r in rows if r.state == "not cached"]
    if missing:
        err.print(f"get one with `neuralscope datasets download NAME` ({', '.join(missing)})")


ChecksumsOpt = Annotated[
    Path | None,
    typer.Option(
        "--checksums",
        help="JSON file {file name: md5 or sha256 hex} replacing the published digests "
        "(for re-packaged copies on a private mirror)",
    ),
]


def _checksums(path: Path | None) -> dict[str, str] | None:
    if path is None:
        return None
    try:
        table = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        fail(f"--checksums {path}: {exc}")
    if not isinstance(table, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in table.items()
    ):
        fail(f"--checksums {path}: expected a JSON object of file name -> hex digest")
    return {str(k): str(v).lower() for k, v in table.items()}


def _check_name(name: str) -> None:
    if name not in _DOWNLOADABLE:
        fail(
            f"{name!r} cannot be downloaded or imported; choose one of: {', '.join(_DOWNLOADABLE)}"
        )


@datasets_app.command("import")
def import_dataset(
    name: Annotated[str, typer.Argument(help=f"One of: {', '.join(_DOWNLOADABLE)}")],
    path: Annotated[
        Path,
        typer.Argument(
            help="The published file (e.g. cifar-10-python.tar.gz, imdb.npz), or a folder "
            "holding the published files (MNIST's four IDX files, GTSRB's three ZIPs)"
        ),
    ],
    checksums: ChecksumsOpt = None,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Verify local copies of a dataset's published files and cache them under the home dir."""
    _check_name(name)
    if name in ("mnist", "fashion_mnist") and not path.is_dir():
        fail(f"{path} is not a directory (give the folder with the four IDX files)")
    if not path.exists():
        fail(f"{path} does not exist")
    datasets_dir = settings_from(home=home).datasets_dir
    try:
        files = import_set(name, path, datasets_dir, FetchOptions(checksums=_checksums(checksums)))
    except DatasetFileError as exc:
        fail(str(exc))
    result = ImportResult(dataset=name, directory=str(datasets_dir / name), files=files)
    if as_json:
        print_json(result)
    else:
        err.print(f"imported {name} ({len(files)} files verified) into {result.directory}")


@datasets_app.command("download")
def download_dataset(
    name: Annotated[str, typer.Argument(help=f"One of: {', '.join(_DOWNLOADABLE)}")],
    mirror: Annotated[
        str | None, typer.Option("--mirror", help="Base URL serving the published files")
    ] = None,
    checksums: ChecksumsOpt = None,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Download a dataset's published files, verify their checksums, and cache it."""
    _check_name(name)
    datasets_dir = settings_from(home=home).datasets_dir
    table = _checksums(checksums)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
    )
    with Progress(*columns, console=err, transient=as_json) as bar:
        tasks: dict[str, TaskID] = {}

        def report(filename: str, done: int, total: int | None) -> None:
            if filename not in tasks:
                tasks[filename] = bar.add_task(filename, total=total)
            bar.update(tasks[filename], completed=done)

        try:
            options = FetchOptions(mirror=mirror, checksums=table, progress=report)
            files = download_set(name, datasets_dir, options)
        except (DownloadError, DatasetFileError) as exc:
            bar.stop()
            fail(f"download failed: {exc}")
    result = ImportResult(dataset=name, directory=str(datasets_dir / name), files=files)
    if as_json:
        print_json(result)
    else:
        err.print(f"downloaded {name} ({len(files)} files verified) into {result.directory}")

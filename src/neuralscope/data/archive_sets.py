"""Catalog sources published as archives: CIFAR-10/100, GTSRB, IMDB and Reuters.

Each source names its published files (:class:`~.downloads.Remote`) and a parser that turns the
verified files into plain arrays. Download and import follow one path: every file is checked
against its published digest, then parsed, and only then is the cache (:class:`ArrayCache`)
written, atomically. A failure at any step leaves the cache as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Literal

import numpy as np

from neuralscope.data import cifar, gtsrb, text
from neuralscope.data.array_cache import ArrayCache
from neuralscope.data.downloads import (
    DatasetFileError,
    FetchOptions,
    Remote,
    fetch,
    staging,
    verify,
)
from neuralscope.data.source import RawSet

Parser = Callable[[dict[str, Path]], dict[str, np.ndarray]]


def files_in(path: Path, remotes: tuple[Remote, ...]) -> dict[str, Path]:
    """The published files at ``path``: the file itself (one-file sets) or inside the folder."""
    if path.is_file():
        if len(remotes) != 1:
            names = ", ".join(r.filename for r in remotes)
            raise DatasetFileError(f"{path}: give the folder that holds {names}")
        return {remotes[0].filename: path}
    if not path.is_dir():
        raise DatasetFileError(f"{path}: no such file or folder")
    found = {r.filename: path / r.filename for r in remotes}
    missing = [name for name, p in found.items() if not p.is_file()]
    if missing:
        raise DatasetFileError(f"{path}: missing {', '.join(missing)}")
    return found


def _progress(options: FetchOptions, filename: str) -> Callable[[int, int | None], None] | None:
    report = options.progress
    if report is None:
        return None
    return lambda done, total: report(filename, done, total)


@dataclass(frozen=True)
class ArchiveSource:
    """A set parsed from published archives into an :class:`ArrayCache`."""

    kind: Literal["image", "text"]
    remotes: tuple[Remote, ...]
    parse: Parser

    def cached(self, root: Path) -> bool:
        return ArrayCache(root).complete

    def load(self, root: Path, seed: int) -> RawSet:
        arrays = ArrayCache(root).load()
        names = [str(n) for n in arrays["class_names"]]
        has_test = "y_test" in arrays
        if self.kind == "text":
            return RawSet(
                text.sequences(arrays, "x_train"),
                arrays["y_train"],
                text.sequences(arrays, "x_test") if has_test else None,
                arrays["y_test"] if has_test else None,
                names,
            )
        return RawSet(
            arrays["x_train"],
            arrays["y_train"],
            arrays["x_test"] if has_test else None,
            arrays["y_test"] if has_test else None,
            names,
        )

    def _store(self, root: Path, files: dict[str, Path], remotes: list[Remote]) -> list[str]:
        arrays = self.parse(files)
        ArrayCache(root).store(arrays, {r.filename: f"{r.algorithm}:{r.digest}" for r in remotes})
        return list(files)

    def download(self, root: Path, options: FetchOptions | None = None) -> list[str]:
        """Fetch every published file, verify, parse, cache; returns the file names."""
        options = options or FetchOptions()
        remotes = [options.resolve(r) for r in self.remotes]
        with staging(root.parent, root.name) as stage:
            files = {
                r.filename: fetch(
                    r, stage, progress=_progress(options, r.filename), timeout_s=options.timeout_s
                )
                for r in remotes
            }
            return self._store(root, files, remotes)

    def import_from(self, root: Path, path: Path, options: FetchOptions | None = None) -> list[str]:
        """Verify local copies of the published files (a file, or a folder), parse, cache."""
        options = options or FetchOptions()
        remotes = [options.resolve(r) for r in self.remotes]
        files = files_in(path, self.remotes)
        for r in remotes:
            verify(files[r.filename], r)
        return self._store(root, files, remotes)


def _cifar(fmt: cifar.CifarFormat, files: dict[str, Path]) -> dict[str, np.ndarray]:
    return cifar.parse_cifar(files[fmt.remote.filename], fmt)


CIFAR10 = ArchiveSource("image", (cifar.CIFAR10.remote,), partial(_cifar, cifar.CIFAR10))
CIFAR100 = ArchiveSource("image", (cifar.CIFAR100.remote,), partial(_cifar, cifar.CIFAR100))
GTSRB = ArchiveSource("image", (gtsrb.TRAIN, gtsrb.TEST, gtsrb.TEST_GT), gtsrb.parse_gtsrb)
IMDB = ArchiveSource("text", (text.IMDB,), lambda files: text.parse_imdb(files["imdb.npz"]))
REUTERS = ArchiveSource(
    "text", (text.REUTERS,), lambda files: text.parse_reuters(files["reuters.npz"])
)

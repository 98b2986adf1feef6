"""What a catalog source hands back, and the interface every source implements.

A source knows where its files live under the datasets cache and how to read them; the catalog
(:mod:`neuralscope.data.catalog`) turns the :class:`RawSet` into a model-ready ``ArraySet``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from neuralscope.data.downloads import FetchOptions, Remote
from neuralscope.data.prepare import Sequences


@dataclass(frozen=True)
class RawSet:
    """Samples as stored: images uint8 (N, C, H, W), tabular float (N, F), text ragged.

    ``x_test``/``y_test`` are the official test part where the dataset has one (it becomes the
    validation part); None means the catalog splits the training part itself.
    """

    x_train: np.ndarray | Sequences
    y_train: np.ndarray
    x_test: np.ndarray | Sequences | None
    y_test: np.ndarray | None
    class_names: list[str]


class Source(Protocol):
    """Where a catalog set comes from."""

    def cached(self, root: Path) -> bool:
        """Whether :meth:`load` can run now without a download or import."""
        ...

    def load(self, root: Path, seed: int) -> RawSet:
        """The samples, read from ``root`` (``<datasets_dir>/<name>``) or generated."""
        ...


@runtime_checkable
class Fetchable(Source, Protocol):
    """A source whose published files can be downloaded or imported from local copies."""

    @property
    def remotes(self) -> tuple[Remote, ...]:
        """The published files, with their URLs and digests."""
        ...

    def download(self, root: Path, options: FetchOptions | None = None) -> list[str]:
        """Fetch, verify and cache the files; returns their names."""
        ...

    def import_from(self, root: Path, path: Path, options: FetchOptions | None = None) -> list[str]:
        """Verify and cache local copies (a file or a folder); returns their names."""
        ...

"""The dataset catalog the search loads: every set by name, as model-ready numpy arrays.

:func:`load_array_set` returns an :class:`ArraySet`: images float32 (N, C, H, W) in [0, 1];
text int64 (N, L) token ids (0 pads, 1 is out of vocabulary, see :mod:`.prepare`); tabular
float32 (N, F) standardised with the training statistics; labels int64. Where a dataset has an
official test part, that part is the validation set; otherwise a stratified 25 % is held out.
``max_train`` (and ``max_val``) draw stratified subsets. Both parts come shuffled (published
files are often sorted by class). Everything is seeded: a name, a seed and the options always
give the same arrays.

Downloaded sets live under ``<datasets_dir>/<name>``; one that is not there raises
:class:`DatasetNotAvailable`, whose message names the command that fetches it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from neuralscope.data import archive_sets
from neuralscope.data.array_set import VAL_FRACTION, ArraySet, Kind, Subsets, assemble
from neuralscope.data.downloads import DownloadError, FetchOptions
from neuralscope.data.idx_sets import FASHION_MNIST, MNIST
from neuralscope.data.offline import PlaygroundSource, SklearnSource
from neuralscope.data.prepare import TextOptions
from neuralscope.data.source import Fetchable, Source

Obtain = Literal["offline", "download"]
__all__ = [  # the contract (search_contract.md section 3) plus the CLI's and server's helpers
    "CATALOG",
    "VAL_FRACTION",
    "ArraySet",
    "CatalogEntry",
    "DatasetNotAvailable",
    "array_set_names",
    "catalog_entry",
    "download_set",
    "fetch_hint",
    "fetchable",
    "import_set",
    "is_cached",
    "load_array_set",
]


class DatasetNotAvailable(LookupError):
    """A downloadable set that is not in the cache; the message names the command to get it."""


@dataclass(frozen=True)
class CatalogEntry:
    """A catalog set: what it is, and where its samples come from."""

    name: str
    title: str
    kind: Kind
    obtain: Obtain
    source: Source
    input_shape: tuple[int, ...] = ()  # () for text (the length is an option)
    n_classes: int = 0


def _entries() -> list[CatalogEntry]:
    a, sk = archive_sets, SklearnSource
    rows: list[tuple[str, str, Kind, Obtain, Source, tuple[int, ...], int]] = [
        ("mnist", "MNIST", "image", "download", MNIST, (1, 28, 28), 10),
        ("fashion_mnist", "Fashion-MNIST", "image", "download", FASHION_MNIST, (1, 28, 28), 10),
        ("cifar10", "CIFAR-10", "image", "download", a.CIFAR10, (3, 32, 32), 10),
        ("cifar100", "CIFAR-100", "image", "download", a.CIFAR100, (3, 32, 32), 100),
        ("gtsrb", "GTSRB traffic signs", "image", "download", a.GTSRB, (3, 32, 32), 43),
        ("imdb", "IMDB movie reviews", "text", "download", a.IMDB, (), 2),
        ("reuters", "Reuters newswires", "text", "download", a.REUTERS, (), 46),
        ("digits", "Digits 8x8", "image", "offline", sk("digits", "image"), (1, 8, 8), 10),
        ("iris", "Iris", "tabular", "offline", sk("iris"), (4,), 3),
        ("wine", "Wine", "tabular", "offline", sk("wine"), (13,), 3),
        ("breast_cancer", "Breast cancer", "tabular", "offline", sk("breast_cancer"), (30,), 2),
    ]
    rows += [
        (name, title, "tabular", "offline", PlaygroundSource(name), (2,), k)
        for name, title, k in _PLAYGROUND
    ]
    return [CatalogEntry(*row) for row in rows]


_PLAYGROUND = [
    ("spirals", "Spirals (2-D)", 2),
    ("circle", "Circle (2-D)", 2),
    ("xor", "Exclusive or (2-D)", 2),
    ("gauss", "Gaussians (2-D)", 2),
    ("moons", "Moons (2-D)", 2),
    ("blobs", "Three blobs (2-D)", 3),
    ("spirals_multi", "Three spiral arms (2-D)", 3),
]
CATALOG: dict[str, CatalogEntry] = {e.name: e for e in _entries()}


def array_set_names() -> list[str]:
    """Every name :func:`load_array_set` accepts."""
    return list(CATALOG)


def catalog_entry(name: str) -> CatalogEntry:
    """The entry for ``name``; ValueError listing the valid names otherwise."""
    try:
        return CATALOG[name]
    except KeyError:
        raise ValueError(f"unknown dataset {name!r}; choose one of: {', '.join(CATALOG)}") from None


def fetchable(name: str) -> Fetchable:
    """The source of a downloadable set; ValueError for offline or unknown names."""
    entry = catalog_entry(name)
    if entry.obtain != "download" or not isinstance(entry.source, Fetchable):
        downloadable = [n for n, e in CATALOG.items() if e.obtain == "download"]
        raise ValueError(f"{name!r} needs no download; these do: {', '.join(downloadable)}")
    return entry.source


def download_set(name: str, datasets_dir: Path, options: FetchOptions | None = None) -> list[str]:
    """Download, verify and cache ``name``; returns the published file names fetched.

    Raises:
        DownloadError: no network (the message names the import command instead).
        DatasetFileError: a file failed its checksum or is not in the expected format.
    """
    source = fetchable(name)
    try:
        return source.download(datasets_dir / name, options)
    except DownloadError as exc:
        files = " and ".join(r.filename for r in source.remotes)
        raise DownloadError(
            f"{exc}. Without network, fetch {files} elsewhere and run "
            f"`neuralscope datasets import {name} PATH{_home_flag(datasets_dir)}`"
        ) from exc


def import_set(
    name: str, path: Path, datasets_dir: Path, options: FetchOptions | None = None
) -> list[str]:
    """Verify local copies of ``name``'s published files (a file or folder) and cache them."""
    return fetchable(name).import_from(datasets_dir / name, path, options)


def is_cached(name: str, datasets_dir: Path) -> bool:
    """Whether ``name`` can be loaded now (offline sets always can)."""
    return catalog_entry(name).source.cached(datasets_dir / name)


def _home_flag(datasets_dir: Path) -> str:
    """`` --home DIR`` when ``datasets_dir`` is not the configured home's (else nothing)."""
    from neuralscope.config import Settings

    try:
        default = Settings().datasets_dir
    except ValueError:  # an invalid environment: be explicit
        default = None
    if datasets_dir.name != "datasets" or datasets_dir.resolve() == (default or Path()).resolve():
        return ""
    return f" --home {datasets_dir.parent}"


def fetch_hint(name: str, datasets_dir: Path) -> str:
    """The commands that put ``name`` into ``datasets_dir``."""
    home = _home_flag(datasets_dir)
    return (
        f"run `neuralscope datasets download {name}{home}`, or without network "
        f"`neuralscope datasets import {name} PATH{home}`"
    )


def load_array_set(
    name: str,
    datasets_dir: Path,
    *,
    max_train: int | None = None,
    seed: int = 0,
    max_val: int | None = None,
    text: TextOptions | None = None,
) -> ArraySet:
    """Load ``name`` from the cache (or generate it) and prepare it for a model.

    Args:
        name: one of :func:`array_set_names`.
        datasets_dir: the datasets cache (``Settings.datasets_dir``).
        max_train: at most this many training samples (stratified, seeded subset).
        seed: picks the split and the subsets (and draws the Playground sets).
        max_val: at most this many validation samples (stratified); None keeps them all.
        text: sequence length and vocabulary cap for text sets (default 200 and 10,000).

    Raises:
        ValueError: an unknown name.
        DatasetNotAvailable: a downloadable set that is not cached yet.
        DatasetFileError: a damaged cache (the message says to import again).
    """
    entry = catalog_entry(name)
    root = datasets_dir / name
    if not entry.source.cached(root):
        raise DatasetNotAvailable(f"{name} is not in {root}: {fetch_hint(name, datasets_dir)}")
    raw = entry.source.load(root, seed)
    return assemble(name, entry.kind, raw, Subsets(seed, max_train, max_val, text or TextOptions()))

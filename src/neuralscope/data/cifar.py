"""CIFAR-10 and CIFAR-100 from their published "python version" archives.

Krizhevsky, *Learning Multiple Layers of Features from Tiny Images* (2009),
https://www.cs.toronto.edu/~kriz/cifar.html. Each ``.tar.gz`` holds pickled batches: a dict with
``data`` (N x 3072 uint8; 1024 red, then green, then blue values of a 32x32 image, row-major)
and ``labels`` (CIFAR-10) or ``fine_labels`` (CIFAR-100), plus a ``batches.meta``/``meta`` dict
with the class names. The batches are read straight out of the archive (nothing is extracted)
and unpickled with :mod:`.safe_pickle`, never with plain ``pickle.load``.
"""

from __future__ import annotations

import tarfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from neuralscope.data.downloads import DatasetFileError, Remote
from neuralscope.data.safe_pickle import safe_loads

MAX_BATCH_BYTES = 1 << 30
_BASE = "https://www.cs.toronto.edu/~kriz/"


@dataclass(frozen=True)
class CifarFormat:
    """Where the batches of one CIFAR variant sit inside its archive."""

    folder: str
    train: tuple[str, ...]
    test: str
    meta: str
    label_key: str
    names_key: str
    n_classes: int
    remote: Remote


CIFAR10 = CifarFormat(
    "cifar-10-batches-py",
    tuple(f"data_batch_{i}" for i in range(1, 6)),
    "test_batch",
    "batches.meta",
    "labels",
    "label_names",
    10,
    # MD5 as published with the archive (and checked by torchvision, datasets/cifar.py)
    Remote(f"{_BASE}cifar-10-python.tar.gz", "cifar-10-python.tar.gz",
           "c58f30108f718f92721af3b95e74349a"),
)  # fmt: skip
CIFAR100 = CifarFormat(
    "cifar-100-python",
    ("train",),
    "test",
    "meta",
    "fine_labels",
    "fine_label_names",
    100,
    Remote(f"{_BASE}cifar-100-python.tar.gz", "cifar-100-python.tar.gz",
           "eb9058c3a382ffc7106e4002c42a8d85"),
)  # fmt: skip


def _read_members(path: Path, wanted: set[str]) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    try:
        with tarfile.open(path, "r:gz") as tar:
            for member in tar:
                if member.isfile() and member.name in wanted:
                    if member.size > MAX_BATCH_BYTES:
                        raise DatasetFileError(f"{path}: {member.name} is implausibly large")
                    f = tar.extractfile(member)
                    if f is not None:
                        found[member.name] = f.read()
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise DatasetFileError(f"{path}: corrupt or truncated archive ({exc})") from exc
    missing = sorted(wanted - set(found))
    if missing:
        raise DatasetFileError(f"{path}: not a CIFAR archive, missing {', '.join(missing)}")
    return found


def _batch(raw: bytes, fmt: CifarFormat, source: str) -> tuple[np.ndarray, np.ndarray]:
    entry: Any = safe_loads(raw, source=source)
    if not isinstance(entry, dict) or "data" not in entry or fmt.label_key not in entry:
        raise DatasetFileError(f"{source}: not a CIFAR batch (no 'data'/'{fmt.label_key}')")
    data, labels = entry["data"], np.asarray(entry[fmt.label_key], dtype=np.int64)
    if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 2:
        raise DatasetFileError(f"{source}: 'data' is not an N x 3072 uint8 array")
    if data.shape != (len(labels), 3072):
        raise DatasetFileError(
            f"{source}: 'data' has shape {data.shape}, expected ({len(labels)}, 3072)"
        )
    if labels.size and (labels.min() < 0 or labels.max() >= fmt.n_classes):
        raise DatasetFileError(f"{source}: labels outside 0..{fmt.n_classes - 1}")
    return data.reshape(-1, 3, 32, 32), labels


def parse_cifar(path: Path, fmt: CifarFormat) -> dict[str, np.ndarray]:
    """``x_train``/``x_test`` uint8 (N, 3, 32, 32), ``y_*`` int64, ``class_names`` (str)."""
    names = [*fmt.train, fmt.test, fmt.meta]
    members = _read_members(path, {f"{fmt.folder}/{n}" for n in names})

    def batch(name: str) -> tuple[np.ndarray, np.ndarray]:
        key = f"{fmt.folder}/{name}"
        return _batch(members[key], fmt, f"{path}:{key}")

    train = [batch(n) for n in fmt.train]
    x_test, y_test = batch(fmt.test)
    meta_key = f"{fmt.folder}/{fmt.meta}"
    meta: Any = safe_loads(members[meta_key], source=f"{path}:{meta_key}")
    labels = meta.get(fmt.names_key) if isinstance(meta, dict) else None
    if not isinstance(labels, list) or len(labels) != fmt.n_classes:
        raise DatasetFileError(f"{path}:{meta_key}: expected {fmt.n_classes} class names")
    return {
        "x_train": np.concatenate([x for x, _ in train]),
        "y_train": np.concatenate([y for _, y in train]),
        "x_test": x_test,
        "y_test": y_test,
        "class_names": np.array([str(n) for n in labels]),
    }

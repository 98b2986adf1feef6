"""Uploaded tables as stored bytes, and the reference a :class:`DataConfig` keeps to one.

A parsed CSV (:class:`~neuralscope.data.csv_upload.ParsedTable`) is stored once, content
addressed: :func:`encode_table` writes it deterministically (the same table always gives the
same bytes, hence the same sha256 id) as a magic line, a length-prefixed JSON header with the
names and the task, then ``x`` and ``y`` in NumPy's ``.npy`` format (read back with
``allow_pickle=False``, so stored bytes can never run code). :func:`decode_table` checks all of
it. Nothing here does I/O: whoever holds the bytes (the server's artifact store) hands them in
through a :data:`TableSource` callable.

A :class:`TableRef` carries the id plus the few facts needed to check a net against the data
without loading it (feature count, task, classes), so a config stays self-describing; the
loaded table must agree with its ref (:func:`table_dataset`).
"""

from __future__ import annotations

import io
import json
import struct
from collections.abc import Callable

import numpy as np
import torch
from pydantic import BaseModel, ConfigDict, Field

from neuralscope.data.base import (
    Dataset,
    DatasetInfo,
    DatasetKind,
    Task,
    labels_tensor,
    split,
)
from neuralscope.data.csv_upload import ParsedTable

MAGIC = b"NSTABLE1\n"
# Reads a stored table's bytes by its id (sha256); raises KeyError/LookupError when absent.
TableSource = Callable[[str], bytes]


class TableError(ValueError):
    """A stored table that is missing, damaged, or not the one a config refers to."""


class TableRef(BaseModel):
    """Which uploaded table a run trains on (as returned by ``POST /api/datasets/csv``)."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", json_schema_serialization_defaults_required=True
    )

    id: str = Field(pattern=r"^[0-9a-f]{64}$", description="sha256 of the stored table")
    n_features: int = Field(ge=1, le=1024)
    task: Task
    n_classes: int = Field(ge=0, le=1000, description="0 for regression")


def _npy(array: np.ndarray) -> bytes:
    out = io.BytesIO()
    np.lib.format.write_array(out, np.ascontiguousarray(array), allow_pickle=False)
    return out.getvalue()


def encode_table(table: ParsedTable) -> bytes:
    """The table as deterministic bytes (see the module docstring)."""
    header = json.dumps(
        {
            "feature_names": list(table.feature_names),
            "label_name": table.label_name,
            "task": table.task,
            "class_names": list(table.class_names),
        },
        sort_keys=True,
    ).encode()
    x, y = _npy(table.x.astype(np.float32)), _npy(table.y)
    return MAGIC + struct.pack("<QQ", len(header), len(x)) + header + x + y


def decode_table(raw: bytes) -> ParsedTable:
    """Read bytes written by :func:`encode_table`; :class:`TableError` if they are not."""
    if not raw.startswith(MAGIC) or len(raw) < len(MAGIC) + 16:
        raise TableError("not a stored neuralscope table")
    at = len(MAGIC)
    n_header, n_x = struct.unpack_from("<QQ", raw, at)
    at += 16
    try:
        meta = json.loads(raw[at : at + n_header])
        at += n_header
        x = np.lib.format.read_array(io.BytesIO(raw[at : at + n_x]), allow_pickle=False)
        y = np.lib.format.read_array(io.BytesIO(raw[at + n_x :]), allow_pickle=False)
        table = ParsedTable(
            feature_names=tuple(meta["feature_names"]),
            label_name=str(meta["label_name"]),
            task=meta["task"],
            x=x,
            y=y,
            class_names=tuple(meta["class_names"]),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise TableError(f"a damaged stored table: {exc}") from exc
    if x.ndim != 2 or len(x) != len(y) or x.shape[1] != len(table.feature_names):
        raise TableError("a damaged stored table: inconsistent shapes")
    return table


def table_ref(sha256: str, table: ParsedTable) -> TableRef:
    """The reference a config keeps to ``table`` stored under ``sha256``."""
    return TableRef(
        id=sha256,
        n_features=len(table.feature_names),
        task=table.task,
        n_classes=len(table.class_names),
    )


def table_info(ref: TableRef) -> DatasetInfo:
    """Catalogue facts of an uploaded table: two features are a plane (with a boundary), one
    a line, more a plain table (trained without a picture)."""
    n = ref.n_features
    kind: DatasetKind = "plane" if n == 2 else "line" if n == 1 else "table"
    description = f"{n} feature(s) from an uploaded CSV"
    return DatasetInfo("csv", "CSV upload", description, ref.task, kind, (n,), ref.n_classes)


def _bounds(x: np.ndarray) -> tuple[float, float]:
    """One square range covering every feature, with a 5% margin (the boundary's plane)."""
    low, high = float(x.min()), float(x.max())
    margin = max(high - low, 1e-6) * 0.05
    return round(low - margin, 6), round(high + margin, 6)


def table_dataset(
    ref: TableRef,
    source: TableSource | None,
    seed: int,
    validation_fraction: float,
    n_samples: int,
) -> Dataset:
    """Load the referenced table, check it is the one ``ref`` describes, and split it.

    Rows are sub-sampled to ``n_samples`` (seeded) when the table has more.
    """
    if source is None:
        raise TableError("uploaded tables are not available here (no table source given)")
    try:
        raw = source(ref.id)
    except LookupError as exc:
        raise TableError(f"no uploaded table with id {ref.id}") from exc
    table = decode_table(raw)
    if table_ref(ref.id, table) != ref:
        raise TableError(f"table {ref.id} does not match its reference: {table_ref(ref.id, table)}")
    rng = np.random.default_rng(seed)
    x_np, y_np = table.x, table.y
    if n_samples < len(x_np):
        keep = np.sort(rng.choice(len(x_np), n_samples, replace=False))
        x_np, y_np = x_np[keep], y_np[keep]
    x = torch.as_tensor(np.asarray(x_np, np.float32))
    y = labels_tensor(np.asarray(y_np), ref.task)
    x_train, y_train, x_val, y_val = split(x, y, validation_fraction, rng)
    return Dataset(
        name="csv",
        x_train=x_train,
        y_train=y_train,
        x_val=x_val,
        y_val=y_val,
        bounds=_bounds(table.x),
        n_classes=ref.n_classes,
        task=ref.task,
        input_shape=(ref.n_features,),
        class_names=table.class_names,
    )

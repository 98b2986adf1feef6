"""A user's own table: CSV bytes -> numeric features and labels, or a clear error.

Pure: bytes and options in, a :class:`ParsedTable` out; nothing is stored here, so a
malformed file can never leave anything half-way. The rules:

* UTF-8 (a BOM is allowed); a header row names the columns; every row has as many cells.
* The label column is chosen by name (default: the last column). Every other column is a
  feature and must be numeric (``float()`` accepts it and the value is finite).
* Task: ``"auto"`` reads the label column as classification when a label is not a number,
  or when every label is an integer and there are at most ``max_classes`` distinct values;
  else as regression. Either may be forced. A label column with one value only teaches
  nothing and is refused; a missing label cell is refused with its row.

Errors are :class:`CsvError` with the 1-based row (the header is row 1) and the column name.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

TaskChoice = Literal["auto", "classification", "regression"]


class CsvError(ValueError):
    """A CSV file that cannot be used; ``row`` is 1-based (header = 1), ``column`` a name."""

    def __init__(self, message: str, row: int | None = None, column: str | None = None) -> None:
        where = ", ".join(
            part
            for part in (f"row {row}" if row else "", f"column {column!r}" if column else "")
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)
        self.row = row
        self.column = column


@dataclass(frozen=True)
class CsvOptions:
    """How to read the file, and the limits that keep the simulator interactive."""

    label_column: str | None = None  # None: the last column
    task: TaskChoice = "auto"
    max_rows: int = 10_000
    max_columns: int = 64
    max_bytes: int = 5_000_000
    max_classes: int = 20
    delimiter: str = ","


@dataclass(frozen=True)
class ParsedTable:
    """Features (N, F) float32, labels (N,) int64 class indices or float32 targets."""

    feature_names: tuple[str, ...]
    label_name: str
    task: Literal["binary", "multiclass", "regression"]
    x: np.ndarray
    y: np.ndarray
    class_names: tuple[str, ...]  # empty for regression


def _number(cell: str) -> float | None:
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _decode(raw: bytes, options: CsvOptions) -> str:
    if not raw.strip():
        raise CsvError("the file is empty")
    if len(raw) > options.max_bytes:
        raise CsvError(f"the file has {len(raw)} bytes, more than the limit {options.max_bytes}")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvError(
            f"not UTF-8 text (byte {exc.start} is 0x{raw[exc.start]:02x}); save the file as "
            "UTF-8 CSV"
        ) from exc


def _read_rows(text: str, options: CsvOptions) -> tuple[list[str], list[list[str]]]:
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=options.delimiter) if r]
    if not rows:
        raise CsvError("the file is empty")
    header = [h.strip() for h in rows[0]]
    if len(header) < 2:
        raise CsvError("need a header with at least one feature column and a label column", 1)
    if len(header) > options.max_columns:
        raise CsvError(f"{len(header)} columns, more than the limit {options.max_columns}", 1)
    for i, name in enumerate(header):
        if not name:
            raise CsvError(f"column {i + 1} has no name in the header", 1)
        if name in header[:i]:
            raise CsvError("duplicate column name in the header", 1, name)
    body = rows[1:]
    if not body:
        raise CsvError("the file has a header but no data rows")
    if len(body) > options.max_rows:
        raise CsvError(f"{len(body)} data rows, more than the limit {options.max_rows}")
    for number, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise CsvError(f"{len(row)} cells, but the header has {len(header)}", number)
    return header, body


def parse_csv(raw: bytes, options: CsvOptions | None = None) -> ParsedTable:
    """Parse and validate a whole CSV upload; raises :class:`CsvError` naming row/column."""
    options = options or CsvOptions()
    header, body = _read_rows(_decode(raw, options), options)
    label = options.label_column or header[-1]
    if label not in header:
        raise CsvError(f"label column {label!r} is not in the header {header}", 1)
    li = header.index(label)
    feature_idx = [i for i in range(len(header)) if i != li]
    x = np.empty((len(body), len(feature_idx)), np.float32)
    labels: list[str] = []
    for r, row in enumerate(body):
        for c, i in enumerate(feature_idx):
            value = _number(row[i])
            if value is None:
                raise CsvError(f"{row[i]!r} is not a finite number", r + 2, header[i])
            x[r, c] = value
        cell = row[li].strip()
        if not cell:
            raise CsvError("the label is missing", r + 2, label)
        labels.append(cell)
    distinct = sorted(set(labels))
    if len(distinct) < 2:
        raise CsvError(f"the label is {distinct[0]!r} in every row: nothing to learn", None, label)
    numbers = [_number(v) for v in labels]
    numeric = all(v is not None for v in numbers)
    task = options.task
    if task == "auto":
        integral = numeric and all(float(v).is_integer() for v in numbers if v is not None)
        small = len(distinct) <= options.max_classes
        task = "classification" if not numeric or (integral and small) else "regression"
    if task == "regression":
        if not numeric:
            bad = next(i for i, v in enumerate(numbers) if v is None)
            raise CsvError(f"regression needs numbers, got {labels[bad]!r}", bad + 2, label)
        y = np.asarray(numbers, np.float32)
        return ParsedTable(
            tuple(header[i] for i in feature_idx), label, "regression", x, y, class_names=()
        )
    if len(distinct) > options.max_classes:
        raise CsvError(f"{len(distinct)} classes, more than {options.max_classes}", None, label)
    if numeric:  # order numeric class labels by value, not as strings
        distinct = sorted(distinct, key=float)
    index = {name: k for k, name in enumerate(distinct)}
    y = np.asarray([index[v] for v in labels], np.int64)
    kind: Literal["binary", "multiclass"] = "binary" if len(distinct) == 2 else "multiclass"
    return ParsedTable(tuple(header[i] for i in feature_idx), label, kind, x, y, tuple(distinct))

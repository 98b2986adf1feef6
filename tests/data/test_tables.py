"""Stored tables: deterministic bytes, strict decoding, and refs that must match their table."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from neuralscope.data import (
    DataConfig,
    TableError,
    TableRef,
    dataset_info,
    decode_table,
    encode_table,
    make_dataset,
    parse_csv,
    table_ref,
)

CSV = b"a,b,label\n" + b"".join(
    f"{i % 7 - 3},{(i * 5) % 11 - 5},{'yes' if i % 3 else 'no'}\n".encode() for i in range(60)
)
ID = "a" * 64


def test_encoding_round_trips_and_is_deterministic() -> None:
    table = parse_csv(CSV)
    raw = encode_table(table)
    assert encode_table(parse_csv(CSV)) == raw  # same content, same bytes, same sha256
    back = decode_table(raw)
    assert (back.feature_names, back.class_names) == (("a", "b"), ("no", "yes"))
    assert (back.task, back.label_name) == ("binary", "label")
    np.testing.assert_array_equal(back.x, table.x)
    np.testing.assert_array_equal(back.y, table.y)


@pytest.mark.parametrize("raw", [b"", b"not a table", b"NSTABLE1\n" + b"\x00" * 20])
def test_garbage_is_not_a_table(raw: bytes) -> None:
    with pytest.raises(TableError):
        decode_table(raw)


def test_a_csv_config_loads_its_table_and_checks_the_ref() -> None:
    table = parse_csv(CSV)
    raw = encode_table(table)
    ref = table_ref(ID, table)
    config = DataConfig(dataset="csv", table=ref, n_samples=40, validation_fraction=0.25)
    info = dataset_info(config)
    assert (info.kind, info.input_shape, info.n_classes) == ("plane", (2,), 2)
    data = make_dataset(config, seed=1, tables={ID: raw}.__getitem__)
    assert (len(data.x_train), len(data.x_val)) == (30, 10)  # sub-sampled to 40, then split
    assert data.y_train.dtype == torch.float32
    assert data.y_train.shape == (30, 1)
    assert data.bounds[0] < -5  # covers every feature's range
    assert data.bounds[1] > 5
    assert data.class_names == ("no", "yes")
    with pytest.raises(TableError, match="no uploaded table"):
        make_dataset(config, tables={}.__getitem__)
    with pytest.raises(TableError, match="no table source"):
        make_dataset(config)
    lie = DataConfig(dataset="csv", table=TableRef(id=ID, n_features=3, task="binary", n_classes=2))
    with pytest.raises(TableError, match="does not match"):
        make_dataset(lie, tables={ID: raw}.__getitem__)


def test_csv_needs_a_table_and_only_csv_has_one() -> None:
    ref = TableRef(id=ID, n_features=5, task="regression", n_classes=0)
    assert dataset_info(DataConfig(dataset="csv", table=ref)).kind == "table"
    with pytest.raises(ValueError, match="table"):
        DataConfig(dataset="csv")
    with pytest.raises(ValueError, match="table"):
        DataConfig(dataset="spirals", table=ref)
    with pytest.raises(ValueError, match="2-D sets only"):
        DataConfig(dataset="csv", table=ref, features=["x1_squared"])

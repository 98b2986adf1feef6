"""CSV uploads: good files parse, malformed ones name their row and column."""

from __future__ import annotations

import numpy as np
import pytest

from neuralscope.data import CsvError, CsvOptions, parse_csv


def test_classification_with_string_labels_and_a_bom() -> None:
    raw = "\ufeffa,b,kind\n1,2,cat\n3.5,-1,dog\n0,0,cat\n".encode()
    table = parse_csv(raw)
    assert table.feature_names == ("a", "b")
    assert table.label_name == "kind"
    assert table.task == "binary"
    assert table.class_names == ("cat", "dog")
    np.testing.assert_array_equal(table.x, [[1, 2], [3.5, -1], [0, 0]])
    np.testing.assert_array_equal(table.y, [0, 1, 0])


def test_integer_labels_are_classes_floats_are_regression_and_both_overridable() -> None:
    ints = b"y,x\n0,1\n2,2\n10,3\n"
    table = parse_csv(ints, CsvOptions(label_column="y"))
    assert table.task == "multiclass"
    assert table.class_names == ("0", "2", "10")  # numeric order, not string order
    assert parse_csv(ints, CsvOptions(label_column="y", task="regression")).task == "regression"
    floats = b"x,y\n1,0.5\n2,1.5\n3,2.25\n"
    table = parse_csv(floats)
    assert table.task == "regression"
    np.testing.assert_allclose(table.y, [0.5, 1.5, 2.25])
    assert parse_csv(floats, CsvOptions(task="classification")).task == "multiclass"


@pytest.mark.parametrize(
    ("raw", "options", "message", "row", "column"),
    [
        (b"", CsvOptions(), "empty", None, None),
        (b"a,b\n", CsvOptions(), "no data rows", None, None),
        (b"a,b,y\n1,2,0\n3,4\n", CsvOptions(), "2 cells, but the header has 3", 3, None),
        (b"a,b,y\n1,2,0\n3,x,1\n", CsvOptions(), "'x' is not a finite number", 3, "b"),
        (b"a,b,y\n1,2,0\n3,nan,1\n", CsvOptions(), "not a finite number", 3, "b"),
        (b"a,y\n1,0\n2,\n", CsvOptions(), "label is missing", 3, "y"),
        (b"a,y\n1,7\n2,7\n", CsvOptions(), "in every row", None, "y"),
        (b"a,y\n1,0\n2,1\n", CsvOptions(label_column="z"), "not in the header", 1, None),
        (b"a,b,c\n1,2,3\n", CsvOptions(max_columns=2), "more than the limit 2", 1, None),
        (b"a,y\n1,0\n2,1\n3,0\n", CsvOptions(max_rows=2), "3 data rows", None, None),
        ("a,y\n1,é\n".encode("latin-1"), CsvOptions(), "not UTF-8", None, None),
        (b"a,a\n1,0\n", CsvOptions(), "duplicate column", 1, "a"),
        (b"a,y\n1,cat\n2,dog\n", CsvOptions(task="regression"), "needs numbers", 2, "y"),
    ],
)
def test_malformed_files_name_row_and_column(
    raw: bytes, options: CsvOptions, message: str, row: int | None, column: str | None
) -> None:
    with pytest.raises(CsvError, match=message) as info:
        parse_csv(raw, options)
    assert info.value.row == row
    assert info.value.column == column
    if row is not None:
        assert f"row {row}" in str(info.value)


def test_too_many_classes_for_classification() -> None:
    raw = b"x,y\n" + b"".join(f"{i},c{i}\n".encode() for i in range(30))
    with pytest.raises(CsvError, match="30 classes"):
        parse_csv(raw, CsvOptions(max_classes=20))

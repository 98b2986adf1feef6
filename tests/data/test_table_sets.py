"""An uploaded CSV as a search dataset: stratified split, train-only standardisation."""

from __future__ import annotations

import numpy as np
import pytest

from neuralscope.data import TableError, encode_table, parse_csv
from neuralscope.data.table_sets import table_array_set

CSV = b"a,b,label\n" + b"".join(
    f"{i % 7 - 3},{(i * 5) % 11 - 5},{['red', 'green', 'blue'][i % 3]}\n".encode()
    for i in range(90)
)


def test_a_classification_table_becomes_a_tabular_array_set() -> None:
    table = parse_csv(CSV)
    s = table_array_set(encode_table(table), seed=2)
    assert (s.kind, s.name, s.n_classes) == ("tabular", "csv", 3)
    assert s.class_names == list(table.class_names)
    assert (len(s.y_train), len(s.y_val)) == (68, 22)  # round(0.25 * 90) == 22
    assert np.bincount(s.y_val).tolist() == [8, 7, 7]  # stratified: 30 per class
    np.testing.assert_allclose(s.x_train.mean(0), 0, atol=1e-5)
    np.testing.assert_allclose(s.x_train.std(0), 1, atol=1e-4)
    small = table_array_set(encode_table(table), seed=2, max_train=30)
    assert np.bincount(small.y_train).tolist() == [10, 10, 10]


def test_regression_tables_are_refused() -> None:
    csv = b"x,y\n" + b"".join(f"{i},{i * 0.5}\n".encode() for i in range(20))
    with pytest.raises(TableError, match="regression"):
        table_array_set(encode_table(parse_csv(csv)))

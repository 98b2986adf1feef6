"""Property tests for every parser of untrusted input (issue #8): any bytes give a result or
the parser's own clear error — never another exception, a hang, or a half-written record.

Hypothesis runs derandomised (the same examples in CI and locally) with a bounded budget.
"""

from __future__ import annotations

import io
import json
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from safetensors.torch import save

from neuralscope.data.csv_upload import CsvError, CsvOptions, parse_csv
from neuralscope.data.idx import IdxError, parse_idx
from neuralscope.nets import NetSpec
from neuralscope.nets.io import load_model
from neuralscope.nets.io._errors import ModelLoadError
from neuralscope.nets.shapes import SpecError, infer_shapes

T = TypeVar("T")
FUZZ = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def outcome(expected: type[Exception], call: Callable[[], T]) -> T | Exception:
    """The call's result, or its error when it is the parser's own type (anything else raises)."""
    try:
        return call()
    except expected as error:
        caught = error
    assert str(caught), "an error must say what is wrong"
    return caught


def _state() -> dict[str, torch.Tensor]:
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(6, 5), torch.nn.ReLU(), torch.nn.Linear(5, 3))
    return {k: v.detach().clone() for k, v in net.state_dict().items()}


def _pt_bytes() -> bytes:
    buffer = io.BytesIO()
    torch.save(_state(), buffer)
    return buffer.getvalue()


SAFETENSORS = save(_state())
PT = _pt_bytes()


def _mutate(data: bytes, cut: int, flips: list[tuple[int, int]]) -> bytes:
    out = bytearray(data[: max(1, cut % (len(data) + 1))])
    for position, value in flips:
        if out:
            out[position % len(out)] = value
    return bytes(out)


mutations = st.tuples(
    st.integers(min_value=0, max_value=1 << 20),
    st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), max_size=8),
)


@pytest.mark.slow
@FUZZ
@given(mutation=mutations, suffix=st.sampled_from([".safetensors", ".pt", ".bin"]))
def test_corrupted_model_files_load_or_fail_clearly(
    tmp_path: Path, mutation: tuple[int, list[tuple[int, int]]], suffix: str
) -> None:
    for original in (SAFETENSORS, PT):
        path = tmp_path / f"model{suffix}"
        path.write_bytes(_mutate(original, *mutation))
        loaded = outcome(ModelLoadError, lambda p=path: load_model(p))
        if not isinstance(loaded, Exception):
            assert isinstance(loaded.state, dict)


@FUZZ
@given(declared=st.integers(min_value=0, max_value=(1 << 64) - 1), body=st.binary(max_size=64))
def test_safetensors_headers_declaring_huge_sizes_are_refused(
    tmp_path: Path, declared: int, body: bytes
) -> None:
    path = tmp_path / "huge.safetensors"
    path.write_bytes(struct.pack("<Q", declared) + b"{" + body)
    with pytest.raises(ModelLoadError):
        load_model(path)


@FUZZ
@given(
    dtype=st.sampled_from(["F16", "BF16", "I8", "U8", "I64", "BOOL", "F64"]),
    shape=st.lists(st.integers(0, 5), max_size=4),
    offsets_end=st.integers(0, 10_000),
)
def test_safetensors_with_odd_dtypes_shapes_and_offsets(
    tmp_path: Path, dtype: str, shape: list[int], offsets_end: int
) -> None:
    header = json.dumps(
        {"layer.weight": {"dtype": dtype, "shape": shape, "data_offsets": [0, offsets_end]}}
    )
    raw = header.encode()
    path = tmp_path / "odd.safetensors"
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + b"\0" * min(offsets_end, 4096))
    loaded = outcome(ModelLoadError, lambda: load_model(path))
    if not isinstance(loaded, Exception):
        assert set(loaded.state) <= {"layer.weight"}


@FUZZ
@given(raw=st.binary(max_size=512))
def test_idx_parser_any_bytes(raw: bytes) -> None:
    array = outcome(IdxError, lambda: parse_idx(raw))
    assert isinstance(array, np.ndarray | IdxError)


@FUZZ
@given(
    dims=st.lists(st.integers(0, 2**31 - 1), min_size=1, max_size=3),
    payload=st.binary(max_size=256),
    gzipped=st.booleans(),
)
def test_idx_headers_with_huge_or_wrong_dimensions(
    dims: list[int], payload: bytes, gzipped: bool
) -> None:
    raw = bytes([0, 0, 0x08, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + payload
    if gzipped:
        raw = zlib.compress(raw)
    array = outcome(IdxError, lambda: parse_idx(raw))
    if not isinstance(array, Exception):
        assert list(array.shape) == dims


cells = st.one_of(
    st.from_regex(r"-?[0-9]{1,4}(\.[0-9]{1,3})?", fullmatch=True),
    st.sampled_from(["", "nan", "inf", "abc", "1e999", " 3 ", '"1,2"', "ü"]),
)


@FUZZ
@given(
    header=st.lists(st.from_regex(r"[a-z]{1,5}", fullmatch=True), min_size=0, max_size=5),
    rows=st.lists(st.lists(cells, min_size=0, max_size=6), max_size=30),
    encoding=st.sampled_from(["utf-8", "latin-1", "utf-16"]),
)
def test_csv_parser_any_table(header: list[str], rows: list[list[str]], encoding: str) -> None:
    text = "\n".join(",".join(r) for r in [header, *rows])
    raw = text.encode(encoding, errors="replace")
    table = outcome(CsvError, lambda: parse_csv(raw, CsvOptions(max_rows=20, max_columns=5)))
    if not isinstance(table, Exception):
        assert table.x.shape[0] == table.y.shape[0] > 0
        assert np.isfinite(table.x).all()


@FUZZ
@given(raw=st.binary(max_size=300))
def test_csv_parser_any_bytes(raw: bytes) -> None:
    table = outcome(CsvError, lambda: parse_csv(raw))
    if not isinstance(table, Exception):
        assert table.x.ndim == 2


layer_json = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(
            ["dense", "conv2d", "maxpool2d", "flatten", "dropout", "batchnorm", "x"]
        ),
        "units": st.integers(-2, 2000),
        "filters": st.integers(-2, 300),
        "kernel_size": st.integers(-1, 20),
        "stride": st.integers(-1, 20),
        "padding": st.sampled_from(["same", "valid", "full"]),
        "pool_size": st.integers(-1, 20),
        "p": st.one_of(st.floats(-1, 2), st.just(float("nan"))),
        "activation": st.sampled_from(["relu", "tanh", "sigmoid", "linear", "nope"]),
    },
)


@FUZZ
@given(
    layers=st.lists(layer_json, max_size=6),
    input_shape=st.sampled_from([(2,), (64,), (1, 8, 8), (1, 28, 28), (3, 4, 4)]),
)
def test_spec_json_validates_and_infers_or_names_the_field(
    layers: list[dict[str, Any]], input_shape: tuple[int, ...]
) -> None:
    spec = outcome(
        ValidationError, lambda: NetSpec.model_validate_json(json.dumps({"layers": layers}))
    )
    if isinstance(spec, ValidationError):
        assert spec.errors()[0]["loc"][0] == "layers"
        return
    assert isinstance(spec, NetSpec)
    shapes = outcome(SpecError, lambda: infer_shapes(spec, input_shape, 3))
    if isinstance(shapes, SpecError):
        assert shapes.field.startswith("layers")
    else:
        assert shapes[-1].output_shape[-1] == 3

"""MNIST's IDX files: parsed, verified, cached atomically; corrupted files get clear errors.

The tests write small IDX files themselves (never the network)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest
from tests.data.mnist_files import COUNTS, idx_bytes, write_mnist

from neuralscope.data import DataConfig, IdxError, MnistCache, make_dataset, parse_idx


def cache(root: Path, gz_md5: dict[str, str] | None = None) -> MnistCache:
    return MnistCache(root, gz_md5=tuple((gz_md5 or {}).items()), counts=COUNTS)


def test_parse_idx_reads_shape_and_values() -> None:
    array = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    np.testing.assert_array_equal(parse_idx(idx_bytes(array)), array)
    np.testing.assert_array_equal(parse_idx(gzip.compress(idx_bytes(array))), array)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\x01\x02\x08\x01" + b"\x00" * 8, "bad magic"),
        (b"\x00\x00\x08\x03\x00\x00", "truncated header"),
        (idx_bytes(np.zeros((2, 2), np.uint8))[:-1], "truncated or padded"),
        (b"\x1f\x8b" + b"garbage", "corrupt gzip"),
    ],
)
def test_corrupted_files_get_clear_errors(raw: bytes, message: str) -> None:
    with pytest.raises(IdxError, match=message):
        parse_idx(raw, source="f")


@pytest.mark.parametrize("gz", [True, False])
def test_import_then_load_through_the_registry(tmp_path: Path, gz: bool) -> None:
    digests = write_mnist(tmp_path / "src", gz=gz)
    home = tmp_path / "home"
    imported = cache(home / "mnist", digests).import_dir(tmp_path / "src")
    assert len(imported) == 4
    images, labels = cache(home / "mnist").load()
    assert images.shape == (16, 28, 28)
    assert labels.tolist()[:12] == [i % 10 for i in range(12)]
    manifest = json.loads((home / "mnist" / "manifest.json").read_text())
    assert set(manifest) == set(imported)
    data = make_dataset(DataConfig(dataset="mnist", n_samples=10), home=home)
    assert data.x_train.shape[1:] == (1, 28, 28)
    assert float(data.x_train.max()) <= 1.0


def test_wrong_checksum_stores_nothing(tmp_path: Path) -> None:
    digests = write_mnist(tmp_path / "src", gz=True)
    digests["t10k-labels-idx1-ubyte"] = "0" * 32
    with pytest.raises(IdxError, match="checksum mismatch"):
        cache(tmp_path / "mnist", digests).import_dir(tmp_path / "src")
    assert not (tmp_path / "mnist").exists() or not any((tmp_path / "mnist").iterdir())


def test_wrong_shape_and_missing_files_are_refused(tmp_path: Path) -> None:
    write_mnist(tmp_path / "src", gz=False)
    (tmp_path / "src" / "train-images-idx3-ubyte").write_bytes(idx_bytes(np.zeros((12, 27, 28))))
    with pytest.raises(IdxError, match=r"expected images of shape \(12, 28, 28\)"):
        cache(tmp_path / "mnist").import_dir(tmp_path / "src")
    (tmp_path / "src" / "train-images-idx3-ubyte").unlink()
    with pytest.raises(IdxError, match="missing train-images-idx3-ubyte"):
        cache(tmp_path / "mnist").import_dir(tmp_path / "src")


def test_a_corrupted_cache_is_reported_not_trained_on(tmp_path: Path) -> None:
    write_mnist(tmp_path / "src", gz=False)
    target = cache(tmp_path / "mnist")
    target.import_dir(tmp_path / "src")
    path = tmp_path / "mnist" / "t10k-labels-idx1-ubyte"
    raw = bytearray(path.read_bytes())
    raw[-1] ^= 1
    path.write_bytes(bytes(raw))
    with pytest.raises(IdxError, match="cache corrupted"):
        target.load()


def test_the_real_digests_are_the_published_ones() -> None:
    md5 = dict(MnistCache(Path("unused")).gz_md5)
    assert md5["train-images-idx3-ubyte"] == "f68b3c2dcbeaaa9fbdd348bbdeb94873"
    assert md5["t10k-labels-idx1-ubyte"] == "ec29112dd5afa0611ce80d1b7f02629c"

"""The search's dataset catalog: offline sets and the MNIST cache, as model-ready arrays."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.data.mnist_files import COUNTS, write_mnist

from neuralscope.data.catalog import (
    ArraySet,
    DatasetNotAvailable,
    array_set_names,
    fetch_hint,
    load_array_set,
)
from neuralscope.data.idx import MnistCache

CONTRACT_NAMES = {
    "mnist",
    "fashion_mnist",
    "digits",
    "iris",
    "wine",
    "breast_cancer",
    "spirals",
    "circle",
    "xor",
    "gauss",
    "moons",
    "blobs",
    "spirals_multi",
}


def test_every_contract_name_is_offered() -> None:
    assert set(array_set_names()) >= CONTRACT_NAMES


@pytest.mark.parametrize(
    ("name", "n_features", "n_classes"),
    [("iris", 4, 3), ("wine", 13, 3), ("breast_cancer", 30, 2), ("moons", 2, 2), ("blobs", 2, 3)],
)
def test_tabular_sets_are_standardised_with_train_statistics(
    tmp_path: Path, name: str, n_features: int, n_classes: int
) -> None:
    s = load_array_set(name, tmp_path)
    assert s.kind == "tabular"
    assert s.x_train.dtype == np.float32
    assert s.x_train.shape[1] == n_features == s.x_val.shape[1]
    assert s.n_classes == n_classes == len(s.class_names)
    assert s.y_train.dtype == np.int64
    assert set(np.unique(s.y_train)) == set(range(n_classes))
    np.testing.assert_allclose(s.x_train.mean(0), 0, atol=1e-5)
    np.testing.assert_allclose(s.x_train.std(0), 1, atol=1e-4)
    n = len(s.y_train) + len(s.y_val)
    assert len(s.y_val) == round(0.25 * n)
    assert s.vocab_size is None


def test_both_parts_come_shuffled_even_from_sorted_files(tmp_path: Path) -> None:
    s = load_array_set("iris", tmp_path)  # scikit-learn's iris is sorted by class
    assert sorted(s.y_train.tolist()) != s.y_train.tolist()
    assert sorted(s.y_val.tolist()) != s.y_val.tolist()


def test_validation_statistics_never_reach_training(tmp_path: Path) -> None:
    full = load_array_set("wine", tmp_path, seed=3)
    fewer_val = load_array_set("wine", tmp_path, seed=3, max_val=10)
    np.testing.assert_array_equal(full.x_train, fewer_val.x_train)
    assert len(fewer_val.y_val) == 10


def test_split_has_no_overlap_and_loses_no_rows(tmp_path: Path) -> None:
    from sklearn.datasets import load_breast_cancer  # type: ignore[import-untyped]

    s = load_array_set("breast_cancer", tmp_path, seed=5)
    train = {r.tobytes() for r in s.x_train}
    val = {r.tobytes() for r in s.x_val}
    assert not train & val
    assert len(train) + len(val) == len(load_breast_cancer().target) == 569


def test_same_seed_same_arrays_other_seed_other_split(tmp_path: Path) -> None:
    a = load_array_set("iris", tmp_path, seed=1)
    b = load_array_set("iris", tmp_path, seed=1)
    c = load_array_set("iris", tmp_path, seed=2)
    for field in ("x_train", "y_train", "x_val", "y_val"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    assert not np.array_equal(a.x_val, c.x_val)


def test_max_train_draws_a_stratified_subset(tmp_path: Path) -> None:
    full = load_array_set("breast_cancer", tmp_path, seed=0)
    small = load_array_set("breast_cancer", tmp_path, seed=0, max_train=40)
    assert len(small.y_train) == 40
    share = np.bincount(full.y_train) / len(full.y_train)
    np.testing.assert_allclose(np.bincount(small.y_train), share * 40, atol=1.0)
    np.testing.assert_array_equal(small.y_val, full.y_val)  # the validation part stays


def test_digits_are_images_in_the_unit_range(tmp_path: Path) -> None:
    s = load_array_set("digits", tmp_path, max_train=200)
    assert s.kind == "image"
    assert s.x_train.shape == (200, 1, 8, 8)
    assert s.x_train.dtype == np.float32
    assert (s.x_train.min(), s.x_train.max()) == (0.0, 1.0)
    assert s.class_names == [str(d) for d in range(10)]
    np.testing.assert_allclose(np.bincount(s.y_train), 20, atol=1)


def _import_mnist(tmp_path: Path) -> Path:
    digests = write_mnist(tmp_path / "src", gz=True)
    datasets = tmp_path / "datasets"
    MnistCache(datasets / "mnist", gz_md5=tuple(digests.items()), counts=COUNTS).import_dir(
        tmp_path / "src"
    )
    return datasets


def test_mnist_comes_from_the_idx_cache_with_its_official_split(tmp_path: Path) -> None:
    datasets = _import_mnist(tmp_path)
    s = load_array_set("mnist", datasets)
    (_, y_train), (x_test, y_test) = MnistCache(datasets / "mnist").load_split()
    assert isinstance(s, ArraySet)
    assert s.x_train.shape == (12, 1, 28, 28)
    assert s.x_val.shape == (4, 1, 28, 28)
    order = np.argsort([x.tobytes() for x in x_test])  # the same images, shuffled
    got = np.argsort([x.tobytes() for x in np.rint(s.x_val[:, 0] * 255).astype(np.uint8)])
    np.testing.assert_allclose(s.x_val[got, 0], x_test[order] / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(s.y_val[got], y_test[order])
    assert sorted(s.y_train.tolist()) == sorted(y_train.tolist())


def test_missing_download_names_the_commands(tmp_path: Path) -> None:
    with pytest.raises(DatasetNotAvailable) as info:
        load_array_set("mnist", tmp_path / "home" / "datasets")
    message = str(info.value)
    assert "neuralscope datasets download mnist" in message
    assert "neuralscope datasets import mnist PATH" in message
    assert f"--home {tmp_path / 'home'}" in message


def test_unknown_name_lists_the_choices(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"unknown dataset 'nope'.*iris"):
        load_array_set("nope", tmp_path)


def test_hint_names_home_only_when_it_is_not_the_configured_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEURALSCOPE_HOME", str(tmp_path / "main"))
    assert "--home" not in fetch_hint("cifar10", tmp_path / "main" / "datasets")
    other = fetch_hint("cifar10", tmp_path / "other" / "datasets")
    assert other.endswith(f"`neuralscope datasets import cifar10 PATH --home {tmp_path / 'other'}`")


def test_a_damaged_mnist_cache_is_reported(tmp_path: Path) -> None:
    from neuralscope.data.downloads import DatasetFileError

    datasets = _import_mnist(tmp_path)
    labels = datasets / "mnist" / "t10k-labels-idx1-ubyte"
    labels.write_bytes(labels.read_bytes()[:-1] + b"\x09")
    with pytest.raises(DatasetFileError, match=r"cache corrupted.*again"):
        load_array_set("mnist", datasets)

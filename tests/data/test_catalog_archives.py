"""CIFAR, GTSRB, IMDB and Reuters: imported from tiny real-format files, verified, cached,
loaded through the catalog; corrupted, truncated and wrong-checksum files store nothing."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest
from tests.data.archive_files import (
    md5,
    sha256,
    write_cifar,
    write_gtsrb,
    write_imdb,
    write_reuters,
)

from neuralscope.data.catalog import fetchable, is_cached, load_array_set
from neuralscope.data.downloads import DatasetFileError, FetchOptions
from neuralscope.data.gtsrb import parse_ppm, resize
from neuralscope.data.prepare import TextOptions


def _import(name: str, path: Path, datasets: Path, checksums: dict[str, str]) -> list[str]:
    return fetchable(name).import_from(datasets / name, path, FetchOptions(checksums=checksums))


def _pairs(x: np.ndarray, y: np.ndarray) -> list[tuple[bytes, int]]:
    return sorted((xi.tobytes(), int(yi)) for xi, yi in zip(x, y, strict=True))


@pytest.mark.parametrize("variant", ["cifar10", "cifar100"])
def test_cifar_import_round_trips_the_pixels(tmp_path: Path, variant: str) -> None:
    archive, oracle = write_cifar(tmp_path / "src", variant)
    datasets = tmp_path / "datasets"
    assert not is_cached(variant, datasets)
    _import(variant, archive, datasets, {archive.name: md5(archive)})
    assert is_cached(variant, datasets)
    s = load_array_set(variant, datasets)
    assert s.kind == "image"
    assert s.x_train.shape == (len(oracle["y_train"]), 3, 32, 32)
    assert s.x_train.dtype == np.float32
    # the official test part is the validation part (shuffled): same (image, label) pairs
    val = np.rint(s.x_val * 255).astype(np.uint8)
    assert _pairs(val, s.y_val) == _pairs(oracle["x_test"], oracle["y_test"])
    train = np.rint(s.x_train * 255).astype(np.uint8)
    assert _pairs(train, s.y_train) == _pairs(oracle["x_train"], oracle["y_train"])
    assert s.n_classes == (10 if variant == "cifar10" else 100)
    assert s.class_names[1] == "class-1"


def test_cifar_wrong_checksum_stores_nothing(tmp_path: Path) -> None:
    archive, _ = write_cifar(tmp_path / "src", "cifar10")
    datasets = tmp_path / "datasets"
    with pytest.raises(DatasetFileError, match="checksum mismatch"):
        _import("cifar10", archive, datasets, {archive.name: "0" * 32})
    assert not is_cached("cifar10", datasets)
    with pytest.raises(DatasetFileError, match="checksum mismatch"):  # the published MD5
        fetchable("cifar10").import_from(datasets / "cifar10", archive)


def test_truncated_cifar_archive_is_reported(tmp_path: Path) -> None:
    archive, _ = write_cifar(tmp_path / "src", "cifar10")
    archive.write_bytes(archive.read_bytes()[:-200])
    with pytest.raises(DatasetFileError, match="corrupt or truncated"):
        _import("cifar10", archive, tmp_path / "d", {archive.name: md5(archive)})
    assert not (tmp_path / "d" / "cifar10" / "manifest.json").exists()


class _Payload:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (print, ("pwned",))


def test_a_pickle_that_calls_code_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evil = pickle.dumps({"data": _Payload(), "labels": [0]}, protocol=3)
    assert b"print" in evil  # the payload really names a callable
    archive, _ = write_cifar(tmp_path / "src", "cifar10", replace={"data_batch_2": evil})
    with pytest.raises(DatasetFileError, match=r"refusing to load builtins\.print"):
        _import("cifar10", archive, tmp_path / "d", {archive.name: md5(archive)})
    assert "pwned" not in capsys.readouterr().out
    assert not is_cached("cifar10", tmp_path / "d")


def test_cifar_batch_with_wrong_shape_is_reported(tmp_path: Path) -> None:
    bad = pickle.dumps({"data": np.zeros((2, 100), np.uint8), "labels": [0, 1]}, protocol=3)
    archive, _ = write_cifar(tmp_path / "src", "cifar10", replace={"test_batch": bad})
    with pytest.raises(DatasetFileError, match=r"shape \(2, 100\), expected \(2, 3072\)"):
        _import("cifar10", archive, tmp_path / "d", {archive.name: md5(archive)})


def test_parse_ppm_reads_pixels_and_rejects_garbage() -> None:
    image = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3)
    raw = b"P6\n# comment\n3 2\n255\n" + image.tobytes()
    np.testing.assert_array_equal(parse_ppm(raw), image)
    with pytest.raises(DatasetFileError, match="truncated PPM data"):
        parse_ppm(raw[:-1])
    with pytest.raises(DatasetFileError, match="not a binary PPM"):
        parse_ppm(b"P3\n3 2\n255\n" + image.tobytes())


@pytest.mark.parametrize(("h", "w"), [(50, 47), (15, 18), (120, 90)])
def test_resize_matches_pillow_bilinear_within_one_level(h: int, w: int) -> None:
    from PIL import Image

    image = np.random.default_rng(h).integers(0, 256, (h, w, 3), dtype=np.uint8)
    ours = resize(image, 32).transpose(1, 2, 0).astype(int)
    reference = np.asarray(Image.fromarray(image).resize((32, 32), Image.BILINEAR)).astype(int)
    assert np.abs(ours - reference).max() <= 1


def test_gtsrb_images_are_resized_and_labelled(tmp_path: Path) -> None:
    checksums = write_gtsrb(tmp_path / "src", per_class=2, classes=3)
    datasets = tmp_path / "datasets"
    files = _import("gtsrb", tmp_path / "src", datasets, checksums)
    assert len(files) == 3
    s = load_array_set("gtsrb", datasets)
    assert s.x_train.shape == (6, 3, 32, 32)
    assert s.x_val.shape == (3, 3, 32, 32)
    assert s.n_classes == 43
    assert s.class_names[14] == "Stop"
    # solid-colour images: resizing keeps the colour, which encodes the class
    for x, y in ((s.x_train, s.y_train), (s.x_val, s.y_val)):
        red = np.rint(x[:, 0].mean(axis=(1, 2)) * 255)
        assert (red == 10 * y).all()
        assert np.allclose(x[:, 1], 100 / 255, atol=1e-6)
    assert sorted(s.y_val.tolist()) == [0, 1, 2]
    # the archive lists the training images class by class; the catalog shuffles them
    assert s.y_train.tolist() != sorted(s.y_train.tolist())


def test_gtsrb_needs_all_three_archives(tmp_path: Path) -> None:
    checksums = write_gtsrb(tmp_path / "src")
    (tmp_path / "src" / "GTSRB_Final_Test_GT.zip").unlink()
    with pytest.raises(DatasetFileError, match=r"missing GTSRB_Final_Test_GT\.zip"):
        _import("gtsrb", tmp_path / "src", tmp_path / "d", checksums)
    with pytest.raises(DatasetFileError, match="give the folder"):
        _import("gtsrb", tmp_path / "src" / "GTSRB-Training_fixed.zip", tmp_path / "d", checksums)


@pytest.mark.parametrize("py2", [False, True])
def test_imdb_is_padded_truncated_and_capped(tmp_path: Path, py2: bool) -> None:
    path, x = write_imdb(tmp_path / "src", py2=py2)
    datasets = tmp_path / "datasets"
    _import("imdb", path, datasets, {"imdb.npz": sha256(path)})
    s = load_array_set("imdb", datasets, text=TextOptions(max_len=5, max_words=2))
    assert s.kind == "text"
    assert s.vocab_size == 4
    assert s.x_train.dtype == np.int64
    assert s.x_train.shape == (6, 5)
    # training frequencies: word 2 (x6), then 1 (x4); everything else is OOV (1)
    expected_val = {(0, 0, 2, 2, 1), (0, 0, 0, 0, 1), (1, 1, 1, 1, 1), (0, 0, 0, 1, 1)}
    assert {tuple(r) for r in s.x_val.tolist()} == expected_val
    assert int(s.x_train.max()) == 3
    assert s.y_val.tolist() == [1, 0, 1, 0]
    assert s.class_names == ["negative", "positive"]
    assert len(x["test"]) == 4


def test_reuters_gets_a_stratified_split(tmp_path: Path) -> None:
    path = write_reuters(tmp_path / "src", n=60)
    datasets = tmp_path / "datasets"
    _import("reuters", path, datasets, {"reuters.npz": sha256(path)})
    s = load_array_set("reuters", datasets, seed=1)
    assert (len(s.y_train), len(s.y_val)) == (45, 15)
    assert s.x_train.shape == (45, 200)
    assert s.n_classes == 46
    assert s.vocab_size == 10_002
    assert np.bincount(s.y_val).tolist() == [4, 4, 4, 3]  # 15 of 15 per class: largest remainder


def test_text_npz_with_code_in_it_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "imdb.npz"
    payload = np.empty(1, dtype=object)
    payload[0] = _Payload()
    np.savez(path, x_train=payload, y_train=np.array([0]), x_test=payload, y_test=np.array([0]))
    with pytest.raises(DatasetFileError, match="refusing to load"):
        _import("imdb", path, tmp_path / "d", {"imdb.npz": sha256(path)})
    assert not is_cached("imdb", tmp_path / "d")


def test_corrupted_cache_is_reported_not_trained_on(tmp_path: Path) -> None:
    path = write_reuters(tmp_path / "src")
    datasets = tmp_path / "datasets"
    _import("reuters", path, datasets, {"reuters.npz": sha256(path)})
    arrays = datasets / "reuters" / "arrays.npz"
    raw = bytearray(arrays.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    arrays.write_bytes(bytes(raw))
    with pytest.raises(DatasetFileError, match="cache corrupted"):
        load_array_set("reuters", datasets)


def test_a_failed_reimport_keeps_the_previous_cache(tmp_path: Path) -> None:
    path = write_reuters(tmp_path / "src")
    datasets = tmp_path / "datasets"
    _import("reuters", path, datasets, {"reuters.npz": sha256(path)})
    before = load_array_set("reuters", datasets)
    path.write_bytes(path.read_bytes()[:-50])  # truncated copy, digest recomputed: parse fails
    with pytest.raises(DatasetFileError):
        _import("reuters", path, datasets, {"reuters.npz": sha256(path)})
    after = load_array_set("reuters", datasets)
    np.testing.assert_array_equal(before.x_train, after.x_train)
    assert sorted(p.name for p in (datasets / "reuters").iterdir()) == [
        "arrays.npz",
        "manifest.json",
    ]


def test_the_wrong_cifar_variant_is_named(tmp_path: Path) -> None:
    archive, _ = write_cifar(tmp_path / "src", "cifar100")
    renamed = archive.rename(tmp_path / "src" / "cifar-10-python.tar.gz")
    with pytest.raises(DatasetFileError, match=r"not a CIFAR archive, missing .*data_batch_1"):
        _import("cifar10", renamed, tmp_path / "d", {renamed.name: md5(renamed)})


def test_zip_members_that_declare_absurd_sizes_are_refused() -> None:
    import io
    import zipfile

    from neuralscope.data.safe_pickle import read_member

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("x.npy", b"\x00" * 1000)
    with zipfile.ZipFile(buffer) as z:
        info = z.getinfo("x.npy")
        assert read_member(z, info, "ok.zip") == b"\x00" * 1000
        info.file_size = 5 << 30  # what a decompression bomb declares
        with pytest.raises(DatasetFileError, match="declares"):
            read_member(z, info, "bomb.zip")

"""Downloads against a real HTTP server on a loopback port, serving files the tests wrote.

The checksum tables are passed in (``FetchOptions.checksums``), so the same code that checks the
published digests checks the test files' own."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.data.archive_files import md5, write_cifar, write_gtsrb
from tests.data.http_server import serve
from tests.data.mnist_files import COUNTS, write_mnist

from neuralscope.data.catalog import download_set, is_cached, load_array_set
from neuralscope.data.downloads import (
    DatasetFileError,
    DownloadError,
    FetchOptions,
    Remote,
    fetch,
)
from neuralscope.data.idx_sets import FASHION_MNIST, IdxSource


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """(base URL, the folder it serves)."""
    root = tmp_path / "www"
    root.mkdir()
    with serve(root) as url:
        yield url, root


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.rglob("*") if p.name.startswith("."))


def test_fetch_streams_verifies_and_reports_progress(
    served: tuple[str, Path], tmp_path: Path
) -> None:
    url, root = served
    payload = bytes(range(256)) * 9000  # > one 1 MiB chunk
    (root / "blob.bin").write_bytes(payload)
    seen: list[tuple[int, int | None]] = []
    remote = Remote(f"{url}blob.bin", "blob.bin", hashlib.sha256(payload).hexdigest(), "sha256")
    path = fetch(remote, tmp_path / "out", progress=lambda d, t: seen.append((d, t)))
    assert path.read_bytes() == payload
    assert seen[-1] == (len(payload), len(payload))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert _leftovers(tmp_path / "out") == []


def test_wrong_checksum_leaves_nothing(served: tuple[str, Path], tmp_path: Path) -> None:
    url, root = served
    (root / "blob.bin").write_bytes(b"hello")
    with pytest.raises(DatasetFileError, match="checksum mismatch"):
        fetch(Remote(f"{url}blob.bin", "blob.bin", "0" * 32), tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []


def test_truncated_download_leaves_nothing(served: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = served
    with pytest.raises(DatasetFileError, match="truncated"):
        fetch(Remote(f"{url}short/blob.bin", "blob.bin", "0" * 32), tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []


def test_missing_file_is_a_download_error(served: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = served
    with pytest.raises(DownloadError, match="404"):
        fetch(Remote(f"{url}nope.bin", "nope.bin", "0" * 32), tmp_path / "out")


def test_cifar_download_through_the_catalog(served: tuple[str, Path], tmp_path: Path) -> None:
    url, root = served
    archive, oracle = write_cifar(root, "cifar10")
    datasets = tmp_path / "datasets"
    progress: dict[str, int] = {}
    options = FetchOptions(
        mirror=url,
        checksums={archive.name: md5(archive)},
        progress=lambda name, done, total: progress.__setitem__(name, done),
    )
    assert download_set("cifar10", datasets, options) == [archive.name]
    assert progress == {archive.name: archive.stat().st_size}
    s = load_array_set("cifar10", datasets)
    assert len(s.y_train) == len(oracle["y_train"])
    assert _leftovers(datasets) == []  # the staging folder and temp files are gone


def test_cifar_download_with_wrong_checksum_caches_nothing(
    served: tuple[str, Path], tmp_path: Path
) -> None:
    url, root = served
    write_cifar(root, "cifar10")
    datasets = tmp_path / "datasets"
    options = FetchOptions(mirror=url)  # our test archive does not have the published MD5
    with pytest.raises(DatasetFileError, match="c58f30108f718f92721af3b95e74349a"):
        download_set("cifar10", datasets, options)
    assert not is_cached("cifar10", datasets)
    assert list(datasets.iterdir()) == []


def test_gtsrb_download_fetches_all_three_archives(
    served: tuple[str, Path], tmp_path: Path
) -> None:
    url, root = served
    checksums = write_gtsrb(root)
    datasets = tmp_path / "datasets"
    files = download_set("gtsrb", datasets, FetchOptions(mirror=url, checksums=checksums))
    assert sorted(files) == sorted(checksums)
    assert load_array_set("gtsrb", datasets).x_train.shape == (6, 3, 32, 32)


def test_idx_download_verifies_then_imports(served: tuple[str, Path], tmp_path: Path) -> None:
    url, root = served
    digests = write_mnist(root, gz=True)
    source = IdxSource(FASHION_MNIST.gz_md5, url, FASHION_MNIST.class_names, COUNTS)
    checksums = {f"{name}.gz": d for name, d in digests.items()}
    files = source.download(
        tmp_path / "datasets" / "fashion_mnist", FetchOptions(checksums=checksums)
    )
    assert len(files) == 4
    raw = source.load(tmp_path / "datasets" / "fashion_mnist", 0)
    assert raw.x_train.shape == (12, 1, 28, 28)
    assert raw.class_names[-1] == "Ankle boot"
    with pytest.raises(DatasetFileError, match="checksum mismatch"):  # the published MD5s
        source.download(tmp_path / "other" / "fashion_mnist")
    assert not source.cached(tmp_path / "other" / "fashion_mnist")


def test_no_network_names_the_import_command(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    options = FetchOptions(mirror=f"http://127.0.0.1:{port}/", timeout_s=5)
    with pytest.raises(DownloadError, match=r"neuralscope datasets import imdb PATH"):
        download_set("imdb", tmp_path / "datasets", options)
    assert not is_cached("imdb", tmp_path / "datasets")

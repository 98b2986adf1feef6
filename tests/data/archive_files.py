"""Tiny files in the real published formats, written by the tests (never downloaded).

CIFAR: a ``.tar.gz`` of batch dicts pickled as Python 2 did (protocol 2, py2 strings;
``data`` N x 3072 uint8, ``labels``/``fine_labels``)
and the meta dict; GTSRB: the training ZIP (``GTSRB/Training/<class>/<file>.ppm``), the test
images ZIP and the ground-truth ZIP; IMDB/Reuters: ``.npz`` files with object arrays of word-id
lists, as Keras ships them. Each writer returns the digests of the files it wrote, keyed by the
published file name, for ``FetchOptions(checksums=...)``.
"""

from __future__ import annotations

import hashlib
import io
import struct
import tarfile
import zipfile
from pathlib import Path

import numpy as np

from neuralscope.data import cifar

CIFAR_COUNTS = {"cifar10": (2, 3), "cifar100": (6, 4)}  # (per train batch, test)


def md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def _str(text: str) -> bytes:
    """A Python 2 ``str`` in a pickle (SHORT_BINSTRING / BINSTRING)."""
    b = text.encode("latin1")
    if len(b) < 256:
        return b"U" + bytes([len(b)]) + b
    return b"T" + struct.pack("<I", len(b)) + b


def _int(value: int) -> bytes:
    return b"J" + struct.pack("<i", value)  # BININT


def _list(items: list[bytes]) -> bytes:
    return b"](" + b"".join(items) + b"e"  # EMPTY_LIST MARK ... APPENDS


def py2_array(array: np.ndarray) -> bytes:
    """A uint8 ndarray pickled the way Python 2's numpy did (protocol 2, py2 strings).

    ``_reconstruct(ndarray, (0,), 'b')`` then BUILD with ``(1, shape, dtype, False, raw)``;
    the dtype is ``dtype('u1', 0, 1)`` with state ``(3, '|', None, None, None, -1, -1, 0)``.
    """
    shape = b"(" + b"".join(_int(d) for d in array.shape) + b"t"
    dtype = (
        b"cnumpy\ndtype\n" + _str("u1") + _int(0) + _int(1) + b"\x87R"
        + b"(" + _int(3) + _str("|") + b"NNN" + _int(-1) + _int(-1) + _int(0) + b"tb"
    )  # fmt: skip
    raw = array.astype(np.uint8).tobytes()
    return (
        b"cnumpy.core.multiarray\n_reconstruct\n" + b"cnumpy\nndarray\n"
        + _int(0) + b"\x85" + _str("b") + b"\x87R"
        + b"(" + _int(1) + shape + dtype + b"\x89" + b"T" + struct.pack("<I", len(raw)) + raw
        + b"tb"
    )  # fmt: skip


def py2_dict(items: list[tuple[str, bytes]]) -> bytes:
    """A pickled dict with py2 string keys (protocol 2), as CIFAR's batches are."""
    return b"\x80\x02}(" + b"".join(_str(k) + v for k, v in items) + b"u."


def cifar_batch(images: np.ndarray, labels: list[int], label_key: str) -> bytes:
    """One batch exactly as the published archives hold it (written by Python 2)."""
    n = len(labels)
    return py2_dict(
        [
            ("batch_label", _str("testing batch 1 of 1")),
            (label_key, _list([_int(v) for v in labels])),
            ("data", py2_array(images.reshape(n, 3072))),
            ("filenames", _list([_str(f"img_{i}.png") for i in range(n)])),
        ]
    )


def write_cifar(
    directory: Path, variant: str, *, replace: dict[str, bytes] | None = None
) -> tuple[Path, dict[str, np.ndarray]]:
    """A small CIFAR archive; returns its path and the arrays it holds (the oracle)."""
    fmt = cifar.CIFAR10 if variant == "cifar10" else cifar.CIFAR100
    per_batch, n_test = CIFAR_COUNTS[variant]
    rng = np.random.default_rng(7)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / fmt.remote.filename
    xs, ys = [], []
    members: dict[str, bytes] = {}
    for name in [*fmt.train, fmt.test]:
        n = n_test if name == fmt.test else per_batch
        x = rng.integers(0, 256, (n, 3, 32, 32), dtype=np.uint8)
        y = [int(v) for v in rng.integers(0, fmt.n_classes, n)]
        members[name] = cifar_batch(x, y, fmt.label_key)
        xs.append(x)
        ys.append(y)
    names = [f"class-{k}" for k in range(fmt.n_classes)]
    meta = [(fmt.names_key, _list([_str(n) for n in names])), ("num_vis", _int(3072))]
    members[fmt.meta] = py2_dict(meta)
    members.update(replace or {})
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            _add(tar, f"{fmt.folder}/{name}", data)
        _add(tar, f"{fmt.folder}/readme.html", b"<html></html>")
    oracle = {
        "x_train": np.concatenate(xs[:-1]),
        "y_train": np.array([v for y in ys[:-1] for v in y], dtype=np.int64),
        "x_test": xs[-1],
        "y_test": np.array(ys[-1], dtype=np.int64),
    }
    return path, oracle


def ppm(image: np.ndarray, comment: bool = False) -> bytes:
    h, w, _ = image.shape
    header = b"P6\n" + (b"# made by a test\n" if comment else b"") + f"{w} {h}\n255\n".encode()
    return header + image.astype(np.uint8).tobytes()


def write_gtsrb(directory: Path, *, per_class: int = 2, classes: int = 3) -> dict[str, str]:
    """The three GTSRB archives with solid-colour images; returns their MD5s."""
    directory.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(directory / "GTSRB-Training_fixed.zip", "w") as z:
        for c in range(classes):
            rows = ["Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2;ClassId"]
            for i in range(per_class):
                size = 20 + 7 * i  # images of different sizes, as in GTSRB
                image = np.full((size, size + 3, 3), (10 * c, 100, 200 - c), dtype=np.uint8)
                name = f"{i:05d}_00000.ppm"
                z.writestr(f"GTSRB/Training/{c:05d}/{name}", ppm(image, comment=i == 0))
                rows.append(f"{name};{size + 3};{size};1;1;{size};{size};{c}")
            z.writestr(f"GTSRB/Training/{c:05d}/GT-{c:05d}.csv", "\n".join(rows))
    truth = ["Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2;ClassId"]
    with zipfile.ZipFile(directory / "GTSRB_Final_Test_Images.zip", "w") as z:
        for i in range(classes):
            c = classes - 1 - i  # the files' order is not the classes' order
            image = np.full((40, 36, 3), (10 * c, 100, 200 - c), dtype=np.uint8)
            z.writestr(f"GTSRB/Final_Test/Images/{i:05d}.ppm", ppm(image))
            truth.append(f"{i:05d}.ppm;36;40;1;1;35;39;{c}")
        z.writestr("GTSRB/Final_Test/Images/GT-final_test.test.csv", "Filename;Width\n")
    with zipfile.ZipFile(directory / "GTSRB_Final_Test_GT.zip", "w") as z:
        z.writestr("GT-final_test.csv", "\n".join(truth) + "\n")
    return {p.name: md5(p) for p in directory.glob("*.zip")}


def object_array(rows: list[list[int]]) -> np.ndarray:
    array = np.empty(len(rows), dtype=object)
    for i, row in enumerate(rows):
        array[i] = row
    return array


def py2_object_npy(rows: list[list[int]]) -> bytes:
    """A ``.npy`` (format 1.0) of an object array of int lists, as Python 2's numpy wrote it."""
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "|O", "fortran_order": False, "shape": (len(rows),)}
    )
    dtype = (
        b"cnumpy\ndtype\n" + _str("O8") + _int(0) + _int(1) + b"\x87R"
        + b"(" + _int(3) + _str("|") + b"NNN" + _int(-1) + _int(-1) + _int(63) + b"tb"
    )  # fmt: skip
    items = _list([_list([_int(v) for v in row]) for row in rows])
    payload = (
        b"\x80\x02cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\n"
        + _int(0) + b"\x85" + _str("b") + b"\x87R"
        + b"(" + _int(1) + b"(" + _int(len(rows)) + b"t" + dtype + b"\x89" + items + b"tb."
    )  # fmt: skip
    return header.getvalue() + payload


def write_imdb(directory: Path, *, py2: bool = False) -> tuple[Path, dict[str, list[list[int]]]]:
    """An imdb.npz of 6 train and 4 test reviews (raw Keras word ids); ``py2``: the object
    arrays pickled as Python 2's numpy did (the published file's vintage)."""
    directory.mkdir(parents=True, exist_ok=True)
    x = {
        "train": [[1, 2, 3, 2], [4, 2, 2], [5], [1, 1, 6, 7, 8, 9], [2, 3], [10, 2, 1]],
        "test": [[2, 2, 11], [3], [1, 2, 3, 4, 5, 6, 7], [12, 13]],
    }
    path = directory / "imdb.npz"
    y = {"train": np.array([0, 1, 0, 1, 0, 1]), "test": np.array([1, 0, 1, 0])}
    if not py2:
        np.savez(
            path,
            x_train=object_array(x["train"]),
            y_train=y["train"],
            x_test=object_array(x["test"]),
            y_test=y["test"],
        )
        return path, x
    with zipfile.ZipFile(path, "w") as z:
        for part in ("train", "test"):
            z.writestr(f"x_{part}.npy", py2_object_npy(x[part]))
            labels = io.BytesIO()
            np.lib.format.write_array(labels, y[part])
            z.writestr(f"y_{part}.npy", labels.getvalue())
    return path, x


def write_reuters(directory: Path, n: int = 60) -> Path:
    """A reuters.npz of ``n`` newswires over a few of the 46 topics."""
    rng = np.random.default_rng(3)
    directory.mkdir(parents=True, exist_ok=True)
    rows = [[int(t) for t in rng.integers(1, 50, rng.integers(1, 30))] for _ in range(n)]
    path = directory / "reuters.npz"
    np.savez(path, x=object_array(rows), y=np.arange(n) % 4)
    return path

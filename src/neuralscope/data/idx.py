"""MNIST in its original IDX format: parse, verify, cache under the home dir, download.

IDX (LeCun et al., http://yann.lecun.com/exdb/mnist/): a big-endian header
``0x00 0x00 <dtype> <ndim>``, then ``ndim`` uint32 sizes, then the row-major data. MNIST
uses dtype 0x08 (uint8): images are 3-D (N, 28, 28), labels 1-D (N,). Files may be gzipped.

The cache (``<home>/datasets/mnist``) holds the four decompressed files under their canonical
names; every file is verified (see :class:`MnistCache`) before any enters the cache, and all
are written atomically (temp file + rename), so a failed import stores nothing half-way.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_DTYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}

# MD5 of the four published .gz files (the digests torchvision checks, ``datasets/mnist.py``).
MNIST_GZ_MD5: dict[str, str] = {
    "train-images-idx3-ubyte": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte": "d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte": "ec29112dd5afa0611ce80d1b7f02629c",
}
MNIST_COUNTS: dict[str, int] = {"train": 60_000, "t10k": 10_000}
MNIST_MIRROR = "https://ossci-datasets.s3.amazonaws.com/mnist/"


class IdxError(ValueError):
    """A file that is not valid IDX, or not the expected MNIST file."""


def parse_idx(raw: bytes, *, source: str = "<bytes>") -> np.ndarray:
    """Decode IDX bytes (gzip or raw) into an array; raises :class:`IdxError` with the reason."""
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise IdxError(f"{source}: corrupt gzip stream ({exc})") from exc
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _DTYPES:
        raise IdxError(f"{source}: bad magic number {raw[:4].hex()!r}, not an IDX file")
    ndim = raw[3]
    header = 4 + 4 * ndim
    if ndim == 0 or len(raw) < header:
        raise IdxError(f"{source}: truncated header ({len(raw)} bytes)")
    shape = tuple(int(v) for v in np.frombuffer(raw, ">u4", ndim, 4))
    dtype = np.dtype(_DTYPES[raw[2]])
    expected = header + int(np.prod(shape)) * dtype.itemsize
    if len(raw) != expected:
        raise IdxError(
            f"{source}: truncated or padded data: {len(raw)} bytes, header says {expected}"
        )
    return np.frombuffer(raw, dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))


def _digest(data: bytes, algorithm: str) -> str:
    return hashlib.new(algorithm, data, usedforsecurity=False).hexdigest()


@dataclass(frozen=True)
class MnistCache:
    """The MNIST files under ``root`` (normally ``Settings.home / "datasets" / "mnist"``).

    Checks, in order: a ``.gz`` file's MD5 against the published digest (``gz_md5``); the IDX
    structure; the shapes (``counts`` images of 28x28 and as many labels in 0..9). The cache
    stores the decompressed files plus ``manifest.json`` with their SHA-256, verified on every
    load, so a corrupted cache is reported rather than trained on. Tests pass small
    ``counts`` and their own ``gz_md5``.
    """

    root: Path
    gz_md5: tuple[tuple[str, str], ...] = tuple(MNIST_GZ_MD5.items())
    counts: tuple[tuple[str, int], ...] = tuple(MNIST_COUNTS.items())

    def path(self, name: str) -> Path:
        return self.root / name

    @property
    def names(self) -> list[str]:
        return list(MNIST_GZ_MD5)

    @property
    def complete(self) -> bool:
        return (self.root / "manifest.json").is_file()

    def _checked(self, name: str, raw: bytes, source: str) -> bytes:
        """The decompressed, verified IDX bytes of file ``name``."""
        if raw[:2] == b"\x1f\x8b":
            want = dict(self.gz_md5).get(name)
            got = _digest(raw, "md5")
            if want is not None and got != want:
                raise IdxError(f"{source}: checksum mismatch (md5 {got}, expected {want})")
            try:
                raw = gzip.decompress(raw)
            except (OSError, EOFError) as exc:
                raise IdxError(f"{source}: corrupt gzip stream ({exc})") from exc
        array = parse_idx(raw, source=source)
        prefix, kind = name.split("-")[0], name.split("-")[1]
        n = dict(self.counts)[prefix]
        if kind == "images" and array.shape != (n, 28, 28):
            raise IdxError(f"{source}: expected images of shape ({n}, 28, 28), got {array.shape}")
        if kind == "labels" and (array.shape != (n,) or (array.size and int(array.max()) > 9)):
            raise IdxError(f"{source}: expected {n} labels in 0..9, got shape {array.shape}")
        return raw

    def _store(self, files: dict[str, bytes]) -> None:
        """Write all files and the manifest atomically (temp files, then renames)."""
        self.root.mkdir(parents=True, exist_ok=True)
        manifest = {name: _digest(data, "sha256") for name, data in files.items()}
        payload = {**files, "manifest.json": json.dumps(manifest, indent=1).encode()}
        temps: list[tuple[str, Path]] = []
        try:
            for name, data in payload.items():
                fd, tmp_name = tempfile.mkstemp(dir=self.root, prefix=f".{name}.")
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                temps.append((name, Path(tmp_name)))
            for name, tmp in temps:  # the manifest goes last: it marks the cache complete
                tmp.replace(self.path(name))
        finally:
            for _, tmp in temps:
                tmp.unlink(missing_ok=True)

    def import_dir(self, directory: Path) -> list[str]:
        """Verify and copy the four files from ``directory`` (``name`` or ``name.gz``).

        All four are checked before any is written. Returns the names imported.
        """
        files: dict[str, bytes] = {}
        for name in self.names:
            candidates = [directory / name, directory / f"{name}.gz"]
            found = next((p for p in candidates if p.is_file()), None)
            if found is None:
                raise IdxError(f"{directory}: missing {name} (or {name}.gz)")
            files[name] = self._checked(name, found.read_bytes(), str(found))
        self._store(files)
        return list(files)

    def download(self, mirror: str = MNIST_MIRROR, timeout_s: float = 60.0) -> list[str]:
        """Fetch ``<mirror><name>.gz`` for each file, verify, then store all four."""
        files: dict[str, bytes] = {}
        for name in self.names:
            url = f"{mirror}{name}.gz"
            with urllib.request.urlopen(url, timeout=timeout_s) as response:
                files[name] = self._checked(name, response.read(), url)
        self._store(files)
        return list(files)

    def load(self) -> tuple[np.ndarray, np.ndarray]:
        """All cached images (N, 28, 28) uint8 and labels (N,) int64, train then test."""
        (x_train, y_train), (x_test, y_test) = self.load_split()
        return np.concatenate([x_train, x_test]), np.concatenate([y_train, y_test])

    def load_split(self) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
        """The cached ``(images, labels)`` of the official training and test parts."""
        if not self.complete:
            raise FileNotFoundError(
                f"MNIST is not in {self.root}: run `neuralscope datasets import mnist DIR`"
            )
        manifest = json.loads(self.path("manifest.json").read_text())
        arrays: dict[str, np.ndarray] = {}
        for name in self.names:
            raw = self.path(name).read_bytes()
            if _digest(raw, "sha256") != manifest.get(name):
                raise IdxError(f"{self.path(name)}: cache corrupted (checksum mismatch)")
            arrays[name] = parse_idx(raw, source=str(self.path(name)))
        train, test = (
            (arrays[f"{p}-images-idx3-ubyte"], arrays[f"{p}-labels-idx1-ubyte"].astype(np.int64))
            for p in ("train", "t10k")
        )
        return train, test

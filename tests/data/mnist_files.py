"""Small, valid MNIST-shaped IDX files written by the tests themselves (never downloaded)."""

from __future__ import annotations

import gzip
import hashlib
import struct
from pathlib import Path

import numpy as np

COUNTS = (("train", 12), ("t10k", 4))


def idx_bytes(array: np.ndarray) -> bytes:
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim)
    header += struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(np.uint8).tobytes()


def write_mnist(directory: Path, *, gz: bool) -> dict[str, str]:
    """Four small, valid files; returns the MD5 of each .gz written (for ``gz_md5``)."""
    rng = np.random.default_rng(0)
    directory.mkdir(parents=True, exist_ok=True)
    digests: dict[str, str] = {}
    for prefix, n in COUNTS:
        files = {
            f"{prefix}-images-idx3-ubyte": idx_bytes(rng.integers(0, 256, (n, 28, 28))),
            f"{prefix}-labels-idx1-ubyte": idx_bytes(np.arange(n) % 10),
        }
        for name, raw in files.items():
            if gz:
                raw = gzip.compress(raw, mtime=0)
                digests[name] = hashlib.md5(raw).hexdigest()
            (directory / (f"{name}.gz" if gz else name)).write_bytes(raw)
    return digests

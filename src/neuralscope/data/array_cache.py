"""A dataset cached as one ``.npz`` of plain arrays plus a manifest with its SHA-256.

Downloaded archives (CIFAR's pickled batches, GTSRB's images, Keras' object-array ``.npz``)
are parsed once, on import; the cache keeps only numeric arrays, so loading never unpickles
anything (``np.load(allow_pickle=False)``). Writes are atomic (temp file + rename, the manifest
last: it marks the cache complete) and every load re-checks the digest, so a corrupted cache is
reported rather than trained on.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from neuralscope.data.downloads import DatasetFileError, file_digest

ARRAYS = "arrays.npz"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class ArrayCache:
    """The arrays of one dataset under ``root`` (``<datasets_dir>/<name>``)."""

    root: Path

    @property
    def complete(self) -> bool:
        return (self.root / MANIFEST).is_file() and (self.root / ARRAYS).is_file()

    def store(self, arrays: dict[str, np.ndarray], source: dict[str, str]) -> None:
        """Write ``arrays`` and a manifest naming the verified ``source`` files and digests."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp_arrays = tempfile.mkstemp(dir=self.root, prefix=f".{ARRAYS}.")
        fd_m, tmp_manifest = tempfile.mkstemp(dir=self.root, prefix=f".{MANIFEST}.")
        try:
            with os.fdopen(fd, "wb") as f, zipfile.ZipFile(f, "w", zipfile.ZIP_STORED) as z:
                for key, array in arrays.items():  # what np.savez writes, pickling refused
                    with z.open(f"{key}.npy", "w", force_zip64=True) as member:
                        np.lib.format.write_array(member, np.asarray(array), allow_pickle=False)
            manifest = {
                "format": 1,
                "sha256": file_digest(Path(tmp_arrays), "sha256"),
                "arrays": {k: [str(v.dtype), *map(int, v.shape)] for k, v in arrays.items()},
                "source": source,
            }
            with os.fdopen(fd_m, "w") as text:
                json.dump(manifest, text, indent=1)
            (self.root / MANIFEST).unlink(missing_ok=True)  # incomplete until the end
            Path(tmp_arrays).replace(self.root / ARRAYS)
            Path(tmp_manifest).replace(self.root / MANIFEST)
        finally:
            Path(tmp_arrays).unlink(missing_ok=True)
            Path(tmp_manifest).unlink(missing_ok=True)

    def load(self) -> dict[str, np.ndarray]:
        """All arrays, after checking the digest recorded in the manifest."""
        path = self.root / ARRAYS
        try:
            manifest = json.loads((self.root / MANIFEST).read_text())
            raw = path.read_bytes()
        except (OSError, ValueError) as exc:
            raise DatasetFileError(f"{self.root}: cache unreadable ({exc}); import again") from exc
        if hashlib.sha256(raw).hexdigest() != manifest.get("sha256"):
            raise DatasetFileError(f"{path}: cache corrupted (checksum mismatch); import again")
        with np.load(io.BytesIO(raw), allow_pickle=False) as f:
            return {k: f[k] for k in f.files}

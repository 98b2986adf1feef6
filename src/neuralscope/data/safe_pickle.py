"""Reading the pickles inside published datasets without letting them run code.

CIFAR's "python version" batches are pickled dicts holding a numpy array, and Keras' IMDB and
Reuters ``.npz`` files store ragged sequences as object arrays, which ``.npy`` can only keep as
a pickle. ``pickle.load`` on downloaded bytes would execute whatever callable a tampered file
names (the pickle docs' own warning). :class:`RestrictedUnpickler` resolves only the three
globals that rebuilding an ndarray needs (``numpy.ndarray``, ``numpy.dtype`` and
``multiarray._reconstruct``, under its numpy 1 and numpy 2 module names), and refuses every
other one; built-in containers, numbers and strings need no globals at all.

ZIP members are read into memory without extraction (no paths are written) and rejected when
their declared size is absurd for their compressed size (a decompression bomb).
"""

from __future__ import annotations

import importlib
import io
import pickle
import zipfile
from typing import IO, Any

import numpy as np

from neuralscope.data.downloads import DatasetFileError

MAX_MEMBER_BYTES = 4 << 30
MAX_EXPANSION = 200


def _reconstruct() -> Any:
    for module in ("numpy._core.multiarray", "numpy.core.multiarray"):
        try:
            return importlib.import_module(module)._reconstruct
        except (ImportError, AttributeError):
            continue
    raise ImportError("numpy's multiarray._reconstruct is unavailable")


_ALLOWED: dict[tuple[str, str], Any] = {
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): np.dtype,
    ("numpy.core.multiarray", "_reconstruct"): _reconstruct(),
    ("numpy._core.multiarray", "_reconstruct"): _reconstruct(),
}


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that can rebuild numpy arrays and built-in values, nothing else."""

    def find_class(self, module: str, name: str) -> Any:
        try:
            return _ALLOWED[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(
                f"refusing to load {module}.{name}: a dataset file may only hold arrays,"
                " numbers, strings and containers (the file is corrupted or tampered with)"
            ) from None


def safe_loads(data: bytes, *, source: str, encoding: str = "latin1") -> Any:
    """Unpickle ``data`` with :class:`RestrictedUnpickler`; errors name ``source``.

    ``latin1`` reads Python 2 pickles (CIFAR's) with their byte strings as ``str``, the way
    numpy expects array payloads.
    """
    try:
        return RestrictedUnpickler(io.BytesIO(data), encoding=encoding).load()
    except pickle.UnpicklingError as exc:
        raise DatasetFileError(f"{source}: {exc}") from exc
    except (EOFError, ValueError, TypeError, IndexError, KeyError, AttributeError) as exc:
        raise DatasetFileError(f"{source}: corrupt or truncated pickle ({exc})") from exc


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, source: str) -> bytes:
    """The bytes of one ZIP member, refusing decompression bombs."""
    if info.file_size > MAX_MEMBER_BYTES or (
        info.file_size > (64 << 20) and info.file_size > MAX_EXPANSION * info.compress_size
    ):
        raise DatasetFileError(f"{source}: member {info.filename} declares {info.file_size} bytes")
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise DatasetFileError(f"{source}: corrupt member {info.filename} ({exc})") from exc


def _read_npy(fp: IO[bytes], source: str) -> np.ndarray:
    """One ``.npy`` stream: numeric arrays with pickling off, object arrays restricted."""
    version = np.lib.format.read_magic(fp)
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(fp)
    elif version in ((2, 0), (3, 0)):  # 3.0 differs from 2.0 only in the header's encoding
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(fp)
    else:
        raise DatasetFileError(f"{source}: unsupported .npy version {version}")
    if dtype.hasobject:
        array = safe_loads(fp.read(), source=source, encoding="latin1")
        if not isinstance(array, np.ndarray):
            raise DatasetFileError(f"{source}: object payload is not an array")
        return array
    count = int(np.prod(shape))
    data = fp.read(count * dtype.itemsize)
    if len(data) != count * dtype.itemsize:
        raise DatasetFileError(f"{source}: truncated array data")
    flat = np.frombuffer(data, dtype=dtype, count=count)
    return flat.reshape(shape[::-1]).T if fortran else flat.reshape(shape)


def load_npz(raw: bytes, *, source: str) -> dict[str, np.ndarray]:
    """Every ``name.npy`` member of an ``.npz`` archive's bytes, read safely."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile as exc:
        raise DatasetFileError(f"{source}: not an .npz (zip) archive ({exc})") from exc
    arrays: dict[str, np.ndarray] = {}
    with archive:
        for info in archive.infolist():
            if info.filename.endswith(".npy"):
                member = f"{source}:{info.filename}"
                data = read_member(archive, info, source)
                try:
                    arrays[info.filename[:-4]] = _read_npy(io.BytesIO(data), member)
                except ValueError as exc:
                    if isinstance(exc, DatasetFileError):
                        raise
                    raise DatasetFileError(f"{member}: not a valid .npy ({exc})") from exc
    return arrays

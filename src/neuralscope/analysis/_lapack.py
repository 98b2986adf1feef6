"""Eigenvalues of a symmetric float32 matrix through LAPACK ``ssyevd`` without holding the GIL.

``scipy.linalg.eigvalsh`` calls the same routine, but its f2py wrapper keeps the GIL for the
whole call, so analysis threads (``AnalysisConfig.workers``) queue on it: measured on the 2-core
EPYC, two threads got 30 ms per 768 x 768 matrix against 28 ms on one. A ``ctypes.CDLL``
call releases the GIL, so here the call goes straight to the OpenBLAS that scipy's wheels bundle
(its LAPACKE entry point, LP64): 25 ms on one thread, 17 ms per matrix with two. Where that
library or symbol is missing (another scipy build), :func:`eigvalsh` falls back to scipy.
"""

from __future__ import annotations

import ctypes
import functools
import glob
import os
from collections.abc import Callable

import numpy as np
import scipy
import scipy.linalg

_COL_MAJOR = 102  # LAPACK_COL_MAJOR: no transposed copy inside LAPACKE


@functools.cache
def _lapacke_ssyevd() -> Callable[..., int] | None:
    """``LAPACKE_ssyevd`` from scipy's bundled OpenBLAS, or None."""
    libs = sorted(glob.glob(os.path.join(os.path.dirname(scipy.__file__) + ".libs", "*.so*")))
    for path in libs:
        if "openblas" not in os.path.basename(path):
            continue
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for symbol in ("scipy_LAPACKE_ssyevd", "LAPACKE_ssyevd"):
            fn = getattr(lib, symbol, None)
            if fn is not None:
                fn.restype = ctypes.c_int
                fn.argtypes = [
                    ctypes.c_int,  # matrix layout
                    ctypes.c_char,  # jobz
                    ctypes.c_char,  # uplo
                    ctypes.c_int,  # n
                    ctypes.c_void_p,  # a
                    ctypes.c_int,  # lda
                    ctypes.c_void_p,  # w
                ]
                return fn  # type: ignore[no-any-return]
    return None


def gil_free() -> bool:
    """Whether :func:`eigvalsh` runs without the GIL (the bundled LAPACKE was found)."""
    return _lapacke_ssyevd() is not None


def eigvalsh(a: np.ndarray) -> np.ndarray:
    """Ascending eigenvalues (float32) of a symmetric float32 matrix, read from its lower
    triangle in column-major terms (the upper one in numpy's C order); ``a`` is overwritten when
    it is a C-contiguous float32 array, as LAPACK works in place."""
    fn = _lapacke_ssyevd()
    n = a.shape[0]
    if a.ndim != 2 or a.shape[1] != n:
        raise ValueError(f"eigvalsh needs a square matrix, got shape {a.shape}")
    if fn is None or n == 0:
        out: np.ndarray = scipy.linalg.eigvalsh(
            a, driver="evd", check_finite=False, overwrite_a=True
        )
        return out.astype(np.float32, copy=False)
    a = np.ascontiguousarray(a, dtype=np.float32)
    w = np.empty(n, dtype=np.float32)
    # C order read as column-major is the transpose: the same symmetric matrix
    info = fn(_COL_MAJOR, b"N", b"L", n, a.ctypes.data, n, w.ctypes.data)
    if info != 0:
        raise np.linalg.LinAlgError(f"LAPACK ssyevd failed to converge (info {info})")
    return w

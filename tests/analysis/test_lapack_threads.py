"""The GIL-free LAPACK call gives the eigenvalues a float64 reference gives, and really lets
other threads run; the process-wide BLAS limit survives overlapping analyses; workers=0 resolves
to the usable cores."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
import scipy.linalg
import torch
from tests.analysis._models import mlp
from threadpoolctl import threadpool_info  # type: ignore[import-untyped]

from neuralscope.analysis import AnalysisConfig, _lapack, analyze
from neuralscope.analysis._parallel import MAX_AUTO_WORKERS, one_blas_thread, resolve_workers


def _gram(rows: int, cols: int, rank: int | None = None, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    w = rng.standard_normal((rows, cols)).astype(np.float32)
    if rank is not None:
        w = (w[:, :rank] @ rng.standard_normal((rank, cols)).astype(np.float32)).astype(np.float32)
    return w @ w.T


@pytest.mark.parametrize(("rows", "cols", "rank"), [(300, 900, None), (200, 200, 20), (1, 5, None)])
def test_eigenvalues_match_a_float64_reference(rows: int, cols: int, rank: int | None) -> None:
    gram = _gram(rows, cols, rank)
    expected = scipy.linalg.eigvalsh(gram.astype(np.float64))
    got = _lapack.eigvalsh(gram.copy())
    assert got.dtype == np.float32
    assert np.all(np.diff(got) >= 0)  # ascending
    np.testing.assert_allclose(got, expected, atol=2e-5 * float(expected.max()), rtol=0)


def test_the_bundled_lapack_is_used() -> None:
    """The pinned scipy wheel ships OpenBLAS with LAPACKE: the GIL-free path is the one taken."""
    assert _lapack.gil_free()


def test_non_square_input_is_refused() -> None:
    with pytest.raises(ValueError, match="square"):
        _lapack.eigvalsh(np.zeros((3, 4), dtype=np.float32))


def test_other_threads_run_during_the_call() -> None:
    """While a worker thread is inside the call, the main thread keeps running: its longest
    pause is far shorter than the call. (scipy's f2py wrapper holds the GIL throughout: there
    the longest pause measured 0.198 s of a 0.225 s call; here 0.004 s of 0.202 s.)"""
    gram = _gram(1500, 1500, seed=1)
    inside, done = threading.Event(), threading.Event()
    took: list[float] = []

    def work() -> None:
        inside.set()
        t0 = time.perf_counter()
        _lapack.eigvalsh(gram)
        took.append(time.perf_counter() - t0)
        done.set()

    worker = threading.Thread(target=work)
    worker.start()
    inside.wait()
    last = time.perf_counter()
    longest = 0.0
    while not done.is_set():
        now = time.perf_counter()
        longest, last = max(longest, now - last), now
    worker.join()
    assert longest < 0.5 * took[0]


def _blas_threads() -> set[int]:
    return {int(i["num_threads"]) for i in threadpool_info() if i["user_api"] == "blas"}


def test_overlapping_limits_restore_the_original() -> None:
    """Two analyses on other threads whose BLAS limits overlap (A enters, B enters, A leaves, B
    leaves), after one on the main thread: the limit takes effect on each, BLAS stays at one
    thread until the last one leaves, then gets its original count back."""
    before = _blas_threads()
    assert before != {1}  # the test needs a pool to limit (2 cores in CI)
    with one_blas_thread():  # the main thread first: threadpoolctl would keep it as controller
        assert _blas_threads() == {1}
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, set[int]] = {}

    def a() -> None:
        with one_blas_thread():
            seen["A inside"] = _blas_threads()
            a_in.set()
            b_in.wait()
        a_out.set()

    def b() -> None:
        a_in.wait()
        with one_blas_thread():
            b_in.set()
            a_out.wait()
            seen["after A left"] = _blas_threads()

    threads = [threading.Thread(target=f) for f in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen["A inside"] == {1}
    assert seen["after A left"] == {1}
    assert _blas_threads() == before


def test_zero_workers_means_the_usable_cores() -> None:
    assert resolve_workers(3) == 3
    auto = resolve_workers(0)
    assert 1 <= auto <= MAX_AUTO_WORKERS
    torch.manual_seed(0)
    report = analyze(mlp(widths=(16, 32, 4)), config=AnalysisConfig(latency_repeats=3))
    assert report.config.workers == auto  # the report says how many threads it used

"""The speed-ups keep results exact: the pruned power-law fit equals a plain full scan, Gram-read
duplicate rows equal a brute-force search, threads change nothing, and planted duplicate rows
are found on exactly their layer along either code path."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from tests.analysis._models import mlp
from torch import nn

from neuralscope.analysis import analyze
from neuralscope.analysis._parallel import parallel_map
from neuralscope.analysis.config import AnalysisConfig
from neuralscope.analysis.spectral import fit_power_law, gram_eigenvalues
from neuralscope.analysis.weights import weight_stats
from neuralscope.findings import Severity


def _full_scan(evals: np.ndarray) -> tuple[float, float, float]:
    """WeightWatcher 0.7.7 ``fit_power_law_standard``, written as its plain loop."""
    data = np.sort(evals[evals > 1e-5])
    logd = np.log(data)
    best = (np.inf, 0.0, 0.0)
    for i, xmin in enumerate(data[:-1]):
        n = float(data.size - i)
        alpha = 1 + n / (np.sum(logd[i:]) - n * logd[i])
        ks = 1.0
        if alpha > 1:
            ks = np.max(np.abs(1 - (data[i:] / xmin) ** (1 - alpha) - np.arange(n) / n))
        if ks < best[0]:
            best = (ks, alpha, xmin)
    return best


@pytest.mark.parametrize("case", ["mp", "pareto", "mixed", "lognormal"])
def test_pruned_fit_equals_the_full_scan(case: str) -> None:
    rng = np.random.default_rng(3)
    if case == "mp":
        x = gram_eigenvalues(torch.randn(300, 900, generator=torch.Generator().manual_seed(0)))
        evals = x.numpy()
    elif case == "pareto":
        evals = rng.pareto(2.5, 700) + 1.0
    elif case == "mixed":
        evals = np.concatenate([rng.uniform(0.01, 1.0, 500), rng.pareto(2.0, 200) + 1.0])
    else:
        evals = rng.lognormal(0.0, 2.0, 600)
    fit = fit_power_law(torch.from_numpy(evals))
    ks, alpha, xmin = _full_scan(evals)
    assert fit is not None
    assert fit.xmin == xmin
    assert fit.alpha == pytest.approx(alpha, rel=1e-12)
    assert fit.ks_distance == pytest.approx(ks, rel=1e-9)


def _brute_pairs(w: torch.Tensor, threshold: float) -> list[list[int]]:
    m = w.reshape(w.shape[0], -1).double()
    norms = m.norm(dim=1)
    cos = (m @ m.T) / torch.outer(norms, norms).clamp_min(1e-300)
    ok = norms > 0
    return [
        [i, j]
        for i in range(m.shape[0])
        for j in range(i + 1, m.shape[0])
        if ok[i] and ok[j] and cos[i, j] > threshold
    ]


def _planted(rows: int, cols: int) -> torch.Tensor:
    w = torch.randn(rows, cols, generator=torch.Generator().manual_seed(rows))
    w[7] = w[2]
    w[11] = -0.5 * w[2]  # anti-parallel: not a duplicate
    w[13] = 3.0 * w[4] + 1e-6  # scaled copy: cosine ~ 1
    w[5] = 0.0  # zero rows are never duplicates
    w[6] = 0.0
    return w


def test_gram_duplicate_rows_equal_brute_force_in_both_orientations() -> None:
    cfg = AnalysisConfig()
    for rows, cols in ((40, 96), (96, 40)):
        w = _planted(rows, cols)
        model = nn.Sequential(nn.Linear(cols, rows), nn.ReLU(), nn.Linear(rows, 8))
        with torch.no_grad():
            model[0].weight.copy_(w)
        report = analyze(model)
        stats = {s.name: s for s in report.weights}
        expected = _brute_pairs(w, cfg.duplicate_cosine)
        assert expected == [[2, 7], [4, 13]]
        assert stats["0.weight"].duplicate_rows == expected  # Gram path (40x96) or LSH (96x40)
        assert weight_stats("w", w, cfg).duplicate_rows == expected  # LSH path
        warned = {(f.code, f.layer) for f in report.findings if f.severity != Severity.INFO}
        assert ("weight_anomaly", "0") in warned
        assert not any(layer == "2" for code, layer in warned if code == "weight_anomaly")


def test_threads_give_the_same_report() -> None:
    model = mlp(widths=(64, 128, 128, 128, 10))
    one = analyze(model, config=AnalysisConfig(workers=1, latency_repeats=5))
    two = analyze(model, config=AnalysisConfig(workers=2, latency_repeats=5))
    # BLAS blocking differs with the thread count: equal up to float32 rounding
    for a, b in zip(one.spectral, two.spectral, strict=True):
        assert (a.name, a.n_spikes, a.numerical_rank) == (b.name, b.n_spikes, b.numerical_rank)
        assert (a.alpha is None) == (b.alpha is None)
        assert a.alpha is None or a.alpha == pytest.approx(b.alpha, rel=1e-4)
        assert a.stable_rank == pytest.approx(b.stable_rank, rel=1e-5)
    assert one.weights == two.weights
    assert [f.code for f in one.findings] == [f.code for f in two.findings]


def test_float32_statistics_match_float64() -> None:
    gen = torch.Generator().manual_seed(5)
    for w in (
        torch.randn(512, 2048, generator=gen),
        100.0 + 1e-3 * torch.randn(300, 300, generator=gen),  # mean >> std: re-centred pass
    ):
        s = weight_stats("w", w, AnalysisConfig())
        d = w.double()
        assert s.mean == pytest.approx(float(d.mean()), rel=1e-6)
        assert s.std == pytest.approx(float(d.std()), rel=1e-4)
        assert s.fro_norm == pytest.approx(float(d.norm()), rel=1e-6)


def test_float32_overflowing_sums_fall_back_to_float64() -> None:
    """Finite values whose float32 sums overflow (|w| near 3e38): every statistic stays finite
    and equals the float64 one, without a numpy overflow warning (an error under pytest; the
    deviations from the median, up to 4e38, are taken in float64)."""
    w = torch.full((100_000,), 3e38)
    w[::2] = -1e38
    s = weight_stats("w", w, AnalysisConfig())
    d = w.double()
    assert s.mean == pytest.approx(float(d.mean()), rel=1e-9)
    assert s.std == pytest.approx(float(d.std()), rel=1e-6)
    assert s.fro_norm == pytest.approx(float(d.norm()), rel=1e-9)
    assert s.nan_count == s.inf_count == s.outlier_count == 0
    assert s.max_robust_z == 0.0  # half the values equal the median: MAD 0, no robust z


def test_parallel_map_keeps_input_order_and_runs_largest_first() -> None:
    started: list[int] = []

    def work(n: int) -> int:
        started.append(n)
        return n * n

    items = [3, 50, 1, 20, 7]
    assert parallel_map(work, items, 2, cost=lambda n: n) == [9, 2500, 1, 400, 49]
    assert started[0] in (50, 20)  # handed out largest first (two threads race for the first two)
    assert parallel_map(work, items, 1, cost=lambda n: n) == [9, 2500, 1, 400, 49]

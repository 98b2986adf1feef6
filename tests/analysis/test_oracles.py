"""Oracle tests: every number against an independent reference."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from neuralscope.analysis import AnalysisConfig, analyze
from neuralscope.analysis.probes import debiased_cka
from neuralscope.analysis.spectral import fit_power_law, gram_eigenvalues, spectral_stats
from neuralscope.analysis.weights import hoyer, weight_stats
from neuralscope.nets.io import LoadedModel


class _Tied(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.emb = nn.Embedding(50, 16)
        self.mid = nn.Linear(16, 16)
        self.head = nn.Linear(16, 50, bias=False)
        self.head.weight = self.emb.weight  # weight tying (as in GPT-2)
        self.frozen = nn.Linear(16, 16)
        self.frozen.requires_grad_(False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.frozen(torch.relu(self.mid(self.emb(x)))))


def test_params_count_tied_weights_once() -> None:
    model = _Tied()
    report = analyze(model, example_input=torch.randint(0, 50, (2, 5)))
    unique = {p.data_ptr(): p for p in model.parameters()}  # parameters() dedups ties
    assert report.cost.total_params == sum(p.numel() for p in unique.values())
    naive = sum(v.numel() for v in model.state_dict().values())
    assert report.cost.total_params == naive - 50 * 16
    assert report.cost.trainable_params == report.cost.total_params - (16 * 16 + 16)
    assert report.cost.tied == [["emb.weight", "head.weight"]]


def test_params_of_a_bare_state_dict_exclude_batchnorm_buffers() -> None:
    model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU())
    loaded = LoadedModel("sd", "torch", dict(model.state_dict()), [])
    report = analyze(loaded)
    assert report.cost.total_params == sum(p.numel() for p in model.parameters())


def test_flops_match_flop_counter_mode_with_fastpath_off() -> None:
    torch.manual_seed(0)
    enc = nn.TransformerEncoder(
        nn.TransformerEncoderLayer(32, 4, 64, batch_first=True), 2, enable_nested_tensor=False
    )
    x = torch.randn(2, 10, 32)
    report = analyze(enc, example_input=x)
    enc.eval()
    torch.backends.mha.set_fastpath_enabled(False)
    try:
        counter = FlopCounterMode(display=False)
        with counter, torch.no_grad():
            enc(x)
    finally:
        torch.backends.mha.set_fastpath_enabled(True)
    assert report.cost.flops == counter.get_total_flops() > 0
    assert report.cost.macs == report.cost.flops // 2
    # hand count for the MLP part: 2 * batch * tokens * (32*64 + 64*32) per layer is included
    assert report.cost.flops >= 2 * 2 * (2 * 10 * (32 * 64 + 64 * 32))


def test_mlp_flops_by_hand() -> None:
    model = nn.Sequential(nn.Linear(10, 20), nn.ReLU(), nn.Linear(20, 3))
    report = analyze(model, example_input=torch.randn(4, 10))
    assert report.cost.flops == 2 * 4 * (10 * 20 + 20 * 3)
    per_layer = {c.name: c.flops for c in report.cost.layers}
    assert per_layer == {"0": 2 * 4 * 200, "1": 0, "2": 2 * 4 * 60}


@pytest.mark.parametrize("shape", [(30, 12), (12, 30), (8, 3, 3, 3)])
def test_singular_values_match_numpy(shape: tuple[int, ...]) -> None:
    w = torch.randn(*shape)
    sv = np.linalg.svd(w.reshape(shape[0], -1).double().numpy(), compute_uv=False)
    ev = gram_eigenvalues(w).flip(0).sqrt().numpy()
    np.testing.assert_allclose(ev, sv, rtol=1e-4, atol=1e-4)
    s = spectral_stats("w", w, AnalysisConfig())
    assert s.spectral_norm == pytest.approx(sv[0], rel=1e-5)
    assert s.stable_rank == pytest.approx((sv**2).sum() / sv[0] ** 2, rel=1e-4)


def test_stable_rank_known_values() -> None:
    u, v = torch.randn(64, 1), torch.randn(1, 32)
    assert spectral_stats("r1", u @ v, AnalysisConfig()).stable_rank == pytest.approx(1.0, 1e-4)
    assert spectral_stats("r1", u @ v, AnalysisConfig()).numerical_rank == 1
    n, m = 2000, 500
    g = spectral_stats("g", torch.randn(n, m), AnalysisConfig()).stable_rank
    assert g == pytest.approx(n * m / (math.sqrt(n) + math.sqrt(m)) ** 2, rel=0.1)


@pytest.mark.parametrize(("n", "k"), [(100, 1), (100, 4), (64, 64), (1000, 10)])
def test_hoyer_known_values(n: int, k: int) -> None:
    w = torch.zeros(n)
    w[:k] = 3.0
    expected = (math.sqrt(n) - math.sqrt(k)) / (math.sqrt(n) - 1)
    assert hoyer(w) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("alpha", [2.0, 3.0, 4.5])
def test_power_law_alpha_on_pareto_samples(alpha: float) -> None:
    rng = np.random.default_rng(1)
    x = torch.from_numpy(rng.pareto(alpha - 1.0, 4000) + 1.0)  # density ~ x^-alpha, xmin 1
    fit = fit_power_law(x)
    assert fit is not None
    assert fit.alpha == pytest.approx(alpha, abs=0.15)


def test_power_law_ks_choice_skips_a_noise_bulk() -> None:
    rng = np.random.default_rng(2)
    tail = rng.pareto(2.0, 2000) + 1.0  # alpha = 3 above xmin = 1
    bulk = rng.uniform(0.01, 1.0, 2000)  # not a power law below 1
    fit = fit_power_law(torch.from_numpy(np.concatenate([bulk, tail])))
    assert fit is not None
    assert fit.xmin == pytest.approx(1.0, abs=0.15)
    assert fit.alpha == pytest.approx(3.0, abs=0.15)


def test_weight_stats_by_hand() -> None:
    w = torch.tensor([[0.0, 1.0, -2.0, 1e-5], [0.0, 1.0, -2.0, 1e-5], [3.0, 0.5, 0.5, 0.5]])
    s = weight_stats("w", w, AnalysisConfig(robust_z=6.0))
    assert s.exact_zero_frac == pytest.approx(2 / 12)
    assert s.near_zero_frac == pytest.approx(4 / 12)  # |w| < 1e-3 * 3
    assert s.mean == pytest.approx(float(w.double().mean()))
    assert s.std == pytest.approx(float(w.double().std()))
    assert s.duplicate_rows == [[0, 1]]
    assert sum(s.histogram.counts) == 12
    w2 = torch.randn(1000)
    w2[17] = 100.0
    w2[3] = float("nan")
    s2 = weight_stats("w2", w2, AnalysisConfig())
    assert s2.nan_count == 1
    assert s2.outlier_count >= 1
    med = w2[torch.isfinite(w2)].median()
    mad = (w2[torch.isfinite(w2)] - med).abs().median()
    assert s2.max_robust_z == pytest.approx(float(0.6745 * (100.0 - med) / mad), rel=1e-5)


def test_debiased_cka_independent_and_identical() -> None:
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(300, 64, generator=gen, dtype=torch.float64)
    y = torch.randn(300, 64, generator=gen, dtype=torch.float64)
    assert abs(debiased_cka(x, y)) < 0.05  # biased CKA is ~0.2 here (SCIENCE.md finding 3)
    q, _ = torch.linalg.qr(torch.randn(64, 64, generator=gen, dtype=torch.float64))
    assert debiased_cka(x, 3.0 * x @ q + 1.0) == pytest.approx(1.0, abs=1e-9)

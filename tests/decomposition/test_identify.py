"""Ground truth for module identification (SCIENCE.md section 4.1)."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch
from sklearn.metrics import adjusted_rand_score
from tests.decomposition.conftest import planted
from tests.decomposition.planted import TwoTaskData, truth
from torch import nn

from neuralscope.decomposition import (
    CorrelationComponents,
    DecomposeConfig,
    HierarchicalClusterer,
    KMeansClusterer,
    LayerDecomposition,
    SpectralClustering,
    decompose,
)
from neuralscope.decomposition.quality import modularity, within_between

FAST = DecomposeConfig(metrics=False)


def _ari_live(layer: LayerDecomposition) -> float:
    labels = np.full(layer.units, -1)
    for i, mod in enumerate(layer.modules):
        labels[mod.units] = i
    live = labels >= 0
    return float(adjusted_rand_score(np.asarray(truth())[live], labels[live]))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_planted_modules_are_recovered_with_k_two(seed: int) -> None:
    model, data = planted(seed)
    layer = decompose(model, data.test_x, layer="1", config=FAST).layer("1")
    assert layer.significant
    assert layer.k_chosen_by == "components"
    assert len(layer.modules) == 2
    assert _ari_live(layer) >= 0.95
    assert layer.p_value <= 0.05
    assert layer.modularity > 0.4  # two isolated equal halves give 0.5
    assert layer.within_between_ratio is not None
    assert layer.within_between_ratio > 5


@pytest.mark.parametrize("seed", [0, 1])
def test_spectral_clustering_recovers_planted_modules(seed: int) -> None:
    model, data = planted(seed)
    layer = decompose(model, data.test_x, layer="1", method=SpectralClustering(), config=FAST)
    assert _ari_live(layer.layer("1")) >= 0.95


def _dense_single_task(seed: int) -> tuple[nn.Module, torch.Tensor]:
    torch.manual_seed(seed)
    x = torch.randn(4000, 8)
    teacher = nn.Sequential(nn.Linear(8, 16), nn.Tanh(), nn.Linear(16, 2))
    with torch.no_grad():
        y = teacher(x).argmax(dim=1)
    model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 2))
    opt = torch.optim.Adam(model.parameters(), lr=0.02)
    for _ in range(300):
        opt.zero_grad()
        nn.functional.cross_entropy(model(x[:2000]), y[:2000]).backward()
        opt.step()
    return model, x[2000:]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_dense_network_reports_no_significant_modularity(seed: int) -> None:
    model, x = _dense_single_task(seed)
    auto = decompose(model, x, layer="1", config=FAST).layer("1")
    forced = decompose(model, x, layer="1", n_modules=2, config=FAST).layer("1")
    for layer in (auto, forced):
        assert not layer.significant
        assert len(layer.modules) == 1
        assert layer.modules[0].units == list(range(32))
        assert "no" in layer.verdict
        assert "modular structure" in layer.verdict
    assert forced.candidate_k == 2  # a partition was tried and rejected, not skipped


def test_kmeans_on_raw_activations_carries_its_caveat(
    planted_net: tuple[nn.Module, TwoTaskData],
) -> None:
    model, data = planted_net
    layer = decompose(model, data.test_x, layer="1", method=KMeansClusterer(2), config=FAST)
    result = layer.layer("1")
    assert result.method == "kmeans"
    assert result.caveat is not None
    assert "ARI 0.04" in result.caveat
    hier = decompose(model, data.test_x, layer="1", method=HierarchicalClusterer(2), config=FAST)
    assert hier.layer("1").caveat is not None


def test_dead_units_are_reported_apart(planted_net: tuple[nn.Module, TwoTaskData]) -> None:
    model, data = planted_net
    broken = copy.deepcopy(model)
    with torch.no_grad():
        broken[0].bias[[2, 20, 21]] = -1e3  # ReLU output is 0 on every sample
    result = decompose(broken, data.test_x, data.test_y, layer="1", config=FAST)
    layer = result.layer("1")
    assert set(layer.dead_units) >= {2, 20, 21}
    assert not {2, 20, 21} & {u for m in layer.modules for u in m.units}
    assert [f.evidence["units"] for f in result.findings if f.code == "dead_module"] == [
        layer.dead_units
    ]


def test_conv_channels_are_units_pooled_over_space() -> None:
    torch.manual_seed(0)
    conv = nn.Conv2d(2, 8, 3, groups=2)  # channels 0-3 read input 0, channels 4-7 input 1
    model = nn.Sequential(conv, nn.ReLU())
    x = torch.randn(2000, 2, 6, 6)
    layer = decompose(model, x, layer="1", config=FAST).layer("1")
    assert layer.units == 8
    assert sorted(sorted(m.units) for m in layer.modules) == [[0, 1, 2, 3], [4, 5, 6, 7]]


def test_modularity_and_affinity_ratio_match_hand_values() -> None:
    s = np.zeros((4, 4))
    s[0, 1] = s[1, 0] = s[2, 3] = s[3, 2] = 1.0
    labels = np.array([0, 0, 1, 1])
    assert modularity(s, labels) == pytest.approx(0.5)  # 1 - sum_c (1/2)^2
    assert modularity(s, np.zeros(4, dtype=np.int64)) == pytest.approx(0.0)
    s[0, 2] = s[2, 0] = 0.5
    within, between, ratio = within_between(s, labels)
    assert within == pytest.approx(1.0)
    assert between == pytest.approx(1.0 / 8)  # 0.5 twice over 8 ordered cross pairs
    assert ratio == pytest.approx(8.0)


def test_components_threshold_is_four_over_root_n(
    planted_net: tuple[nn.Module, TwoTaskData],
) -> None:
    model, data = planted_net
    # A threshold above every |r| leaves every unit alone: k = number of live units.
    layer = decompose(
        model, data.test_x, layer="1", method=CorrelationComponents(1.01), config=FAST
    ).layer("1")
    assert layer.candidate_k == layer.units - len(layer.dead_units)

"""Alerts on planted defects, and what-if previews on copies (SCIENCE.md section 4.3)."""

from __future__ import annotations

import copy

import pytest
import torch
from tests.decomposition.planted import idle_data, idle_module_net, train
from torch import nn

from neuralscope.decomposition import DecomposeConfig, Prune, Reinitialize, decompose, what_if


@pytest.fixture(scope="module")
def idle() -> tuple[nn.Module, torch.Tensor, torch.Tensor]:
    torch.manual_seed(0)
    data = idle_data(2000, 4, 0)
    model = train(idle_module_net(), data, steps=400)
    return model, data.test_x, data.test_y


def test_idle_module_is_redundant_and_uninformative_and_the_others_are_not(
    idle: tuple[nn.Module, torch.Tensor, torch.Tensor],
) -> None:
    model, x, y = idle
    result = decompose(model, x, y, layer="1", config=DecomposeConfig(random_sets=200))
    layer = result.layer("1")
    assert len(layer.modules) == 3
    idle_module = next(m for m in layer.modules if min(m.units) >= 32)
    assert sorted(idle_module.units) == [u for u in range(32, 48) if u not in layer.dead_units]
    flagged = {(f.code, f.evidence.get("module")) for f in result.findings}
    assert ("redundant_module", idle_module.id) in flagged
    assert ("uninformative_module", idle_module.id) in flagged
    others = {m.id for m in layer.modules} - {idle_module.id}
    assert not {(c, m) for c, m in flagged if m in others}
    assert not any(code == "dominant_module" for code, _ in flagged)
    finding = next(f for f in result.findings if f.code == "redundant_module")
    assert finding.evidence["percentile"] < 5
    assert "Prune" in finding.recommendation


def test_a_single_task_module_dominates() -> None:
    torch.manual_seed(0)
    data = idle_data(2000, 4, 0)
    model = train(idle_module_net(), data, steps=400)
    y = data.test_y[:, 0]
    with torch.no_grad():  # keep only head A: the layer now serves task A alone
        model[2].mask[2:] = 0.0
    single = nn.Sequential(model, _Head())
    result = decompose(single, data.test_x, y, layer="0.1", config=DecomposeConfig(random_sets=100))
    dominant = [f for f in result.findings if f.code == "dominant_module"]
    assert len(dominant) == 1
    module = result.layer("0.1").modules
    owner = next(m for m in module if m.id == dominant[0].evidence["module"])
    assert max(owner.units) < 16  # module A, which alone serves the task


class _Head(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x[:, :2]


def test_what_if_prunes_a_copy_and_reports_the_change(
    idle: tuple[nn.Module, torch.Tensor, torch.Tensor],
) -> None:
    model, x, y = idle
    before = copy.deepcopy(model.state_dict())
    layer = decompose(model, x, y, layer="1", config=DecomposeConfig(metrics=False)).layer("1")
    idle_module = next(m for m in layer.modules if min(m.units) >= 32)
    task_a = next(m for m in layer.modules if max(m.units) < 16)
    harmless = what_if(model, idle_module, Prune(), x, y)
    assert harmless.loss_after == pytest.approx(harmless.loss_before, abs=1e-6)
    harmful = what_if(model, task_a, Prune(), x, y)
    assert harmful.accuracy_before[0] > 0.95
    assert harmful.accuracy_after[0] < 0.7
    assert harmful.accuracy_after[1] == pytest.approx(harmful.accuracy_before[1])
    reinit = what_if(model, task_a, Reinitialize(seed=1), x, y)
    assert reinit.loss_after > reinit.loss_before + 0.1
    for key, value in model.state_dict().items():  # the user's model is untouched
        assert torch.equal(value, before[key])


def test_without_the_probe_the_same_importance_and_no_uninformative_alert(
    idle: tuple[nn.Module, torch.Tensor, torch.Tensor],
) -> None:
    model, x, y = idle
    full = decompose(model, x, y, layer="1", config=DecomposeConfig(random_sets=50))
    cheap = decompose(model, x, y, layer="1", config=DecomposeConfig(random_sets=50, probe_folds=0))
    for a, b in zip(full.modules, cheap.modules, strict=True):
        assert a.units == b.units
        assert a.metrics is not None
        assert b.metrics is not None
        assert a.metrics.importance == b.metrics.importance  # ablation does not need the probe
        assert a.metrics.probe_accuracy
        assert not b.metrics.probe_accuracy
        assert b.metrics.label.startswith("not probed; strongest drive: class ")
    codes = {f.code for f in full.findings}
    assert "uninformative_module" in codes
    assert {f.code for f in cheap.findings} == codes - {"uninformative_module"}

"""Weights-only cost estimates against FlopCounterMode on the real module, closed forms for
recurrent layers, and roofline tiers by hand (efficiency.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from tests.analysis._models import cnn, mlp
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from neuralscope.analysis import analyze
from neuralscope.analysis.config import AnalysisConfig
from neuralscope.analysis.efficiency import tier_of

_FAST = AnalysisConfig(latency_repeats=3)


def _flops(model: nn.Module, x: torch.Tensor) -> int:
    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        model(x)
    return int(counter.get_total_flops())


def _saved(model: nn.Module, tmp_path: Path) -> Path:
    path = tmp_path / "weights.pt"
    torch.save(model.state_dict(), path)
    return path


def test_state_dict_flops_equal_the_real_module(tmp_path: Path) -> None:
    for model, x in ((mlp(), torch.randn(1, 32)), (cnn(), torch.randn(1, 3, 32, 32))):
        report = analyze(_saved(model, tmp_path), config=_FAST)
        assert report.cost.estimated
        assert "ESTIMATE" in report.cost.flops_note
        assert report.cost.flops == _flops(model, x)  # only parametric ops cost FLOPs here
        assert report.cost.macs == report.cost.flops // 2
        (lat,) = report.cost.latency
        assert lat.batch_size == 1
        assert 0 < lat.p50_ms <= lat.p95_ms
        timed = [c for c in report.cost.layers if c.time_ms is not None]
        assert len(timed) == sum(isinstance(m, nn.Linear | nn.Conv2d) for m in model.modules())


def test_conv_estimate_per_layer_and_lstm_closed_form(tmp_path: Path) -> None:
    report = analyze(_saved(cnn(), tmp_path), config=_FAST)
    per = {c.name: c for c in report.cost.layers}
    assert per["0"].flops == 2 * 16 * 3 * 9 * 32 * 32
    assert per["0"].output_shape == [1, 16, 32, 32]
    lstm = nn.LSTM(10, 20, num_layers=2)
    report = analyze(_saved(lstm, tmp_path), config=_FAST)
    expected = 2 * 80 * (10 + 20) + 2 * 80 * (20 + 20)
    assert report.cost.flops == expected


def test_modules_are_measured_not_estimated() -> None:
    report = analyze(mlp(), example_input=torch.randn(1, 32), config=_FAST)
    assert not report.cost.estimated


@pytest.mark.parametrize(
    ("ai", "tier"), [(12.0, "compute-bound"), (3.0, "balanced"), (2.0, "memory-bound")]
)
def test_tier_thresholds(ai: float, tier: str) -> None:
    assert tier_of(ai, 10.0) == tier


def test_roofline_tiers_by_hand(tmp_path: Path) -> None:
    report = analyze(_saved(cnn(), tmp_path), config=_FAST)
    eff = report.efficiency
    assert eff is not None
    assert eff.estimated
    rows = {r.name: r for r in eff.layers}
    conv_flops, conv_bytes = 2 * 16 * 27 * 1024, 4 * (16 * 27 + 16)
    assert rows["0"].intensity == pytest.approx(conv_flops / conv_bytes)
    assert rows["0"].tier == "compute-bound"
    lin_flops, lin_bytes = 2 * 32 * 10, 4 * (32 * 10 + 10)
    assert rows["6"].intensity == pytest.approx(lin_flops / lin_bytes)  # ~0.48 FLOP/byte
    assert rows["6"].tier == "memory-bound"
    assert sum(eff.flop_share.values()) == pytest.approx(1.0)
    assert eff.model_tier == "compute-bound"


def test_exported_program_keeps_measured_totals_with_estimated_layers(tmp_path: Path) -> None:
    model = cnn().eval()
    x = torch.randn(1, 3, 32, 32)
    path = tmp_path / "cnn.pt2"
    torch.export.save(torch.export.export(model, (x,)), path)
    report = analyze(path, example_input=x, config=_FAST)
    assert not report.cost.estimated
    assert report.cost.flops == _flops(model, x)
    assert "per-layer rows ESTIMATED" in report.cost.flops_note
    per = {c.name: c.flops for c in report.cost.layers}
    assert per["0"] == 2 * 16 * 27 * 32 * 32

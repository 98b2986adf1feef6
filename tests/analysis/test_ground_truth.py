"""Ground truth: each planted defect yields exactly its Finding on exactly its layer; healthy
models raise no warning-or-worse Finding."""

from __future__ import annotations

import itertools

import torch
from tests.analysis._models import cnn, mlp
from torch import nn

from neuralscope.analysis import ModelReport, analyze
from neuralscope.findings import Severity


def _warnings(report: ModelReport) -> set[tuple[str, str | None]]:
    return {(f.code, f.layer) for f in report.findings if f.severity != Severity.INFO}


def test_healthy_mlp_and_cnn_raise_no_warning() -> None:
    for model, shape in ((mlp(), (1, 32)), (cnn(), (1, 3, 16, 16))):
        report = analyze(model, example_input=torch.randn(*shape))
        assert _warnings(report) == set(), report.findings
        assert report.health.score == 100
        assert report.readiness is not None
        assert all(not g.flagged for g in report.readiness.gains)


def test_healthy_mlp_with_probe_data_raises_no_warning() -> None:
    probe = torch.randn(1000, 32, generator=torch.Generator().manual_seed(1))
    report = analyze(mlp(), probe_data=probe, example_input=probe[:1])
    assert _warnings(report) == set(), report.findings


def test_dead_units_certified_from_weights_and_seen_on_probe() -> None:
    model = mlp()
    with torch.no_grad():
        model[0].weight[[3, 7]] = 0.0
        model[0].bias[[3, 7]] = -1.0
    report = analyze(model, example_input=torch.randn(1, 32))
    assert _warnings(report) == {("dead_units", "0")}
    (finding,) = report.findings
    assert finding.evidence["units"] == [3, 7]
    assert "certificate" in str(finding.evidence["method"])
    # a unit dead only on the input box [0, 1]^32: negative weights, negative bias
    with torch.no_grad():
        model[0].weight[11] = -model[0].weight[11].abs()
        model[0].bias[11] = -0.01
    probe = torch.rand(2000, 32, generator=torch.Generator().manual_seed(0))
    # "dead" depends on the probe (SCIENCE.md finding 5): the unplanted net already has units
    # that never fire on [0, 1]^32; the planted ones must be added to exactly those
    base = analyze(mlp(), probe_data=probe, example_input=probe[:1])
    base0 = next(f for f in base.findings if f.code == "dead_units" and f.layer == "0")
    assert not {3, 7, 11} & set(base0.evidence["units"])  # type: ignore[arg-type]
    report = analyze(model, probe_data=probe, example_input=probe[:1])
    dead = [f for f in report.findings if f.code == "dead_units" and f.layer == "0"]
    expected = sorted({3, 7, 11} | set(base0.evidence["units"]))  # type: ignore[arg-type]
    assert dead[0].evidence["units"] == expected
    assert "interval certificate" in str(dead[0].evidence["method"])
    assert "activations" in str(dead[0].evidence["method"])


def test_layer_initialised_ten_times_too_wide() -> None:
    model = mlp()
    with torch.no_grad():
        model[4].weight.mul_(10.0)
    report = analyze(model, example_input=torch.randn(1, 32))
    found = _warnings(report)
    assert ("poor_init", "4") in found
    assert {layer for _, layer in found} == {"4"}
    assert found <= {("poor_init", "4"), ("exploding_weights", "4")}
    gains = {g.layer: g.gain for g in report.readiness.gains}  # type: ignore[union-attr]
    assert 40 < gains["4"] < 250  # theory 100 (SCIENCE.md 1.2)


def test_duplicated_layer() -> None:
    model = mlp()
    with torch.no_grad():
        model[6].weight.copy_(model[4].weight)
        model[6].bias.copy_(model[4].bias)
    report = analyze(model, example_input=torch.randn(1, 32))
    assert _warnings(report) == {("redundant_layers", "6")}
    (finding,) = [f for f in report.findings if f.code == "redundant_layers"]
    assert finding.evidence["duplicate_of"] == "4"


def test_nan_weight() -> None:
    model = mlp()
    with torch.no_grad():
        model[2].weight[5, 1] = float("nan")
    report = analyze(model, example_input=torch.randn(1, 32))
    critical = {(f.code, f.layer) for f in report.findings if f.severity == Severity.CRITICAL}
    assert critical == {("nan_or_inf", "2")}
    assert report.health.score <= 75
    assert ModelReport.model_validate_json(report.model_dump_json()) == report


def test_rank_one_layer() -> None:
    model = mlp()
    with torch.no_grad():
        u, v = torch.randn(64, 1), torch.randn(1, 64)
        w = u @ v
        model[4].weight.copy_(w * model[4].weight.norm() / w.norm())
    report = analyze(model, example_input=torch.randn(1, 32))
    assert ("low_rank", "4") in _warnings(report)
    assert {layer for _, layer in _warnings(report)} == {"4"}


def test_torch_default_init_shrinks_the_signal() -> None:
    torch.manual_seed(0)
    widths = [64] * 8
    layers: list[nn.Module] = []
    for a, b in itertools.pairwise(widths):
        layers += [nn.Linear(a, b, bias=False), nn.ReLU()]
    report = analyze(nn.Sequential(*layers), example_input=torch.randn(1, 64))
    gains = [g.gain for g in report.readiness.gains]  # type: ignore[union-attr]
    assert all(0.08 < g < 0.3 for g in gains)  # theory 1/6 (SCIENCE.md finding 6)
    found = [f for f in report.findings if f.severity != Severity.INFO]
    assert [f.code for f in found] == ["poor_init"]
    assert float(found[0].evidence["cumulative_gain"]) < 1e-3  # type: ignore[arg-type]


def test_saturating_tanh_layer() -> None:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(16, 32), nn.Tanh(), nn.Linear(32, 4))
    nn.init.xavier_normal_(model[0].weight)
    nn.init.xavier_normal_(model[2].weight)
    healthy = analyze(model, example_input=torch.randn(1, 16))
    assert not any(f.code == "saturation_risk" for f in healthy.findings)
    with torch.no_grad():
        model[0].weight.mul_(50.0)
    report = analyze(model, example_input=torch.randn(1, 16))
    assert ("saturation_risk", "0") in _warnings(report)


def test_score_is_traceable_to_findings() -> None:
    model = mlp()
    with torch.no_grad():
        model[2].weight[0, 0] = float("inf")
        model[6].weight.copy_(model[4].weight)
    report = analyze(model, example_input=torch.randn(1, 32))
    lost = sum(item.points for item in report.health.breakdown)
    assert report.health.score == max(0, 100 - lost)
    for item in report.health.breakdown:
        assert report.findings[item.finding_index].code == item.code
    assert report.health.score < 100


def test_redundant_layer_by_debiased_cka_on_probe_data() -> None:
    model = mlp()
    near_identity = nn.Linear(64, 64)
    with torch.no_grad():
        near_identity.weight.copy_(torch.eye(64) + 0.01 * torch.randn(64, 64))
        near_identity.bias.zero_()
    model.insert(5, near_identity)  # after "4"'s ReLU: the new layer "5" just copies "4"
    probe = torch.randn(1000, 32, generator=torch.Generator().manual_seed(1))
    report = analyze(model, probe_data=probe, example_input=probe[:1])
    redundant = [f for f in report.findings if f.code == "redundant_layers"]
    assert [(f.layer, f.evidence["pair"]) for f in redundant] == [("5", "4")]
    assert float(redundant[0].evidence["cka"]) > float(redundant[0].evidence["baseline"])  # type: ignore[arg-type]

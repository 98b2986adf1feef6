"""``analyze`` and ``compare``: assemble the pure analyses into one ModelReport."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from pathlib import Path

import torch
from torch import nn

from neuralscope.analysis import _dynamic_findings as dyn
from neuralscope.analysis import _static_findings as st
from neuralscope.analysis._inputs import (
    eval_mode,
    example_for,
    fixed_batch_config,
    synthetic_like,
)
from neuralscope.analysis._parallel import resolve_workers
from neuralscope.analysis._tensors import tensor_analyses
from neuralscope.analysis.architecture import analyze_architecture, architecture_from_layers
from neuralscope.analysis.config import AnalysisConfig
from neuralscope.analysis.cost import count_params, hookable, measure_cost
from neuralscope.analysis.efficiency import efficiency_tiers
from neuralscope.analysis.estimate import estimate_cost, fill_layers
from neuralscope.analysis.health import health_score
from neuralscope.analysis.optimize import optimization_report
from neuralscope.analysis.probes import ProbeRecord, record
from neuralscope.analysis.readiness import (
    TRANSFORMER_REFS,
    ReadinessReport,
    gradient_flow,
    init_checks,
    init_weights_of,
    signal_gains,
)
from neuralscope.analysis.report import Comparison, ComparisonRow, ModelReport
from neuralscope.analysis.weights import WeightStats
from neuralscope.findings import Finding, Severity
from neuralscope.nets.io import LoadedModel, from_module, load_model

ModelLike = nn.Module | str | Path | LoadedModel


def _load(model: ModelLike) -> LoadedModel:
    if isinstance(model, LoadedModel):
        return model
    if isinstance(model, nn.Module):
        return from_module(model)
    return load_model(model)


def _layer_bytes(state: dict[str, torch.Tensor]) -> dict[str, int]:
    out: dict[str, int] = {}
    for k, v in state.items():
        if v.is_floating_point():
            layer = st.layer_of(k)
            out[layer] = out.get(layer, 0) + v.numel() * v.element_size()
    return out


def _linear_chains(loaded: LoadedModel) -> list[list[tuple[str, int, int]]]:
    if loaded.module is not None:
        lin = [
            (n, m.in_features, m.out_features)
            for n, m in loaded.module.named_modules()
            if isinstance(m, nn.Linear)
        ]
    else:
        lin = [
            (x.name, x.shapes["weight"][1], x.shapes["weight"][0])
            for x in loaded.layers
            if x.kind == "linear" and len(x.shapes.get("weight", [])) == 2
        ]
    chains: list[list[tuple[str, int, int]]] = []
    for item in lin:
        if chains and chains[-1][-1][2] == item[1]:
            chains[-1].append(item)
        else:
            chains.append([item])
    return chains


def _dead_units(
    loaded: LoadedModel,
    rec_dead: dict[str, tuple[list[int], int]],
    probe: torch.Tensor | None,
    stats_of: dict[str, WeightStats],
) -> list[Finding]:
    found: dict[str, tuple[set[int], int, list[str]]] = {}
    layer_names = [
        x.name for x in loaded.layers if x.kind in ("linear",) or x.kind.startswith("conv")
    ]
    first = layer_names[0] if layer_names else None
    for name in layer_names:
        w = loaded.state.get(f"{name}.weight")
        stats = stats_of.get(f"{name}.weight")
        if w is None or w.ndim < 2 or stats is None or stats.nan_count or stats.inf_count:
            continue
        b = loaded.state.get(f"{name}.bias")
        box = None
        if name == first and probe is not None and w.ndim == 2 and probe[0].numel() == w.shape[1]:
            flat = probe.reshape(probe.shape[0], -1).double()
            box = (flat.min(0).values, flat.max(0).values)
        if box is None and stats.exact_zero_frac == 0.0:  # no zero row: nothing to certify
            continue
        units = st.dead_certificate(name, w, b, box)
        if units:
            method = (
                "interval certificate on the probe box"
                if box is not None
                else "weight certificate (zero row, bias <= 0)"
            )
            found[name] = (set(units), w.shape[0], [method])
    for name, (units_list, total) in rec_dead.items():
        prev = found.get(name, (set(), total, []))
        found[name] = (prev[0] | set(units_list), total, [*prev[2], "activations on probe data"])
    return [st.dead_finding(k, sorted(u), t, " + ".join(m)) for k, (u, t, m) in found.items()]


def analyze(
    model_or_path: ModelLike,
    *,
    example_input: torch.Tensor | None = None,
    probe_data: torch.Tensor | None = None,
    config: AnalysisConfig | None = None,
) -> ModelReport:
    """Analyze a model (module, file path or LoadedModel) into one ModelReport."""
    cfg = config or AnalysisConfig()
    cfg = cfg.model_copy(update={"workers": resolve_workers(cfg.workers)})
    loaded = _load(model_or_path)
    module = loaded.module
    weights, spectra, mats = tensor_analyses(loaded.state, cfg)
    stats = {w.name: w for w in weights}
    random_like = {st.layer_of(s.name) for s in spectra if s.n_spikes == 0}
    init_names = (
        set(init_weights_of(module))
        if module is not None
        else {x.name for x in loaded.layers if x.kind == "linear" or x.kind.startswith("conv")}
    )
    init_w = {n: stats[f"{n}.weight"] for n in init_names if f"{n}.weight" in stats}
    arch = (
        analyze_architecture(module)
        if module is not None
        else architecture_from_layers(loaded.layers)
    )
    if not arch.types:  # TorchScript / torch.export graphs hide module types: use the weights
        arch = architecture_from_layers(loaded.layers, module)
    extra = TRANSFORMER_REFS if "Transformer" in arch.types else None
    inits = init_checks(init_w, cfg, extra)
    findings = st.nan_findings(weights)
    findings += st.init_findings(inits, random_like)
    findings += st.scale_findings(weights, {f"{n}.weight" for n in init_w}, cfg)
    findings += st.anomaly_findings(weights, {f"{n}.weight" for n in random_like}, cfg)
    findings += st.duplicate_layer_findings(
        {k: v for k, v in mats.items() if k.endswith("weight")}, cfg
    )
    findings += st.rank_findings(spectra, cfg)
    for chain in _linear_chains(loaded):
        findings += st.bottleneck_findings(chain)
    cost = count_params(loaded.state, module)
    notes = list(loaded.notes)
    readiness = None
    input_description = "none (weights only)"
    example = (
        example_input
        if example_input is not None
        else (example_for(module) if module is not None else None)
    )
    rec_dead: dict[str, tuple[list[int], int]] = {}
    probe = None
    if module is not None and example is not None:
        eval_mode(module)
        cfg, note = fixed_batch_config(module, example, cfg)
        notes = [*notes, note] if note else notes
        probe = probe_data if probe_data is not None else synthetic_like(example, cfg)
        input_description = (
            f"probe data, n={probe.shape[0]}"
            if probe_data is not None
            else f"synthetic {'N(0,1)' if probe.is_floating_point() else 'ids'}"
            f", shape {list(probe.shape)}"
        )
        if not hookable(module):
            notes.append("TorchScript refuses hooks: per-layer probes, gains and timing skipped")
        rec = record(module, probe) if hookable(module) else ProbeRecord()
        gains = signal_gains(rec, cfg)
        grads = (
            gradient_flow(module, probe)
            if not any(f.code == "nan_or_inf" for f in findings)
            else []
        )
        if probe_data is not None:
            rec_dead = dyn.activation_dead(rec)
            findings += dyn.cka_findings(module, probe, cfg)
        findings += dyn.saturation_findings(rec, cfg)
        findings += dyn.gain_findings(gains, cfg)
        findings += dyn.gradient_findings(grads, cfg)
        spatial = {"assumed_spatial": example.shape[-1]} if example.ndim >= 3 else {}
        cost = fill_layers(
            measure_cost(module, example, cost, cfg),
            loaded.layers,
            loaded.state,
            cfg.model_copy(update=spatial),
        )
        ratio = (
            grads[0].grad_norm / grads[-1].grad_norm
            if len(grads) > 1 and grads[-1].grad_norm
            else None
        )
        readiness = ReadinessReport(
            input_description=input_description,
            init=inits,
            gains=gains,
            gradients=grads,
            first_last_grad_ratio=ratio,
            predicted_issues=[
                f.message
                for f in findings
                if f.code
                in ("poor_init", "vanishing_gradients", "exploding_gradients", "saturation_risk")
            ],
            recommendations=sorted(
                {f.recommendation for f in findings if f.severity != Severity.INFO}
            ),
        )
    findings = _dead_units(loaded, rec_dead, probe_data, stats) + findings
    if module is None and cfg.weights_only_estimate:
        cost = estimate_cost(loaded.layers, loaded.state, cost, cfg)
    return ModelReport(
        source=loaded.source,
        format=loaded.format,
        notes=notes,
        input_description=input_description,
        layers=loaded.layers,
        architecture=arch,
        weights=weights,
        spectral=spectra,
        init=inits,
        cost=cost,
        readiness=readiness,
        findings=findings,
        health=health_score(findings),
        optimization=optimization_report(weights, spectra, cost.total_params, module, probe),
        efficiency=efficiency_tiers(cost, _layer_bytes(loaded.state), cfg.ridge_flops_per_byte),
        config=cfg,
    )


def compare(
    models: Sequence[ModelLike | ModelReport],
    *,
    names: Sequence[str] | None = None,
    example_input: torch.Tensor | None = None,
    config: AnalysisConfig | None = None,
) -> Comparison:
    """Analyze 2+ models and recommend one: best health, then fewest FLOPs/params."""
    if len(models) < 2:
        raise ValueError("compare needs at least two models")
    reports = [
        m if isinstance(m, ModelReport) else analyze(m, example_input=example_input, config=config)
        for m in models
    ]
    labels = list(names) if names else [f"{i}: {r.source}" for i, r in enumerate(reports)]
    rows = []
    for label, r in zip(labels, reports, strict=True):
        alphas = [s.alpha for s in r.spectral if s.alpha is not None]
        p50 = next((x.p50_ms for x in r.cost.latency if x.batch_size == 1), None)
        rows.append(
            ComparisonRow(
                name=label,
                architecture=r.architecture.primary,
                health_score=r.health.score,
                warnings=sum(f.severity == Severity.WARNING for f in r.findings),
                criticals=sum(f.severity == Severity.CRITICAL for f in r.findings),
                total_params=r.cost.total_params,
                flops=r.cost.flops,
                p50_ms_batch1=p50,
                median_alpha=statistics.median(alphas) if alphas else None,
            )
        )
    best = min(rows, key=lambda x: (-x.health_score, x.flops or x.total_params, x.total_params))
    reason = (
        f"highest health score ({best.health_score}); ties broken by fewer FLOPs, "
        "then fewer parameters"
    )
    return Comparison(rows=rows, recommended=best.name, reason=reason, reports=reports)

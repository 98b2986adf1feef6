"""``neuralscope analyze PATH`` and ``neuralscope compare A B ...``: static model analytics.

Human-readable Rich output by default; ``--json`` prints only the typed report on stdout;
``--html OUT.html`` also writes the standalone HTML report (``report/analytics.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import torch
import typer
from rich.console import Console
from rich.table import Table

from neuralscope.analysis import Comparison, ModelReport, analyze, compare
from neuralscope.cli._common import JsonOpt, fail, print_json
from neuralscope.nets.io import ModelLoadError
from neuralscope.report.analytics import render_model_report

ShapeOpt = Annotated[
    str | None,
    typer.Option("--input-shape", help="Example input shape, e.g. 1,3,32,32 (enables FLOPs)"),
]


def _example(shape: str | None) -> torch.Tensor | None:
    if shape is None:
        return None
    try:
        dims = [int(d) for d in shape.split(",") if d.strip()]
    except ValueError:
        fail(f"--input-shape must be comma-separated integers, got {shape!r}")
    if not dims or min(dims) < 1:
        fail(f"--input-shape must be positive integers, got {shape!r}")
    return torch.randn(*dims)


def _print_report(report: ModelReport, out: Console) -> None:
    colour = (
        "green" if report.health.score >= 80 else "yellow" if report.health.score >= 50 else "red"
    )
    out.print(f"[bold]{report.source}[/] ({report.format}, {report.architecture.primary})")
    out.print(
        f"Health score: [bold {colour}]{report.health.score}[/]/100  "
        f"[dim]{report.health.formula}[/]"
    )
    for note in report.notes:
        out.print(f"[dim]note: {note}[/]")
    cost = report.cost
    flops = (
        f"{cost.flops:,} FLOPs ({cost.macs:,} MACs)"
        + (" [yellow](estimate)[/]" if cost.estimated else "")
        if cost.flops is not None
        else cost.flops_note
    )
    out.print(
        f"{cost.total_params:,} parameters ({cost.trainable_params:,} trainable), "
        f"{cost.weight_bytes / 1e6:.2f} MB weights; {flops}"
    )
    if cost.estimated:
        out.print(f"[dim]{cost.flops_note}[/]")
    if report.efficiency and report.efficiency.model_tier:
        eff = report.efficiency
        out.print(
            f"Efficiency tier: [bold]{eff.model_tier}[/] ({eff.model_intensity:.3g} FLOPs per "
            f"weight byte; ridge {eff.ridge_flops_per_byte:g}, {eff.source}). {eff.advice}"
        )
    findings = Table(title="Findings")
    for col in ("severity", "code", "layer", "message"):
        findings.add_column(col)
    for f in report.findings:
        findings.add_row(f.severity.value, f.code, f.layer or "-", f.message)
    out.print(findings if report.findings else "[green]No findings.[/]")
    layers = Table(title="Layers")
    for col in ("layer", "shape", "std", "stable rank", "alpha", "hint"):
        layers.add_column(col)
    spectra = {s.name: s for s in report.spectral}
    for w in report.weights:
        s = spectra.get(w.name)
        layers.add_row(
            w.name,
            "x".join(map(str, w.shape)),
            f"{w.std:.3g}",
            f"{s.stable_rank:.1f}" if s else "-",
            f"{s.alpha:.2f}" if s and s.alpha is not None else "-",
            s.hint if s else "",
        )
    out.print(layers)
    for op in report.optimization.opportunities:
        change = (
            f", measured output change {op.measured_output_change:.2%}"
            if op.measured_output_change is not None
            else ""
        )
        out.print(
            f"[bold]{op.priority}[/] {op.kind}: saves {op.memory_saving_bytes / 1e6:.2f} MB{change}"
        )


def analyze_command(
    path: Annotated[Path, typer.Argument(help="Model file (safetensors, .pt, TorchScript, ...)")],
    input_shape: ShapeOpt = None,
    json_out: JsonOpt = False,
    html_out: Annotated[
        Path | None,
        typer.Option("--html", help="Also write a standalone HTML report to this file"),
    ] = None,
) -> None:
    """Analyze a saved model: health, layers, weights, cost and optimization."""
    try:
        report = analyze(path, example_input=_example(input_shape))
    except ModelLoadError as exc:
        fail(str(exc))
    if html_out is not None:
        try:
            html_out.write_text(render_model_report(report, path.name), encoding="utf-8")
        except OSError as exc:
            fail(f"cannot write {html_out}: {exc.strerror or exc}")
    if json_out:
        print_json(report)
    else:
        _print_report(report, Console())


def _print_comparison(result: Comparison, out: Console) -> None:
    table = Table(title="Comparison")
    for col in ("model", "type", "health", "warnings", "params", "FLOPs", "p50 ms", "alpha"):
        table.add_column(col)
    for r in result.rows:
        table.add_row(
            r.name,
            r.architecture,
            str(r.health_score),
            str(r.warnings),
            f"{r.total_params:,}",
            f"{r.flops:,}" if r.flops is not None else "-",
            f"{r.p50_ms_batch1:.3f}" if r.p50_ms_batch1 is not None else "-",
            f"{r.median_alpha:.2f}" if r.median_alpha is not None else "-",
        )
    out.print(table)
    out.print(f"Recommended: [bold]{result.recommended}[/] ({result.reason})")


def compare_command(
    paths: Annotated[list[Path], typer.Argument(help="Two or more model files")],
    input_shape: ShapeOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Compare two or more saved models side by side and recommend one."""
    if len(paths) < 2:
        fail("compare needs at least two model files")
    try:
        result = compare(paths, names=[str(p) for p in paths], example_input=_example(input_shape))
    except ModelLoadError as exc:
        fail(str(exc))
    if json_out:
        print_json(result)
    else:
        _print_comparison(result, Console())

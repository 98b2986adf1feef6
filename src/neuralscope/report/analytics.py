"""The standalone HTML report of one analysed model (``neuralscope analyze --html``, REST
``/api/models/{id}/report.html``).

One self-contained file: inline CSS and inline SVG charts, no script and no external request, so
it opens offline and can be mailed or archived. It uses the Watch report's approach
(``report/page.py``): plain f-strings with every piece of model-derived text passed through
:func:`html.escape`, and Findings drawn by the same ``_finding`` block with their evidence and
the source of their rule. Numbers are printed exactly as the JSON report holds them (integers in
full, floats with ``repr`` precision trimmed to 6 significant digits) so they can be checked
against it.
"""

from __future__ import annotations

import math
from html import escape

from neuralscope.analysis import ModelReport
from neuralscope.findings import Finding
from neuralscope.report.analytics_charts import CHART_STYLE, esd_plots, weight_histograms
from neuralscope.report.analytics_graph import GRAPH_STYLE, architecture_svg
from neuralscope.report.page import _finding

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{margin-bottom:.2em}.sub{color:#555;margin-top:0}
table{border-collapse:collapse;width:100%;font-size:.85em}
th,td{border-bottom:1px solid #ddd;padding:.25em .4em;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.wrap{overflow-x:auto}
.finding{margin:.4em 0;padding:.4em .6em;border-left:4px solid #999;background:#fafafa}
.critical{border-color:#c22}.warning{border-color:#d80}.info{border-color:#28c}
.src{color:#666;font-size:.85em}
.chips span{display:inline-block;border:1px solid #ccc;border-radius:1em;padding:0 .6em;margin:.1em}
svg text{font-family:system-ui,sans-serif}
@media print{body{max-width:none;margin:0}h2{break-after:avoid}.wrap{overflow:visible}}
"""
_TONE = {"critical": "#c22", "warning": "#d80", "info": "#28c"}


def num(x: float | int | None) -> str:
    """A number as the report holds it: integers in full, floats to 6 significant digits."""
    if x is None:
        return "—"
    if isinstance(x, int):
        return str(x)
    return f"{x:.6g}" if math.isfinite(x) else str(x)


def _gauge(score: int) -> str:
    t = max(0, min(100, score)) / 100
    angle = math.pi * (1 - t)
    x, y = 50 + 40 * math.cos(angle), 52 - 40 * math.sin(angle)
    color = "#2a2" if score >= 90 else "#d80" if score >= 60 else "#c22"
    value = (
        f'<path d="M 10 52 A 40 40 0 0 1 {x:.2f} {y:.2f}" stroke="{color}" '
        'stroke-width="8" fill="none"/>'
        if score > 0
        else ""
    )
    return (
        f'<svg viewBox="0 0 100 60" width="200" height="120" role="img" '
        f'aria-label="Health score {score} of 100">'
        '<path d="M 10 52 A 40 40 0 0 1 90 52" stroke="#ddd" stroke-width="8" fill="none"/>'
        f'{value}<text x="50" y="50" text-anchor="middle" font-size="18">{score}</text></svg>'
    )


def _bars(title: str, rows: list[tuple[str, float, str]]) -> str:
    """Horizontal bars as inline SVG: (label, value, text) per row."""
    rows = [r for r in rows if r[1] > 0]
    if not rows:
        return ""
    top = max(v for _, v, _ in rows)
    h = 18
    parts = [
        f"<h3>{escape(title)}</h3>",
        f'<svg viewBox="0 0 600 {h * len(rows) + 4}" width="100%" style="max-width:640px" '
        f'role="img" '
        f'aria-label="{escape(title)}">',
    ]
    for i, (label, value, text) in enumerate(rows):
        y = i * h + 2
        width = 300 * value / top
        parts.append(
            f'<text x="0" y="{y + 13}" font-size="12">{escape(label[:40])}</text>'
            f'<rect x="200" y="{y + 2}" width="{width:.1f}" height="{h - 5}" fill="#4a7bd0"/>'
            f'<text x="{205 + width:.1f}" y="{y + 13}" font-size="12">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _breakdown(report: ModelReport) -> str:
    if not report.health.breakdown:
        return "<p>No point lost: no warning or critical finding.</p>"
    items = "".join(
        f'<li><a href="#finding-{p.finding_index}">&minus;{p.points} {escape(p.code)}'
        f"{f' ({escape(p.layer)})' if p.layer else ''}</a> ({escape(p.severity.value)})</li>"
        for p in report.health.breakdown
    )
    return f'<ul class="breakdown">{items}</ul>'


def _findings(findings: list[Finding]) -> str:
    if not findings:
        return "<p>Nothing to report.</p>"
    return "".join(
        f'<div id="finding-{i}">{_finding(f, f.severity.value)}</div>'
        for i, f in enumerate(findings)
    )


def _layer_table(report: ModelReport) -> str:
    costs = {c.name: c for c in report.cost.layers}
    spectra = {s.name.removesuffix(".weight"): s for s in report.spectral}
    counts: dict[str, int] = {}
    for f in report.findings:
        if f.layer is not None:
            counts[f.layer] = counts.get(f.layer, 0) + 1
    head = (
        "<tr><th>Layer</th><th>Kind</th><th>Params</th><th>FLOPs</th><th>Time (ms)</th>"
        "<th>Output</th><th>Stable rank</th><th>&alpha; (hint)</th><th>Findings</th></tr>"
    )
    rows = []
    for layer in report.layers:
        c, s = costs.get(layer.name), spectra.get(layer.name)
        shape = "&times;".join(map(str, c.output_shape)) if c and c.output_shape else "—"
        kind = layer.kind + (f" · {layer.role}" if layer.role else "")
        rows.append(
            f'<tr data-layer="{escape(layer.name)}"><td><code>{escape(layer.name)}</code></td>'
            f"<td>{escape(kind)}</td>"
            f'<td class="num" data-col="params">{num(layer.params)}</td>'
            f'<td class="num" data-col="flops">{num(c.flops if c else None)}</td>'
            f'<td class="num">{num(c.time_ms if c else None)}</td><td>{shape}</td>'
            f'<td class="num">{num(s.stable_rank if s else None)}</td>'
            f'<td class="num">{num(s.alpha if s else None)}</td>'
            f'<td class="num">{counts.get(layer.name, 0)}</td></tr>'
        )
    return f'<div class="wrap"><table id="layers">{head}{"".join(rows)}</table></div>'


def _architecture(report: ModelReport) -> str:
    arch = report.architecture
    chips = "".join(
        f"<span>{escape(k)} &times; {v}</span>" for k, v in arch.patterns.items() if v > 0
    )
    types = " + ".join(arch.types) or "unknown"
    return (
        f"<p><b>{escape(arch.primary)}</b> ({escape(types)}), read from the "
        f"{escape(arch.method)} graph: {len(arch.nodes)} nodes, {len(arch.edges)} edges, "
        f"{len(report.layers)} layers.</p>"
        f'<p class="chips">{chips or "No residual, bottleneck or attention pattern."}</p>'
    )


def _optimization(report: ModelReport) -> str:
    rank = {"high": 0, "medium": 1, "low": 2}
    ops = sorted(report.optimization.opportunities, key=lambda o: rank.get(o.priority, 3))
    if not ops:
        return "<p>No opportunity worth its cost.</p>"
    rows = "".join(
        f"<tr><td>{escape(o.priority)}</td><td>{escape(o.kind.replace('_', ' '))}</td>"
        f'<td class="num">{len(o.layers)}</td><td class="num">{num(o.param_reduction)}</td>'
        f'<td class="num">{num(o.memory_saving_bytes)}</td>'
        f'<td class="num">{num(o.flop_reduction_fraction)}</td>'
        f'<td class="num">{num(o.measured_output_change)}</td><td>{escape(o.note)}</td></tr>'
        for o in ops
    )
    head = (
        "<tr><th>Priority</th><th>Kind</th><th>Tensors</th><th>Params saved</th>"
        "<th>Bytes saved</th><th>FLOP fraction saved</th><th>Measured output change</th>"
        "<th>Note</th></tr>"
    )
    return f'<div class="wrap"><table id="optimization">{head}{rows}</table></div>'


def _cost(report: ModelReport) -> str:
    cost = report.cost
    latency = "".join(
        f"<li>batch {lat.batch_size}: p50 {num(lat.p50_ms)} ms, p95 {num(lat.p95_ms)} ms</li>"
        for lat in cost.latency
    )
    times = [(c.name, c.time_ms or 0.0, f"{num(c.time_ms)} ms") for c in cost.layers]
    params = [(x.name, float(x.params), num(x.params)) for x in report.layers]
    return (
        f'<p>Parameters <b id="total-params">{num(cost.total_params)}</b> '
        f"({num(cost.trainable_params)} trainable), weights {num(cost.weight_bytes)} bytes, "
        f'FLOPs <b id="flops">{num(cost.flops)}</b>{" (estimate)" if cost.estimated else ""}, '
        f"MACs {num(cost.macs)}. {escape(cost.flops_note)}</p>"
        f"{f'<ul>{latency}</ul>' if latency else ''}"
        f"{_bars('Time per layer', times)}{_bars('Parameters per layer', params)}"
    )


def render_model_report(report: ModelReport, title: str | None = None) -> str:
    """The whole page as one string (UTF-8 HTML5)."""
    name = title or report.source
    notes = "".join(f"<li>{escape(n)}</li>" for n in report.notes)
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>neuralscope model report: {escape(name)}</title>",
        f"<style>{_STYLE}{GRAPH_STYLE}{CHART_STYLE}</style></head><body>",
        f"<h1>{escape(name)}</h1>",
        f'<p class="sub">{escape(report.format)} · input: {escape(report.input_description)}</p>',
        f"<ul>{notes}</ul>" if notes else "",
        "<h2>Health</h2>",
        _gauge(report.health.score),
        f'<p>Score <b id="health-score">{report.health.score}</b> / 100. '
        f"{escape(report.health.formula)}</p>",
        _breakdown(report),
        f"<h2>Findings ({len(report.findings)})</h2>",
        _findings(report.findings),
        "<h2>Architecture</h2>",
        _architecture(report),
        architecture_svg(report),
        "<h2>Optimization opportunities</h2>",
        _optimization(report),
        "<h2>Cost and latency</h2>",
        _cost(report),
        "<h2>Layers</h2>",
        _layer_table(report),
        "<h2>Weight histograms</h2>",
        weight_histograms(report),
        "<h2>Eigenvalue spectra (ESD)</h2>",
        esd_plots(report),
        "<p class='src'>Generated by neuralscope. Spectral &alpha; and ESD are hints (HTSR, "
        "Martin &amp; Mahoney 2021), not verdicts.</p>",
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p)

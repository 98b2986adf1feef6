"""The architecture graph of the HTML model report as inline SVG, coloured by health.

The same nodes and edges as the Analytics page's ``ArchitectureGraph`` (``ModelReport
.architecture``), placed by :func:`neuralscope.report.graph_layout.layout_graph` (the port of the
page's layout). Each node is filled by the worst Finding severity on its layer (containers of a
module-tree graph take their children's worst, as on the page); it carries a ``<title>`` (name,
kind, output shape, worst finding) that screen readers and hover tooltips read. Skip
connections are dashed curves. No script: the drawing is static and prints as it shows.
"""

from __future__ import annotations

from html import escape

from neuralscope.analysis import ModelReport
from neuralscope.findings import Finding
from neuralscope.report.graph_layout import layout_graph

SEVERITIES = ("ok", "info", "warning", "critical")
GRAPH_STYLE = """
.graph-scroll{overflow-x:auto;border:1px solid #ddd;border-radius:6px;
background:#f6f7f9}
.graph-svg{display:block;margin:0 auto}
.edge{fill:none;stroke:#8a94a3;stroke-width:1.4}
.edge.skip{stroke:#2563eb;stroke-dasharray:5 3}
.node rect{fill:#e8f5ec;stroke:#15803d;stroke-width:1.2}
.node.sev-info rect{fill:#e8effd;stroke:#2563eb}
.node.sev-warning rect{fill:#fdf0dc;stroke:#d97706;stroke-width:2}
.node.sev-critical rect{fill:#fdecec;stroke:#b91c1c;stroke-width:2.4}
.node.op rect{fill:#fff;stroke:#d9dee5}
.node text{font-size:11px;fill:#1f2933}
.node .name{font-family:ui-monospace,Menlo,Consolas,monospace;font-weight:600}
.node .sub{fill:#5f6b7a;font-size:10px}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;list-style:none;padding:0;margin:.4em 0;
font-size:.85em;color:#555}
.swatch{display:inline-block;width:12px;height:12px;margin-right:4px;border-radius:3px;
border:1.5px solid;vertical-align:-1px}
.swatch.sev-ok{background:#e8f5ec;border-color:#15803d}
.swatch.sev-info{background:#e8effd;border-color:#2563eb}
.swatch.sev-warning{background:#fdf0dc;border-color:#d97706}
.swatch.sev-critical{background:#fdecec;border-color:#b91c1c}
@media print{.graph-scroll{overflow:visible;border:0}
.graph-svg{max-width:100%;height:auto}}
"""
_RANK = {"info": 1, "warning": 2, "critical": 3}
_METHOD = {
    "module_tree": "Tracing failed: the module tree, containers linked to their children. ",
    "weights": "Weights only: layers in file order (the file has no graph, so connections are "
    "not known). ",
}


def worst_severity(layer: str | None, findings: list[Finding], container: bool = False) -> str:
    """Worst Finding severity on ``layer`` ("ok" when none); a container takes its children's."""
    if not layer:
        return "ok"
    worst = 0
    for f in findings:
        if f.layer and (f.layer == layer or (container and f.layer.startswith(f"{layer}."))):
            worst = max(worst, _RANK.get(f.severity.value, 0))
    return SEVERITIES[worst]


def fit_label(text: str, limit: int) -> str:
    """A label of at most ``limit`` characters, cut in the middle (names differ at both ends)."""
    if len(text) <= limit:
        return text
    head = limit // 2  # ceil((limit - 1) / 2)
    return f"{text[:head]}…{text[len(text) - (limit - 1 - head) :]}"


def _legend() -> str:
    names = {"ok": "no finding", "info": "info", "warning": "warning", "critical": "critical"}
    items = "".join(f'<li><span class="swatch sev-{s}"></span>{names[s]}</li>' for s in SEVERITIES)
    return f'<ul class="legend" aria-label="Colour legend">{items}</ul>'


def architecture_svg(report: ModelReport) -> str:
    """The legend and the graph: one ``<g class="node">`` per graph node, one path per edge."""
    arch = report.architecture
    if not arch.nodes:
        return "<p>This file holds no layers to draw.</p>"
    container = arch.method == "module_tree"
    layout = layout_graph(
        [(n.id, bool(n.layer)) for n in arch.nodes], [(e.source, e.target) for e in arch.edges]
    )
    by_id = {n.id: n for n in arch.nodes}
    shapes = {c.name: c.output_shape for c in report.cost.layers}
    skips = sum(e.skip for e in layout.edges)
    parts = [
        f"<p>{_METHOD.get(arch.method, '')}"
        f"{f'{skips} skip connection(s), drawn as dashed curves. ' if skips else ''}"
        "Colour: the worst finding on the layer; hover a node for its details.</p>",
        _legend(),
        f'<div class="graph-scroll"><svg class="graph-svg" id="architecture-graph" '
        f'width="{layout.width:.0f}" height="{layout.height:.0f}" '
        f'viewBox="0 0 {layout.width:.0f} {layout.height:.0f}" role="group" '
        f'aria-label="Architecture graph: {len(layout.nodes)} nodes">',
        '<g aria-hidden="true">',
        *(
            f'<path class="edge{" skip" if e.skip else ""}" d="{e.path}" '
            f'data-source="{escape(e.source)}" data-target="{escape(e.target)}"/>'
            for e in layout.edges
        ),
        "</g>",
    ]
    for p in layout.nodes:
        n = by_id[p.id]
        sev = worst_severity(n.layer, report.findings, container)
        shape = shapes.get(n.layer) if n.layer else None
        sub = n.kind + (f" · {'x'.join(map(str, shape))}" if shape else "")
        move = f'transform="translate({p.x:.0f} {p.y:.0f})"'
        if not n.layer:
            parts.append(
                f'<g class="node op sev-ok" data-node="{escape(n.id)}" {move}>'
                f"<title>{escape(n.id)} ({escape(n.kind)})</title>"
                f'<rect width="{p.w:.0f}" height="{p.h:.0f}" rx="{p.h / 2:.0f}"/>'
                f'<text x="{p.w / 2:.0f}" y="{p.h / 2 + 4:.0f}" text-anchor="middle" '
                f'class="sub">{escape(fit_label(n.kind, 26))}</text></g>'
            )
            continue
        worst = "no finding" if sev == "ok" else f"worst finding: {sev}"
        parts.append(
            f'<g class="node sev-{sev}" data-node="{escape(n.id)}" '
            f'data-layer="{escape(n.layer)}" data-severity="{sev}" {move}>'
            f"<title>{escape(n.layer)}\n{escape(sub)}\n{worst}</title>"
            f'<rect width="{p.w:.0f}" height="{p.h:.0f}" rx="6"/>'
            f'<text x="8" y="16" class="name">{escape(fit_label(n.layer, 24))}</text>'
            f'<text x="8" y="31" class="sub">{escape(fit_label(sub, 28))}</text></g>'
        )
    parts.append("</svg></div>")
    return "".join(parts)

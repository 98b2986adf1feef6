"""The HTML model report's inline SVG: architecture graph, weight histograms, ESD with its fit.

Counts are checked against the JSON report (one graph node per node and per layer, one edge
path per edge, one histogram per layer with a weight, one ESD per fitted layer); the histogram
bars are the report's own bins (heights in proportion to its counts); the power-law line read
back from the SVG path has slope -alpha on the plot's log10 axes (a layer with planted
power-law singular values, so the fit is a real one); a planted NaN colours exactly its node
critical, and a healthy model colours none. The page parses and loads nothing from outside.
"""

from __future__ import annotations

import itertools
import math
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file
from tests.analysis._models import mlp, resnet
from torch import nn

from neuralscope.analysis import ModelReport, analyze
from neuralscope.report.analytics import render_model_report
from neuralscope.report.analytics_charts import ESD_SHOWN, layer_weights
from neuralscope.report.graph_layout import layout_graph, overlaps


class _Element:
    def __init__(self, tag: str, attrs: dict[str, str], parent: _Element | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[_Element] = []
        self.text = ""

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def find(self, tag: str, cls: str | None = None) -> list[_Element]:
        out = [c for c in self.children if c.tag == tag and (cls is None or cls in c.classes())]
        for c in self.children:
            out += c.find(tag, cls)
        return out


class _Tree(HTMLParser):
    VOID = {"meta", "br", "img", "input", "link", "hr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("#root", {}, None)
        self.at = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = _Element(tag, {k: v or "" for k, v in attrs}, self.at)
        self.at.children.append(el)
        if tag not in self.VOID:
            self.at = el

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.at.children.append(_Element(tag, {k: v or "" for k, v in attrs}, self.at))

    def handle_endtag(self, tag: str) -> None:
        el: _Element | None = self.at
        while el is not None and el.tag != tag:
            el = el.parent
        assert el is not None, f"unbalanced </{tag}>"
        assert el.parent is not None
        self.at = el.parent

    def handle_data(self, data: str) -> None:
        self.at.text += data


def _parse(page: str) -> _Element:
    tree = _Tree()
    tree.feed(page)
    tree.close()
    assert tree.at is tree.root, "unclosed elements"
    return tree.root


def _all(root: _Element) -> list[_Element]:
    out = []
    for c in root.children:
        out += [c, *_all(c)]
    return out


def _heavy_tailed() -> nn.Sequential:
    """Two linear layers whose singular values follow a power law (a fit worth drawing)."""
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(256, 512), nn.ReLU(), nn.Linear(512, 128))
    with torch.no_grad():
        for layer in (net[0], net[2]):
            assert isinstance(layer, nn.Linear)
            u, _, v = torch.linalg.svd(torch.randn_like(layer.weight), full_matrices=False)
            s = torch.rand(u.shape[1]) ** (-1 / 1.5) * 0.05
            layer.weight.copy_(u @ torch.diag(s) @ v)
    return net


@pytest.fixture(scope="module")
def res_report() -> ModelReport:
    return analyze(resnet(), example_input=torch.randn(1, 3, 16, 16))


@pytest.fixture(scope="module")
def heavy_report() -> ModelReport:
    return analyze(_heavy_tailed())


def _nodes(root: _Element) -> list[_Element]:
    (svg,) = [e for e in root.find("svg") if e.attrs.get("id") == "architecture-graph"]
    return svg.find("g", "node")


def test_graph_has_one_node_per_graph_node_and_layer(res_report: ModelReport) -> None:
    root = _parse(render_model_report(res_report))
    nodes = _nodes(root)
    arch = res_report.architecture
    assert [n.attrs["data-node"] for n in nodes] == [n.id for n in arch.nodes]
    layers = [n.attrs["data-layer"] for n in nodes if "data-layer" in n.attrs]
    assert sorted(x.name for x in res_report.layers) == sorted(
        x for x in layers if x in {y.name for y in res_report.layers}
    )
    assert len(layers) == len(set(layers))  # each layer drawn once
    assert all(len(n.find("title")) == 1 and n.find("title")[0].text for n in nodes)
    edges = root.find("path", "edge")
    assert len(edges) == len(arch.edges)
    assert {
        (e.attrs["data-source"], e.attrs["data-target"]) for e in edges if "skip" in e.classes()
    } == {
        ("_0", "add"),  # fx names module "0" ``_0``
        ("relu", "add_1"),
    }
    legend = [e.text for e in root.find("li") if e.parent and "legend" in e.parent.classes()]
    assert legend == ["no finding", "info", "warning", "critical"]


def test_weights_only_graph_is_exactly_the_layers(tmp_path: Path) -> None:
    path = tmp_path / "m.safetensors"
    save_file(dict(mlp().state_dict()), str(path))
    report = analyze(path)
    nodes = _nodes(_parse(render_model_report(report)))
    assert [n.attrs["data-layer"] for n in nodes] == [x.name for x in report.layers]
    assert {n.attrs["data-severity"] for n in nodes} == {"ok"}  # healthy: no false alarm


def test_a_planted_nan_colours_exactly_its_node_critical() -> None:
    model = mlp()
    with torch.no_grad():
        model[2].weight[5, 1] = float("nan")  # type: ignore[index]
    report = analyze(model)
    nodes = _nodes(_parse(render_model_report(report)))
    severity = {
        n.attrs["data-layer"]: n.attrs["data-severity"] for n in nodes if "data-layer" in n.attrs
    }
    assert {k for k, v in severity.items() if v != "ok"} == {"2"}
    assert severity["2"] == "critical"
    (bad,) = [n for n in nodes if n.attrs.get("data-layer") == "2"]
    assert "sev-critical" in bad.classes()
    assert "worst finding: critical" in bad.find("title")[0].text


def test_histograms_are_the_reports_bins_one_per_layer(res_report: ModelReport) -> None:
    root = _parse(render_model_report(res_report))
    figures = root.find("figure", "hist")
    expected = layer_weights(res_report)
    assert [f.attrs["data-layer"] for f in figures] == [layer for layer, _ in expected]
    assert len(figures) == sum(1 for x in res_report.layers if "weight" in x.shapes)
    for fig, (_, stats) in zip(figures, expected, strict=True):
        (path,) = fig.find("path", "hist-bar")
        heights = [-float(h) for h in re.findall(r"v(-?[\d.]+)", path.attrs["d"])]
        counts = [c for c in stats.histogram.counts if c > 0]
        assert len(heights) == len(counts)
        top = max(stats.histogram.counts)
        assert heights == pytest.approx([60 * c / top for c in counts], abs=0.01)


def _to_log(svg: _Element, px: float, py: float) -> tuple[float, float]:
    x0, x1 = map(float, svg.attrs["data-log-x"].split())
    y0, y1 = map(float, svg.attrs["data-log-y"].split())
    left, top, right, bottom = map(float, svg.attrs["data-plot"].split())
    return x0 + (px - left) / (right - left) * (x1 - x0), y1 - (py - top) / (bottom - top) * (
        y1 - y0
    )


def test_esd_fit_line_has_slope_minus_alpha_and_mp_edge_is_placed(
    heavy_report: ModelReport,
) -> None:
    root = _parse(render_model_report(heavy_report))
    figures = root.find("figure", "esd")
    fitted = [s for s in heavy_report.spectral if s.alpha is not None]
    assert len(fitted) == 2
    assert [f.attrs["data-layer"] for f in figures] == [
        s.name.removesuffix(".weight") for s in fitted
    ]
    for fig, s in zip(figures, fitted, strict=True):
        assert s.alpha is not None
        assert s.xmin is not None
        (svg,) = fig.find("svg")
        (line,) = svg.find("path", "esd-fit")
        nums = [float(v) for v in re.findall(r"-?[\d.]+", line.attrs["d"])]
        (ax, ay), (bx, by) = _to_log(svg, *nums[:2]), _to_log(svg, *nums[2:4])
        assert (by - ay) / (bx - ax) == pytest.approx(-s.alpha, abs=1e-3)
        assert 10**ax == pytest.approx(s.xmin, rel=1e-3)  # the line starts at xmin
        assert len(svg.find("circle", "esd-point")) >= 5
        (mp,) = svg.find("line", "esd-mp")
        edge, _ = _to_log(svg, float(mp.attrs["x1"]), 0.0)
        assert 10**edge == pytest.approx(s.mp_edge * max(s.shape), rel=1e-2)


def test_esd_shows_the_first_layers_and_says_how_many_more(heavy_report: ModelReport) -> None:
    many = heavy_report.model_copy(update={"spectral": heavy_report.spectral * 8})
    root = _parse(render_model_report(many))
    assert len(root.find("figure", "esd")) == ESD_SHOWN
    assert f"…and {16 - ESD_SHOWN} more" in "".join(e.text for e in _all(root))


def test_page_parses_and_loads_nothing_from_outside(heavy_report: ModelReport) -> None:
    page = render_model_report(heavy_report)
    elements = _all(_parse(page))
    tags = {e.tag for e in elements}
    assert {"script", "link", "img", "iframe", "object", "image", "use"}.isdisjoint(tags)
    assert not [
        v
        for e in elements
        for k, v in e.attrs.items()
        if (k in ("src", "href") and not v.startswith("#")) or "http" in v
    ]
    assert any(k == "href" for e in elements for k in e.attrs)  # in-page links are checked
    assert not re.search(r"https?://", page)
    assert "url(" not in page
    assert {"svg", "path", "circle", "rect", "title"} <= tags


def test_layout_places_nodes_without_overlap_and_edges_point_down() -> None:
    chain = ["x", "stem", "c1", "c2", "add", "fc", "out"]
    nodes = [(n, n not in ("x", "add", "out")) for n in chain] + [("l", True), ("r", True)]
    edges = [*itertools.pairwise(chain), ("stem", "add"), ("fc", "l"), ("fc", "r")]
    layout = layout_graph(nodes, [*edges, ("ghost", "x"), ("c1", "c1")])
    at = {p.id: p for p in layout.nodes}
    assert len(layout.nodes) == len(nodes)
    for i, a in enumerate(layout.nodes):
        assert all(not overlaps(a, b) for b in layout.nodes[i + 1 :])
        assert a.x + a.w <= layout.width
        assert a.y + a.h <= layout.height
    assert all(at[e.target].rank > at[e.source].rank for e in layout.edges)
    assert [(e.source, e.target) for e in layout.edges if e.skip] == [("stem", "add")]
    assert at["l"].y == at["r"].y  # branches side by side
    assert at["l"].x != at["r"].x
    assert at["fc"].x == at["x"].x  # the main line keeps its column
    cyc = layout_graph([("a", True), ("b", True)], [("a", "b"), ("b", "a")])
    assert len({(p.x, p.y) for p in cyc.nodes}) == 2
    assert math.isfinite(cyc.height)

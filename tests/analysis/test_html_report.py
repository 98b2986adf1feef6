"""The standalone HTML report and the TorchScript connectivity graph.

HTML: it parses, loads nothing from outside (no script, link, img or url(), no http(s) in any
attribute), escapes a planted ``<script>`` layer name, and its numbers are the JSON report's.
Graph: a traced ResNet-shaped model gives the real graph, with both residual adds found.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file
from tests.analysis._models import mlp, resnet
from typer.testing import CliRunner

from neuralscope.analysis import ModelReport, analyze
from neuralscope.cli import app
from neuralscope.report.analytics import num, render_model_report

EVIL = "enc<script>alert(1)</script>"


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []
        self.cells: dict[str, dict[str, str]] = {}
        self.ids: dict[str, str] = {}
        self._row: str | None = None
        self._col: str | None = None
        self._id: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        a = {k: v or "" for k, v in attrs}
        self.attrs += list(a.items())
        if tag == "tr" and "data-layer" in a:
            self._row = a["data-layer"]
            self.cells[self._row] = {}
        self._col = a.get("data-col")
        self._id = a.get("id")

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._row is not None and self._col is not None:
            self.cells[self._row][self._col] = data
            self._col = None
        if self._id is not None and data.strip():
            self.ids[self._id] = data
            self._id = None


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


def test_html_report_is_self_contained_escaped_and_matches_the_json(tmp_path: Path) -> None:
    model = mlp()
    state = {
        k.replace("0.", f"{EVIL}.", 1) if k.startswith("0.") else k: v
        for k, v in model.state_dict().items()
    }
    path = tmp_path / "evil.safetensors"
    save_file(state, str(path))
    report = ModelReport.model_validate_json(analyze(path).model_dump_json())
    assert EVIL in {x.name for x in report.layers}  # the planted name reaches the report
    page = render_model_report(report)
    parsed = _parse(page)
    assert "script" not in parsed.tags
    assert EVIL not in page
    assert "enc&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert {"link", "img", "iframe", "object"}.isdisjoint(parsed.tags)
    assert "url(" not in page
    assert "@import" not in page
    assert not [v for _, v in parsed.attrs if re.match(r"\s*(https?:)?//", v)]
    assert parsed.ids["health-score"] == str(report.health.score)
    assert parsed.ids["total-params"] == str(report.cost.total_params)
    assert set(parsed.cells) == {x.name for x in report.layers}
    flops = {c.name: c.flops for c in report.cost.layers}
    for layer in report.layers:
        assert parsed.cells[layer.name]["params"] == str(layer.params)
        assert parsed.cells[layer.name]["flops"] == num(flops.get(layer.name))
    assert "".join(parsed.text).count("Rule:") == len(report.findings)


def test_num_prints_json_numbers() -> None:
    assert (num(12345678), num(None), num(0.5), num(1 / 3)) == ("12345678", "—", "0.5", "0.333333")


@pytest.mark.filterwarnings("ignore:`torch.jit.trace:DeprecationWarning")
def test_torchscript_graph_is_the_real_graph_with_residuals(tmp_path: Path) -> None:
    example = torch.randn(1, 3, 16, 16)
    path = tmp_path / "resnet.pt"
    torch.jit.trace(resnet().eval(), example).save(str(path))  # type: ignore[no-untyped-call]
    arch = analyze(path, example_input=example).architecture
    direct = analyze(resnet(), example_input=example).architecture  # fx on the nn.Module
    assert arch.method == "torchscript"
    assert direct.method == "fx"
    assert arch.types == ["CNN"]
    assert arch.patterns["residual"] == direct.patterns["residual"] == 2
    ids = {n.id for n in arch.nodes}
    assert all(e.source in ids and e.target in ids for e in arch.edges)
    layers = [n.layer for n in arch.nodes if n.layer]
    assert layers == [n.layer for n in direct.nodes if n.layer]  # same layers, same order
    into_add = sorted(e.source for e in arch.edges if e.target == "add")
    assert into_add == ["0", "1_conv2"]  # the skip from the stem and the block's last conv
    assert all("0x" not in n.target for n in direct.nodes)  # no memory addresses in targets


def test_cli_writes_the_html_report(tmp_path: Path) -> None:
    path = tmp_path / "m.safetensors"
    save_file(dict(mlp().state_dict()), str(path))
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["analyze", str(path), "--html", str(out)])
    assert result.exit_code == 0, result.output
    parsed = _parse(out.read_text(encoding="utf-8"))
    assert parsed.ids["health-score"] == "100"
    bad = CliRunner().invoke(app, ["analyze", str(path), "--html", str(tmp_path / "no" / "r.html")])
    assert bad.exit_code == 2
    assert "cannot write" in bad.output

"""The Analytics architecture graph, the run picker and the exports in a real browser.

Upload a TorchScript ResNet (two residual blocks, dead channels planted in ``1.conv1``): the
graph shows both skip connections as curves and that layer in warning colour; clicking (and
pressing Enter on) a node selects its row and lists its findings; the HTML report and the layer
CSV download and match the JSON report; a Playground run's model is picked and analysed.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
import torch
from playwright.sync_api import Page, expect
from tests.analysis._models import resnet
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _resnet_file(path: Path) -> Path:
    with warnings.catch_warnings():  # TorchScript is deprecated upstream, still a format
        warnings.simplefilter("ignore", DeprecationWarning)
        traced = torch.jit.trace(resnet(seed=3, dead=True), torch.randn(1, 3, 16, 16))  # type: ignore[no-untyped-call]
        traced.save(str(path))
    return path


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def _open_resnet(page: Page, server_url: str, tmp_path: Path) -> str:
    page.goto(f"{server_url}/#/analytics")
    page.get_by_placeholder("e.g. 1,3,32,32").fill("1,3,16,16")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Choose a file…").click()
    chooser.value.set_files(str(_resnet_file(tmp_path / "resnet.pt")))
    expect(page).to_have_url(re.compile(r"#/analytics/[0-9a-f]{64}$"), timeout=30_000)
    expect(page.get_by_test_id("an-graph")).to_be_visible(timeout=60_000)
    return page.url.rsplit("/", 1)[1]


def test_graph_select_a_node_and_download_reports(
    page: Page, server_url: str, tmp_path: Path
) -> None:
    model_id = _open_resnet(page, server_url, tmp_path)
    graph = page.get_by_test_id("an-graph")
    expect(graph.locator("path[data-skip]")).to_have_count(2)  # the two residual connections
    flagged = graph.locator('[data-layer="1.conv1"]')
    expect(flagged).to_have_class(re.compile(r"an-node-warning"))
    expect(graph.locator('[data-layer="0"]')).to_have_class(re.compile(r"an-node-ok"))
    flagged.click()
    detail = page.get_by_test_id("an-graph-detail")
    expect(detail).to_contain_text("dead_units")
    row = page.get_by_test_id("an-layers").locator('tr[data-layer="1.conv1"]')
    expect(row).to_have_attribute("data-selected", "true")
    detail.get_by_role("button", name="Show in layer table").click()
    expect(row).to_be_focused()
    stem = graph.locator('[data-layer="0"]')
    stem.focus()
    page.keyboard.press("Enter")  # keyboard selection
    expect(detail).to_contain_text("no finding on this layer")
    stem.focus()
    page.keyboard.press("Enter")  # Enter again deselects
    expect(detail).to_contain_text("No layer selected")
    flagged.click()
    graph.scroll_into_view_if_needed()
    screenshot(page, "analytics-graph")

    report = httpx.get(f"{server_url}/api/models/{model_id}/report", timeout=60).json()
    with page.expect_download() as html_download:
        page.get_by_test_id("an-export-html").click()
    html = Path(html_download.value.path()).read_text(encoding="utf-8")
    assert html_download.value.suggested_filename == "resnet.report.html"
    parser = _Tags()
    parser.feed(html)
    assert "script" not in parser.tags
    assert f'<b id="health-score">{report["health"]["score"]}</b>' in html
    with page.expect_download() as csv_download:
        page.get_by_role("button", name="Export CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(csv_download.value.path()).read_text())))
    assert [r["name"] for r in rows] == [x["name"] for x in report["layers"]]
    assert [int(r["params"]) for r in rows] == [x["params"] for x in report["layers"]]
    with page.expect_download() as png_download:
        page.get_by_test_id("an-graph-png").click()
    assert Path(png_download.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    page.set_viewport_size({"width": 390, "height": 844})
    expect(graph).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    graph.scroll_into_view_if_needed()
    screenshot(page, "analytics-graph-phone")


def test_pick_the_model_of_a_playground_run(page: Page, server_url: str) -> None:
    body = {
        "name": "graph e2e run",
        "config": {"data": {"dataset": "circle"}, "max_steps": 20},
        "start": True,
    }
    run = httpx.post(f"{server_url}/api/runs", json=body, timeout=30).json()
    page.goto(f"{server_url}/#/analytics")
    picker = page.get_by_test_id("an-runs")
    picker.get_by_role(
        "button", name=f"Analyze the model of run graph e2e run ({run['id'][:8]})"
    ).click()
    expect(page).to_have_url(re.compile(r"#/analytics/[0-9a-f]{64}$"), timeout=30_000)
    expect(page.get_by_text("rebuilt from the run's spec")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("an-graph").locator('[data-layer="output"]')).to_be_visible()
    expect(page.get_by_text("Read from the torch.fx graph")).to_be_visible()
    page.goto(f"{server_url}/#/analytics")
    expect(picker).to_be_visible()
    screenshot(page, "analytics-run-picker")

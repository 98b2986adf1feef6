"""The standalone HTML model report in a real browser, opened from disk with no server.

It makes no request beyond its own file, fits a phone-width screen (wide parts scroll inside
their own box), draws the planted dead-channel layer of a ResNet in warning colour and both
residual skips as curves, shows the weight histograms and, when printed, lets the graph flow
instead of clipping it. Desktop and phone screenshots go to test-artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from playwright.sync_api import Browser
from tests.analysis._models import resnet
from tests.e2e.conftest import screenshot

from neuralscope.analysis import analyze
from neuralscope.report.analytics import render_model_report

pytestmark = [pytest.mark.e2e]


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    report = analyze(resnet(dead=True), example_input=torch.randn(1, 3, 16, 16))
    path = tmp_path_factory.mktemp("report") / "resnet.html"
    path.write_text(render_model_report(report, "resnet"), encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "width", "height"), [("desktop", 1280, 900), ("phone", 390, 844)])
def test_report_renders_offline_on_desktop_and_phone(
    browser: Browser, report_file: Path, name: str, width: int, height: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(report_file.as_uri())
    assert requests == [report_file.as_uri()]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    node = page.locator('#architecture-graph g[data-layer="1.conv1"]')
    assert node.get_attribute("data-severity") == "warning"
    fill = node.locator("rect").evaluate("r => getComputedStyle(r).fill")
    assert fill == "rgb(253, 240, 220)"  # the warning fill of the legend
    assert page.locator("#architecture-graph path.edge.skip").count() == 2
    assert page.locator("#weight-histograms figure.hist").count() == 6
    box = page.locator("#weight-histograms figure.hist").first.bounding_box()
    assert box is not None
    assert box["width"] <= width
    screenshot(page, f"analytics-report-html-{name}")
    page.emulate_media(media="print")
    overflow = page.locator(".graph-scroll").evaluate("e => getComputedStyle(e).overflowX")
    assert overflow == "visible"
    context.close()

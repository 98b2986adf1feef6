"""The Analytics page in a real browser against a real server: upload a real saved model with a
planted dead layer, see the finding, compare it with a healthy one, and see a refusal."""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path

import pytest
import torch
from playwright.sync_api import Page, expect
from tests.e2e.conftest import screenshot
from torch import nn

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _mlp(dead: bool) -> nn.Sequential:
    torch.manual_seed(11)
    model = nn.Sequential(
        nn.Linear(20, 48), nn.ReLU(), nn.Linear(48, 48), nn.ReLU(), nn.Linear(48, 3)
    )
    with torch.no_grad():
        for m in model:
            if isinstance(m, nn.Linear):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                nn.init.zeros_(m.bias)
        if dead:  # units 4, 9 and 30 of layer "2" can never fire
            model[2].weight[[4, 9, 30]] = 0.0
            model[2].bias[[4, 9, 30]] = -0.5
    return model


def _save(model: nn.Module, path: Path) -> Path:
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    path.write_bytes(buf.getvalue())
    return path


def _upload(page: Page, path: Path) -> None:
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Choose a file…").click()
    chooser.value.set_files(str(path))


def test_upload_a_model_with_a_dead_layer_and_see_the_finding(
    page: Page, server_url: str, tmp_path: Path
) -> None:
    page.goto(f"{server_url}/#/analytics")
    expect(page.get_by_role("link", name="Analytics")).to_have_attribute("aria-current", "page")
    expect(page.get_by_test_id("an-empty")).to_be_visible()
    screenshot(page, "analytics-empty")
    _upload(page, _save(_mlp(True), tmp_path / "dead_layer.pt"))
    expect(page).to_have_url(re.compile(r"#/analytics/[0-9a-f]{64}$"), timeout=30_000)
    expect(page.get_by_test_id("an-score")).to_have_text("90 / 100", timeout=60_000)
    breakdown = page.get_by_role("list", name="Points lost")
    link = breakdown.get_by_role("link", name="\u221210 dead_units (2)")
    expect(link).to_be_visible()
    link.focus()
    page.keyboard.press("Enter")  # keyboard: the breakdown leads to its finding
    finding = page.get_by_test_id("an-finding").first
    expect(finding).to_be_focused()
    expect(finding).to_contain_text("3 of 48 units in 2 are dead")
    expect(page.get_by_test_id("an-flops-note")).to_contain_text("ESTIMATE")
    expect(page.get_by_test_id("an-layers").locator("tbody tr")).to_have_count(3)
    screenshot(page, "analytics-report")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_test_id("an-score")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    screenshot(page, "analytics-report-phone")


def test_compare_two_models_and_refuse_an_unsafe_pickle(
    page: Page, server_url: str, tmp_path: Path
) -> None:
    page.goto(f"{server_url}/#/analytics")
    _upload(page, _save(_mlp(True), tmp_path / "dead_layer.pt"))  # same bytes: same model
    expect(page.get_by_test_id("an-score")).to_have_text("90 / 100", timeout=60_000)
    page.get_by_role("link", name="← All models").click()
    _upload(page, _save(_mlp(False), tmp_path / "healthy.pt"))
    expect(page.get_by_test_id("an-score")).to_have_text("100 / 100", timeout=60_000)
    page.get_by_role("link", name="← All models").click()
    page.get_by_role("checkbox", name="Compare dead_layer.pt").check()
    page.get_by_role("checkbox", name="Compare healthy.pt").check()
    page.get_by_role("button", name="Compare selected (2)").click()
    expect(page.get_by_test_id("an-recommended")).to_contain_text("healthy.pt")
    screenshot(page, "analytics-compare")
    evil = tmp_path / "evil.pt"
    torch.save({"weight": torch.zeros(2, 2), "when": datetime.date(2020, 1, 1)}, evil)
    _upload(page, evil)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Refused for safety")
    expect(alert).to_contain_text("not executed")
    screenshot(page, "analytics-refused")

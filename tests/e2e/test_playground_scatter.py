"""The Playground's "Data" panel for an uploaded three-feature table: a 3-D scatter that turns
by keyboard, on a desktop and a phone-sized screen, in a real browser."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from tests.e2e.conftest import ARTIFACTS, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

BOXES_CSV = "width,height,weight,kind\n" + "".join(
    f"{(i % 9) / 3:.2f},{(i * 7 % 11) / 4:.2f},{(i % 5) * 1.5:.1f},"
    f"{'big' if (i % 9) + (i * 7 % 11) > 9 else 'small'}\n"
    for i in range(150)
)


def _train_on_csv(
    page: Page, server_url: str, path: Path, text: str, *, features: int, steps: int
) -> None:
    """Upload ``text`` as a CSV in the Playground and start a run of ``steps`` on it."""
    page.goto(server_url)
    page.get_by_test_id("dataset-select").select_option("csv")
    path.write_text(text)
    page.get_by_test_id("pg-csv-file").set_input_files(path)
    page.get_by_test_id("pg-csv-upload").click()
    expect(page.get_by_test_id("pg-csv-summary")).to_contain_text(f"{features} features")
    page.get_by_test_id("max-steps-input").fill(str(steps))
    page.get_by_test_id("train-button").click()


def test_a_three_feature_table_shows_a_3d_scatter_that_turns_by_keyboard(
    page: Page, browser: Browser, server_url: str, tmp_path: Path
) -> None:
    _train_on_csv(page, server_url, tmp_path / "boxes.csv", BOXES_CSV, features=3, steps=200)
    expect(page.get_by_test_id("run-status")).to_have_text(
        re.compile("running|completed"), timeout=20_000
    )
    run_id = page.url.rsplit("/", 1)[-1]

    panel = page.get_by_role("region", name="Data", exact=True)
    canvas = panel.get_by_test_id("pg-scatter-canvas")
    expect(canvas).to_have_attribute(
        "aria-label", re.compile(r"3-D scatter of width, height, weight")
    )
    expect(panel).to_contain_text("Drag or use arrow keys to turn")
    expect(panel.get_by_test_id("pg-scatter-legend")).to_contain_text("big")
    canvas.scroll_into_view_if_needed()
    before = canvas.screenshot(path=str(ARTIFACTS / "pg-scatter-canvas-before.png"))
    screenshot(page, "pg-scatter-desktop")
    panel.screenshot(path=str(ARTIFACTS / "pg-scatter-panel-desktop.png"))

    canvas.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowUp")
    after = canvas.screenshot(path=str(ARTIFACTS / "pg-scatter-canvas-turned.png"))
    assert after != before  # the picture turned
    expect(canvas).not_to_have_attribute("data-view", re.compile(r"^-30,23$"))
    panel.get_by_test_id("pg-scatter-reset").click()
    assert canvas.screenshot() == before  # and turns back

    # A phone: the same run, the scatter fits the screen and still turns.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    small = phone.new_page()
    errors: list[str] = []
    small.on("pageerror", lambda exc: errors.append(str(exc)))
    small.goto(f"{server_url}/#/playground/{run_id}")
    small_canvas = small.get_by_test_id("pg-scatter-canvas")
    expect(small_canvas).to_be_visible(timeout=20_000)
    small_canvas.scroll_into_view_if_needed()
    box = small_canvas.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    small_canvas.focus()
    start = small_canvas.get_attribute("data-view")
    small.keyboard.press("ArrowLeft")
    expect(small_canvas).not_to_have_attribute("data-view", start or "")
    screenshot(small, "pg-scatter-phone")
    small.get_by_role("region", name="Data", exact=True).screenshot(
        path=str(ARTIFACTS / "pg-scatter-panel-phone.png")
    )
    small_canvas.screenshot(path=str(ARTIFACTS / "pg-scatter-phone-canvas.png"))
    phone.close()
    assert not errors, errors
    httpx.post(f"{server_url}/api/runs/{run_id}/control", json={"action": "stop"})


WIDE_CSV = "a,b,c,d,e,price\n" + "".join(
    f"{i % 7},{(i * 3) % 11 / 2:.1f},{i % 7 + (i % 3) / 4:.2f},{(i * 5) % 13},{i % 4},"
    f"{(i % 7) * 2 + (i * 5) % 13 / 3:.2f}\n"
    for i in range(120)
)


def test_a_wider_table_shows_its_pca_projection(
    page: Page, server_url: str, tmp_path: Path
) -> None:
    _train_on_csv(page, server_url, tmp_path / "wide.csv", WIDE_CSV, features=5, steps=100)
    panel = page.get_by_role("region", name="Data", exact=True)
    canvas = panel.get_by_test_id("pg-scatter-canvas")
    expect(canvas).to_have_attribute(
        "aria-label", re.compile(r"PC1 \(\d+% of variance\) against PC2 \(\d+% of variance\)")
    )
    expect(panel.get_by_test_id("pg-scatter-projection")).to_contain_text("A projection")
    panel.scroll_into_view_if_needed()
    panel.screenshot(path=str(ARTIFACTS / "pg-scatter-pca-panel.png"))
    run_id = page.url.rsplit("/", 1)[-1]
    httpx.post(f"{server_url}/api/runs/{run_id}/control", json={"action": "stop"})

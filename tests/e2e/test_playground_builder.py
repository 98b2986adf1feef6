"""The Playground's builder and learner tools in a real browser against a real server.

Drag-and-drop (mouse and touch), keyboard edits, training what was built, stepping through
backprop on a paused run, metrics, other tasks' views, setup links, and a phone screen.
"""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

DISTINCT_COLOURS_JS = """
(canvas) => {
  const data = canvas.getContext('2d').getImageData(60, 20, 480, 480).data;
  const colours = new Set();
  for (let i = 0; i < data.length; i += 4 * 97) {
    colours.add(data[i] + ',' + data[i + 1] + ',' + data[i + 2]);
  }
  return colours.size;
}
"""


def _centre(locator: Locator) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None, "element is not laid out"
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _shapes_shown(page: Page) -> None:
    """Wait until every layer shows its output shape, so the layout no longer moves."""
    expect(page.get_by_test_id("pg-layer-shape").last).not_to_be_empty()
    expect(page.get_by_test_id("pg-layer-shape").first).not_to_be_empty()


def _drag(page: Page, source: Locator, target: Locator, dy: float = 0) -> None:
    """Press on ``source``, move in steps to ``target``'s centre (+dy), let go."""
    _shapes_shown(page)
    x0, y0 = _centre(source)
    x1, y1 = _centre(target)
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x1, y1 + dy, steps=8)
    page.mouse.up()


def _titles(page: Page) -> list[str]:
    return [
        t.strip() for t in page.locator("[data-testid=pg-layer] .pg-layer-title").all_inner_texts()
    ]


def _stop_live_runs(server_url: str) -> None:
    """At most 8 runs may be live on the shared server: stop what a test left paused."""
    for run in httpx.get(f"{server_url}/api/runs", params={"limit": 500}).json()["items"]:
        if run["live"]:
            httpx.post(f"{server_url}/api/runs/{run['id']}/control", json={"action": "stop"})


def test_build_a_net_by_drag_and_drop_then_train_it(page: Page, server_url: str) -> None:
    page.goto(server_url)
    page.get_by_test_id("dataset-select").select_option("circle")
    expect(page.get_by_test_id("pg-layer")).to_have_count(2)

    # Palette -> the top of the stack, then a dropout between the two dense layers.
    layers = page.get_by_test_id("pg-layer")
    _drag(page, page.get_by_test_id("pg-palette-batchnorm"), layers.nth(0), dy=-12)
    assert _titles(page) == ["1. BatchNorm", "2. Dense", "3. Dense"]
    _drag(page, page.get_by_test_id("pg-palette-dropout"), layers.nth(2), dy=-12)
    assert _titles(page) == ["1. BatchNorm", "2. Dense", "3. Dropout", "4. Dense"]
    # Reorder by dragging the batch norm's handle below the first dense layer.
    _drag(page, layers.nth(0).locator(".pg-drag-handle"), layers.nth(1), dy=12)
    assert _titles(page) == ["1. Dense", "2. BatchNorm", "3. Dropout", "4. Dense"]

    # Settings in place; shapes and parameters come back from the server for every layer.
    page.get_by_label("Layer 1 units").fill("6")
    expect(page.get_by_test_id("pg-layer-shape").nth(0)).to_have_text("→ 6 · 18 params")
    expect(page.get_by_test_id("pg-layer-shape").nth(1)).to_have_text("→ 6 · 12 params")
    expect(page.get_by_test_id("pg-total-params")).to_contain_text("parameters in all")

    # A value the server refuses is explained on its layer, and training waits for a fix.
    page.get_by_label("Layer 3 rate").fill("1.5")
    expect(layers.nth(2).get_by_test_id("pg-layer-error")).to_contain_text("Layer 3 rate")
    page.get_by_label("Layer 3 rate").fill("0.1")
    expect(page.get_by_test_id("pg-layer-error")).to_have_count(0)

    page.get_by_test_id("optimizer-select").select_option("adam")
    page.get_by_test_id("lr-input").fill("0.02")
    page.get_by_test_id("max-steps-input").fill("400")
    page.get_by_test_id("train-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text(
        re.compile("running|completed"), timeout=20_000
    )
    run_id = page.url.rsplit("/", 1)[-1]
    spec = httpx.get(f"{server_url}/api/runs/{run_id}").json()["config"]["spec"]["layers"]
    assert [layer["type"] for layer in spec] == ["dense", "batchnorm", "dropout", "dense"]
    assert spec[0]["units"] == 6
    assert spec[2]["p"] == 0.1
    expect(page.get_by_test_id("run-status")).to_have_text("completed", timeout=60_000)
    canvas = page.get_by_test_id("boundary-canvas")
    assert canvas.evaluate(DISTINCT_COLOURS_JS) > 20
    screenshot(page, "pg-builder-desktop")


def test_keyboard_builds_a_digits_net_and_shows_the_images(page: Page, server_url: str) -> None:
    page.goto(server_url)
    page.get_by_test_id("dataset-select").select_option("digits")
    # Dense layers need flat input: the builder says so on the first layer.
    expect(page.get_by_test_id("pg-layer-error").first).to_contain_text("Flatten")
    page.get_by_role("button", name="Add Flatten layer").focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Move layer 3 up").click()
    page.get_by_role("button", name="Move layer 2 up").click()
    assert _titles(page)[0] == "1. Flatten"
    page.get_by_role("button", name="Remove layer 3").click()
    expect(page.get_by_test_id("pg-layer-error")).to_have_count(0)
    expect(page.get_by_test_id("pg-input-shape")).to_have_text("Input: 1\u00d78\u00d78")
    expect(page.get_by_test_id("pg-output-shape")).to_contain_text("10 ·")
    page.get_by_test_id("max-steps-input").fill("200")
    page.get_by_test_id("optimizer-select").select_option("adam")
    page.get_by_test_id("train-button").click()
    expect(page.get_by_test_id("image-grid")).to_be_visible(timeout=20_000)
    expect(page.get_by_test_id("run-status")).to_have_text("completed", timeout=60_000)
    screenshot(page, "pg-digits")


def test_pause_and_step_through_backprop(page: Page, server_url: str) -> None:
    page.goto(server_url)
    page.get_by_test_id("dataset-select").select_option("xor")
    page.get_by_test_id("train-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text("running", timeout=20_000)
    page.get_by_test_id("pause-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text("paused", timeout=10_000)
    paused_at = int(page.get_by_test_id("step-count").inner_text())

    page.get_by_test_id("pg-step-button").click()
    forward = page.get_by_test_id("pg-stage-forward")
    expect(forward).to_be_visible(timeout=15_000)
    expect(page.get_by_test_id("pg-trace-step")).to_contain_text(f"step {paused_at + 1}")
    expect(page.get_by_test_id("pg-forward-dense1").locator("tbody tr")).to_have_count(8)
    page.get_by_test_id("pg-next-stage").click()
    loss = page.get_by_test_id("pg-loss-value")
    expect(loss).to_contain_text("Batch loss")
    assert float(loss.locator("strong").get_attribute("title") or "nan") > 0
    page.get_by_test_id("pg-next-stage").click()
    expect(page.get_by_test_id("pg-stage-backward")).to_contain_text("dL/dz")
    expect(page.get_by_test_id("pg-top-neurons")).to_be_visible()
    page.get_by_test_id("pg-next-stage").click()
    expect(page.get_by_test_id("pg-update-output")).to_be_visible()
    # Stepping again moves the run on by exactly one step each time.
    page.get_by_test_id("pg-step-button").click()
    expect(page.get_by_test_id("pg-trace-step")).to_contain_text(f"step {paused_at + 2}")
    expect(page.get_by_test_id("step-count")).to_have_text(str(paused_at + 2), timeout=10_000)

    # Metrics of the paused model, for either split.
    expect(page.get_by_test_id("pg-metric-accuracy")).to_have_text(re.compile(r"\d+\.\d%"))
    page.get_by_test_id("pg-split-train").check()
    expect(page.get_by_test_id("pg-confusion")).to_be_visible()
    # The network view: every weight of the 2-8-8-1 net on an edge, a picture per unit.
    expect(page.get_by_test_id("pg-edge")).to_have_count(2 * 8 + 8 * 8 + 8 * 1, timeout=15_000)
    expect(page.get_by_test_id("pg-node").locator("image")).to_have_count(8 + 8 + 1)
    screenshot(page, "pg-backprop")
    page.get_by_test_id("stop-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text("stopped")


def test_multiclass_and_regression_views(page: Page, server_url: str) -> None:
    page.goto(server_url)
    page.get_by_test_id("dataset-select").select_option("blobs")
    page.get_by_test_id("classes-select").select_option("4")
    page.get_by_test_id("max-steps-input").fill("300")
    page.get_by_test_id("train-button").click()
    canvas = page.get_by_test_id("boundary-canvas")
    expect(canvas).to_have_attribute("data-kind", "multiclass", timeout=20_000)
    expect(page.get_by_test_id("run-status")).to_have_text("completed", timeout=60_000)
    assert canvas.evaluate(DISTINCT_COLOURS_JS) > 20
    screenshot(page, "pg-multiclass")

    page.get_by_test_id("reset-button").click()
    page.get_by_test_id("dataset-select").select_option("sine")
    page.get_by_test_id("max-steps-input").fill("300")
    page.get_by_test_id("train-button").click()
    expect(canvas).to_have_attribute("data-kind", "line", timeout=20_000)
    expect(page.get_by_test_id("run-status")).to_have_text("completed", timeout=60_000)
    screenshot(page, "pg-sine")


def test_a_setup_link_restores_the_form_and_a_bad_one_is_refused(
    browser: Browser, page: Page, server_url: str
) -> None:
    page.goto(server_url)
    page.get_by_test_id("dataset-select").select_option("moons")
    page.get_by_role("button", name="Add Dropout layer").click()
    page.get_by_test_id("lr-input").fill("0.07")
    page.get_by_test_id("pg-setup-link-button").click()
    link = page.get_by_test_id("pg-setup-link").input_value()
    assert "#/playground?setup=" in link

    fresh = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    try:
        fresh.goto(link)
        expect(fresh.get_by_test_id("dataset-select")).to_have_value("moons", timeout=15_000)
        expect(fresh.get_by_test_id("lr-input")).to_have_value("0.07")
        assert _titles(fresh) == ["1. Dense", "2. Dense", "3. Dropout"]
        fresh.goto(server_url + "/#/playground?setup=not-a-setup")
        fresh.reload()
        expect(fresh.get_by_test_id("error-banner")).to_contain_text(
            "This link's setup cannot be used"
        )
    finally:
        fresh.context.close()


def test_phone_screen_builds_by_touch_without_sideways_scroll(
    browser: Browser, server_url: str
) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    try:
        page = context.new_page()
        page.goto(server_url)
        expect(page.get_by_test_id("pg-layer")).to_have_count(2)
        # A finger drags a palette item to the bottom of the stack (real touch events).
        # Palette and stack both on screen (touches outside the viewport are not delivered).
        _shapes_shown(page)
        page.get_by_test_id("pg-builder").evaluate("e => e.scrollIntoView({block: 'start'})")
        cdp = context.new_cdp_session(page)
        x0, y0 = _centre(page.get_by_test_id("pg-palette-dropout"))
        last = page.get_by_test_id("pg-layer").nth(1).bounding_box()
        assert last is not None
        # Aim just under the last layer's bottom edge: below every midpoint, inside the stack.
        x1, y1 = last["x"] + last["width"] / 2, last["y"] + last["height"] + 6
        cdp.send(
            "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]}
        )
        for k in range(1, 9):
            x, y = x0 + (x1 - x0) * k / 8, y0 + (y1 - y0) * k / 8
            cdp.send(
                "Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]}
            )
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        expect(page.get_by_test_id("pg-layer")).to_have_count(3)
        assert _titles(page) == ["1. Dense", "2. Dense", "3. Dropout"]
        page.get_by_test_id("max-steps-input").fill("150")
        page.get_by_test_id("train-button").click()
        expect(page.get_by_test_id("run-status")).to_have_text("completed", timeout=60_000)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1
        screenshot(page, "pg-phone")
    finally:
        context.close()
        _stop_live_runs(server_url)

"""The Playground in a real browser against a real server: train, watch, steer, stop."""

from __future__ import annotations

import re
import time

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

# The boundary's plot area (inside the canvas' axis margins), in drawing-buffer pixels.
BOUNDARY_PIXELS_JS = """
(canvas) => {
  const ctx = canvas.getContext('2d');
  const data = ctx.getImageData(60, 20, 480, 480).data;
  const colours = new Set();
  for (let i = 0; i < data.length; i += 4 * 97) {
    colours.add(data[i] + ',' + data[i + 1] + ',' + data[i + 2]);
  }
  return colours.size;
}
"""


def _number(text: str) -> float:
    match = re.search(r"-?\d+(\.\d+)?(e-?\d+)?", text)
    assert match, f"no number in {text!r}"
    return float(match.group(0))


def test_train_watch_steer_and_stop_a_run(page: Page, server_url: str) -> None:
    page.goto(server_url)
    page.get_by_test_id("dataset-select").select_option("circle")
    page.get_by_test_id("optimizer-select").select_option("adam")
    page.get_by_test_id("lr-input").fill("0.01")
    page.get_by_test_id("max-steps-input").fill("")  # until stopped

    page.get_by_test_id("train-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text("running", timeout=20_000)

    # The loss falls while we watch.
    train_loss = page.get_by_test_id("train-loss")
    expect(train_loss).to_have_text(re.compile(r"\d"), timeout=20_000)
    first = _number(train_loss.inner_text())
    page.wait_for_function(
        "(first) => { const t = document.querySelector('[data-testid=train-loss]').textContent;"
        " const v = parseFloat(t); return !isNaN(v) && v < first * 0.7; }",
        arg=first,
        timeout=30_000,
    )

    # The decision boundary is drawn: many distinct colours, not a blank canvas.
    canvas = page.get_by_test_id("boundary-canvas")
    assert canvas.evaluate(BOUNDARY_PIXELS_JS) > 20
    expect(page.get_by_test_id("loss-chart").locator("canvas").first).to_be_visible()

    # Switch the optimizer mid-run: the change takes effect and is marked on the curve.
    step_before = int(page.get_by_test_id("step-count").inner_text())
    page.get_by_test_id("optimizer-select").select_option("sgd")
    markers = page.get_by_test_id("markers-list")
    expect(markers).to_contain_text("optimizer", timeout=15_000)
    expect(markers).to_contain_text("sgd")
    run_id = page.url.rsplit("/", 1)[-1]
    events = httpx.get(
        f"{server_url}/api/runs/{run_id}/events", params={"kinds": "hyperparameters"}
    )
    (change,) = events.json()["events"]
    assert change["step"] >= step_before
    assert {"name": "optimizer", "old": "adam", "new": "sgd"} in change["payload"]["changes"]

    page.get_by_test_id("pause-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text("paused")
    paused_at = page.get_by_test_id("step-count").inner_text()
    page.wait_for_timeout(500)
    assert page.get_by_test_id("step-count").inner_text() == paused_at  # really paused
    page.get_by_test_id("resume-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text("running")
    screenshot(page, "playground-running")

    page.get_by_test_id("stop-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text("stopped")

    # The same run is in the list (what `neuralscope runs list` reads too).
    runs = httpx.get(f"{server_url}/api/runs").json()["items"]
    assert any(r["id"] == run_id and r["status"] == "stopped" for r in runs)


def test_phone_sized_screen_has_no_sideways_scroll(page: Page, server_url: str) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(server_url)
    expect(page.get_by_test_id("train-button")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement && document.activeElement.tagName")
    assert focused in {"A", "BUTTON", "SELECT", "INPUT"}
    screenshot(page, "playground-phone")


def test_runs_page_lists_runs(page: Page, server_url: str) -> None:
    body = {"name": "from-the-api", "config": {"max_steps": 50}, "start": True}
    created = httpx.post(f"{server_url}/api/runs", json=body).json()
    page.goto(f"{server_url}/#/runs")
    expect(page.get_by_test_id("runs-table")).to_contain_text("from-the-api", timeout=15_000)
    page.get_by_text("from-the-api").click()
    expect(page.get_by_test_id("run-status")).to_have_text(re.compile("running|completed"))
    assert created["id"] in page.url
    screenshot(page, "runs-page")


def test_a_share_link_opens_a_read_only_replay_in_a_fresh_browser(
    browser: Browser, server_url: str
) -> None:
    body = {"name": "shared-from-the-api", "config": {"max_steps": 60}, "start": True}
    run_id = httpx.post(f"{server_url}/api/runs", json=body).json()["id"]
    deadline = time.monotonic() + 60
    while httpx.get(f"{server_url}/api/runs/{run_id}").json()["status"] != "completed":
        assert time.monotonic() < deadline, "the run never completed"
        time.sleep(0.1)
    share = httpx.post(f"{server_url}/api/runs/{run_id}/share")
    assert share.status_code == 201
    url = share.json()["url"]
    assert url.startswith("/#/shared/")

    # Nothing in common with the browser that made the run but the link: a phone-sized screen.
    context = browser.new_context(viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(server_url + url)
        shared = page.get_by_test_id("shared-run")
        expect(shared).to_be_visible(timeout=15_000)
        expect(shared.get_by_role("heading", name="shared-from-the-api")).to_be_visible()
        expect(page.get_by_test_id("read-only-badge")).to_be_visible()
        expect(page.get_by_test_id("frame-slider")).to_be_visible()
        canvas = page.get_by_test_id("boundary-canvas")
        expect(canvas).to_have_attribute("data-step", re.compile(r"^\d+$"))
        assert canvas.evaluate(BOUNDARY_PIXELS_JS) > 1
        assert run_id not in page.content()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1
        screenshot(page, "shared-run")
        assert not errors, f"uncaught errors in the page: {errors}"
    finally:
        context.close()

"""Search in a real browser: a real study with a real worker, updating the study page live over
the WebSocket, and the best model rendered in 3-D by WebGL (SwiftShader) in headless Chromium."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from tests.e2e.conftest import CHROMIUM_ARGS, _chromium, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
# The shared browser runs with --disable-gpu; WebGL needs a software GL (SwiftShader).
GL_ARGS = [a for a in CHROMIUM_ARGS if a != "--disable-gpu"] + [
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--ignore-gpu-blocklist",
]
TINY = {"dataset": "digits", "objective": "health", "max_epochs": 3, "max_train_samples": 300}


@pytest.fixture(scope="module")
def gl_browser() -> Iterator[Browser]:
    executable = _chromium()
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=executable, args=GL_ARGS)
        yield b
        b.close()


def _page(browser: Browser, width: int, height: int) -> tuple[Page, list[str]]:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page, errors


def _create(server_url: str, name: str, n_trials: int, workers: int) -> dict[str, Any]:
    body = {"config": {"name": name, **TINY, "n_trials": n_trials}, "workers": workers}
    response = httpx.post(f"{server_url}/api/studies", json=body, timeout=30)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def _wait_complete(server_url: str, name: str, count: int, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        study = httpx.get(f"{server_url}/api/studies/{name}", timeout=10).json()["study"]
        if study["counts"]["complete"] >= count:
            return
        time.sleep(1)
    raise AssertionError(f"study {name} did not complete {count} trials: {study}")


def test_study_page_updates_live_while_a_real_worker_runs(
    server_url: str, gl_browser: Browser
) -> None:
    _create(server_url, "live-e2e", n_trials=2, workers=1)
    page, errors = _page(gl_browser, 1280, 900)
    page.goto(f"{server_url}/#/search/live-e2e")
    expect(page.get_by_test_id("stream-state")).to_have_text("live", timeout=30_000)
    expect(page.get_by_role("heading", name="live-e2e")).to_be_visible()
    # No reload from here on: every change below arrives over the WebSocket.
    expect(page.get_by_test_id("trial-card").first).to_be_visible(timeout=120_000)
    expect(page.get_by_test_id("new-best")).to_contain_text("New best: trial", timeout=240_000)
    card = page.get_by_test_id("trial-card").filter(has_text="complete").first
    expect(card).to_contain_text("health")
    expect(page.get_by_text("Best", exact=True).first).to_be_visible()
    expect(page.get_by_test_id("study-stats")).to_contain_text("1 ·", timeout=10_000)
    screenshot(page, "search-study-live")
    page.close()
    assert not errors, errors


def test_best_model_renders_in_3d_and_pages_fit_a_phone(
    server_url: str, gl_browser: Browser
) -> None:
    name = "view-e2e"
    _create(server_url, name, n_trials=1, workers=1)
    _wait_complete(server_url, name, 1)
    page, errors = _page(gl_browser, 1280, 900)
    page.goto(f"{server_url}/#/search/{name}")
    canvas = page.get_by_test_id("model-3d-canvas")
    expect(canvas).to_be_visible(timeout=60_000)
    page.wait_for_timeout(1500)  # a few frames
    colours = page.evaluate(
        """() => {
        const c = document.querySelector('[data-testid=model-3d-canvas]');
        const small = document.createElement('canvas');
        small.width = 64; small.height = 48;
        const ctx = small.getContext('2d');
        ctx.drawImage(c, 0, 0, 64, 48);
        const d = ctx.getImageData(0, 0, 64, 48).data;
        const seen = new Set();
        for (let i = 0; i < d.length; i += 4) {
            seen.add(`${d[i] >> 4},${d[i + 1] >> 4},${d[i + 2] >> 4}`);
        }
        return seen.size;
    }"""
    )
    assert colours > 6, f"the 3-D canvas looks empty ({colours} colours)"
    layers = page.get_by_role("list", name="Layers").get_by_role("button")
    layers.filter(has_text="conv2d").first.click()
    expect(page.get_by_test_id("block-details")).to_contain_text("Parameters")
    with page.expect_download() as download:
        page.get_by_role("button", name="PNG snapshot").click()
    assert download.value.suggested_filename == f"{name}-trial0-3d.png"
    with page.expect_download(timeout=30_000) as video:
        page.get_by_role("button", name="WebM animation").click()
    assert video.value.suggested_filename == f"{name}-trial0-3d.webm"
    path = video.value.path()
    assert path.read_bytes()[:4] == b"\x1a\x45\xdf\xa3"  # the EBML magic of WebM
    assert path.stat().st_size > 10_000  # seconds of frames, not an empty container
    screenshot(page, "search-3d-desktop")
    page.close()

    phone, phone_errors = _page(gl_browser, 390, 844)
    phone.goto(f"{server_url}/#/search")
    expect(phone.get_by_test_id("study-row").first).to_be_visible(timeout=30_000)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the study list scrolls sideways on a phone ({width}px)"
    screenshot(phone, "search-list-phone")
    phone.goto(f"{server_url}/#/search/{name}")
    expect(phone.get_by_test_id("model-3d-canvas")).to_be_visible(timeout=60_000)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the study page scrolls sideways on a phone ({width}px)"
    screenshot(phone, "search-study-phone")
    phone.close()
    assert not errors + phone_errors, errors + phone_errors


def test_form_explains_and_validates_then_starts_a_study(
    server_url: str, gl_browser: Browser
) -> None:
    page, errors = _page(gl_browser, 1280, 900)
    page.goto(f"{server_url}/#/search")
    page.get_by_role("button", name="New study").click()
    form = page.get_by_role("form", name="New study")
    expect(form.get_by_test_id("space-explained")).to_contain_text("learning_rate")
    page.locator("#study-space").fill(
        "family: cnn\nparams:\n  filters: {type: int, low: 9, high: 3}\n"
    )
    expect(form.get_by_test_id("space-errors")).to_contain_text(
        "params.filters: low (9) must not exceed high (3)"
    )
    expect(form.get_by_role("button", name="Start study")).to_be_disabled()
    form.get_by_role("button", name="Reset to the default space").click()
    page.locator("#study-name").fill("form-e2e")
    page.locator("#study-workers").fill("0")
    screenshot(page, "search-form")
    form.get_by_role("button", name="Start study").click()
    expect(page).to_have_url(f"{server_url}/#/search/form-e2e", timeout=30_000)
    expect(page.get_by_test_id("trials-empty")).to_be_visible(timeout=30_000)
    page.close()
    assert not errors, errors

"""The Playground's model zoo in a real browser: pick a pre-trained model, fine-tune it (the
run starts from its trained boundary), inspect it in Analytics; the empty state names the
command. A tiny-scale zoo is installed into the test server's own home."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from tests.e2e.conftest import STATIC_INDEX, screenshot
from tests.serverproc import ServerProcess

from neuralscope.zoo import ZOO, installed, train_zoo, zoo_dir

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
SCALE = 0.1  # enough steps for visibly trained boundaries, ~2 s on two cores


@pytest.fixture(scope="module")
def zoo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    if not STATIC_INDEX.is_file():
        pytest.skip("the web app is not built: run `make web` first")
    home = tmp_path_factory.mktemp("zoo-home")
    train_zoo(zoo_dir(home), SCALE)
    server = ServerProcess(home).start()
    yield server
    server.stop()


def _accuracy(name: str, server: ServerProcess) -> float:
    (card,) = [c for c in installed(zoo_dir(server.home)) if c.name == name]
    return card.metrics["val/accuracy"]


def test_fine_tune_starts_from_the_trained_model(page: Page, zoo_server: ServerProcess) -> None:
    page.goto(zoo_server.url)
    picker = page.get_by_test_id("pg-zoo")
    expect(picker.get_by_role("listitem")).to_have_count(len(ZOO), timeout=20_000)
    blobs = picker.get_by_test_id("pg-zoo-blobs")
    expect(blobs).to_contain_text(f"{_accuracy('blobs', zoo_server) * 100:.1f}%")
    screenshot(page, "playground-zoo-desktop")

    # By keyboard: focus the button, press Enter.
    picker.get_by_role("button", name="Fine-tune Four blobs, 8 ReLU units").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#/playground/[0-9a-f-]+$"), timeout=20_000)
    expect(page.locator(".run-title")).to_contain_text("fine-tune: Four blobs", timeout=20_000)
    expect(page.get_by_test_id("run-status")).to_have_text("running", timeout=20_000)
    # The form shows the zoo model's setup (4-class blobs, Adam).
    expect(page.get_by_test_id("optimizer-select")).to_have_value("adam")

    # Ground truth, through the server: the first recorded metrics are the saved model's.
    run_id = page.url.rsplit("/", 1)[-1]
    series = httpx.get(f"{zoo_server.url}/api/runs/{run_id}/metrics").json()["series"]
    first = series["val/accuracy"]
    assert first["steps"][0] == 0
    assert first["values"][0] == _accuracy("blobs", zoo_server)
    expect(page.get_by_test_id("boundary-canvas")).to_be_visible()
    page.wait_for_timeout(1500)  # a few boundary frames
    screenshot(page, "playground-zoo-finetune")
    page.get_by_test_id("stop-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text("stopped", timeout=20_000)


def test_inspect_opens_the_model_in_analytics(page: Page, zoo_server: ServerProcess) -> None:
    page.goto(zoo_server.url)
    page.get_by_test_id("pg-zoo-inspect-digits_cnn").click()
    expect(page).to_have_url(re.compile(r"#/analytics/[0-9a-f]{64}$"), timeout=60_000)
    expect(page.get_by_role("link", name="Analytics")).to_have_attribute("aria-current", "page")
    expect(page.get_by_text("zoo-digits_cnn.pt2").first).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("an-score")).to_contain_text("/ 100", timeout=60_000)
    screenshot(page, "playground-zoo-inspect")


def test_phone_sized_picker(browser: Browser, zoo_server: ServerProcess) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(zoo_server.url)
        item = page.get_by_test_id("pg-zoo-spirals")
        expect(item).to_be_visible(timeout=20_000)
        button = page.get_by_test_id("pg-zoo-finetune-spirals")
        box = button.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # noqa: PT018
        assert box["height"] >= 40  # a finger-sized target
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways ({width}px)"
        item.scroll_into_view_if_needed()
        screenshot(page, "playground-zoo-phone")
    finally:
        context.close()


def test_without_the_zoo_the_picker_names_the_command(page: Page, server_url: str) -> None:
    page.goto(server_url)
    empty = page.get_by_test_id("pg-zoo-empty")
    expect(empty).to_contain_text("neuralscope zoo train", timeout=20_000)
    expect(empty.get_by_role("button", name="Check again")).to_be_visible()
    screenshot(page, "playground-zoo-empty")

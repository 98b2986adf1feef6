"""What-if previews from the module map in a real browser: a Playground run held by the server,
any module zoomed into, "Preview prune" answered with the loss, accuracy and per-class F1 change
(the same numbers the REST route gives), on a desktop and a 390x844 phone screen."""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest
from playwright.sync_api import Page, expect
from tests.e2e.conftest import ARTIFACTS, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=60) as client:  # the machine is shared: a loaded server is slow
        yield client


def _completed_run(http: httpx.Client, server_url: str) -> str:
    body = {
        "config": {
            "spec": {
                "layers": [{"units": 8, "activation": "relu"}, {"units": 8, "activation": "relu"}]
            },
            "data": {"dataset": "circle", "n_samples": 200},
            "hyperparameters": {"optimizer": "adam", "learning_rate": 0.03, "batch_size": 10},
            "seed": 3,
            "max_steps": 400,
        },
        "start": True,
    }
    run = http.post(f"{server_url}/api/runs", json=body).json()
    deadline = time.monotonic() + 60
    while http.get(f"{server_url}/api/runs/{run['id']}").json()["status"] != "completed":
        assert time.monotonic() < deadline, "the run never completed"
        time.sleep(0.2)
    return str(run["id"])


def test_any_module_gets_a_prune_preview(page: Page, server_url: str, http: httpx.Client) -> None:
    run_id = _completed_run(http, server_url)
    final = http.get(f"{server_url}/api/runs/{run_id}/modules").json()["snapshots"][-1]
    module = final["payload"]["modules"][-1]  # whichever module: alerted or not
    page.goto(f"{server_url}/#/playground/{run_id}")
    node = page.get_by_role("button", name=f"{module['id']}: ", exact=False)
    expect(node.first).to_be_visible(timeout=20_000)
    node.first.focus()
    page.keyboard.press("Enter")  # by keyboard
    detail = page.get_by_test_id("modmap-detail")
    expect(detail).to_be_visible()
    detail.get_by_role("button", name="Preview prune").click()
    result = detail.get_by_test_id("modmap-whatif-result")
    expect(result).to_be_visible(timeout=20_000)
    expect(result).to_contain_text(f"units of {module['layer']} on a copy of the model at step 400")
    expect(result).to_contain_text("The run is unchanged.")
    url = f"{server_url}/api/runs/{run_id}/modules/{quote(module['id'], safe='')}/what-if"
    truth = http.post(url, json={"intervention": "prune"}).json()
    expect(result).to_contain_text(f"{truth['loss_before']:.3f} → {truth['loss_after']:.3f}")
    f1_rows = result.get_by_role("table", name="F1 per class").locator("tbody tr")
    expect(f1_rows).to_have_count(len(truth["f1_before"][0]))
    result.scroll_into_view_if_needed()
    desktop = screenshot(page, "modules-whatif-desktop")
    assert desktop.stat().st_size > 10_000
    section = page.get_by_role("region", name="What-if preview")
    section.screenshot(path=str(ARTIFACTS / "modules-whatif-panel-desktop.png"))

    page.set_viewport_size({"width": 390, "height": 844})
    expect(result).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"the page scrolls sideways on a phone ({width}px)"
    section.screenshot(path=str(ARTIFACTS / "modules-whatif-panel-phone.png"))
    phone = screenshot(page, "modules-whatif-phone")
    assert phone.stat().st_size > 10_000

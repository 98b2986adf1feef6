"""An ended Playground run keeps its model: train to completion in a real browser, open the
ended run's page, and download its weights (the final model the server stored)."""

from __future__ import annotations

import itertools
import re
import time
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect
from safetensors.torch import load
from tests.e2e.conftest import screenshot
from tests.test_final_model import assert_same_weights

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _wait_model_kept(server_url: str, run_id: str) -> dict[str, object]:
    deadline = time.monotonic() + 20
    while True:
        run: dict[str, object] = httpx.get(f"{server_url}/api/runs/{run_id}").json()
        if run["model_available"] and not run["live"]:
            return run
        assert time.monotonic() < deadline, f"the ended run never kept its model: {run}"
        time.sleep(0.1)


def test_an_ended_runs_model_downloads_from_its_page(page: Page, server_url: str) -> None:
    page.goto(server_url)
    page.get_by_test_id("dataset-select").select_option("circle")
    page.get_by_test_id("optimizer-select").select_option("adam")
    page.get_by_test_id("max-steps-input").fill("150")
    page.get_by_test_id("train-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text("completed", timeout=60_000)
    run_id = page.url.rsplit("/", 1)[-1]
    run = _wait_model_kept(server_url, run_id)
    assert run["status"] == "completed"

    # The ended run's page, as anyone opening it later sees it.
    page.reload()
    expect(page.get_by_test_id("run-status")).to_have_text("completed", timeout=20_000)
    note = page.get_by_test_id("pg-export-note")
    expect(note).to_contain_text("final model was kept")
    button = page.get_by_test_id("pg-export-safetensors")
    expect(button).to_be_enabled()
    expect(page.get_by_test_id("pg-metric-accuracy")).to_have_text(
        re.compile(r"\d"), timeout=20_000
    )  # metrics of the stored model, recomputed on the run's data
    edges = page.get_by_test_id("pg-network").get_by_test_id("pg-edge")
    expect(edges.first).to_be_visible(timeout=20_000)  # the network drawn from the kept weights

    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename.endswith("-model.safetensors")
    content = Path(download.path()).read_bytes()
    weights = load(content)
    config = run["config"]
    assert isinstance(config, dict)
    units = [2, *(layer["units"] for layer in config["spec"]["layers"]), 1]  # circle: 2 -> 1
    names = [f"dense{i}" for i in range(1, len(units) - 1)] + ["output"]
    shapes = [[out, inp] for inp, out in itertools.pairwise(units)]
    assert {k: list(v.shape) for k, v in weights.items() if k.endswith("weight")} == dict(
        zip([f"{n}.weight" for n in names], shapes, strict=True)
    )
    served = httpx.get(f"{server_url}/api/runs/{run_id}/export/safetensors")
    assert_same_weights(content, served.content)

    page.get_by_test_id("pg-export-safetensors").scroll_into_view_if_needed()
    screenshot(page, "pg-ended-export")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(note).to_be_visible()
    screenshot(page, "pg-ended-export-phone")

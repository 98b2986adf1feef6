"""Playground compare (2-4 configurations), chart PNG and metrics CSV export, activation
heatmaps, in a real browser against a real server."""

from __future__ import annotations

import csv
import io
import re
import struct
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect
from tests.e2e.conftest import ARTIFACTS, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _png_size(content: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, after checking the signature."""
    assert content[:8] == PNG_MAGIC, content[:8]
    assert content[12:16] == b"IHDR"
    width, height = struct.unpack(">II", content[16:24])
    return width, height


def _download(page: Page, button: Locator) -> tuple[str, bytes]:
    with page.expect_download() as info:
        button.click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def _save_png(page: Page, button: Locator, min_side: int = 100) -> tuple[int, int]:
    name, content = _download(page, button)
    assert name.endswith(".png"), name
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"export-{name}").write_bytes(content)  # to look at
    width, height = _png_size(content)
    assert min_side <= width <= 8000, (name, width, height)
    assert min_side / 4 <= height <= 8000, (name, width, height)
    return width, height


def _no_horizontal_scroll(page: Page) -> None:
    page.wait_for_function(
        "document.documentElement.scrollWidth - window.innerWidth <= 1", timeout=5_000
    )


def test_compare_three_configurations(page: Page, server_url: str) -> None:
    page.goto(server_url)
    page.get_by_test_id("dataset-select").select_option("moons")
    page.get_by_test_id("optimizer-select").select_option("sgd")
    page.get_by_test_id("max-steps-input").fill("300")
    variants = page.get_by_test_id("pg-variant")
    expect(variants).to_have_count(1)
    variants.nth(0).get_by_test_id("pg-compare-optimizer").select_option("adam")
    variants.nth(0).get_by_test_id("pg-compare-lr").fill("0.01")
    page.get_by_test_id("pg-variant-add").click()
    c = variants.nth(1)
    c.get_by_test_id("pg-compare-hidden").fill("16")
    c.get_by_test_id("pg-compare-activation").select_option("relu")
    c.get_by_test_id("pg-compare-l2").fill("0.001")
    screenshot(page, "pg-compare-setup")
    page.get_by_test_id("pg-compare-button").click()

    expect(page).to_have_url(re.compile(r"#/compare/\w+,\w+,\w+$"), timeout=20_000)
    columns = page.get_by_test_id("pg-compare-column")
    expect(columns).to_have_count(3)
    expect(columns.nth(0).get_by_test_id("pg-compare-config")).to_contain_text("sgd, lr 0.03")
    expect(columns.nth(1).get_by_test_id("pg-compare-config")).to_contain_text("adam, lr 0.01")
    expect(columns.nth(2).get_by_test_id("pg-compare-config")).to_contain_text(
        re.compile(r"^16 relu · sgd, lr 0.03, batch 10 · L2 0.001$")
    )
    for i in range(3):
        expect(columns.nth(i).get_by_test_id("run-status")).to_have_text(
            "completed", timeout=60_000
        )
        expect(columns.nth(i).get_by_test_id("boundary-canvas")).to_have_attribute(
            "data-step", "300"
        )
    ids = page.url.rsplit("/", 1)[-1].split(",")
    configs = [httpx.get(f"{server_url}/api/runs/{i}").json()["config"] for i in ids]
    assert all(c["data"] == configs[0]["data"] and c["seed"] == configs[0]["seed"] for c in configs)
    assert configs[2]["spec"]["layers"] == [{"type": "dense", "units": 16, "activation": "relu"}]
    assert configs[2]["hyperparameters"]["weight_decay"] == 0.001

    # One chart, three curves; the summary has a row per configuration.
    chart = page.get_by_test_id("pg-overlay-chart")
    expect(chart).to_have_attribute("data-lines", "3")
    expect(chart).to_have_attribute("data-points", re.compile(r"^[1-9]\d*$"))
    expect(chart.locator(".u-legend .u-series")).to_have_count(4)  # step + A, B, C
    rows = page.get_by_test_id("pg-compare-summary-row")
    expect(rows).to_have_count(3)
    for i in range(3):
        expect(rows.nth(i)).to_contain_text("completed")
    page.get_by_test_id("pg-compare-metric-accuracy").check()
    page.get_by_test_id("pg-compare-split-train").check()
    expect(chart.locator("[role=img]")).to_have_attribute(
        "aria-label", re.compile(r"^training accuracy of A, B, C")
    )
    _save_png(page, page.get_by_test_id("pg-compare-chart-png"))
    side = _save_png(page, columns.nth(2).get_by_test_id("pg-compare-boundary-png"))
    assert side[0] >= 300
    screenshot(page, "pg-compare")
    page.set_viewport_size({"width": 390, "height": 844})
    _no_horizontal_scroll(page)
    screenshot(page, "pg-compare-phone")


def test_png_of_every_chart_and_csv_of_metrics(page: Page, server_url: str) -> None:
    page.goto(server_url)
    page.get_by_test_id("dataset-select").select_option("xor")
    page.get_by_test_id("optimizer-select").select_option("adam")
    page.get_by_test_id("max-steps-input").fill("")
    page.get_by_test_id("train-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text("running", timeout=20_000)
    run_id = page.url.rsplit("/", 1)[-1]
    expect(page.get_by_test_id("pg-metric-accuracy")).to_have_text(
        re.compile(r"\d"), timeout=20_000
    )
    expect(page.get_by_test_id("pg-network")).to_be_visible(timeout=20_000)
    page.wait_for_function(
        "Number(document.querySelector('[data-testid=loss-chart]')?.dataset.points) >= 5",
        timeout=20_000,
    )
    page.get_by_test_id("pause-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text("paused", timeout=10_000)

    # Activation heatmaps: one per hidden layer (8-8 tanh), read by keyboard and by pointer.
    heatmaps = page.get_by_test_id("pg-heatmap")
    expect(heatmaps).to_have_count(2)
    expect(page.get_by_test_id("pg-heatmaps")).to_have_attribute("data-step", re.compile(r"^\d+$"))
    cells = heatmaps.nth(0).get_by_test_id("pg-heatmap-cells")
    readout = heatmaps.nth(0).get_by_test_id("pg-heatmap-readout")
    cells.focus()
    expect(readout).to_have_text(re.compile(r"^sample 1 \(class 0\) · unit 1 → -?\d"))
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    expect(readout).to_have_text(re.compile(r"^sample 2 \(class 0\) · unit 2 → -?\d"))
    box = cells.bounding_box()
    assert box is not None
    assert box["width"] > 50
    assert box["height"] > 100
    page.mouse.move(box["x"] + box["width"] - 2, box["y"] + box["height"] - 2)
    expect(readout).to_have_text(re.compile(r"^sample 64 \(class 1\) · unit 8 → -?\d"))

    for what in ["loss", "boundary", "network", "activations", "gradient-norms", "layer-stats"]:
        _save_png(page, page.get_by_test_id(f"pg-png-{what}"))
    _save_png(page, page.get_by_test_id("pg-metrics-png"))

    # The series CSV: one row per split and recorded step, as the server recorded them.
    series = httpx.get(f"{server_url}/api/runs/{run_id}/metrics").json()["series"]
    expected = {
        (split, step)
        for name, s in series.items()
        if (split := name.split("/")[0]) in ("train", "val")
        for step in s["steps"]
    }
    name, content = _download(page, page.get_by_test_id("pg-metrics-csv"))
    assert name.endswith("-metrics.csv")
    table = list(csv.reader(io.StringIO(content.decode())))
    assert table[0][:4] == ["step", "split", "loss", "accuracy"]
    assert {"precision", "recall", "f1"} <= set(table[0])
    assert len(table) - 1 == len(expected)
    assert {(row[1], int(row[0])) for row in table[1:]} == expected
    loss = dict(zip(series["val/loss"]["steps"], series["val/loss"]["values"], strict=True))
    for row in table[1:]:
        if row[1] == "val" and row[2]:
            assert float(row[2]) == pytest.approx(loss[int(row[0])], rel=1e-6)

    name, content = _download(page, page.get_by_test_id("pg-per-class-csv"))
    per_class = list(csv.reader(io.StringIO(content.decode())))
    assert per_class[0] == ["split", "class", "precision", "recall", "f1", "support"]
    assert len(per_class) == 1 + 2 * 2  # two splits, two classes
    screenshot(page, "pg-export")
    page.set_viewport_size({"width": 390, "height": 844})
    _no_horizontal_scroll(page)
    screenshot(page, "pg-export-phone")
    page.get_by_test_id("stop-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text("stopped", timeout=10_000)


def test_unit_outputs_for_a_1d_set_and_for_images(page: Page, server_url: str) -> None:
    # The sine: each unit's output over x, drawn as a curve in its node.
    page.goto(server_url)
    page.get_by_test_id("dataset-select").select_option("sine")
    page.get_by_test_id("max-steps-input").fill("")
    page.get_by_test_id("train-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text("running", timeout=20_000)
    expect(page.get_by_test_id("pg-unit-curve")).to_have_count(1 + 8 + 8 + 1, timeout=20_000)
    expect(page.get_by_test_id("pg-heatmap")).to_have_count(2)
    expect(page.get_by_test_id("pg-class-strip")).to_have_count(0)  # regression: no classes
    page.get_by_test_id("pause-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text("paused", timeout=10_000)
    page.get_by_test_id("pg-network").screenshot(path=str(ARTIFACTS / "pg-unit-curves.png"))
    page.get_by_test_id("stop-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text("stopped", timeout=10_000)

    # Digits: per unit, its mean activation per class as a strip of ten bars.
    page.get_by_test_id("reset-button").click()
    page.get_by_test_id("dataset-select").select_option("digits")
    page.get_by_role("button", name="Add Flatten layer").click()
    page.get_by_role("button", name="Move layer 3 up").click()
    page.get_by_role("button", name="Move layer 2 up").click()
    expect(page.get_by_test_id("pg-layer-error")).to_have_count(0)
    page.get_by_test_id("train-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text("running", timeout=20_000)
    heatmaps = page.get_by_test_id("pg-heatmaps")
    expect(heatmaps).to_be_visible(timeout=20_000)
    strips = page.get_by_test_id("pg-class-strip")
    expect(strips).to_have_count(8 + 8)
    expect(strips.nth(0).locator("rect")).to_have_count(1 + 10)  # background + one bar a class
    heatmaps.scroll_into_view_if_needed()
    screenshot(page, "pg-activations-digits")
    page.set_viewport_size({"width": 390, "height": 844})
    _no_horizontal_scroll(page)
    screenshot(page, "pg-activations-digits-phone")
    page.get_by_test_id("stop-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text("stopped", timeout=10_000)

"""The Playground with the learner's own data and model exports, in a real browser (comparisons:
test_playground_compare.py)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

GOOD_CSV = "width,height,weight,kind\n" + "".join(
    f"{(i % 9) / 3:.2f},{(i * 7 % 11) / 4:.2f},{(i % 5) * 1.5:.1f},"
    f"{'big' if (i % 9) + (i * 7 % 11) > 9 else 'small'}\n"
    for i in range(120)
)
RAGGED_CSV = "a,b,label\n1,2,0\n3,1\n5,6,1\n"
TEXT_CELL_CSV = "a,b,label\n1,2,0\n3,oops,1\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _stop(server_url: str, run_id: str) -> None:
    httpx.post(f"{server_url}/api/runs/{run_id}/control", json={"action": "stop"})


def test_csv_upload_bad_then_good_file_and_train_on_it(
    page: Page, server_url: str, tmp_path: Path
) -> None:
    page.goto(server_url)
    page.get_by_test_id("dataset-select").select_option("csv")
    upload = page.get_by_test_id("pg-csv-file")

    # Malformed files: the server's message names the row (and column), nothing is kept.
    upload.set_input_files(_write(tmp_path, "ragged.csv", RAGGED_CSV))
    page.get_by_test_id("pg-csv-upload").click()
    banner = page.get_by_test_id("pg-csv").get_by_test_id("error-banner")
    expect(banner).to_contain_text("ragged.csv: row 3")
    upload.set_input_files(_write(tmp_path, "text.csv", TEXT_CELL_CSV))
    page.get_by_test_id("pg-csv-upload").click()
    expect(banner).to_contain_text(re.compile(r"text\.csv: row 3.*b", re.IGNORECASE))
    expect(page.get_by_test_id("pg-csv-summary")).to_have_count(0)
    page.get_by_test_id("train-button").click()
    expect(page.locator("section.views").get_by_test_id("error-banner")).to_contain_text(
        "Upload a CSV file first"
    )
    screenshot(page, "pg-csv-error")

    # A good file: the label column is chosen, the task inferred, shapes follow its features.
    upload.set_input_files(_write(tmp_path, "boxes.csv", GOOD_CSV))
    expect(page.get_by_test_id("pg-csv-label")).to_have_value("kind")
    page.get_by_test_id("pg-csv-upload").click()
    summary = page.get_by_test_id("pg-csv-summary")
    expect(summary).to_contain_text("120 rows · 3 features (width, height, weight)")
    expect(summary).to_contain_text("binary classification of big, small")
    expect(page.get_by_test_id("pg-input-shape")).to_have_text("Input: 3")

    page.get_by_test_id("optimizer-select").select_option("adam")
    page.get_by_test_id("max-steps-input").fill("")
    page.get_by_test_id("train-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text("running", timeout=20_000)
    run_id = page.url.rsplit("/", 1)[-1]
    data = httpx.get(f"{server_url}/api/runs/{run_id}").json()["config"]["data"]
    assert data["dataset"] == "csv"
    assert data["table"]["n_features"] == 3
    expect(page.get_by_test_id("pg-metric-accuracy")).to_have_text(
        re.compile(r"\d"), timeout=20_000
    )

    # Export the live model: a real file arrives for each format.
    for fmt, suffix in [("spec", "spec.json"), ("pytorch", "model.py"), ("onnx", "model.onnx")]:
        with page.expect_download() as info:
            page.get_by_test_id(f"pg-export-{fmt}").click()
        download = info.value
        assert download.suggested_filename.endswith(suffix)
        content = Path(download.path()).read_bytes()
        assert len(content) > 50
        if fmt == "pytorch":
            assert b"torch" in content
    screenshot(page, "pg-csv-trained")
    page.get_by_test_id("stop-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text("stopped", timeout=10_000)

"""The module map in a real browser: a watched loop with planted modules, sent to a real
server with ``watch(server=..., probe=...)``, shows its two modules, their zoom and timeline,
on a desktop and a phone-sized screen."""

from __future__ import annotations

import httpx
import pytest
import torch
from playwright.sync_api import Page, expect
from tests.decomposition.planted import MaskedLinear, two_task_data, two_task_loss
from tests.e2e.conftest import screenshot
from torch import nn

from neuralscope import WatchConfig, watch

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _planted() -> nn.Sequential:
    """Two hidden layers, each with a task-A block and a task-B block, wired A->A, B->B."""

    def block(rows: int, cols: int) -> torch.Tensor:
        return torch.block_diag(torch.ones(rows, cols), torch.ones(rows, cols))

    return nn.Sequential(
        MaskedLinear(block(16, 4)),
        nn.ReLU(),
        MaskedLinear(block(8, 16)),
        nn.ReLU(),
        MaskedLinear(block(2, 8)),
    )


def _watched_planted_run(server_url: str) -> str:
    torch.manual_seed(2)  # a seed whose layer 3 keeps both blocks alive (ReLUs can die)
    data = two_task_data(1000, 4, 0)
    model = _planted()
    opt = torch.optim.Adam(model.parameters(), lr=0.02)
    config = WatchConfig(modules_every=50)
    probe = (data.test_x, data.test_y)
    with watch(
        model, opt, name="planted modules", server=server_url, config=config, probe=probe
    ) as run:
        for _ in range(300):
            loss = two_task_loss(model(data.train_x), data.train_y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            run.log(loss=loss)
    return run.id


def test_planted_modules_appear_on_the_watched_run_page(page: Page, server_url: str) -> None:
    run_id = _watched_planted_run(server_url)
    page.goto(f"{server_url}/#/watch/{run_id}")
    graph = page.get_by_test_id("modmap-graph")
    expect(graph).to_be_visible(timeout=20_000)
    # the planted blocks: layer "1" (16 + 16 units) and layer "3" (8 + 8, minus dead units)
    final = httpx.get(f"{server_url}/api/runs/{run_id}/modules").json()["snapshots"][-1]
    mods = final["payload"]["modules"]
    assert final["step"] == 300
    assert sorted(sorted(m["units"]) for m in mods if m["layer"] == "1") == [
        list(range(16)),
        list(range(16, 32)),
    ]
    second = [m["units"] for m in mods if m["layer"] == "3"]
    assert len(second) == 2
    assert sorted(all(u < 8 for u in units) for units in second) == [False, True]
    assert all(all(u >= 8 for u in units) or all(u < 8 for u in units) for units in second)
    nodes = page.get_by_test_id("modmap-node")
    expect(nodes).to_have_count(4)
    expect(page.get_by_test_id("modmap-step")).to_have_text("300")
    labels = [nodes.nth(i).get_attribute("aria-label") or "" for i in range(4)]
    tasks = sorted(("task 0" in label, "task 1" in label) for label in labels)
    assert tasks == [(False, True), (False, True), (True, False), (True, False)], labels
    # only the planted wiring (A->A, B->B) carries weight and gradient: 2 of 4 module pairs
    expect(page.get_by_test_id("modmap-edge")).to_have_count(2)
    expect(page.locator(".modmap-flow")).to_have_count(2)
    metrics = page.get_by_test_id("modmap-metrics")
    expect(metrics.locator("tbody tr")).to_have_count(4)
    expect(page.get_by_test_id("modmap-timeline")).to_contain_text("was born")

    nodes.first.focus()
    page.keyboard.press("Enter")  # zoom in by keyboard
    detail = page.get_by_test_id("modmap-detail")
    expect(detail).to_be_visible()
    expect(detail).to_contain_text("Keep-only accuracy")
    expect(detail.get_by_test_id("modmap-heatmap")).to_be_visible()
    desktop = screenshot(page, "modules-desktop")
    assert desktop.stat().st_size > 10_000

    page.set_viewport_size({"width": 390, "height": 844})
    expect(detail).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"the page scrolls sideways on a phone ({width}px)"
    phone = screenshot(page, "modules-phone")
    assert phone.stat().st_size > 10_000

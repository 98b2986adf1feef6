"""Share links end to end (issue #8): the owner makes a link, a fresh browser opens it, the
owner revokes it from the share panel, and the fresh browser sees the link no longer works,
both on its already-open page (Fork) and on reload."""

from __future__ import annotations

import time

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

GONE = "This share link no longer works"


def _completed_run(server_url: str, name: str) -> str:
    body = {"name": name, "config": {"max_steps": 40}, "start": True}
    run_id: str = httpx.post(f"{server_url}/api/runs", json=body, timeout=30).json()["id"]
    deadline = time.monotonic() + 60
    while httpx.get(f"{server_url}/api/runs/{run_id}", timeout=30).json()["status"] != "completed":
        assert time.monotonic() < deadline, "the run never completed"
        time.sleep(0.1)
    return run_id


def test_a_revoked_link_no_longer_works_in_a_fresh_browser(
    page: Page, browser: Browser, server_url: str
) -> None:
    run_id = _completed_run(server_url, "shared-then-revoked")
    page.goto(f"{server_url}/#/playground/{run_id}")
    expect(page.get_by_test_id("share-links-empty")).to_be_visible(timeout=15_000)
    page.get_by_test_id("share-button").click()
    url = page.get_by_test_id("share-link").input_value()
    token = url.rsplit("/", 1)[-1]
    item = page.get_by_test_id("share-link-item")
    expect(item).to_have_count(1)
    assert token not in page.get_by_test_id("share-links").inner_text()

    # A stranger opens the link: nothing in common with the owner's browser but the link.
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        stranger = context.new_page()
        errors: list[str] = []
        stranger.on("pageerror", lambda exc: errors.append(str(exc)))
        stranger.goto(url)
        expect(stranger.get_by_test_id("shared-run")).to_be_visible(timeout=15_000)

        item.get_by_test_id("revoke-button").click()
        confirm = item.get_by_test_id("confirm-revoke-button")
        expect(confirm).to_be_focused()
        screenshot(page, "share-links-revoke-confirm")
        page.keyboard.press("Enter")  # the confirm step works by keyboard
        expect(page.get_by_test_id("share-links-empty")).to_be_visible()
        expect(page.get_by_test_id("share-link")).to_have_count(0)

        # The page already open: its next request (Fork) finds the link gone.
        stranger.get_by_test_id("fork-button").click()
        expect(stranger.get_by_test_id("shared-not-found")).to_contain_text(GONE)
        # And a fresh load of the link.
        stranger.reload()
        expect(stranger.get_by_test_id("shared-not-found")).to_contain_text(GONE, timeout=15_000)
        overflow = stranger.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1
        screenshot(stranger, "shared-link-revoked-phone")
        assert not errors, f"uncaught errors in the page: {errors}"
    finally:
        context.close()
    assert httpx.get(f"{server_url}/api/shared/{token}", timeout=30).status_code == 404


def test_the_share_panel_on_a_phone(browser: Browser, server_url: str) -> None:
    run_id = _completed_run(server_url, "shared-on-a-phone")
    for _ in range(2):
        assert httpx.post(f"{server_url}/api/runs/{run_id}/share", timeout=30).status_code == 201
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        phone = context.new_page()
        phone.goto(f"{server_url}/#/playground/{run_id}")
        items = phone.get_by_test_id("share-link-item")
        expect(items).to_have_count(2, timeout=15_000)
        items.first.get_by_test_id("revoke-button").click()
        expect(items.first.get_by_test_id("confirm-revoke-button")).to_be_visible()
        overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1
        items.first.get_by_test_id("share-links-confirm").scroll_into_view_if_needed()
        screenshot(phone, "share-links-phone")
        phone.get_by_role("button", name="Cancel").click()
        expect(items).to_have_count(2)
    finally:
        context.close()

"""Shared fixtures: ONE Voila server (configured like ``ntklab app``: voila.json, preheated
kernels) and ONE headless Chromium for the whole session, used by test_browser.py and
test_serving.py; a fresh browser context (page) per test."""

from __future__ import annotations

import pytest

SERVER_MODULES = ("test_browser.py", "test_serving.py")


def pytest_collection_modifyitems(config, items):
    """The Voila server's tests run last, together: its preheated kernels (several hundred MB
    and some CPU each) then never compete with the notebook and exercise kernels that other
    tests start, which on a slow machine could miss their 60 s start-up limit."""
    items.sort(key=lambda item: item.path.name in SERVER_MODULES)


@pytest.fixture(scope="session")
def base_url(tmp_path_factory):
    from ntklab.app.testing import browser_missing, serve_voila

    reason = browser_missing()
    if reason:
        pytest.skip(f"browser tests need chromium and playwright: {reason}")
    log = tmp_path_factory.mktemp("voila") / "voila.log"
    with serve_voila(preheat=True, log_path=log) as url:
        yield url


@pytest.fixture(scope="session")
def browser(base_url):
    from playwright.sync_api import sync_playwright

    from ntklab.app.testing import launch_chromium

    with sync_playwright() as pw:
        b = launch_chromium(pw)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):
    from ntklab.app.testing import watch_page

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    watch_page(pg)  # pg.page_errors, pg.console_errors, and pg.events for a failure's report
    yield pg
    context.close()

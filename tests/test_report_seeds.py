"""The report of the seed run as a user sees it: rendered in headless Chromium, with the compliance
section of both shipped agreements, and a screenshot kept in tests/artifacts/report_seeds.png."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from sitrep.store import open_store

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"


def test_seed_report_renders_every_incident(seeds_run):
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is required on CI (/usr/bin/chromium)")
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    config, _ = seeds_run
    store = open_store(config)
    incidents = store.incidents()
    dated = [i for i in incidents if i.date is not None]
    placed = [i for i in incidents if i.location is not None and i.location.lat is not None]
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        try:
            page = browser.new_page(viewport={"width": 1360, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("requestfailed", lambda r: errors.append(f"request {r.url}"))
            page.goto((Path(config.out) / "report.html").as_uri())
            page.wait_for_load_state("load")
            assert page.locator("#incident-table tr.incident-row").count() == len(incidents)
            timeline = page.locator("#timeline-svg .tl-item").count()
            assert 0 < timeline <= len(dated)
            assert 0 < page.locator("#map-svg .map-marker").count() <= len(placed)
            assert page.locator("#map-svg path.zone").count() >= 2        # the agreements' zones
            assert page.locator("#compliance").count() == 1
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "report_seeds.png"), full_page=True)
        finally:
            browser.close()
    assert errors == []

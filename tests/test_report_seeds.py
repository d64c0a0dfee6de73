"""The report of the seed run as a user sees it: rendered in headless Chromium, with the compliance
section of both shipped agreements, and a screenshot kept in tests/artifacts/report_seeds.png."""
from __future__ import annotations

from pathlib import Path

from conftest import ARTIFACTS
from sitrep.store import open_store


def test_seed_report_renders_every_incident(seeds_run, browser_page):
    page, errors = browser_page
    config, _ = seeds_run
    incidents = open_store(config).incidents()
    dated = [i for i in incidents if i.date is not None]
    placed = [i for i in incidents if i.location is not None and i.location.lat is not None]
    page.goto((Path(config.out) / "report.html").as_uri())
    page.wait_for_load_state("load")
    assert page.locator("#incident-table tr.incident-row").count() == len(incidents)
    assert 0 < page.locator("#timeline-chart rect.bar").count() <= len(dated)       # stacked histogram
    assert 0 < int(page.get_attribute("#map-canvas", "data-points")) <= len(placed)
    assert page.locator("#map-canvas .cluster").count() > 0
    data = page.evaluate("() => JSON.parse(document.getElementById('report-data').textContent)")
    assert len(data["zones"]["features"]) >= 2                                       # the agreements' zones
    assert page.locator("#compliance").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report_seeds.png"), full_page=True)
    assert errors == []

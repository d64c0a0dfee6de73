"""The workbench in headless Chromium, served by uvicorn on localhost: search, filters, an incident, the map,
the timeline brush, the CSV download read back with pandas, and no request leaving localhost."""
from __future__ import annotations

import socket
import threading
import time
from urllib.parse import parse_qs, urlparse

import pytest

from conftest import ARTIFACTS
from serve_store import build

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    uvicorn = pytest.importorskip("uvicorn")
    from sitrep.serve.app import create_app

    db = build(tmp_path_factory.mktemp("serve_browser") / "s.db")
    app = create_app(db)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def _watch(page):
    """Every request the page makes (to check none leaves localhost)."""
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    return seen


def _rows(page) -> list[str]:
    return page.eval_on_selector_all("tr[data-id]", "rows => rows.map(r => r.dataset.id)")


def test_workbench_in_chromium(server, browser_page):
    page, errors = browser_page
    requests = _watch(page)
    page.goto(server + "/incidents")
    page.wait_for_selector("#map[data-ready='1']")
    page.wait_for_selector("#timeline[data-ready='1']")
    assert len(_rows(page)) == 6

    # search folds accents: "Erdogan" finds "Erdoğan"
    page.fill("input[name=q]", "Erdogan")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert _rows(page) == ["Ebbb0002"] and "q=Erdogan" in page.url

    # filter by type and date through the form; the URL carries the filter
    page.goto(server + "/incidents")
    page.select_option("select[name=type]", "ASSAULT")
    page.fill("input[name=since]", "2020-03-02")
    page.fill("input[name=until]", "2020-03-03")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert set(_rows(page)) == {"Eaaa0001", "Eccc0003", "Eddd0004"}
    q = parse_qs(urlparse(page.url).query)
    assert q["type"] == ["ASSAULT"] and q["since"] == ["2020-03-02"] and q["until"] == ["2020-03-03"]

    # open an incident: its sentences are highlighted in their documents
    page.click("a[href='/incidents/Eaaa0001']")
    page.wait_for_selector("mark.hl-sentence")
    marks = page.eval_on_selector_all("mark.hl-sentence", "ms => ms.map(m => m.textContent)")
    assert any("Jets struck Saraqib" in m for m in marks) and any("The strike on Saraqib" in m for m in marks)
    assert page.is_visible("a.original")

    # markup in an article renders as text
    page.goto(server + "/documents/d1")
    assert "<script>alert('x')</script>" in page.inner_text(".doctext")
    assert page.query_selector(".doctext b") is None

    # the map zooms
    page.goto(server + "/incidents")
    page.wait_for_selector("#map[data-ready='1']")
    z0 = float(page.get_attribute("#map", "data-zoom"))
    page.click(".leaflet-control-zoom-in")
    for _ in range(50):            # (wait_for_function would evaluate a string: the page's CSP forbids it)
        if float(page.get_attribute("#map", "data-zoom")) > z0:
            break
        page.wait_for_timeout(100)
    assert float(page.get_attribute("#map", "data-zoom")) > z0
    assert page.query_selector(".leaflet-control-scale") is not None
    assert page.query_selector(".cluster.violated") is not None        # violations visible on the markers
    page.screenshot(path=str(ARTIFACTS / "workbench.png"), full_page=False) if ARTIFACTS.is_dir() else None

    # brushing the timeline filters the table and the map (through the URL)
    box = page.query_selector("#timeline svg").bounding_box()
    y = box["y"] + box["height"] * 0.4
    page.mouse.move(box["x"] + box["width"] * 0.05, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.25, y, steps=5)
    with page.expect_navigation():
        page.mouse.up()
    q = parse_qs(urlparse(page.url).query)
    assert "since" in q and "until" in q
    shown = _rows(page)
    assert shown and len(shown) < 6

    # download the filtered CSV and read it back with pandas
    pd = pytest.importorskip("pandas")
    page.goto(server + "/incidents?place=Idlib")
    with page.expect_download() as dl:
        page.click("#dl-csv")
    df = pd.read_csv(dl.value.path())
    assert len(df.columns) == 33 and set(df["sitrep_id"]) == {"Eaaa0001", "Eccc0003", "Eddd0004"}
    assert set(df["admin1"]) == {"Idleb"}

    outside = [u for u in requests if not u.startswith(server) and not u.startswith(("data:", "blob:"))]
    assert outside == []
    # a fetch cut short by leaving the page, or a download, is reported as a failed request: not an error
    assert [e for e in errors if not e.startswith(f"request failed: {server}/")] == []

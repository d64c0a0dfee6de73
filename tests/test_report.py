"""The situation report: content, escaping of untrusted text, and a real render in headless Chromium."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitrep.config import Config
from sitrep.present.report import write_index, write_report
from sitrep.records import (Actor, Count, DateInterval, Disagreement, Document, Figure, Incident, Mention, Place,
                            Published, Quote)

from conftest import ARTIFACTS
HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(2)>']

PLACES = {
    "Saraqib": Place("Saraqib", "SYR", "Idlib", 35.86, 36.80, "town"),
    "Ariha": Place("Ariha", "SYR", "Idlib", 35.81, 36.61, "town"),
    "Aleppo": Place("Aleppo", "SYR", "Aleppo", 36.20, 37.16, "town"),
    "Moscow": Place("Moscow", "RUS", "Moscow", 55.75, 37.62, "town"),
}


def corpus(hostile: bool = False):
    bad = " ".join(HOSTILE) if hostile else ""
    docs = [Document(f"d{k}", f"doc{k}.txt", f"Invented report number {k}.", f"Report {k} {bad}".strip(), None,
                     f"Outlet {'ABC'[k % 3]}", Published(f"2020-03-0{k + 1}", "day", "stated"), "en")
            for k in range(5)]
    docs.append(Document("d9", "undated.txt", "An undated invented report.", "Undated", None, None, Published(), "en"))

    def men(doc, sentence, status="reported"):
        d = next(x for x in docs if x.id == doc)
        return Mention(doc, 0, 10, sentence, d.outlet, d.published.date, status)

    rus = Actor("Russia", "Russian jets", "RUS", "MIL", "source")
    inc = [
        Incident("E1", "ASSAULT", "aerial", "reported", DateInterval("2020-02-27", "2020-02-27"), PLACES["Saraqib"],
                 [rus], {"killed": Count(36, 33, 36)},
                 [men("d0", f"Jets struck a position near Saraqib, killing 33. {bad}"),
                  men("d1", "The toll from the strike rose to 36.")], 2,
                 [Disagreement("counts.killed", [{"value": 33, "doc": "d0", "outlet": "Outlet A", "published": "2020-03-01"},
                                                 {"value": 36, "doc": "d1", "outlet": "Outlet B", "published": "2020-03-02"}])]),
        Incident("E2", "ASSAULT", "artillery", "reported", DateInterval("2020-02-01", "2020-02-29", "month"),
                 PLACES["Ariha"], [], {}, [men("d2", "Shelling hit Ariha during February.")], 1),
        Incident("E3", "CONSULT", "meeting", "reported", DateInterval("2020-03-05", "2020-03-05"), PLACES["Moscow"],
                 [Actor("Russia", "Putin", "RUS", "GOV"), Actor("Turkey", "Erdogan", "TUR", "GOV")], {},
                 [men("d3", "The leaders will meet in Moscow on Thursday.", "planned"),
                  men("d4", "The leaders met in Moscow for six hours.")], 2),
        Incident("E4", "PROTEST", None, "reported", DateInterval("2020-03-03", "2020-03-03"), PLACES["Aleppo"], [], {},
                 [men("d4", "Residents protested in Aleppo.")], 1),
        Incident("E5", "AID", None, "reported", None, None, [], {}, [men("d9", "Aid arrived at some point.")], 1),
    ]
    figs = [Figure("F1", "displaced", 950000, 900000, 1000000, "about", DateInterval("2019-12-01", "2020-03-01", "month"),
                   None, None, [men("d0", f"Close to a million people have been displaced. {bad}")])]
    quotes = [Quote("Q1", Actor("A Minister", f"the minister {bad}", "TUR", "GOV"), "direct", "said",
                    f"We will not withdraw. {bad}", "d0", 0, 10, "2020-03-01"),
              Quote("Q2", Actor("A Minister", "he", "TUR", "GOV"), "indirect", "added", "talks would go on",
                    "d1", 0, 10, "2020-03-02")]
    return docs, inc, figs, quotes


def build(tmp_path: Path, hostile=False, compliance=None) -> Path:
    docs, inc, figs, quotes = corpus(hostile)
    return write_report(tmp_path / "report.html", documents=docs, incidents=inc, figures=figs, quotes=quotes,
                        compliance=compliance, config=Config())


def test_report_is_self_contained_and_summarises(tmp_path):
    html = build(tmp_path).read_text(encoding="utf-8")
    assert "5 incidents" in re.sub(r"<[^>]+>", "", html) and "from 6 documents by 3 outlets" in re.sub(r"<[^>]+>", "", html)
    assert not re.search(r'<(script|link|img)[^>]+(src|href)=["\']?https?:', html)   # no external assets
    data = report_data(html)                                                          # what the views draw
    assert data["base"]["countries"]["features"] and data["admin"]["features"]      # offline basemap, governorates
    assert {p[0] for p in data["map"]["points"]} == {"E1", "E2", "E3", "E4"}
    assert sum(sum(c.values()) for _, c in data["timeline"]["bins"]) == 4            # E5 is undated
    assert "1 figure ·" in re.sub(r"<[^>]+>", "", html) and "2 quotes" in html       # plurals
    assert "sources disagree" in html and "1 undated document" in html
    assert html.count('class="incident-row"') == 5
    assert len(html) < 3_000_000


def test_hostile_text_is_escaped(tmp_path):
    html = build(tmp_path, hostile=True).read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in html
    # only our own scripts: Leaflet, the shared views, the report's data (JSON) and its script
    assert html.count("<script") == 4 and 'id="report-data"' in html


def report_data(html: str) -> dict:
    import json

    m = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


def test_report_data_cannot_break_out_of_its_script(tmp_path):
    html = build(tmp_path, hostile=True).read_text(encoding="utf-8")
    block = re.search(r'id="report-data">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block


def compliance():
    return {"agreements": [{"name": "Invented protocol",
                            "zones": {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "Zone 1"},
                                      "geometry": {"type": "Polygon", "coordinates": [[[36.4, 35.6], [37.0, 35.6], [37.0, 36.1], [36.4, 36.1], [36.4, 35.6]]]}}]},
                            "violations": [{"event": "E1", "clause": "cessation", "party": {"name": "Russia"}, "zone": "Zone 1",
                                            "status": "violation", "reason": "strike inside the zone"}],
                            "counts": {"by_party": {"Russia": 1}, "by_week": {"2020-W09": 1}},
                            "required": [{"clause": "patrols", "expected": "joint patrols", "reported": [], "missing": True}]}]}


def test_compliance_section(tmp_path):
    html = build(tmp_path, compliance=compliance()).read_text(encoding="utf-8")
    assert 'id="compliance"' in html and "strike inside the zone" in html
    assert report_data(html)["zones"]["features"][0]["properties"]["name"] == "Zone 1"
    assert "not reported" in html and "2020-W09" in html and "week-bars" in html


def test_index_lists_documents(tmp_path):
    docs, *_ = corpus(hostile=True)
    html = write_index(tmp_path / "index.html", docs).read_text(encoding="utf-8")
    assert html.count('class="doc-row"') == 6 and "<script>alert" not in html


@pytest.mark.browser
def test_report_renders_in_headless_chromium(tmp_path, browser_page):
    page, errors = browser_page
    path = build(tmp_path, hostile=True, compliance=compliance())
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    assert page.locator("#timeline-chart rect.bar").count() == 4             # a stacked histogram; E5 is undated
    assert page.locator("#map-canvas .leaflet-control-scale").count() == 1   # the workbench's map
    assert page.locator("#map-canvas .cluster").count() >= 1
    assert page.locator("#map-canvas .cluster.violated").count() == 1        # E1 broke the invented protocol
    assert page.locator("#incident-table tr.incident-row").count() == 5
    assert page.locator("#incident-table .badge.disagree").count() == 1
    assert "5 incidents from 6 documents by 3 outlets" in page.inner_text("#summary")
    assert page.locator("#compliance table.violations tbody tr").count() == 1
    assert page.locator("#compliance svg.week-bars rect").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    # the type filter hides rows, markers and timeline marks together
    page.click('.legend-item[data-type="ASSAULT"]')
    assert page.locator("#incident-table tr.incident-row:visible").count() == 3
    assert page.get_attribute("#map-canvas", "data-points") == "2"
    assert page.inner_text("#shown-count") == "3"
    page.click('.legend-item[data-type="ASSAULT"]')
    page.fill("#search", "moscow")
    assert page.locator("#incident-table tr.incident-row:visible").count() == 1
    page.fill("#search", "erdoğan")           # folded: the actor is written "Erdogan"
    assert page.locator("#incident-table tr.incident-row:visible").count() == 1
    page.fill("#search", "idleb")             # the OCHA spelling of the places' governorate (GeoNames: Idlib)
    assert page.locator("#incident-table tr.incident-row:visible").count() == 2
    page.fill("#search", "")
    # sorting by a column, and the date brush
    page.click('#incident-table th[data-sort="id"]')
    page.click('#incident-table th[data-sort="id"]')
    assert page.locator("#incident-table tr.incident-row").first.get_attribute("data-incident") == "E5"
    page.locator("#timeline-chart svg").scroll_into_view_if_needed()
    box = page.locator("#timeline-chart svg").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.9, box["y"] + 40)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.99, box["y"] + 40, steps=4)
    page.mouse.up()
    assert 0 < page.locator("#incident-table tr.incident-row:visible").count() < 5
    assert errors == []


def test_report_tables_are_paged(tmp_path, browser_page):
    page, errors = browser_page
    docs, inc, figs, quotes = corpus()
    many = [Incident(f"X{k:03d}", "ASSAULT", None, "reported", DateInterval("2020-03-01", "2020-03-01"),
                     PLACES["Ariha"], [], {}, [Mention("d0", 0, 5, f"Invented line {k}.", "Outlet A", "2020-03-01")], 1)
            for k in range(120)]
    path = write_report(tmp_path / "r.html", documents=docs, incidents=inc + many, figures=figs, quotes=quotes,
                        config=Config())
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    assert page.locator("#incident-table tr.incident-row:visible").count() == 50
    page.click("nav.pager[data-table=incident-table] button:has-text('next')")
    assert page.locator("#incident-table tr.incident-row:visible").count() == 50
    assert "page 2 of 3" in page.inner_text("nav.pager[data-table=incident-table]")
    assert errors == []


def test_report_for_a_thousand_documents_stays_small(tmp_path):
    import random
    rnd = random.Random(3)
    docs = [Document(f"d{k}", f"d{k}.txt", "x", f"Title {k}", None, f"Outlet {k % 40}",
                     Published(f"2020-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"), "en") for k in range(1000)]
    types = ["ASSAULT", "AGREE", "CONSULT", "PROTEST", "COERCE", "MOBILIZE"]
    incidents = []
    for k in range(3000):
        ms = [Mention(f"d{rnd.randrange(1000)}", 0, 10, "An invented sentence of ordinary length about what happened "
                      "in the town on that day, as a report would put it.", f"Outlet {j}", "2020-05-01")
              for j in range(rnd.randint(1, 4))]
        d = f"2020-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        incidents.append(Incident(f"E{k}", rnd.choice(types), None, "reported", DateInterval(d, d),
                                  Place(f"Town {k}", "SYR", "Idlib", 35 + rnd.random() * 2, 36 + rnd.random() * 3),
                                  [], {}, ms, len(ms)))
    path = write_report(tmp_path / "r.html", documents=docs, incidents=incidents, figures=[], quotes=[], config=Config())
    assert path.stat().st_size < 5_000_000


def test_document_dated_before_what_it_reports_is_flagged(tmp_path):
    docs, inc, figs, quotes = corpus()
    # d0 (dated 2020-03-01) now also reports as done a meeting on 2020-03-05
    inc[2].mentions.append(Mention("d0", 0, 10, "The leaders met.", "Outlet A", "2020-03-01", "reported"))
    html = write_report(tmp_path / "r.html", documents=docs, incidents=inc, figures=figs, quotes=quotes,
                        config=Config()).read_text(encoding="utf-8")
    assert html.count("date suspicious</span>") == 1 and "1 with a suspicious date" in html
    assert "reports CONSULT on 2020-03-05 as done, but is dated 2020-03-01" in html


def test_online_tiles_only_when_asked(tmp_path):
    docs, inc, figs, quotes = corpus()
    offline = write_report(tmp_path / "a.html", documents=docs, incidents=inc, figures=figs, quotes=quotes,
                           config=Config()).read_text(encoding="utf-8")
    # nothing is loaded from the network (the vendored Leaflet only names web addresses in comments)
    markup = re.sub(r"<script[^>]*>.*?</script>", "", offline, flags=re.S)     # (Leaflet's own strings aside)
    assert not re.search(r'(src|href)=["\']?https?:', markup)
    assert not re.search(r'url\(["\']?https?:|@import', offline)
    assert "tile.openstreetmap.org" not in offline
    online = write_report(tmp_path / "b.html", documents=docs, incidents=inc, figures=figs, quotes=quotes,
                          config=Config(online_tiles=True)).read_text(encoding="utf-8")
    assert report_data(online)["tiles"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert "img-src data: https://tile.openstreetmap.org" in online

"""The workbench over HTTP (no browser): the URL contract, search folding and aliases, pages, downloads."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest

from serve_store import build

pytest.importorskip("starlette")
from starlette.testclient import TestClient  # noqa: E402


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from sitrep.serve.app import create_app

    db = build(tmp_path_factory.mktemp("serve") / "s.db")
    with TestClient(create_app(db)) as c:
        yield c


def ids(page: str) -> list[str]:
    return re.findall(r'<tr data-id="([^"]+)"', page)


def test_listing_counts_and_paging(client):
    r = client.get("/incidents")
    assert r.status_code == 200 and len(ids(r.text)) == 6 and "6 incidents" in r.text
    r = client.get("/incidents?per_page=2&page=2&sort=id")
    assert ids(r.text) == ["Eccc0003", "Eddd0004"] and "page 2 of 3" in r.text
    assert ids(client.get("/incidents?sort=-id&per_page=2").text) == ["Efff0006", "Eeee0005"]
    assert ids(client.get("/incidents?sort=date").text)[-1] == "Efff0006"      # undated last


@pytest.mark.parametrize("query, expected", [
    ("q=Erdogan", {"Ebbb0002"}),                 # accents folded
    ("q=erdo%C4%9Fan", {"Ebbb0002"}),
    ("q=Erdo", {"Ebbb0002"}),                    # a word is also a prefix
    ("actor=Tayyip+Erdogan", {"Ebbb0002"}),      # another name of the same actor
    ("place=Idlib", {"Eaaa0001", "Eccc0003", "Eddd0004"}),   # alias Idlib/Idleb, and the province finds its towns
    ("place=Idleb", {"Eaaa0001", "Eccc0003", "Eddd0004"}),
    ("q=Idlib", {"Eaaa0001", "Eccc0003", "Eddd0004"}),
    ("type=ASSAULT&since=2020-03-02&until=2020-03-03", {"Eaaa0001", "Eccc0003", "Eddd0004"}),
    ("type=assault,accuse&since=2020-03", {"Eaaa0001", "Eccc0003", "Eddd0004", "Ebbb0002"}),
    ("type=FIGHT", {"Eaaa0001", "Eccc0003", "Eddd0004", "Eeee0005"}),      # an older name of ASSAULT
    ("mode=artillery", {"Eccc0003"}),
    ("country=Syria", {"Eaaa0001", "Eccc0003", "Eddd0004", "Eeee0005"}),
    ("country=TUR", {"Ebbb0002"}),
    ("outlet=Outlet+B", {"Eaaa0001", "Eccc0003"}),
    ("sources=2", {"Eaaa0001"}),
    ("disagree=yes", {"Eaaa0001"}),
    ("compliance=violation", {"Eaaa0001"}),
    ("q=%22local+council%22", {"Eaaa0001"}),
])
def test_filters(client, query, expected):
    r = client.get("/incidents?" + query)
    assert r.status_code == 200, r.text
    assert set(ids(r.text)) == expected


@pytest.mark.parametrize("query, says", [
    ("type=ATTACK", "choose from AGREE"), ("since=5/3/2020", "YYYY-MM-DD"), ("until=2020-02-30", "YYYY-MM-DD"),
    ("compliance=maybe", "violation, possible"), ("sort=colour", "choose from date"), ("sources=none", "whole number"),
    ("since=2020-04-01&until=2020-03-01", "before since"), ("page=9", "1 page"),
])
def test_invalid_values_are_errors_listing_valid_ones(client, query, says):
    r = client.get("/incidents?" + query)
    assert r.status_code == 400 and says in r.text
    assert client.get("/incidents.csv?" + query).status_code == 400 if "page" not in query else True


def test_csp_and_no_inline_script(client):
    r = client.get("/incidents")
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", r.text) is None      # every script is a file
    assert " style=" not in r.text and "<style" not in r.text
    assert "http://" not in r.text.replace("http://testserver", "") and "https://" not in r.text


def test_incident_page(client):
    r = client.get("/incidents/Eaaa0001")
    assert r.status_code == 200
    t = r.text
    assert "Outlet A" in t and "Outlet B" in t and "2020-03-03" in t and "2020-03-04" in t
    assert '<mark class="hl-sentence">' in t and "hl-clause" in t                  # the sentences, highlighted
    assert "counts.killed" in t and "violation" in t and "after entry into force" in t
    assert 'href="https://news.example.org/2020/03/03/strike"' in t                # the original article
    assert "displaced" in t and "the strike" in t                                   # figures and quotes around it
    assert client.get("/incidents/Eaaa").status_code == 200                         # a prefix redirects
    assert client.get("/incidents/Enope").status_code == 404


def test_markup_in_articles_is_text(client):
    t = client.get("/incidents/Efff0006").text + client.get("/documents/d1").text
    assert "<script>alert" not in t and "&lt;script&gt;alert" in t
    assert "<b>bold</b>" not in t and "<i>tonight</i>" not in t


def test_document_page(client):
    t = client.get("/documents/d1").text
    assert "hl-place" in t and "hl-event" in t and "hl-quote" in t and 'id="m-Eaaa0001"' in t
    assert "byline &#39;Outlet A&#39;" in t and "March 3, 2020" in t                # metadata with evidence
    assert "/incidents/Ebbb0002" in t


def test_downloads_follow_the_filter(client):
    r = client.get("/incidents.csv?place=Idlib&sort=id")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [x["sitrep_id"] for x in rows] == ["Eaaa0001", "Eccc0003", "Eddd0004"]
    assert rows[0]["admin1"] == "Idleb" and rows[0]["fatalities"] == "4" and rows[0]["event_id_cnty"] == "SYR-Eaaa0001"
    assert rows[0]["sitrep_link"].endswith("/incidents/Eaaa0001")
    gj = client.get("/incidents.geojson").json()
    kinds = {f["id"]: f["geometry"]["type"] for f in gj["features"]}
    assert kinds["Eaaa0001"] == "Point" and kinds["Eddd0004"] == "Polygon" and kinds["Eeee0005"] == "MultiPolygon"
    assert gj["unlocated"] == ["Efff0006"]
    lines = [json.loads(x) for x in client.get("/incidents.jsonl?type=ACCUSE").text.splitlines()]
    assert [x["id"] for x in lines] == ["Ebbb0002"] and lines[0]["actors"][0]["name"] == "Recep Tayyip Erdoğan"


def test_map_and_timeline_data(client):
    m = client.get("/api/map").json()
    assert {p[0] for p in m["packed"]["points"]} == {"Eaaa0001", "Ebbb0002", "Eccc0003"}   # areas are never points
    assert m["packed"]["types"][m["packed"]["points"][0][3]] in ("ASSAULT", "ACCUSE")
    assert {a["name"] for a in m["areas"]} == {"Idleb", "Syria"} and m["unlocated"] == 1
    assert all(a["geometry"] for a in m["areas"])
    tl = client.get("/api/timeline?type=ASSAULT").json()
    assert tl["unit"] == "day" and sum(sum(c.values()) for _, c in tl["bins"]) == 4
    assert client.get("/api/admin?level=1").json()["features"]

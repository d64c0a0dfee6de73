"""Exports: schema fields exactly, ACLED-style CSV columns, valid GeoJSON."""
from __future__ import annotations

import csv
import json

import pytest

from sitrep.present.export import ACLED_COLUMNS, write_exports
from sitrep.records import (Actor, Count, DateInterval, Disagreement, Document, Figure, Incident, Mention, Place,
                            Published, Quote, Violation)

SARAQIB = Place("Saraqib", "SYR", "Idlib", 35.86, 36.80, "town", "geonames:163345")


def records():
    docs = [Document("d1", "a.txt", "Invented text one.", "Title one", None, "Outlet A",
                     Published("2020-02-28", "day", "stated", "Feb 28, 2020"), "en"),
            Document("d2", "b.txt", "Invented text one.", None, None, "Outlet B", Published(), "en", duplicate_of="d1")]
    ms = [Mention("d1", 0, 18, "Invented text one.", "Outlet A", "2020-02-28", "reported")]
    inc = [Incident("E1", "ASSAULT", "aerial", "reported", DateInterval("2020-02-27", "2020-02-27", "day"), SARAQIB,
                    [Actor("Russia", "Russian jets", "RUS", "MIL", "source"),
                     Actor("Turkey", "Turkish soldiers", "TUR", "MIL", "target")],
                    {"killed": Count(36, 33, 36, "at least")}, ms, 1,
                    [Disagreement("counts.killed", [{"value": 33, "doc": "d1", "outlet": "Outlet A",
                                                     "published": "2020-02-28"}])]),
           Incident("E2", "CONSULT", "meeting", "planned", DateInterval("2020-03-01", "2020-03-31", "month"), None,
                    [], {}, ms, 1)]
    figs = [Figure("F1", "displaced", 950000, 900000, 1000000, "about",
                   DateInterval("2019-12-01", "2020-02-28", "month"), None, None, ms)]
    quotes = [Quote("Q1", Actor("Someone", "a spokesman", "TUR", "GOV"), "direct", "said", "We will respond.",
                    "d1", 0, 16, "2020-02-28")]
    viol = [Violation("Moscow protocol", "cessation", "E1", Actor("Russia", "Russian jets", "RUS", "MIL", "source"),
                      "Idlib zone", "violation", "ASSAULT inside the zone after entry into force")]
    return docs, inc, figs, quotes, viol


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_jsonl_fields_exactly_per_schema(tmp_path):
    docs, inc, figs, quotes, viol = records()
    paths = write_exports(tmp_path, documents=docs, incidents=inc, figures=figs, quotes=quotes, violations=viol,
                          fmt="jsonl", meta={"run": "test"})
    assert {p.name for p in paths} == {"meta.json", "documents.jsonl", "events.jsonl", "figures.jsonl",
                                       "quotes.jsonl", "violations.jsonl"}
    meta = json.loads((tmp_path / "meta.json").read_text())
    assert meta["schema"] == "sitrep/1" and meta["documents"] == 2 and meta["events"] == 2 and meta["run"] == "test"
    assert {"generated", "pipeline_version"} <= set(meta)

    d = read_jsonl(tmp_path / "documents.jsonl")
    assert set(d[0]) == {"id", "path", "title", "author", "outlet", "published", "language", "duplicate_of", "text"}
    assert set(d[0]["published"]) == {"date", "precision", "status", "evidence"}
    assert d[1]["duplicate_of"] == "d1" and d[1]["published"]["date"] is None

    e = read_jsonl(tmp_path / "events.jsonl")
    assert len(e) == 2
    assert set(e[0]) == {"id", "type", "mode", "status", "date", "location", "actors", "counts", "mentions",
                         "sources", "disagreements"}
    assert set(e[0]["date"]) == {"start", "end", "precision", "basis"}
    assert set(e[0]["location"]) == {"name", "country", "admin1", "lat", "lon", "precision", "gazetteer_id"}
    assert set(e[0]["actors"][0]) == {"name", "text", "country", "sector", "role"}
    assert e[0]["counts"]["killed"] == {"value": 36, "min": 33, "max": 36, "qualifier": "at least"}
    assert set(e[0]["mentions"][0]) == {"doc", "outlet", "published", "sentence", "start", "end", "status"}
    assert e[0]["disagreements"][0]["field"] == "counts.killed"
    assert e[1]["location"] is None and e[1]["date"]["precision"] == "month"

    f = read_jsonl(tmp_path / "figures.jsonl")[0]
    assert set(f) == {"id", "what", "value", "min", "max", "qualifier", "period", "location", "attributed_to",
                      "mentions"}
    assert set(f["period"]) == {"start", "end", "precision"}
    q = read_jsonl(tmp_path / "quotes.jsonl")[0]
    assert set(q) == {"id", "speaker", "kind", "cue", "content", "doc", "start", "end", "date"}
    assert set(q["speaker"]) == {"name", "text", "country", "sector"}
    v = read_jsonl(tmp_path / "violations.jsonl")[0]
    assert set(v) == {"agreement", "clause", "event", "party", "zone", "status", "reason"}


def test_no_violations_file_when_none(tmp_path):
    docs, inc, figs, quotes, _ = records()
    paths = write_exports(tmp_path, documents=docs, incidents=inc, figures=figs, quotes=quotes, fmt="jsonl", meta={})
    assert "violations.jsonl" not in {p.name for p in paths}


def test_csv_acled_columns(tmp_path):
    docs, inc, *_ = records()
    [p] = write_exports(tmp_path, documents=docs, incidents=inc, fmt="csv", meta={})
    with p.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ACLED_COLUMNS
        rows = list(reader)
    assert len(rows) == 2
    r = rows[0]
    assert len(ACLED_COLUMNS) == 33 and ACLED_COLUMNS[-2:] == ["sitrep_id", "sitrep_link"]
    assert r["event_date"] == "2020-02-27" and r["actor1"] == "Russia" and r["actor2"] == "Turkey"
    # admin names from one gazetteer (UN OCHA's for Syria) whatever the place record carries
    assert r["country"] == "Syria" and r["admin1"] == "Idleb" and r["location"] == "Saraqib"
    assert r["admin2"] and r["admin3"]
    assert r["event_id_cnty"] == "SYR-E1" and r["sitrep_id"] == "E1" and r["year"] == "2020"
    assert r["iso"] == "760" and r["region"] == "Middle East"
    assert r["disorder_type"] == "Political violence" and r["sub_event_type"] == "Air/drone strike"
    # Russian forces in Syria are external forces (8), Turkish soldiers too: interaction 88
    assert r["inter1"] == "8" and r["inter2"] == "8" and r["interaction"] == "88"
    assert r["fatalities"] == "33"                    # the lowest reported toll, as ACLED does
    assert r["geo_precision"] == "1" and r["time_precision"] == "1"
    assert r["source"] == "Outlet A"
    assert r["event_type"] and r["event_type"] != "ASSAULT"     # mapped through the ontology's ACLED table
    assert rows[1]["time_precision"] == "3" and rows[1]["latitude"] == ""


def test_geojson_is_valid_feature_collection(tmp_path):
    docs, inc, *_ = records()
    p, _ = write_exports(tmp_path, documents=docs, incidents=inc, fmt="geojson", meta={})
    gj = json.loads(p.read_text())
    assert gj["type"] == "FeatureCollection" and len(gj["features"]) == 1
    [f0] = gj["features"]
    assert f0["type"] == "Feature" and f0["geometry"] == {"type": "Point", "coordinates": [36.80, 35.86]}
    assert f0["properties"]["killed"] == 36 and f0["properties"]["type"] == "ASSAULT"
    unlocated = json.loads((tmp_path / "events_unlocated.geojson").read_text())   # kept apart: no geometry
    assert [f["id"] for f in unlocated["features"]] == ["E2"]
    for f in gj["features"] + unlocated["features"]:       # QGIS needs flat properties
        assert all(not isinstance(v, (dict, list)) for v in f["properties"].values())


def test_unknown_format_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="unknown export format"):
        write_exports(tmp_path, documents=[], incidents=[], fmt="xml", meta={})


def test_province_and_country_places_carry_their_area(tmp_path):
    docs, inc, *_ = records()
    idleb = Place("Idleb", "SYR", "Idleb", 35.8, 36.6, "province", "ocha:SY07")
    syria = Place("Syria", "SYR", None, 35.0, 38.0, "country", "geonames:163843")
    inc = [Incident(f"P{k}", "ASSAULT", None, "reported", None, p, [], {}, [], 1) for k, p in enumerate((idleb, syria))]
    [p] = write_exports(tmp_path, documents=docs, incidents=inc, fmt="geojson", meta={})
    feats = json.loads(p.read_text())["features"]
    assert [f["geometry"]["type"] for f in feats] == ["Polygon", "MultiPolygon"]   # areas, never a point
    assert feats[0]["properties"]["area"] == "Idleb" and feats[1]["properties"]["area"] == "Syria"


def test_csv_cells_are_neutralised(tmp_path):
    from sitrep.present.acled import safe_cell

    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and safe_cell("@x") == "'@x"
    assert safe_cell("+1 2") == "'+1 2" and safe_cell("\tx") == "'\tx" and safe_cell("\rx") == "'\rx"
    assert safe_cell("-12.5") == "-12.5" and safe_cell(-3) == -3 and safe_cell("- a") == "'- a"
    docs, inc, *_ = records()
    inc[0].mentions = [Mention("d1", 0, 5, "=cmd|' /C calc'!A0", "@Outlet", "2020-02-28")]
    [p] = write_exports(tmp_path, documents=docs, incidents=inc[:1], fmt="csv", meta={})
    with p.open(newline="", encoding="utf-8") as fh:
        r = next(csv.DictReader(fh))
    assert r["notes"].startswith("'=") and r["source"] == "'@Outlet"

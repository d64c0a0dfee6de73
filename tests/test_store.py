import sqlite3

import pytest

from sitrep.records import (Actor, Count, DateInterval, Document, EventMention, Extraction,
                            IngestError, Incident, Mention, Place, Published, Violation)
from sitrep.store.sqlite import MIGRATIONS, SQLiteStore


def _doc(i: str, date="2020-03-06") -> Document:
    return Document(id=i, path=f"/tmp/{i}.txt", text=f"text {i}", title=f"Title {i}",
                    published=Published(date, status="stated", evidence="6 March 2020"),
                    raw_hash=f"raw-{i}")


def _incident(i: str) -> Incident:
    return Incident(id=i, type="ASSAULT", mode="aerial", status="reported",
                    date=DateInterval("2020-02-27", "2020-02-27"),
                    location=Place("Idlib", "SYR", lat=35.9, lon=36.6, precision="province"),
                    actors=[Actor("Turkey", "Turkish", "TUR", "GOV", role="target")],
                    counts={"killed": Count(36, 36, 36)},
                    mentions=[Mention("d1", 0, 10, "sentence", "WSWS", "2020-03-06")], sources=1)


def test_round_trip_of_every_record_kind(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    store.put_documents([_doc("d1"), _doc("d2", None)])
    ev = EventMention(id="d1:0", doc="d1", type="CONSULT", mode="meeting", status="planned",
                      trigger="meet", start=0, end=4, sentence="They meet.",
                      location_span=(5, 11), counts={"killed": Count(2, 2, 2, "exact")})
    store.put_extraction(Extraction("d1", events=[ev]), "v1")
    store.replace_incidents([_incident("i1")], "fp")
    store.replace_violations("Moscow", [Violation("Moscow", "c1", "i1", None, "corridor",
                                                  "possible", "province-level place")])
    reopened = SQLiteStore(tmp_path / "s.db")
    assert {d.id for d in reopened.documents()} == {"d1", "d2"}
    assert reopened.document("d1").published.evidence == "6 March 2020"
    assert reopened.extractions()[0].events[0] == ev
    assert reopened.extraction_version("d1") == "v1"
    assert reopened.incidents() == [_incident("i1")]
    assert reopened.incidents_fingerprint() == "fp"
    assert reopened.violations()[0].reason == "province-level place"
    assert reopened.known_input("raw-d1") == "d1"


def test_runs_and_errors_are_recorded(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    run = store.begin_run(["a/", "b.txt"], {"sitrep": "x"})
    store.record_errors(run, [IngestError("b.txt", "empty file")])
    store.finish_run(run, {"documents": 0})
    assert store.runs()[0]["inputs"] == ["a/", "b.txt"]
    assert store.runs()[0]["counts"] == {"documents": 0}
    assert store.errors(run) == [IngestError("b.txt", "empty file")]


def test_failed_write_leaves_store_unchanged(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    store.replace_incidents([_incident("i1")], "fp1")

    bad = _incident("i2")
    bad.date = "not an interval"          # makes the write fail half-way through the batch
    with pytest.raises(AttributeError):
        store.replace_incidents([_incident("i3"), bad], "fp2")
    assert [i.id for i in store.incidents()] == ["i1"]
    assert store.incidents_fingerprint() == "fp1"


def test_schema_is_versioned_and_refuses_newer(tmp_path):
    path = tmp_path / "s.db"
    SQLiteStore(path).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    db.commit()
    db.close()
    with pytest.raises(RuntimeError, match="newer"):
        SQLiteStore(path)

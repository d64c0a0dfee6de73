"""A small store for the workbench tests, from records we wrote (invented events at real places)."""
from __future__ import annotations

from pathlib import Path

from sitrep.records import (Actor, Count, DateInterval, Disagreement, Document, EventMention, Extraction, Figure,
                            Incident, Mention, Place, PlaceMention, Published, Quote, Violation)
from sitrep.store.sqlite import SQLiteStore

SARAQIB = Place("Saraqib", "SYR", "Idlib", 35.8646, 36.8056, "town", "geonames:163345")
ARIHA = Place("Ariha", "SYR", "Idleb", 35.8126, 36.6097, "town", "ocha:C4143")
IDLEB = Place("Idleb", "SYR", "Idleb", 35.8, 36.6, "province", "ocha:SY07")
ANKARA = Place("Ankara", "TUR", "Ankara", 39.9199, 32.8543, "town", "geonames:323786")
SYRIA = Place("Syria", "SYR", None, 35.0, 38.0, "country", "geonames:163843")

TEXTS = {
    "d1": ("Jets struck Saraqib on Monday, killing four people, the monitor said.\n"
           "Turkish President Recep Tayyip Erdoğan condemned the strike in Ankara on Tuesday.\n"
           "A resident wrote <script>alert('x')</script> and <b>bold</b> on a wall near Ariha."),
    "d2": ("Shelling hit Ariha on 3 March 2020, wounding two children.\n"
           "The strike on Saraqib killed six people, according to a local council."),
    "d3": ("Fighting was reported across Idleb province in early March.\n"
           "Clashes went on in several parts of Syria, the observers said."),
}
URLS = {"d1": "https://news.example.org/2020/03/03/strike", "d2": None, "d3": None}


def _m(doc: str, needle: str, published: str, outlet: str) -> Mention:
    text = TEXTS[doc]
    sentence = next(s for s in text.split("\n") if needle in s)
    start = text.index(needle)
    return Mention(doc, start, start + len(needle), sentence, outlet, published)


def build(path: Path) -> Path:
    """Write the store and return its path."""
    store = SQLiteStore(path)
    docs = [Document("d1", "wire/d1.txt", TEXTS["d1"], "Strike on Saraqib <i>tonight</i>", None, "Outlet A",
                     Published("2020-03-03", "day", "stated", "March 3, 2020"), "en", url=URLS["d1"],
                     evidence={"outlet": "byline 'Outlet A'"}),
            Document("d2", "local/d2.txt", TEXTS["d2"], "Ariha shelled", None, "Outlet B",
                     Published("2020-03-04", "day", "stated", "4 March 2020"), "en"),
            Document("d3", "local/d3.txt", TEXTS["d3"], "Fighting across the province", None, "Outlet C",
                     Published("2020-03-10", "day", "stated", "10 March 2020"), "en")]
    store.put_documents(docs)
    x1 = Extraction("d1", events=[EventMention("d1:0", "d1", "ASSAULT", "aerial", "reported", "struck",
                                               TEXTS["d1"].index("struck"), TEXTS["d1"].index("struck") + 6,
                                               TEXTS["d1"].split("\n")[0])],
                    places=[PlaceMention(TEXTS["d1"].index("Saraqib"), TEXTS["d1"].index("Saraqib") + 7, "Saraqib",
                                         SARAQIB)],
                    quotes=[Quote("Q1", Actor("Recep Tayyip Erdoğan", "Erdoğan", "TUR", "GOV"), "indirect",
                                  "condemned", "the strike", "d1", TEXTS["d1"].index("the strike in"),
                                  TEXTS["d1"].index("the strike in") + 10, "2020-03-03")],
                    figures=[Figure("F1", "displaced", 900000, 900000, 900000, "about", None, IDLEB, None,
                                    [_m("d1", "Jets struck", "2020-03-03", "Outlet A")])])
    store.put_extraction(x1, "test")
    store.put_extraction(Extraction("d2"), "test")
    store.put_extraction(Extraction("d3"), "test")
    erdogan = Actor("Recep Tayyip Erdoğan", "Erdoğan", "TUR", "GOV", "source")
    incidents = [
        Incident("Eaaa0001", "ASSAULT", "aerial", "reported", DateInterval("2020-03-02", "2020-03-02"), SARAQIB,
                 [Actor("Russia", "Jets", "RUS", "MIL", "source")], {"killed": Count(6, 4, 6)},
                 [_m("d1", "Jets struck Saraqib", "2020-03-03", "Outlet A"),
                  _m("d2", "The strike on Saraqib", "2020-03-04", "Outlet B")], 2,
                 [Disagreement("counts.killed", [{"value": 4, "doc": "d1", "outlet": "Outlet A", "published": "2020-03-03"},
                                                 {"value": 6, "doc": "d2", "outlet": "Outlet B", "published": "2020-03-04"}])]),
        Incident("Ebbb0002", "ACCUSE", None, "reported", DateInterval("2020-03-03", "2020-03-03"), ANKARA, [erdogan], {},
                 [_m("d1", "condemned the strike", "2020-03-03", "Outlet A")], 1),
        Incident("Eccc0003", "ASSAULT", "artillery", "reported", DateInterval("2020-03-03", "2020-03-03"), ARIHA, [],
                 {"injured": Count(2, 2, 2)}, [_m("d2", "Shelling hit Ariha", "2020-03-04", "Outlet B")], 1),
        Incident("Eddd0004", "ASSAULT", "ground", "reported", DateInterval("2020-03-01", "2020-03-10", "week"), IDLEB, [],
                 {}, [_m("d3", "Fighting was reported", "2020-03-10", "Outlet C")], 1),
        Incident("Eeee0005", "ASSAULT", "ground", "reported", DateInterval("2020-02-01", "2020-02-29", "month"), SYRIA, [],
                 {}, [_m("d3", "Clashes went on", "2020-03-10", "Outlet C")], 1),
        Incident("Efff0006", "PROTEST", None, "reported", None, None, [], {},
                 [_m("d1", "wrote <script>", "2020-03-03", "Outlet A")], 1),
    ]
    store.replace_incidents(incidents, "test")
    store.replace_violations("Test ceasefire", [
        Violation("Test ceasefire", "cessation", "Eaaa0001", Actor("Russia", "Jets", "RUS", "MIL", "source"),
                  "Idlib zone", "violation", "ASSAULT inside the zone after entry into force")])
    store.close()
    return path

"""The seed scorer on records we construct: each rule of the gold header, and each must_not form."""
from sitrep.eval.gold import check_must_not, event_matches, score
from sitrep.records import (Actor, Count, DateInterval, Document, Extraction, Figure, Incident,
                            Mention, Place, Published, Quote, Timex)

GOLD_EVENT = {"id": "G1", "doc": "a.txt", "must": True, "type": ["ASSAULT"],
              "date": {"start": "2020-02-27", "end": "2020-02-27"}, "lat": 35.85, "lon": 36.6,
              "within_km": 80, "actors": ["TUR"], "counts": {"killed": [36, 36]},
              "status": "reported"}


def _doc(doc_id="A", name="a.txt", date="2020-03-06", outlet="WSWS"):
    return Document(id=doc_id, path=f"/x/{name}", text="...", outlet=outlet,
                    published=Published(date, status="stated"))


def _incident(**over):
    base = dict(id="i", type="ASSAULT", mode=None, status="reported",
                date=DateInterval("2020-02-27", "2020-02-27"),
                location=Place("Idlib", "SYR", lat=35.9, lon=36.5, precision="province"),
                actors=[Actor("Turkey", "Turkish", "TUR", "MIL", role="target")],
                counts={"killed": Count(36, 36, 36)},
                mentions=[Mention("A", 0, 5, "s", status="reported")], sources=1)
    base.update(over)
    return Incident(**base)


def test_event_rule_checks_every_field():
    assert event_matches(GOLD_EVENT, _incident(), "A")
    assert not event_matches(GOLD_EVENT, _incident(), "B")                       # other doc
    assert not event_matches(GOLD_EVENT, _incident(type="CONSULT"), "A")
    assert not event_matches(GOLD_EVENT, _incident(date=DateInterval("2020-03-06", "2020-03-06")), "A")
    assert event_matches(GOLD_EVENT, _incident(date=DateInterval("2020-02-01", "2020-02-29", "month")), "A")
    assert not event_matches(GOLD_EVENT, _incident(location=Place("Moscow", lat=55.7, lon=37.6)), "A")
    assert not event_matches(GOLD_EVENT, _incident(actors=[]), "A")
    assert not event_matches(GOLD_EVENT, _incident(counts={"killed": Count(33, 33, 33)}), "A")
    assert event_matches(GOLD_EVENT, _incident(counts={"killed": Count(30, 24, 99, "dozens")}), "A")
    planned = _incident(status="planned", mentions=[Mention("A", 0, 5, "s", status="planned")])
    assert not event_matches(GOLD_EVENT, planned, "A")
    # what the gold's own report said counts: planned there, reported once a later report merged in
    merged = _incident(mentions=[Mention("A", 0, 5, "s", status="planned"),
                                 Mention("B", 0, 5, "s", status="reported")])
    assert event_matches(dict(GOLD_EVENT, status="planned"), merged, "A")
    assert not event_matches(dict(GOLD_EVENT, status="planned"), merged, "B")


def test_must_not_lines():
    docs = {"a.txt": _doc(), "b.txt": _doc("B", "b.txt", "2020-05-03", outlet="Anadolu Agency")}
    assert check_must_not("b.txt published 2022-01-25 (scrape)", docs, [], {}, []) is True
    assert check_must_not("b.txt published 2020-05-03 (day-first)", docs, [], {}, []) is False
    assert check_must_not("the photo credit '(Anadolu Agency)' taken as the outlet of b.txt",
                          docs, [], {}, []) is False
    agree = _incident(type="AGREE", mentions=[Mention("B", 0, 1, "s")])
    line = "an incident of type AGREE with status reported whose only mentions come from b.txt (x)"
    assert check_must_not(line, docs, [agree], {}, []) is False
    assert check_must_not(line, docs, [_incident(type="AGREE")], {}, []) is True
    timexes = {"A": Extraction("A", timexes=[Timex(0, 9, "six-hour", "DATE", "2020",
                                                   DateInterval("2020-01-01", "2020-12-31"))])}
    assert check_must_not("a date normalised from 'six-hour' or 'a million'", docs, [], timexes, []) is False
    dated_to_publication = _incident(date=DateInterval("2020-03-06", "2020-03-06", basis="publication"))
    line = "an event dated to the publication date when the text gives its own date (e.g.)"
    assert check_must_not(line, docs, [dated_to_publication], {}, [GOLD_EVENT]) is False
    assert check_must_not(line, docs, [_incident()], {}, [GOLD_EVENT]) is True
    assert check_must_not("something nobody wrote a rule for", docs, [], {}, []) is None


def test_score_counts_documents_incidents_figures_quotes():
    gold = {
        "documents": {"a.txt": {"published": {"date": "2020-03-06", "status": "stated"}},
                      "b.txt": {"published": {"status": "unknown",
                                              "estimate_within": ["2020-09-19", "2020-10-31"]}}},
        "events": [GOLD_EVENT, dict(GOLD_EVENT, id="G2", doc="b.txt", must=False)],
        "incidents": [{"id": "X", "events": ["G1", "G2"]}],
        "figures": [{"doc": "a.txt", "what": "displaced", "value": [900000, 1000000]}],
        "quotes": [{"doc": "a.txt", "speaker": "Pompeo", "country": "USA",
                    "content": "Ankara may protect its soldiers from any assault"}],
        "must_not": [],
    }
    docs = [_doc(), Document(id="B", path="/x/b.txt", text="",
                             published=Published("2020-09-20", status="estimated"))]
    merged = _incident(mentions=[Mention("A", 0, 1, "s"), Mention("B", 0, 1, "s")])
    fig = Figure("f", "displaced", 950000, 900000, 1000000, "about",
                 mentions=[Mention("A", 0, 1, "s")])
    quote = Quote("q", Actor("Mike Pompeo", "Pompeo", "USA", "GOV"), "direct", "said",
                  "Ankara may protect its soldiers from any assault, we believe", "A", 0, 10)
    result = score(gold, docs, [merged], [], [fig], [quote])
    assert result["documents"] == {"date_right": 2, "of": 2}
    assert result["events"] == {"must_found": 1, "must": 1, "credit_found": 1, "credit": 1}
    assert result["incidents"] == {"merged": 1, "of": 1}
    assert result["figures"] == {"found": 1, "of": 1}
    assert result["quotes"] == {"found": 1, "of": 1}
    split = score(gold, docs, [_incident(), _incident(mentions=[Mention("B", 0, 1, "s")])], [], [], [])
    assert split["incidents"]["merged"] == 0

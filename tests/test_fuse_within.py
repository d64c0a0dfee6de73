"""Within one report first (sitrep.fuse.within), on mentions we construct: which mentions of one report tell
the same happening, and what the report event says."""
from __future__ import annotations

from dataclasses import replace

from sitrep.config import Config
from sitrep.fuse import fuse
from sitrep.fuse.rules import load_rules
from sitrep.fuse.within import group_report, linked_arrests, representative
from sitrep.records import Actor, Count, DateInterval, Document, EventMention, Place, Published

DAYTON = Place("Dayton", "USA", "Ohio", 39.76, -84.19, "town", "geonames:4509884")
PUB = "2019-05-06"
RULES = load_rules()


def day(d: str, basis="relative", precision="day") -> DateInterval:
    return DateInterval(d, d, precision, basis)


def ev(i, start, type_="ASSAULT", date=None, place=None, counts=None, actors=(), doc="d") -> EventMention:
    return EventMention(id=f"{doc}:{i}", doc=doc, type=type_, mode=None, status="reported", trigger="x",
                        start=start, end=start + 5, sentence=f"sentence {i}", date=date or day(PUB, "publication"),
                        location=place, actors=list(actors), published=PUB,
                        counts={k: Count(v, v, v) for k, v in (counts or {}).items()})


def groups(mentions, title_end=0):
    return [[m.id for m in g.members] for g in group_report(mentions, RULES, title_end)]


def test_undated_restatement_joins_the_lead():
    lead = ev("lead", 10, date=day("2019-05-05"), place=DAYTON, counts={"shot": 3})
    later = ev("later", 400, counts={"killed": 1})           # "the shooting" further down, no date
    assert groups([lead, later]) == [["d:lead", "d:later"]]
    rep = representative(group_report([lead, later], RULES)[0], RULES)
    assert rep.date.start == "2019-05-05" and rep.location is DAYTON
    assert rep.counts["killed"].value == 1 and rep.counts["injured"].value == 2


def test_background_with_an_old_date_is_its_own_happening():
    lead = ev("lead", 10, counts={"shot": 13})              # undated: the report's current shooting
    old = ev("old", 300, date=day("2010-03-30", "explicit"), counts={"shot": 9})
    assert groups([lead, old]) == [["d:lead"], ["d:old"]]
    recent = ev("recent", 300, date=day("2019-05-05"))      # "late Sunday": the same shooting
    assert groups([lead, recent]) == [["d:lead", "d:recent"]]


def test_the_headline_joins_the_lead_not_an_earlier_background_event():
    title = ev("title", 0, counts={"killed": 2})
    lead = ev("lead", 80, date=day("2018-01-02", "explicit"), counts={"killed": 2})
    assert groups([title, lead], title_end=60) == [["d:title", "d:lead"]]


def test_statements_need_a_shared_participant():
    tur = Actor("Turkey", "Turkey", "TUR", None, "source")
    grc = Actor("Greece", "Greece", "GRC", None, "source")
    a = ev("a", 10, "REQUEST", actors=[tur])
    b = ev("b", 200, "REQUEST", actors=[grc])
    c = ev("c", 300, "REQUEST", actors=[tur])
    last_week = ev("w", 400, "REQUEST", date=DateInterval("2019-04-29", "2019-05-05", "week", "relative"),
                   actors=[tur])
    assert groups([a, b, c, last_week]) == [["d:a", "d:c"], ["d:b"], ["d:w"]]


def test_arrests_of_the_report_are_counted_with_its_attack():
    attack = ev("a", 10, date=day("2019-05-04"), counts={"killed": 1})
    arrest = ev("b", 200, "COERCE", date=day("2019-05-06"), counts={"arrested": 2})
    reps = linked_arrests([representative(g, RULES) for g in group_report([attack, arrest], RULES)])
    assert reps[0].counts["arrested"].value == 2 and reps[1].type == "COERCE"


def test_arrests_go_to_the_reports_main_attack_not_its_first_mention():
    headline = ev("h", 0, counts={})                                       # "Suspect in shooting arrested"
    older = ev("o", 100, date=day("2012-01-08", "explicit"), counts={})     # "the 2012 shooting"
    main = ev("m", 300, date=day("2019-03-12"), counts={"injured": 4})      # "four people were wounded"
    arrest = ev("b", 500, "COERCE", date=day("2019-05-02"), counts={"arrested": 1})
    reps = linked_arrests([representative(g, RULES) for g in group_report([headline, older, main, arrest], RULES)])
    assert [r.id for r in reps if "arrested" in r.counts and r.type == "ASSAULT"] == ["d:m"]


def test_two_happenings_of_one_report_never_fuse_across_reports():
    docs = [Document(id="d", path="d.txt", text="x", outlet="A", published=Published(PUB, "day", "stated")),
            Document(id="e", path="e.txt", text="y", outlet="B", published=Published(PUB, "day", "stated"))]
    shooting = ev("a", 10, date=day("2019-05-05"), place=DAYTON)
    arrest = ev("b", 200, "COERCE", date=day("2019-05-05"), place=DAYTON)   # ASSAULT and COERCE: one family
    other = replace(ev("c", 10, date=day("2019-05-05"), place=DAYTON), doc="e", id="e:c")
    out = fuse([shooting, arrest, other], docs, Config())
    docs_per_incident = sorted(sorted(m.doc for m in i.mentions) for i in out)
    assert docs_per_incident == [["d"], ["d", "e"]]


def test_two_towns_of_one_report_are_two_strikes():
    town_a = Place("Ariha", "SYR", "Idleb", 35.81, 36.61, "town", "ocha:a")
    town_b = Place("Sarja", "SYR", "Idleb", 35.76, 36.58, "town", "ocha:b")
    province = Place("Idleb", "SYR", "Idleb", 35.75, 36.63, "province", "ocha:SY07")
    a = ev("a", 10, place=town_a)
    b = ev("b", 200, place=town_b)          # also undated, 6 km away: another strike
    c = ev("c", 300, place=province)        # "in Idlib": agrees with the first
    assert groups([a, b, c]) == [["d:a", "d:c"], ["d:b"]]


def test_victims_named_one_at_a_time_are_one_shooting_two_shooters_are_two():
    def person(name, role):
        return Actor(name=name, text=name, role=role)
    hart = ev("hart", 10, date=day("2019-05-05"), place=DAYTON, actors=[person("Ann Hart", "target")])
    swiger = ev("swiger", 200, date=day("2019-05-05"), place=DAYTON, actors=[person("Fred Swiger", "target")])
    assert groups([hart, swiger]) == [["d:hart", "d:swiger"]]
    by_a = ev("a", 10, date=day("2019-05-05"), place=DAYTON, actors=[person("Tom Reed", "source")])
    by_b = ev("b", 200, date=day("2019-05-05"), place=DAYTON, actors=[person("Joe Mack", "source")])
    assert groups([by_a, by_b]) == [["d:a"], ["d:b"]]

"""Fusion of event mentions into incidents, on mentions we construct."""
from __future__ import annotations

from sitrep.config import Config
from sitrep.fuse import compare_figures, copy_groups, fuse
from sitrep.fuse.rules import actors_conflict, places_agree
from sitrep.records import (Actor, Count, DateInterval, Document, EventMention, Figure, Mention, Place,
                            Published)

MOSCOW = Place("Moscow", "RUS", "Moscow", 55.75, 37.62, "town", "geonames:524901")
SARAQIB = Place("Saraqib", "SYR", "Idlib", 35.86, 36.80, "town", "geonames:163345")
ARIHA = Place("Ariha", "SYR", "Idlib", 35.81, 36.61, "town", "geonames:173480")   # ~18 km from Saraqib
ALEPPO = Place("Aleppo", "SYR", "Aleppo", 36.20, 37.16, "town", "geonames:170063")
IDLIB_PROV = Place("Idlib Governorate", "SYR", "Idlib", 35.75, 36.63, "province", "geonames:169388")

RUS = Actor("Russia", "Russian", "RUS", "GOV", "source")
TUR = Actor("Turkey", "Turkish", "TUR", "GOV", "target")


def day(d: str, precision="day") -> DateInterval:
    return DateInterval(d, d, precision)


def doc(i: str, outlet: str, published: str | None, text: str | None = None, duplicate_of=None) -> Document:
    return Document(id=i, path=f"{i}.txt", text=text or f"text of {i}", outlet=outlet,
                    published=Published(published, "day", "stated" if published else "unknown"),
                    duplicate_of=duplicate_of)


def ev(i, d, type_="ASSAULT", date=None, place=None, actors=(), status="reported", mode=None, counts=None,
       published=None, outlet=None) -> EventMention:
    return EventMention(id=i, doc=d, type=type_, mode=mode, status=status, trigger="x", start=0, end=5,
                        sentence=f"sentence {i}", date=date, location=place, actors=list(actors),
                        counts=counts or {}, published=published, outlet=outlet)


def by_members(incidents):
    return sorted(sorted(m.doc for m in i.mentions) for i in incidents)


CFG = Config()


def test_planned_and_reported_meeting_merge_as_reported():
    docs = [doc("a", "Outlet A", "2020-03-05"), doc("b", "Outlet B", "2020-03-06")]
    planned = ev("a1", "a", "CONSULT", day("2020-03-05"), MOSCOW, [RUS, TUR], "planned", "meeting")
    held = ev("b1", "b", "CONSULT", day("2020-03-05"), MOSCOW, [TUR, RUS], "reported", "meeting")
    out = fuse([planned, held], docs, CFG)
    assert len(out) == 1
    inc = out[0]
    assert inc.status == "reported"
    assert inc.sources == 2
    assert {m.status for m in inc.mentions} == {"planned", "reported"}
    assert [m.outlet for m in inc.mentions] == ["Outlet A", "Outlet B"]   # filled from the documents


def test_latest_status_wins_even_when_listed_first():
    docs = [doc("a", "A", "2020-03-06"), doc("b", "B", "2020-03-04")]
    out = fuse([ev("a1", "a", "CONSULT", day("2020-03-05"), MOSCOW, status="reported"),
                ev("b1", "b", "CONSULT", day("2020-03-05"), MOSCOW, status="planned")], docs, CFG)
    assert len(out) == 1 and out[0].status == "reported"


def test_month_precision_overlaps_a_day_in_it():
    docs = [doc("a", "A", "2020-03-01"), doc("b", "B", "2020-02-28")]
    month = ev("a1", "a", date=DateInterval("2020-02-01", "2020-02-29", "month"), place=SARAQIB, actors=[RUS])
    precise = ev("b1", "b", date=day("2020-02-27"), place=SARAQIB, actors=[RUS])
    out = fuse([month, precise], docs, CFG)
    assert len(out) == 1
    assert out[0].date.start == out[0].date.end == "2020-02-27"
    assert out[0].date.precision == "day"
    assert not [d for d in out[0].disagreements if d.field == "date"]


def test_month_mention_does_not_chain_two_days():
    docs = [doc(x, x.upper(), "2020-03-01") for x in "abc"]
    out = fuse([ev("a1", "a", date=day("2020-02-20"), place=SARAQIB),
                ev("b1", "b", date=day("2020-02-27"), place=SARAQIB),
                ev("c1", "c", date=DateInterval("2020-02-01", "2020-02-29", "month"), place=SARAQIB)], docs, CFG)
    assert len(out) == 2
    assert ["a", "b"] not in by_members(out)


def test_different_days_do_not_merge():
    docs = [doc("a", "A", "2020-03-01"), doc("b", "B", "2020-03-01")]
    out = fuse([ev("a1", "a", date=day("2020-02-26"), place=SARAQIB, actors=[RUS]),
                ev("b1", "b", date=day("2020-02-27"), place=SARAQIB, actors=[RUS])], docs, CFG)
    assert len(out) == 2


def test_places_farther_than_fusion_km_do_not_merge_nearer_do():
    docs = [doc("a", "A", "2020-03-01"), doc("b", "B", "2020-03-01"), doc("c", "C", "2020-03-01")]
    mentions = [ev("a1", "a", date=day("2020-02-27"), place=SARAQIB),
                ev("c1", "c", date=day("2020-02-27"), place=ALEPPO)]      # ~58 km from Saraqib
    assert len(fuse(mentions, docs, CFG)) == 2
    mentions = [ev("a1", "a", date=day("2020-02-27"), place=SARAQIB),
                ev("b1", "b", date=day("2020-02-27"), place=ARIHA)]
    assert len(fuse(mentions, docs, CFG)) == 1
    assert len(fuse(mentions, docs, CFG.with_(fusion_km=5.0))) == 2


def test_town_inside_province_merges_and_town_keeps_the_place():
    docs = [doc("a", "A", "2020-03-01"), doc("b", "B", "2020-03-01")]
    out = fuse([ev("a1", "a", date=day("2020-02-27"), place=IDLIB_PROV),
                ev("b1", "b", date=day("2020-02-27"), place=SARAQIB)], docs, CFG)
    assert len(out) == 1
    assert out[0].location.name == "Saraqib"
    assert not [d for d in out[0].disagreements if d.field == "location"]
    # a town in another province does not merge with the province
    out = fuse([ev("a1", "a", date=day("2020-02-27"), place=IDLIB_PROV),
                ev("b1", "b", date=day("2020-02-27"), place=ALEPPO)], docs, CFG)
    assert len(out) == 2


def test_conflicting_actors_do_not_merge():
    docs = [doc("a", "A", "2020-03-01"), doc("b", "B", "2020-03-01")]
    syr = Actor("Syrian Arab Army", "regime forces", "SYR", "MIL", "source")
    tur_src = Actor("Turkish Armed Forces", "Turkish army", "TUR", "MIL", "source")
    out = fuse([ev("a1", "a", date=day("2020-02-27"), place=SARAQIB, actors=[syr]),
                ev("b1", "b", date=day("2020-02-27"), place=SARAQIB, actors=[tur_src])], docs, CFG)
    assert len(out) == 2
    # an unnamed perpetrator does not conflict
    anon = Actor(None, "unidentified gunmen", None, None, "source")
    out = fuse([ev("a1", "a", date=day("2020-02-27"), place=SARAQIB, actors=[syr]),
                ev("b1", "b", date=day("2020-02-27"), place=SARAQIB, actors=[anon])], docs, CFG)
    assert len(out) == 1


def test_reports_naming_different_victims_of_one_attack_merge():
    docs = [doc("a", "A", "2020-03-01"), doc("b", "B", "2020-03-01")]
    one = Actor("Leila Haddad", "Leila Haddad", None, "CVL", "target")
    other = Actor("Omar Saleh", "Omar Saleh", None, "CVL", "target")
    out = fuse([ev("a1", "a", date=day("2020-02-27"), place=SARAQIB, actors=[one]),
                ev("b1", "b", date=day("2020-02-27"), place=SARAQIB, actors=[other])], docs, CFG)
    assert len(out) == 1
    # talks with different counterparts stay apart
    out = fuse([ev("a1", "a", type_="CONSULT", date=day("2020-02-27"), place=MOSCOW, actors=[RUS, TUR]),
                ev("b1", "b", type_="CONSULT", date=day("2020-02-27"), place=MOSCOW,
                   actors=[RUS, Actor("Iran", "Iranian", "IRN", "GOV", "target")])], docs, CFG)
    assert len(out) == 2


def test_symmetric_types_ignore_roles_but_not_different_pairs():
    a = [Actor("Russia", "Russia", "RUS", "GOV", "source"), Actor("Turkey", "Turkey", "TUR", "GOV", "target")]
    b = [Actor("Turkey", "Turkey", "TUR", "GOV", "source"), Actor("Russia", "Russia", "RUS", "GOV", "target")]
    c = [Actor("Turkey", "Turkey", "TUR", "GOV", "source"), Actor("France", "France", "FRA", "GOV", "target")]
    assert not actors_conflict(a, b, symmetric=True)
    assert actors_conflict(a, b, symmetric=False)
    assert actors_conflict(a, c, symmetric=True)


def test_copies_count_once_in_sources():
    docs = [doc("a", "A", "2020-03-01"), doc("b", "B", "2020-03-01", duplicate_of="a"),
            doc("c", "C", "2020-03-02", text="identical wire text"), doc("d", "D", "2020-03-02", text="identical wire text"),
            doc("e", "A", "2020-03-03")]  # same outlet as a
    groups = copy_groups(docs)
    assert groups["a"] == groups["b"] == groups["e"] and groups["c"] == groups["d"] and groups["a"] != groups["c"]
    out = fuse([ev(f"{x}1", x, date=day("2020-02-27"), place=SARAQIB) for x in "abcde"], docs, CFG)
    assert len(out) == 1 and len(out[0].mentions) == 5
    assert out[0].sources == 2


def test_killed_disagreement_lists_each_value_with_outlet_and_date_in_order():
    docs = [doc("a", "Outlet A", "2020-02-28"), doc("b", "Outlet B", "2020-02-27"), doc("c", "Outlet C", "2020-03-01")]
    k = lambda n: {"killed": Count(n, n, n)}    # noqa: E731
    out = fuse([ev("c1", "c", date=day("2020-02-27"), place=SARAQIB, counts=k(36)),
                ev("a1", "a", date=day("2020-02-27"), place=SARAQIB, counts=k(33)),
                ev("b1", "b", date=day("2020-02-27"), place=SARAQIB, counts=k(22))], docs, CFG)
    assert len(out) == 1
    inc = out[0]
    killed = [d for d in inc.disagreements if d.field == "counts.killed"]
    assert len(killed) == 1
    assert [(v["value"], v["outlet"], v["published"]) for v in killed[0].values] == [
        (22, "Outlet B", "2020-02-27"), (33, "Outlet A", "2020-02-28"), (36, "Outlet C", "2020-03-01")]
    assert inc.counts["killed"].value == 36        # the latest report's toll


def test_agreeing_counts_are_not_a_disagreement():
    docs = [doc("a", "A", "2020-02-28"), doc("b", "B", "2020-02-27")]
    k = {"killed": Count(5, 5, 5)}
    out = fuse([ev("a1", "a", date=day("2020-02-27"), counts=k), ev("b1", "b", date=day("2020-02-27"), counts=k)],
               docs, CFG)
    assert len(out) == 1 and out[0].disagreements == []


def test_undated_mention_joins_the_one_fitting_incident():
    docs = [doc("a", "A", "2020-03-06"), doc("b", "B", None)]
    both = [Actor("Russia", "Russia", "RUS", "GOV"), Actor("Turkey", "Turkey", "TUR", "GOV")]
    dated = ev("a1", "a", "AGREE", day("2020-03-05"), MOSCOW, both, mode="ceasefire")
    undated = ev("b1", "b", "AGREE", None, None, both, mode="ceasefire")
    other = ev("b2", "b", "ASSAULT", None, None, both)
    out = fuse([dated, undated, other], docs, CFG)
    assert by_members(out) == [["a", "b"], ["b"]]
    merged = next(i for i in out if len(i.mentions) == 2)
    assert merged.type == "AGREE" and merged.date.start == "2020-03-05"


def test_different_types_do_not_merge_and_families_do():
    docs = [doc("a", "A", "2020-03-01"), doc("b", "B", "2020-03-01")]
    out = fuse([ev("a1", "a", "CONSULT", day("2020-03-05"), MOSCOW),
                ev("b1", "b", "AGREE", day("2020-03-05"), MOSCOW)], docs, CFG)
    assert len(out) == 2
    out = fuse([ev("a1", "a", "ASSAULT", day("2020-03-05"), SARAQIB),
                ev("b1", "b", "COERCE", day("2020-03-05"), SARAQIB)], docs, CFG)
    assert len(out) == 1


def test_places_agree_rules():
    assert places_agree(None, SARAQIB, 25)
    assert places_agree(SARAQIB, ARIHA, 25) and not places_agree(SARAQIB, ALEPPO, 25)
    assert places_agree(IDLIB_PROV, SARAQIB, 25) and not places_agree(IDLIB_PROV, ALEPPO, 25)
    assert not places_agree(MOSCOW, SARAQIB, 5000)      # different countries
    syria = Place("Syria", "SYR", None, 35.0, 38.0, "country")
    assert places_agree(syria, ALEPPO, 25)


def test_compare_figures_merges_across_outlets_with_disagreement():
    docs = [doc("a", "A", "2020-03-06"), doc("b", "B", "2020-03-03"), doc("c", "C", "2020-03-03")]
    period = DateInterval("2019-12-01", "2020-03-06", "month")
    def fig(i, d, pub, lo, hi, what="displaced"):
        return Figure(i, what, hi, lo, hi, "about", period, None, None,
                      [Mention(d, 0, 5, "s", outlet=d.upper(), published=pub)])
    out = compare_figures([fig("f1", "a", "2020-03-06", 900000, 1000000), fig("f2", "b", "2020-03-03", 950000, 950000),
                           fig("f3", "b", "2020-03-03", 100, 100), fig("f4", "c", "2020-03-03", 58, 58, "killed")],
                          docs)
    displaced = [f for f in out if f.what == "displaced"]
    assert len(displaced) == 2                      # one source's two numbers are two quantities
    merged = next(f for f in displaced if len(f.mentions) == 2)
    assert merged.value == 1000000                  # the latest report
    [d] = merged.disagreements
    assert [(v["value"], v["outlet"]) for v in d.values] == [(950000, "B"), (1000000, "A")]
    assert len([f for f in out if f.what == "killed"]) == 1


def test_hypothetical_and_denied_mentions_stay_apart():
    docs = [doc("a", "A", "2020-03-04"), doc("b", "B", "2020-03-06"), doc("c", "C", "2020-03-06")]
    out = fuse([ev("a1", "a", "CONSULT", day("2020-03-05"), MOSCOW, [RUS], "hypothetical"),
                ev("b1", "b", "CONSULT", day("2020-03-05"), MOSCOW, [RUS], "reported"),
                ev("c1", "c", "CONSULT", day("2020-03-05"), MOSCOW, [RUS], "denied")], docs, CFG)
    assert by_members(out) == [["a"], ["b"], ["c"]]


def test_agreement_signed_in_one_place_for_another_merges_on_shared_parties():
    docs = [doc("a", "A", "2020-03-06"), doc("b", "B", "2020-09-19")]
    both = [Actor("Russia", "Russia", "RUS", "GOV"), Actor("Turkey", "Turkey", "TUR", "GOV")]
    out = fuse([ev("a1", "a", "AGREE", day("2020-03-05"), IDLIB_PROV, both, mode="ceasefire"),
                ev("b1", "b", "AGREE", day("2020-03-05"), MOSCOW, both[:1], mode="ceasefire")], docs, CFG)
    assert len(out) == 1
    # without a shared party the places decide, and they differ
    out = fuse([ev("a1", "a", "AGREE", day("2020-03-05"), IDLIB_PROV, mode="ceasefire"),
                ev("b1", "b", "AGREE", day("2020-03-05"), MOSCOW, mode="ceasefire")], docs, CFG)
    assert len(out) == 2
    # an attack is not an agreement: places stay hard
    out = fuse([ev("a1", "a", "ASSAULT", day("2020-03-05"), ALEPPO, [RUS]),
                ev("b1", "b", "ASSAULT", day("2020-03-05"), MOSCOW, [RUS])], docs, CFG)
    assert len(out) == 2


def test_vague_mention_needs_evidence_to_join_a_precise_incident():
    docs = [doc("a", "A", "2020-03-01"), doc("b", "B", "2020-03-01")]
    month = DateInterval("2020-02-01", "2020-02-29", "month")
    out = fuse([ev("a1", "a", date=day("2020-02-27"), place=SARAQIB, actors=[RUS]),
                ev("b1", "b", date=month)], docs, CFG)             # no place, no actor: stays apart
    assert len(out) == 2
    out = fuse([ev("a1", "a", date=day("2020-02-27"), place=SARAQIB),
                ev("b1", "b", date=month, place=ARIHA)], docs, CFG)   # known places that agree
    assert len(out) == 1


def test_two_villages_of_one_name_far_apart_do_not_merge():
    a = Place("Tal Hamid", "SYR", "Idlib", 35.90, 36.60, "town", "geonames:1")
    b = Place("Tal Hamid", "SYR", "Al-Hasakeh", 36.70, 40.70, "town", "geonames:2")
    assert not places_agree(a, b, 25)
    assert places_agree(a, Place("Tal Hamid", "SYR"), 25)        # no coordinates: the name decides


def test_blocking_finds_the_same_incidents_as_comparing_everything(monkeypatch):
    """The date/place blocking is an index, not an approximation: same clusters as the all-pairs search."""
    import random
    from sitrep.fuse import cluster as CL
    from sitrep.fuse.rules import load_rules
    rnd = random.Random(7)
    mentions = []
    for k in range(1500):
        d = f"2020-0{rnd.randint(1, 3)}-{rnd.randint(1, 28):02d}"
        iv = DateInterval(d[:8] + "01", d[:8] + "28", "month") if rnd.random() < 0.1 else day(d)
        lat, lon = 35 + rnd.random() * 2, 36 + rnd.random() * 2
        place = None if rnd.random() < 0.05 else (IDLIB_PROV if rnd.random() < 0.05 else
                                                   Place(f"p{k}", "SYR", None, lat, lon, "town"))
        actors = [Actor(c, c, c, "MIL", "source") for c in rnd.sample(["SYR", "TUR", "RUS"], rnd.randint(0, 1))]
        mentions.append(ev(f"m{k}", f"d{k % 300}", rnd.choice(["ASSAULT", "AGREE", "CONSULT"]), iv, place, actors))
    rules = load_rules()
    blocked = {frozenset(m.id for m in c) for c in CL.cluster_mentions(mentions, rules, 25.0)}
    monkeypatch.setattr(CL, "_query_cells", lambda place, deg, soft: None)
    everything = {frozenset(m.id for m in c) for c in CL.cluster_mentions(mentions, rules, 25.0)}
    assert blocked == everything
    assert len(blocked) < len(mentions)         # some merging happened, so the comparison means something


def test_a_count_for_part_of_a_period_is_not_merged_with_the_count_for_all_of_it():
    from sitrep.fuse import compare_figures
    from sitrep.records import DateInterval, Document, Figure, Mention, Published

    docs = [Document("a", "a.txt", "x", outlet="A", published=Published("2020-01-05", status="stated")),
            Document("b", "b.txt", "y", outlet="B", published=Published("2020-03-05", status="stated")),
            Document("c", "c.txt", "z", outlet="C", published=Published("2020-03-06", status="stated"))]

    def fig(i, doc, value, start, end):
        return Figure(i, "displaced", value, value, value, "exact", DateInterval(start, end, "day"),
                      mentions=[Mention(doc, 0, 1, "s", published=docs[ord(doc) - 97].published.date)])

    two_weeks = fig("f1", "a", 235000, "2019-12-12", "2019-12-25")
    since_dec_b = fig("f2", "b", 950000, "2019-12-01", "2020-03-05")
    since_dec_c = fig("f3", "c", 1000000, "2019-12-01", "2020-03-06")
    out = compare_figures([two_weeks, since_dec_b, since_dec_c], docs)
    assert len(out) == 2
    merged = next(f for f in out if len(f.mentions) == 2)
    assert {m.doc for m in merged.mentions} == {"b", "c"}
    assert [v["value"] for v in merged.disagreements[0].values] == [950000, 1000000]


def test_a_town_is_inside_its_province_whatever_the_gazetteer_spells_it():
    town = Place("Kafranbel", "SYR", "Idlib", 35.61, 36.56, "town", "geonames:168661")   # GeoNames spelling
    province = Place("Idleb", "SYR", "Idleb", 35.85, 36.6, "province", "ocha:SY07")       # OCHA spelling
    elsewhere = Place("Hama", "SYR", "Hama", 35.13, 36.75, "province", "ocha:SY05")
    assert places_agree(town, province, 25.0) and places_agree(province, town, 25.0)
    assert not places_agree(town, elsewhere, 25.0)

"""Casualty and arrest counts read from the victims' noun phrases (sitrep.extract.counts), on sentences we
wrote, each for one rule; then how a report's counts and several reports' counts are combined."""
import pytest

from sitrep.extract.counts import count_statements, derive_counts
from sitrep.extract.events import extract_events
from sitrep.fuse import _counts, report_counts
from sitrep.kb import KnowledgeBase
from sitrep.records import Count, EventMention


@pytest.fixture(scope="module")
def lex():
    return KnowledgeBase.load().ontology.casualties()


@pytest.fixture(scope="module")
def kb():
    return KnowledgeBase.load()


def _counts_of(annotate, lex, text):
    ann = annotate(text)
    sent = next(iter(ann.nlp_doc.sents))
    return {(st.kind, st.count.value) for st in count_statements(sent, lex)}


@pytest.mark.parametrize("text, expected", [
    # passive subject, a singular person noun; the age is not a count
    ("A 7-year-old boy was shot and killed on Sunday near the park.", {("shot", 1), ("killed", 1)}),
    # a number on the verb with a fatal adverb
    ("Three men were shot, one fatally, near the gas station.", {("shot", 3), ("killed", 1)}),
    # conjuncts add up; "found dead" is a killing
    ("A grandmother and her two grandsons were found dead in the apartment.", {("killed", 3)}),
    # a result verb leaves its object in a state; a reduced passive with a counted subject
    ("The explosion left one guard dead and seven other people wounded.", {("killed", 1), ("injured", 7)}),
    # an appositive age is not a count of arrests
    ("Officers arrested Maria Lopez, 27, after a short chase.", {("arrested", 1)}),
    # vague quantities and qualifiers
    ("Militants killed at least 14 villagers and wounded dozens of others.", {("killed", 14), ("injured", 24)}),
    # nobody
    ("Nobody was hurt when the rounds hit the wall.", {("injured", 0)}),
    # intransitive "die"
    ("Two passengers died at the scene.", {("killed", 2)}),
    # "the deaths of"
    ("The deaths of five workers shocked the town.", {("killed", 5)}),
    # taken into custody
    ("Two teenagers were taken into custody late Tuesday.", {("arrested", 2)}),
    ("Six protesters were detained by the police.", {("detained", 6)}),
    # in or to a hospital; suffering wounds
    ("Two other hikers were flown to a hospital in the city.", {("injured", 2)}),
    ("A woman and her son are in the hospital.", {("injured", 2)}),
    ("The clerk suffered a gunshot wound to the arm.", {("injured", 1)}),
    # charges faced; surrender
    ("Both brothers face murder charges.", {("arrested", 2)}),
    ("The driver turned himself in on Monday.", {("arrested", 1)}),
    # a dateline parsed as a second subject is not the victims
    ("DAYTON (WXYZ) – Three people were hospitalized after a shooting Friday, police say.", {("injured", 3)}),
    # "N others in the hospital" left by the attack
    ("The shooting left one man dead and two others in the hospital.", {("killed", 1), ("injured", 2)}),
    # a relative pronoun stands for its antecedent; "one of N ... hospitalized": the N were
    ("He was one of four people who were wounded near the bar.", {("injured", 4)}),
    ("The boy was one of three teens hospitalized after the crash.", {("injured", 3)}),
    # a reduced relative parsed as the main verb (the real predicate follows with no subject)
    ("A college athlete shot twice on Friday is expected to recover.", {("shot", 1)}),
    # incidents whose name counts their victims
    ("The triple shooting left the block shaken.", {("shot", 3)}),
    ("Neighbors were shocked by the apparent murder-suicide.", {("killed", 2)}),
    # lives claimed, taken or cost are killings
    ("The shooting claimed the life of a 19-year-old man.", {("killed", 1)}),
    ("The attack cost 12 lives.", {("killed", 12)}),
])
def test_count_statements(annotate, lex, text, expected):
    assert _counts_of(annotate, lex, text) == expected


def test_the_shooters_own_death_is_one_more_killed(annotate, kb):
    ev = extract_events(annotate("Police say a man killed his brother and a neighbor before turning the gun on "
                                 "himself."), kb)
    assert [e.counts["killed"].value for e in ev if e.type == "ASSAULT"] == [3]


def test_street_numbers_and_years_are_no_counts(annotate, lex):
    found = _counts_of(annotate, lex, "In 2015 a man was stabbed on the 4300 block of Pine Road.")
    assert found == set()


def test_counted_part_goes_to_its_own_event(annotate, kb):
    ev = extract_events(annotate("At least 30 guards have died along the border since March, including 9 in "
                                 "a raid near the river on May 2."), kb)
    raid = [e for e in ev if e.trigger == "raid"]
    assert raid and raid[0].counts["killed"].value == 9


def test_casualties_without_a_named_attack_are_an_assault(annotate, kb):
    ev = extract_events(annotate("Four bodies were found dead in a field outside the village."), kb)
    assert [e.type for e in ev] == ["ASSAULT"] and ev[0].counts["killed"].value == 4


def test_shot_minus_killed_is_injured():
    c = derive_counts({"shot": Count(4, 4, 4), "killed": Count(1, 1, 1)})
    assert c["injured"].value == 3 and "shot" not in c
    # a larger stated injured count wins; a smaller one is about some of the survivors
    assert derive_counts({"shot": Count(4, 4, 4), "injured": Count(5, 5, 5)})["injured"].value == 5
    assert derive_counts({"shot": Count(4, 4, 4), "injured": Count(2, 2, 2)})["injured"].value == 4
    # everyone shot was killed: no injured
    assert "injured" not in derive_counts({"shot": Count(1, 1, 1), "killed": Count(1, 1, 1)})


def test_detained_counts_as_arrested_only_without_an_arrest():
    assert derive_counts({"detained": Count(9, 9, 9), "arrested": Count(1, 1, 1)})["arrested"].value == 1
    assert derive_counts({"detained": Count(9, 9, 9)})["arrested"].value == 9


def _m(doc, published, **counts):
    return EventMention(id=f"{doc}:0", doc=doc, type="ASSAULT", mode=None, status="reported", trigger="x",
                        start=0, end=1, sentence="x", published=published,
                        counts={k: Count(v, v, v) for k, v in counts.items()})


def test_report_counts_take_the_largest_statement_of_the_report():
    # the lead's total, not a later sentence about one victim
    assert report_counts([_m("a", "2020-01-02", killed=3), _m("a", "2020-01-02", killed=1)])["killed"].value == 3


def test_fused_counts_never_combine_fields_of_different_reports():
    # a rising toll: the latest report's value, min and max over the reports
    c = _counts([_m("a", "2020-01-01", killed=9), _m("b", "2020-01-03", killed=36)], {})
    assert (c["killed"].value, c["killed"].min, c["killed"].max, c["killed"].basis) == (36, 9, 36, "latest report")
    # same-day reports that conflict: the lowest
    c = _counts([_m("a", "2020-01-01", killed=5), _m("b", "2020-01-01", killed=7)], {})
    assert c["killed"].value == 5 and c["killed"].basis == "lowest of 2 reports"
    # copies of one report count once
    c = _counts([_m("a", "2020-01-01", killed=5), _m("b", "2020-01-02", killed=5)], {"b": "a"})
    assert c["killed"].basis is None


def test_a_sum_over_several_incidents_is_no_incident(annotate, kb):
    ev = extract_events(annotate("The four stabbings that injured nine people this month alarmed residents."), kb)
    assert not [e for e in ev if e.counts.get("injured")]
    ev = extract_events(annotate("Two airstrikes killed six people in the market on Monday."), kb)
    assert [e.counts["killed"].value for e in ev if e.type == "ASSAULT"] == [6]


def test_a_toll_so_far_this_year_is_no_incident(annotate, kb):
    assert not extract_events(annotate("More than 700 people have been killed so far this year in the city."), kb)
    assert extract_events(annotate("Five people were killed on Saturday in the city."), kb)


def test_planned_killings_count_nobody():
    planned = _m("a", "2020-01-02", killed=300)
    planned.status = "planned"
    assert "killed" not in report_counts([planned, _m("a", "2020-01-02", injured=2)])

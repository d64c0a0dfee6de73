"""When: the interval of every event mention and the publication date of undated reports, one rule per test,
on sentences written for these tests (sitrep.annotate.timex, sitrep.extract.time, sitrep.resolve.dates,
sitrep.ingest.pubdate / estimate)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from sitrep.annotate.timex import tag
from sitrep.config import Config
from sitrep.ingest import RawInput, estimate_dates, to_document
from sitrep.kb import KnowledgeBase
from sitrep.records import Published
from sitrep.resolve.dates import date_rule, event_date

THU = "2016-07-28"      # a Thursday
MON = "2021-06-07"      # a Monday


def _tx(text, anchor=THU):
    return {t.text: t for t in tag(text, anchor)}


# --------------------------------------------------------------------------- numbers that are not years
@pytest.mark.parametrize("text, number", [
    ("Two men were shot in the 1500 block of Larch Avenue.", "1500"),
    ("Firefighters found the body at 2036 Quince Avenue on Monday.", "2036"),
    ("The house at 1617 Northeast 17th Street was searched.", "1617"),
    ("The crash closed Route 1600 near the border.", "1600"),
    ("Donations can be sent to P.O. Box 1576 in the city.", "1576"),
    ("Copyright 2014 Example Radio Inc. All rights reserved.", "2014"),
    ("(© 2016 Example TV)", "2016"),
    ("Officials said between 1000 and 1800 people had fled.", "1800"),
    ("He was charged under case 2015 and fined.", "2015"),
])
def test_house_numbers_routes_boxes_copyright_and_counts_are_no_years(text, number):
    assert number not in _tx(text)


@pytest.mark.parametrize("text, year", [
    ("In 2015, police recorded more shootings.", "2015"),
    ("The 2014 shooting left three dead.", "2014"),
    ("Troops withdrew after the 2019 Tigris offensive.", "2019"),
])
def test_years_stay_years(text, year):
    assert _tx(text)[year].value == year


def test_an_age_and_a_clock_time_are_no_dates():
    tx = _tx("John Roe, 21, was shot at 11:40 p.m. near the station.")
    assert "21" not in tx
    assert tx["11:40 p.m."].interval is None        # a clock time alone names no day


# --------------------------------------------------------------------------- relative expressions
@pytest.mark.parametrize("text, phrase, start, end", [
    ("A man was shot early Monday near the school.", "early Monday", "2016-07-25", "2016-07-25"),
    ("A woman was killed Tuesday night in her home.", "Tuesday night", "2016-07-26", "2016-07-26"),
    ("Police said the robbery happened late Saturday.", "late Saturday", "2016-07-23", "2016-07-23"),
    ("The suspect was arrested Thursday.", "Thursday", "2016-07-28", "2016-07-28"),   # same day: news style
    ("The suspect will appear in court Monday.", "Monday", "2016-08-01", "2016-08-01"),
    ("He was shot last Friday outside a bar.", "last Friday", "2016-07-22", "2016-07-22"),
    ("Two people were wounded last week.", "last week", "2016-07-18", "2016-07-24"),
    ("Earlier this month, gunmen raided a farm.", "Earlier this month", "2016-07-01", "2016-07-28"),
    ("The fire started June 15 near the mill.", "June 15", "2016-06-15", "2016-06-15"),
    ("The shooting happened this weekend, police say.", "this weekend", "2016-07-23", "2016-07-24"),
    ("Residents will march this weekend.", "this weekend", "2016-07-30", "2016-07-31"),
    # a modal perfect ("may have been") is past: the weekend before, not the next
    ("A feud may have been behind the shooting over the weekend.", "the weekend", "2016-07-23", "2016-07-24"),
])
def test_relative_expressions_against_publication_and_tense(text, phrase, start, end):
    iv = _tx(text)[phrase].interval
    assert (iv.start, iv.end) == (start, end)


def test_anaphoric_days_take_the_last_date_told():
    tx = _tx("The boy was shot on Saturday. He died the next day, and his brother was arrested on the same day.")
    assert tx["the next day"].interval.start == "2016-07-24"
    assert tx["the same day"].interval.start == "2016-07-24"
    tx = _tx("The trial opened on July 12. The witness had left the city the day before.")
    assert tx["the day before"].interval.start == "2016-07-11"


def test_a_yearless_day_takes_the_year_the_text_writes_for_it():
    tx = _tx("The raid took place on March 13, 2014. Two guards were wounded on Mar. 13 at the gate.")
    assert tx["Mar. 13"].interval.start == "2014-03-13"


def test_the_day_after_a_named_day():
    assert _tx("She was killed the day after Thanksgiving.", "2016-11-30")["the day after Thanksgiving"].value \
        == "2016-11-25"
    assert _tx("the day-after-Thanksgiving robbery", "2016-11-30")["day-after-Thanksgiving"].value == "2016-11-25"


def test_a_holiday_naming_an_occasion_only_places_it_around_the_day():
    iv = _tx("Two women were killed at a Halloween party.", "2016-11-02")["Halloween"].interval
    assert (iv.start, iv.end, iv.precision) == ("2016-10-28", "2016-11-01", "week")
    iv = _tx("He was charged in the Halloween shooting.", "2016-11-02")["Halloween"].interval
    assert (iv.start, iv.end) == ("2016-10-31", "2016-10-31")
    # a headline's title case names the occasion too
    iv = _tx("Two Women Killed at Halloween Party in Newburgh", "2016-10-30")["Halloween"].interval
    assert (iv.start, iv.precision) == ("2016-10-28", "week")


def test_fourth_of_july_is_a_day():
    assert _tx("He was charged in a Fourth of July shooting.", "2016-12-01")["Fourth of July"].value == "2016-07-04"


# --------------------------------------------------------------------------- which expression is the event's
@pytest.fixture(scope="module")
def kb():
    return KnowledgeBase.load()


def _events(annotate, kb, text, title=None, published=MON):
    from sitrep.extract import extract_document
    from sitrep.resolve import resolve_document
    ann = annotate(text, published)
    if title is not None:
        ann = replace(ann, doc=replace(ann.doc, title=title))
    extraction = extract_document(ann, kb)
    return ann, extraction.events, resolve_document(ann, extraction, kb).events


def _by_trigger(events, trigger):
    return next(e for e in events if e.trigger == trigger)


def test_a_noun_in_another_verbs_phrase_does_not_take_its_day(annotate, kb):
    ann, raw, res = _events(annotate, kb, "A man was arrested Saturday in the fatal shooting of a shopkeeper.")
    assert _by_trigger(raw, "arrested").time_span is not None
    assert _by_trigger(raw, "shooting").time_span is None
    assert _by_trigger(res, "arrested").date.start == "2021-06-05"
    assert _by_trigger(res, "shooting").date.basis == "publication"


def test_launched_strikes_share_the_verbs_day(annotate, kb):
    ann, raw, res = _events(annotate, kb, "The air force launched strikes on the depot on Friday.")
    assert [e.date.start for e in res if e.type == "ASSAULT"] == ["2021-06-04"]


def test_a_when_clause_shares_its_verbs_day(annotate, kb):
    _, _, res = _events(annotate, kb, "The family had returned home on Friday when two robbers ambushed them.")
    assert _by_trigger(res, "ambushed").date.start == "2021-06-04"


def test_rule_own_expression(annotate, kb):
    ann, raw, res = _events(annotate, kb, "Rebels shelled the village on Friday.")
    e = _by_trigger(raw, "shelled")
    assert date_rule(e, ann, raw) == "own expression" and event_date(e, ann, raw).start == "2021-06-04"


def test_rule_own_period(annotate, kb):
    ann, raw, res = _events(annotate, kb, "Militias have abducted 40 farmers over the past month.")
    e = next(x for x in raw if x.type == "COERCE")
    d = event_date(e, ann, raw)
    assert date_rule(e, ann, raw) == "own period" and (d.start, d.end) == ("2021-05-07", "2021-06-07")


def test_rule_own_period_in_hours_reaches_back_by_days(annotate, kb):
    ann, raw, res = _events(annotate, kb, "Rebels shelled three villages in the past 24 hours, a monitor said.")
    e = _by_trigger(raw, "shelled")
    d = event_date(e, ann, raw)
    assert date_rule(e, ann, raw) == "own period"
    assert (d.start, d.end, d.precision) == ("2021-06-06", "2021-06-07", "day")


def test_rule_sentence_but_not_a_statements_day(annotate, kb):
    ann, raw, res = _events(annotate, kb, "Three farmers were wounded by a landmine, police said Sunday.")
    e = _by_trigger(raw, "wounded")
    d = event_date(e, ann, raw)
    assert date_rule(e, ann, raw) == "statement day"
    assert (d.start, d.end, d.precision) == ("2021-05-31", "2021-06-06", "week")


def test_rule_headline_takes_the_leads_mention(annotate, kb):
    text = ("Gunmen kill two guards at border post\n\n"
            "Gunmen killed two guards at a border post on Saturday, officials said.")
    ann, raw, res = _events(annotate, kb, text, title="Gunmen kill two guards at border post")
    head = next(e for e in raw if e.start < len("Gunmen kill two guards at border post") and e.type == "ASSAULT")
    assert date_rule(head, ann, raw) == "headline lead" and event_date(head, ann, raw).start == "2021-06-05"


def test_rule_restatement_takes_the_dated_mention_of_its_type(annotate, kb):
    text = ("A man was arrested on Friday over the shooting at the market. "
            "The shooting took place on May 28, witnesses said.")
    ann, raw, res = _events(annotate, kb, text)
    first = next(e for e in raw if e.trigger == "shooting")
    assert date_rule(first, ann, raw) == "restatement"
    assert event_date(first, ann, raw).start == "2021-05-28"


def test_rule_paragraph_carries_narrative_time(annotate, kb):
    ann, raw, res = _events(annotate, kb, "On Thursday gunmen stormed a farm near the river. They shot two guards.")
    e = _by_trigger(raw, "shot")
    assert date_rule(e, ann, raw) == "paragraph" and event_date(e, ann, raw).start == "2021-06-03"


def test_rule_report_window_and_undated_report(annotate, kb):
    ann, raw, res = _events(annotate, kb, "Gunmen shot two guards near the river.")
    e = _by_trigger(raw, "shot")
    d = event_date(e, ann, raw)
    assert date_rule(e, ann, raw) == "report window"
    assert (d.start, d.end, d.precision, d.basis) == ("2021-06-01", "2021-06-07", "week", "publication")
    undated = replace(ann, anchor=None, doc=replace(ann.doc, published=Published()))
    assert event_date(e, undated, raw) is None


# --------------------------------------------------------------------------- publication dates
def _doc(path, text, date=None):
    d = to_document(RawInput(path, text, "text", {}), Config())
    if date:
        d = replace(d, published=Published(date, "day", "stated", "test"))
    return d


@pytest.mark.parametrize("body, date", [
    ("Published July 2 2016 Two medics were among those wounded in shelling of the clinic on Saturday.",
     "2016-07-02"),
    ("Date of publication 5 July 2016 A bomber on a motorcycle blew himself up outside a bakery.", "2016-07-05"),
    ("Posted on April 2 2017 by Staff Writer Jets struck an outpost near the border on Sunday.", "2017-04-02"),
    ("Last updated at Jun 142016 BEIRUT A counterattack on army positions left 28 fighters dead.", "2016-06-14"),
])
def test_a_labelled_date_opening_the_body_is_stated(body, date):
    d = _doc("u.txt", "Fighting in the north\n\n" + body)
    assert d.published.date == date and d.published.status == "stated"


def test_a_date_after_on_in_prose_is_no_label():
    d = _doc("u.txt", "Report\n\nThe council met on 4 May 2018 and again on 2 June 2018 to discuss the water supply.")
    assert d.published.status == "unknown"


def test_estimate_never_from_a_periods_start():
    d = _doc("u.txt", "Camp shelled\n\nShelling hit the camp on Saturday, killing two, in a war that has raged "
                      "since March 2011.")
    (out,) = estimate_dates([d])
    assert out.published.status == "unknown"


def test_estimate_from_a_dated_report_of_the_same_happenings():
    body = ("A car bomb tore through a crowded vegetable market in the river town of Qasr Tallah, killing "
            "eleven shoppers and wounding dozens of vendors, the provincial health director told reporters, "
            "as rescuers searched the collapsed stalls for survivors.")
    dated = _doc("a.txt", "Car bomb hits Qasr Tallah market\n\n" + body, "2019-11-02")
    undated = _doc("b.txt", "Market bombing kills eleven\n\n" + body + " The toll may rise.")
    other = _doc("c.txt", "Budget talks\n\nThe parliament debated the budget for the coming year.", "2019-05-01")
    out = estimate_dates([dated, undated, other])
    assert (out[1].published.date, out[1].published.status) == ("2019-11-02", "estimated")
    assert "a.txt" in out[1].published.evidence


def test_a_day_on_an_event_noun_is_not_the_governing_verbs(annotate, kb):
    ann, raw, res = _events(annotate, kb, "Police detained a suspect over the May 30 shooting at the depot.")
    shooting = [e for e in raw if e.type == "ASSAULT"]
    assert all(e.time_span is None or ann.doc.text[e.time_span[0]:e.time_span[1]] == "May 30" for e in shooting)
    detained = next(e for e in raw if e.type == "COERCE")
    assert detained.time_span is None


def test_the_lead_is_the_first_sentence_that_tells_an_event(annotate, kb):
    title = "Guard shot at depot"
    text = f"{title}\n\nPlease enable scripts to watch this video.\n\nA guard was shot at the depot on Saturday, police said."
    ann, raw, res = _events(annotate, kb, text, title=title)
    head = next(e for e in raw if e.start < len(title) and e.type == "ASSAULT")
    assert event_date(head, ann, raw).start == "2021-06-05"


def test_a_paragraph_without_time_carries_on_the_previous_ones_same_kind_of_event(annotate, kb):
    text = ("On Friday gunmen attacked a checkpoint near the dam.\n\n"
            "Gunmen also attacked a bakery in the town.\n\n"
            "Police are investigating.")
    ann, raw, res = _events(annotate, kb, text)
    bakery = next(e for e in raw if e.type == "ASSAULT" and "bakery" in e.sentence)
    assert date_rule(bakery, ann, raw) == "paragraph" and event_date(bakery, ann, raw).start == "2021-06-04"

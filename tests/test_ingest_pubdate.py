"""Publication dates stated in a report (fixture texts written for these tests)."""
from __future__ import annotations

from sitrep.config import Config
from sitrep.ingest import RawInput, to_document
from sitrep.ingest.dates import find_dates

P1 = "Rescue teams searched the rubble of the market for survivors through the night, the civil defence said on Thursday."
P2 = "The strike was the deadliest in the province since the start of the year, according to a local monitor."


def _pub(text: str, fields=None):
    return to_document(RawInput("t.txt", text, "text", fields or {}), Config()).published


def test_day_first_resolved_by_a_written_date():
    p = _pub(f"Market strike kills nine in Maarat al-Numan\n\nPosted: 07/04/2021 - 10:12\n\nBy staff, on April 7, 2021\n\n{P1}\n{P2}")
    assert (p.date, p.status) == ("2021-04-07", "stated")
    assert "day-first" in p.evidence and "07/04/2021" in p.evidence


def test_month_first_resolved_by_a_written_date():
    p = _pub(f"Market strike kills nine in Maarat al-Numan\n\nPublished 04/07/2021\n\nBy staff, on April 7, 2021\n\n{P1}\n{P2}")
    assert p.date == "2021-04-07" and "month-first" in p.evidence


def test_ambiguous_without_context_reads_day_first():
    p = _pub(f"Market strike kills nine in Maarat al-Numan\nPublished: 03/02/2021\n\n{P1}\n{P2}")
    assert p.date == "2021-02-03" and "day-first" in p.evidence


def test_scrape_banner_is_not_publication_date():
    text = (f"Wednesday, August 9, 2023\nRegional Headlines Daily\n\nMarket strike kills nine in Maarat al-Numan\n\n"
            f"{P1} It was the third attack on the town since 14 March 2019.\n{P2}")
    doc = to_document(RawInput("t.txt", text, "text", {}), Config())
    assert doc.published.status == "unknown" and doc.published.date is None
    assert "Wednesday, August 9, 2023" in doc.removed
    assert "2023" not in doc.text


def test_date_line_at_top_not_later_than_story_is_stated():
    p = _pub(f"Thursday, March 14, 2019\n\nMarket strike kills nine in Maarat al-Numan\n\n{P1} The attack came on 14 March 2019.\n{P2}")
    assert p.date == "2019-03-14" and p.status == "stated"


def test_byline_date_glued_to_name():
    doc = to_document(RawInput("t.txt", f"\nMarket strike kills nine\n\nSamir Haddad**14 March 2019**\n\n{P1}\n{P2}", "text", {}), Config())
    assert doc.published.date == "2019-03-14" and doc.published.evidence == "Samir Haddad**14 March 2019**"
    assert doc.author == "Samir Haddad"
    assert "Samir Haddad" not in doc.text


def test_header_date_line_with_title():
    doc = to_document(RawInput("t.txt", f" date 2019-03-14 Market strike kills nine in Maarat al-Numan\n{P1}\n{P2}", "text", {}), Config())
    assert doc.published.date == "2019-03-14" and doc.published.status == "stated"
    assert doc.title == "Market strike kills nine in Maarat al-Numan"
    assert "header line" in doc.published.evidence


def test_modified_only_is_used_when_nothing_else():
    p = _pub(f"Market strike kills nine\nLast updated: 15 March 2019\n\n{P1}\n{P2}")
    assert p.date == "2019-03-15"
    p = _pub(f"Market strike kills nine\nUpdated: 16 March 2019\nPublished: 14 March 2019\n\n{P1}\n{P2}")
    assert p.date == "2019-03-14"


def test_no_date_is_unknown():
    p = _pub(f"Market strike kills nine\n\n{P1}\n{P2} Another strike hit the town on 2 March.")
    assert p.status == "unknown" and p.date is None and p.evidence == ""


def test_structured_field_wins():
    p = _pub(f"Market strike kills nine\n\n{P1}\n{P2}", {"date": "2019-03-14T08:00:00Z"})
    assert p.date == "2019-03-14" and "date field" in p.evidence


def test_find_dates_forms():
    got = [(m.year, m.month, m.day, m.kind) for m in find_dates(
        "on 5 of last March, then March 7, 2020, 2020-03-08, 9/3/2020 and 17, 18,19 September; May 2019; they may 5")]
    assert got == [(None, 3, 5, "daymonth"), (2020, 3, 7, "full"), (2020, 3, 8, "full"), (2020, 3, 9, "numeric"),
                   (None, 9, 19, "daymonth"), (2019, 5, None, "monthyear")]


def test_date_in_headline_is_not_a_label():
    p = _pub(f"Nine killed in the market of Maarat al-Numan on 3 March 2019\n\n{P1}\n{P2}")
    assert p.status == "unknown"

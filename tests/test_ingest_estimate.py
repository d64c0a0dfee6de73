"""Estimated publication dates for reports that state none (fixture texts written for these tests)."""
from __future__ import annotations

from dataclasses import replace

from sitrep.config import Config
from sitrep.ingest import RawInput, estimate_dates, to_document
from sitrep.records import Published


def _doc(path, text, date=None):
    d = to_document(RawInput(path, text, "text", {}), Config())
    if date:
        d = replace(d, published=Published(date, "day", "stated", "test"))
    return d


DATED = _doc("dated.txt", "Truce agreed for Daraa\n\nA truce for the southern city of Daraa took effect on 12 July, "
             "negotiators from Daraa and the Russian military police said, ending weeks of shelling of Daraa al-Balad. "
             "The deal provides for the return of displaced families to Daraa al-Balad.", "2021-07-13")


def test_year_from_shared_date_in_corpus():
    undated = _doc("u.txt", "Daraa truce under strain\n\nSince the truce of 12 of last July, the Daraa al-Balad "
                   "neighbourhood has seen sporadic shelling, and on 3 September negotiators from Daraa met again "
                   "with the Russian military police. Displaced families have not returned to Daraa al-Balad.")
    out = estimate_dates([DATED, undated])
    p = out[1].published
    assert (p.status, p.date) == ("estimated", "2021-09-03")
    assert "3 September" in p.evidence and "dated.txt" in p.evidence
    assert out[0] == DATED


def test_month_sequence_crosses_new_year():
    undated = _doc("u.txt", "Winter offensive in Daraa\n\nShelling of Daraa al-Balad resumed on December 28 and "
                   "intensified on January 3, negotiators from Daraa said, as the Russian military police withdrew. "
                   "Displaced families from Daraa al-Balad fled again.")
    later = _doc("later.txt", "Daraa talks\n\nNegotiators from Daraa al-Balad and the Russian military police met "
                 "again in Daraa, displaced families said.", "2022-02-10")
    out = estimate_dates([undated, later])
    assert out[0].published.date == "2022-01-03" and out[0].published.status == "estimated"


def test_explicit_full_date_only():
    undated = _doc("u.txt", "Report\n\nThe council met on 4 May 2018 and again on 2 June 2018 to discuss the water supply.")
    (out,) = estimate_dates([undated])
    assert out.published.date == "2018-06-02" and out.published.status == "estimated"


def test_nothing_to_go_on_stays_unknown():
    undated = _doc("u.txt", "Report\n\nThe council met on Tuesday to discuss the water supply and agreed to meet again soon.")
    (out,) = estimate_dates([undated])
    assert out.published.status == "unknown" and out.published.date is None


def test_stated_dates_untouched():
    (out,) = estimate_dates([DATED])
    assert out.published == DATED.published


def test_yearless_dates_without_corpus_stay_unknown():
    undated = _doc("u.txt", "Report\n\nAfter the agreement of September 2018, shelling resumed on December 28 and again "
                   "on January 3, residents said.")
    (out,) = estimate_dates([undated])
    assert out.published.status == "unknown"

"""Cleaning: page clutter goes, every sentence of the article stays (fixture text written for this test)."""
from __future__ import annotations

import re

from sitrep.config import Config
from sitrep.ingest import RawInput, to_document

PAGE = """Monday, February 3, 2025
Top News from the Valley and Beyond

Water shortages grow in eastern Aleppo as pumping station stays offline

A woman carries jerrycans past a damaged pumping station (Photo: Hassan Omar/Levant Post)

A woman carries jerrycans past a damaged pumping station (Photo: Hassan Omar/Levant Post)

Residents of eastern Aleppo have gone without piped water for a..

By Rana Saleh | 12 January 2024

Residents of eastern Aleppo have gone without piped water for a third week, local officials said on Friday, after the main pumping station was damaged.
Share this article
The station, which serves about 200,000 people, stopped working on 2 January when a power line feeding it was cut.

Read more

Engineers from the water authority said repairs would take at least ten days because spare parts had to be brought from Damascus.
Families now buy water from private tankers at prices many cannot afford. "We pay a third of our income for water," one father of four said.

Related stories
1. Power cuts hit Hama hospitals
2. Wheat harvest falls for a second year
Donate now
$5 a month keeps us independent..

3 Comments
This is a disgrace and the officials should resign, I have been saying this for years and nobody listens.
Thanks for the report, very sad to see the situation getting worse every month in our city.

Follow us on Facebook
© 2025 Levant Post. All rights reserved."""

BODY_SENTENCES = [
    "Residents of eastern Aleppo have gone without piped water for a third week, local officials said on Friday, after the main pumping station was damaged.",
    "The station, which serves about 200,000 people, stopped working on 2 January when a power line feeding it was cut.",
    "Engineers from the water authority said repairs would take at least ten days because spare parts had to be brought from Damascus.",
    "Families now buy water from private tankers at prices many cannot afford.",
    '"We pay a third of our income for water," one father of four said.',
]
CLUTTER = ["Monday, February 3, 2025", "Top News from the Valley", "Photo: Hassan Omar", "for a..", "By Rana Saleh",
           "Share this article", "Read more", "Related stories", "Power cuts hit Hama", "Wheat harvest", "Donate now",
           "$5 a month", "3 Comments", "This is a disgrace", "Thanks for the report", "Follow us on Facebook",
           "All rights reserved"]


def _doc():
    return to_document(RawInput("page.txt", PAGE, "text", {}), Config())


def test_every_body_sentence_stays():
    doc = _doc()
    for s in BODY_SENTENCES:
        assert s in doc.text


def test_clutter_goes():
    doc = _doc()
    for c in CLUTTER:
        assert c not in doc.text, c
    removed = "\n".join(doc.removed)
    for c in ("Share this article", "Related stories", "3 Comments", "Follow us on Facebook"):
        assert c in removed


def test_title_author_and_dates():
    doc = _doc()
    assert doc.title == "Water shortages grow in eastern Aleppo as pumping station stays offline"
    assert doc.text.startswith(doc.title)
    assert doc.author == "Rana Saleh"
    # the banner date is later than anything the article mentions: a scrape date, not publication
    assert doc.published.date == "2024-01-12" and doc.published.status == "stated"
    assert "12 January 2024" in doc.published.evidence


def test_caption_credit_is_not_outlet():
    doc = _doc()
    assert doc.outlet is None


def test_repeated_prose_paragraph_keeps_one_copy():
    para = "Fighting resumed near the town of Saraqib on Sunday after a week of calm, residents said."
    text = f"A headline about Saraqib\n\n{para}\n\n{para}\n\nThe United Nations called for restraint on Monday."
    doc = to_document(RawInput("r.txt", text, "text", {}), Config())
    assert doc.text.count(para) == 1


def test_same_input_same_document():
    a, b = _doc(), _doc()
    assert a == b and re.fullmatch(r"[0-9a-f]{16}", a.id) and len(a.raw_hash) == 64


def test_inline_suffix_only_cuts_markers():
    text = ("Clashes in Hama\n\nClashes between the army and rebels in the north of Hama province continued on Wednesday.\n"
            "Officials said the road to the city was closed to traffic for a second day.Read More - Source")
    doc = to_document(RawInput("r.txt", text, "text", {}), Config())
    assert "continued on Wednesday." in doc.text
    assert doc.text.endswith("for a second day.") and "Read More - Source" in doc.removed


def test_related_list_mid_article_stops_at_prose():
    text = ("Talks in Ankara end without a deal\n\n"
            "Russian and Turkish officers met in Ankara for two days, diplomats said, without agreeing on the posts.\n\n"
            "Related articles\n- Convoy enters Idlib\n- Posts to be reduced, source says\n\n"
            "The talks will resume next month in Moscow, officials said.\n")
    doc = to_document(RawInput("r.txt", text, "text", {}), Config())
    assert "The talks will resume next month in Moscow, officials said." in doc.text
    assert "Convoy enters Idlib" not in doc.text and "Related articles" not in doc.text

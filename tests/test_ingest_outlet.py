"""Outlet and author recovery (fixture texts written for these tests)."""
from __future__ import annotations

from sitrep.config import Config
from sitrep.ingest import RawInput, to_document

BODY = ("Turkish and Russian officers met in Ankara on Wednesday to discuss joint patrols on the highway, "
        "officials said. The talks ended without an agreement on the number of observation posts.\n"
        "A second round is expected next month, according to a diplomatic source.")


def _doc(text, fields=None):
    return to_document(RawInput("t.txt", text, "text", fields or {}), Config())


def test_signoff_source_line():
    d = _doc(f"Talks on patrols end without deal\n\n{BODY}\n\nSource: dailysabah\n\nShare this article")
    assert d.outlet == "Daily Sabah" and "Source: dailysabah" in d.evidence["outlet"]
    assert "Source:" not in d.text


def test_signoff_contact_line():
    d = _doc(f"Talks on patrols end without deal\n\n{BODY}\n\nTo contact the Syria Direct newsroom, write to:\nsyriadirect.org/contact")
    assert d.outlet == "Syria Direct"
    assert "syriadirect.org" not in d.text


def test_photo_credit_is_not_outlet_but_outlet_line_is():
    d = _doc(f"Talks on patrols end without deal\n\nOfficers at the meeting in Ankara (Anadolu Agency)\n\nNorth Press\n\n{BODY}")
    assert d.outlet == "North Press Agency"
    assert "Anadolu" not in d.text


def test_photo_credit_alone_gives_no_outlet():
    d = _doc(f"Talks on patrols end without deal\n\nOfficers at the meeting in Ankara (Anadolu Agency)\n\n{BODY}")
    assert d.outlet is None


def test_quoted_outlet_in_body_is_not_outlet():
    d = _doc(f"Talks on patrols end without deal\n\n{BODY} The Kremlin said in a statement carried by TASS that talks would go on.")
    assert d.outlet is None


def test_interview_given_to_outlet():
    d = _doc(f"Talks on patrols end without deal\n\n{BODY}\n\"We will not give up the posts,\" a Turkish official told Reuters.")
    assert d.outlet == "Reuters"


def test_url_and_field():
    assert _doc(f"Talks\n\n{BODY}", {"url": "https://www.aljazeera.com/news/2020/9/17/x"}).outlet == "Al Jazeera"
    assert _doc(f"Talks\n\n{BODY}", {"outlet": "Some Local Weekly"}).outlet == "Some Local Weekly"


def test_cms_account_is_not_author():
    d = _doc(f"Talks on patrols end without deal\n\nBy admin , in World , at September 17, 2020\n\n{BODY}")
    assert d.author is None and d.published.date == "2020-09-17"
    d = _doc(f"Talks on patrols end without deal\n\nBy Leyla Demir, Ankara\n\n{BODY}")
    assert d.author == "Leyla Demir"


def test_wire_dateline():
    d = _doc(f"Talks on patrols end without deal\n\nANKARA, Sept 17 (Reuters) - {BODY}")
    assert d.outlet == "Reuters" and "dateline" in d.evidence["outlet"]
    d = _doc(f"Talks on patrols end without deal\n\nANKARA (Anadolu Agency) – {BODY}")
    assert d.outlet == "Anadolu Agency"

"""Search folding, the URL contract's parser, alias expansion and highlighting (no server, no browser)."""
from __future__ import annotations

import pytest

from sitrep.records import Document, Extraction, Incident, Mention, Place, PlaceMention
from sitrep.serve import params
from sitrep.serve.aliases import Expander
from sitrep.serve.highlight import excerpt, highlight
from sitrep.store.search import Filter, fold, where


@pytest.mark.parametrize("text, folded", [
    ("Erdoğan", "erdogan"), ("ÇAVUŞOĞLU", "cavusoglu"), ("Şanlıurfa", "sanliurfa"),
    ("Hay'at Tahrir al-Sham", "hayat tahrir al sham"), ("  Kafr   Nabl ", "kafr nabl"), (None, ""),
])
def test_fold(text, folded):
    assert fold(text) == folded


def test_fold_transliterates_other_scripts():
    assert fold("إدلب").isascii() and fold("إدلب")
    assert fold("Москва") == "moskva"


@pytest.mark.parametrize("value, end, day", [
    ("2020-03-05", False, "2020-03-05"), ("2020-03", False, "2020-03-01"), ("2020-02", True, "2020-02-29"),
    ("2020", False, "2020-01-01"), ("2020", True, "2020-12-31"),
])
def test_dates(value, end, day):
    assert params.parse_date("since", value, end) == day


@pytest.mark.parametrize("value", ["5/3/2020", "2020-02-30", "2020-13", "yesterday", "20200305"])
def test_bad_dates_say_the_format(value):
    with pytest.raises(params.ParamError, match="YYYY-MM-DD"):
        params.parse_date("since", value)


def test_parse_reads_the_whole_contract():
    v = params.parse({"q": ["shelling"], "type": ["assault,fight", "COERCE"], "mode": ["aerial"],
                      "country": ["Syria"], "since": ["2020-03"], "until": ["2020-03"], "outlet": ["Outlet A"],
                      "sources": ["2"], "disagree": ["no"], "compliance": ["possible"], "sort": ["-killed"],
                      "page": ["3"], "per_page": ["20"]}, countries={"SYR": "Syria"})
    f = v.filter
    assert f.types == ("ASSAULT", "COERCE") and f.modes == ("aerial",) and f.countries == ("SYR",)
    assert (f.since, f.until) == ("2020-03-01", "2020-03-31") and f.outlet == "Outlet A"
    assert f.min_sources == 2 and f.disagree is False and f.compliance == "possible"
    assert (v.sort, v.desc, v.page, v.per_page, v.offset) == ("killed", True, 3, 20, 40)
    assert "page=4" in v.query(page=4) and "sort=-killed" in v.query(page=4)
    assert "page" not in v.filter_query() and "type=" in v.filter_query()


def test_where_is_parameterised():
    cond, args = where(Filter(q=(("x'); DROP TABLE incidents; --",),), outlet="a%_b"))
    assert "DROP" not in cond and any("drop table" in str(a) for a in args)     # a folded phrase, a parameter
    assert "%|a\\%\\_b|%" in args


class _Gaz:
    class _E:
        def __init__(self, name):
            self.name = name

    class _C:
        def __init__(self, name):
            self.entry = _Gaz._E(name)

    def candidate_entries(self, name, skeletons=True):
        return [self._C("Idleb")] if name.lower() == "idlib" else []


class _Reg:
    class _A:
        name, aliases, names = "Recep Tayyip Erdoğan", ("Erdogan", "Tayyip Erdogan"), ()

    def lookup(self, text):
        return self._A() if "erdo" in text.lower() else None


def test_expander_adds_other_spellings():
    x = Expander(_Gaz(), _Reg())
    assert x.place("Idlib") == ("Idlib", "Idleb")
    assert "Recep Tayyip Erdoğan" in x.actor("Erdogan")
    groups = x.text('Idlib "heavy shelling"')
    assert groups[0][:2] == ("Idlib", "Idlib*") and "Idleb" in groups[0] and groups[1] == ("heavy shelling",)
    assert x.text("Tayyip Erdogan") == (("Tayyip Erdogan", "Recep Tayyip Erdoğan", "Erdogan"),)


def test_highlight_escapes_and_marks_overlaps():
    text = "Jets hit <b>Saraqib</b> at dawn."
    doc = Document("d", "p", text)
    start = text.index("Saraqib")
    x = Extraction("d", places=[PlaceMention(start, start + 7, "Saraqib", Place("Saraqib"))])
    inc = Incident("E1", "ASSAULT", None, "reported", None, None, [], {},
                   [Mention("d", 5, 8, text, None, None)], 1)
    html = str(highlight(doc, x, [inc]))
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert 'class="hl-place hl-sentence"' in html and 'id="m-E1"' in html
    ex = str(excerpt(text, text, 5, 8))
    assert '<mark class="hl-clause hl-sentence">hit</mark>' in ex

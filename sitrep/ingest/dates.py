"""Finding calendar dates in news text (full, numeric, partial) with their spans.

Only what publication-date recovery and estimation need: explicit dates ("6 March 2020", "March 5, 2020",
"2020-02-22", "05/03/2020"), day-month without a year ("16 September", "5 of last March"), month-year and
bare years. Ambiguous numeric dates keep both readings so the caller can decide from context.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from sitrep.ingest.resources import calendar


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    year: int | None
    month: int | None
    day: int | None
    alt: tuple[int, int, int] | None = None   # the other reading (y, m, d) of an ambiguous numeric date
    relative: int | None = None               # -1 for "last March", 0 "this March", +1 "next March"
    kind: str = "full"                        # full | numeric | daymonth | monthyear | year

    @property
    def complete(self) -> bool:
        return self.year is not None and self.month is not None and self.day is not None

    def iso(self) -> str | None:
        if not self.complete:
            return None
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def as_date(self) -> dt.date | None:
        return _safe_date(self.year, self.month, self.day)


def _safe_date(y, m, d) -> dt.date | None:
    try:
        return dt.date(y, m, d) if y and m and d else None
    except ValueError:
        return None


@dataclass(frozen=True)
class _Patterns:
    full_mdy: re.Pattern
    full_dmy: re.Pattern
    glued_mdy: re.Pattern
    iso: re.Pattern
    ymd_slash: re.Pattern
    numeric: re.Pattern
    monthyear: re.Pattern
    daymonth: re.Pattern
    monthday: re.Pattern
    relmonth: re.Pattern
    year: re.Pattern


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    cal = calendar()
    mon = "|".join(sorted((re.escape(m) for m in cal.months), key=len, reverse=True))
    wd = "|".join(sorted((re.escape(w) for w in cal.weekdays), key=len, reverse=True))
    rel = "|".join(sorted(cal.relative, key=len, reverse=True))
    M = rf"(?P<mon>(?i:{mon}))\.?"
    D = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
    Y = r"(?P<y>(?:1[89]|20)\d\d)"
    W = rf"(?:(?i:{wd})\.?,?\s+)?"
    return _Patterns(
        full_mdy=re.compile(rf"\b{W}{M}\s+{D},?\s+{Y}\b"),
        full_dmy=re.compile(rf"\b{W}{D}(?:\s+of)?[\s-]+{M}[\s,-]+{Y}\b"),
        # "Jun 142016": day and year run together when a page's markup between them was stripped
        glued_mdy=re.compile(rf"\b{W}{M}\s+(?P<d>[0-3]?\d){Y}\b"),
        iso=re.compile(rf"\b{Y}-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)(?![\d])"),
        ymd_slash=re.compile(rf"\b{Y}[/.](?P<m>[01]?\d)[/.](?P<d>[0-3]?\d)\b"),
        # (the year may run into the next word when markup was stripped: "07.07.2015Get short URL")
        numeric=re.compile(rf"\b(?P<a>[0-3]?\d)[/.-](?P<b>[0-3]?\d)[/.-]{Y}(?!\d)"),
        monthyear=re.compile(rf"\b{M},?\s+{Y}\b"),
        daymonth=re.compile(rf"\b{D}(?:\s+of)?\s+(?:(?P<rel>(?i:{rel}))\s+)?{M}(?![\w])"),
        monthday=re.compile(rf"\b(?:(?P<rel>(?i:{rel}))\s+)?{M}\s+{D}(?![\w:])"),
        relmonth=re.compile(rf"\b(?P<rel>(?i:{rel}))\s+{M}(?![\w])"),
        year=re.compile(r"(?<![\w/.-])(?P<y>(?:19|20)\d\d)(?![\w/-])"),
    )


def _month(word: str) -> int | None:
    """Month number; "May"/"March" must be capitalised to count (they are also common words)."""
    if not word[:1].isupper():
        return None
    return calendar().months.get(word.lower().rstrip("."))


def find_dates(text: str) -> list[DateMention]:
    """All date mentions in ``text``, most specific reading first, without overlaps, in text order."""
    p = _patterns()
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def add(m: re.Match, mention: DateMention) -> None:
        taken.append((m.start(), m.end()))
        out.append(mention)

    cal_rel = calendar().relative
    for rx in (p.full_mdy, p.full_dmy, p.glued_mdy):
        for m in rx.finditer(text):
            mo = _month(m.group("mon"))
            y, d = int(m.group("y")), int(m.group("d"))
            if mo and free(m.start(), m.end()) and _safe_date(y, mo, d):
                add(m, DateMention(m.start(), m.end(), m.group(0), y, mo, d))
    for rx in (p.iso, p.ymd_slash):
        for m in rx.finditer(text):
            y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
            if free(m.start(), m.end()) and _safe_date(y, mo, d):
                add(m, DateMention(m.start(), m.end(), m.group(0), y, mo, d, kind="full"))
    for m in p.numeric.finditer(text):
        a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("y"))
        if not free(m.start(), m.end()):
            continue
        dayfirst = _safe_date(y, b, a) if b <= 12 else None
        monthfirst = _safe_date(y, a, b) if a <= 12 else None
        if dayfirst and monthfirst and a != b:
            add(m, DateMention(m.start(), m.end(), m.group(0), y, b, a, alt=(y, a, b), kind="numeric"))
        elif dayfirst or monthfirst:
            mo, d = (b, a) if dayfirst else (a, b)
            add(m, DateMention(m.start(), m.end(), m.group(0), y, mo, d, kind="numeric"))
    for m in p.monthyear.finditer(text):
        mo = _month(m.group("mon"))
        if mo and free(m.start(), m.end()):
            add(m, DateMention(m.start(), m.end(), m.group(0), int(m.group("y")), mo, None, kind="monthyear"))
    for rx in (p.daymonth, p.monthday):
        for m in rx.finditer(text):
            mo = _month(m.group("mon"))
            d = int(m.group("d"))
            if not mo or not 1 <= d <= 31 or not free(m.start(), m.end()):
                continue
            rel = m.group("rel")
            add(m, DateMention(m.start(), m.end(), m.group(0), None, mo, d,
                               relative=cal_rel.get(rel.lower()) if rel else None, kind="daymonth"))
    for m in p.relmonth.finditer(text):
        mo = _month(m.group("mon"))
        if mo and free(m.start(), m.end()):
            add(m, DateMention(m.start(), m.end(), m.group(0), None, mo, None,
                               relative=cal_rel.get(m.group("rel").lower()), kind="daymonth"))
    for m in p.year.finditer(text):
        if free(m.start(), m.end()):
            add(m, DateMention(m.start(), m.end(), m.group(0), int(m.group("y")), None, None, kind="year"))
    out.sort(key=lambda x: x.start)
    return out


def parse_date_value(value: str) -> DateMention | None:
    """A structured date field ("2020-03-05T10:00:00Z", "4/16/2017", "Thu, 05 Mar 2020 10:00:00 GMT")."""
    v = (value or "").strip()
    if not v:
        return None
    m = re.match(r"^((?:19|20)\d\d)-(\d\d)-(\d\d)", v)
    if m:
        y, mo, d = map(int, m.groups())
        if _safe_date(y, mo, d):
            return DateMention(0, m.end(), m.group(0), y, mo, d)
    for mention in find_dates(v):
        if mention.complete:
            return mention
    return None

"""Time expressions: find them in raw text and normalise them to TIMEX3 values and calendar intervals.

A regular grammar over raw text (no parser, no model): each pattern proposes candidates, the longest
non-overlapping ones win, then general rules widen them (fuzzy modifiers such as "early", "the end of"),
join a clock time to its day, and merge ranges and lists into one covering expression. Every word list
lives in ``sitrep/data/time/lexicon.yaml``.

Values follow TIMEX3 (TimeML 1.2.1): ``2020-03-05``, ``2020-03``, ``2020-W10``, ``2020-SU``, ``2020-Q1``,
``199`` (a decade), ``P6H``/``PT6H``, ``PRESENT_REF``, ``XXXX-03-05`` when the year is unknown.

Intervals (``DateInterval``) are given for values that denote a calendar interval. Fuzzy parts narrow
the interval to a third of it: "early February" = 1-10 Feb, "mid-March" = 11-20 Mar, "late 2019" =
Sep-Dec 2019, "the early 1990s" = 1990-1993; the precision then drops one step (month part -> "week",
year part -> "month", decade part -> "year"). ``basis`` is "explicit" when the expression itself fixes
the date (the year is written), "relative" when it was computed from the anchor.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Callable

import yaml

from sitrep.records import DateInterval, Timex

LEXICON = Path(__file__).resolve().parents[1] / "data" / "time" / "lexicon.yaml"

__all__ = ["tag", "LEXICON"]


# --------------------------------------------------------------------------- lexicon
def _alt(words) -> str:
    """A regex alternation of phrases, longest first, spaces matching any whitespace."""
    items = sorted({w for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items)


@dataclass(frozen=True)
class _Lex:
    raw: dict
    months: dict
    weekdays: dict
    numbers: dict
    units: dict            # singular -> (letter, is_time)
    plural: dict           # plural -> singular
    patterns: list         # (name, compiled, handler name, priority)
    fuzzy_re: re.Pattern
    future_re: re.Pattern
    past_re: re.Pattern
    month_cue_re: re.Pattern
    year_ok_next: frozenset
    year_reject_before: tuple
    dur_reject_after_re: re.Pattern


@lru_cache(maxsize=1)
def _lexicon() -> _Lex:
    raw = yaml.safe_load(LEXICON.read_text(encoding="utf-8"))
    months = {**raw["months"], **raw["month_abbreviations"]}
    weekdays = {**raw["weekdays"], **raw["weekday_abbreviations"]}
    units = {k: (v[0], bool(v[1])) for k, v in raw["units"].items()}
    plural = dict(raw["unit_plurals"])

    mon_full = _alt(raw["months"])
    mon_abbr = _alt(raw["month_abbreviations"])
    MON = rf"(?:(?:{mon_full})\b|(?:{mon_abbr})(?:\.|\b(?=\s*\d)))"
    MONFULL = rf"(?:{mon_full})\b"
    WD = rf"(?:(?:{_alt(raw['weekdays'])})\b|(?:{_alt(raw['weekday_abbreviations'])})\.)"
    WDFULL = rf"(?:{_alt(raw['weekdays'])})\b"
    DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?(?![\d:])"
    YEAR = r"(?:1[5-9]|20)\d\d(?![\d])"
    num_words = _alt(raw["numbers"])
    NUMW = rf"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-(?:one|two|three|four|five|six|seven|eight|nine)|{num_words})"
    NUM = rf"(?:\d+(?:\.\d+)?(?:\s+\d/\d)?|{NUMW}(?:\s+and\s+a\s+half)?)"
    VAGUE = _alt(raw["vague_quantities"])
    UNIT = _alt(raw["units"])
    UNITS = _alt(list(raw["units"]) + list(raw["unit_plurals"]))
    UNITPL = _alt(raw["unit_plurals"])
    MODS = _alt(raw["duration_modifiers"])
    SEASON = _alt(raw["seasons"])
    POD = _alt(raw["parts_of_day"])
    TZ = _alt(raw["time_zones"])
    ORD = _alt(raw["ordinals"])
    DSEP = r"\s*(?:,\s*(?:and\s+)?|and|&|-|–|to|through|till|until)\s*"
    REL = r"(?:last|next|this|coming|past)"

    P: list = []

    def add(name, rx, prio=5, flags=re.I):
        P.append((name, re.compile(rx, flags), name, prio))

    add("iso", r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:[T ](?P<hh>[0-2]\d):(?P<mm>[0-5]\d))?\b", 1)
    add("numeric", rf"\b(?P<a>[0-3]?\d)(?P<sep>[/.])(?P<b>[0-3]?\d)(?P=sep)(?P<y>{YEAR}|\d\d(?!\d))", 2)
    add("mdy", rf"\b(?:(?P<wd>{WD})\s*,?\s+)?(?:(?P<rel>{REL})\s+)?(?P<mon>{MON})\s*(?P<day>{DAY})(?:\s*,?\s*(?P<year>{YEAR}))?", 2)
    add("dmy", rf"\b(?:(?P<wd>{WD})\s*,?\s+)?(?:the\s+)?(?P<day>{DAY})(?:\s+of)?\s+(?:(?P<rel>{REL})\s+)?(?P<mon>{MON})(?:\s*,?\s*(?P<year>{YEAR}))?", 2)
    add("dlist", rf"\b(?P<days>{DAY}(?:{DSEP}{DAY})+)(?:\s+of)?\s+(?P<mon>{MON})(?:\s*,?\s*(?P<year>{YEAR}))?", 1)
    add("mlist", rf"\b(?P<mon>{MON})\s*(?P<days>{DAY}(?:{DSEP}{DAY})*(?:\s*(?:and|&|-|–|to|through|till|until)\s*){DAY})(?:\s*,?\s*(?P<year>{YEAR}))?", 1)
    add("monyear", rf"\b(?:(?P<rel>{REL})\s+)?(?P<mon>{MON})\s*,?\s+(?:of\s+)?(?P<year>{YEAR})", 2)
    add("month", rf"\b(?:(?P<rel>{REL})\s+)?(?P<mon>{MONFULL})", 6)
    add("weekday", rf"\b(?:(?P<rel>{REL}|previous)\s+)?(?P<wd>{WDFULL})(?:\s+(?P<pod>{POD}))?", 5)
    add("relday", rf"\b(?P<w>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|yesterday|tomorrow|tonight)(?:\s+(?P<pod>{POD}))?\b", 4)
    add("thispod", rf"\b(?P<d>this|last)\s+(?P<pod>{POD})\b", 4)
    add("relperiod", rf"\b(?:(?P<fz>earlier|later)\s+)?(?P<rel>last|next|this|the\s+current|the\s+previous|the\s+coming|this\s+past)\s+(?P<unit>week|weekend|month|year|quarter|decade|century|{SEASON})\b(?!-)", 3)
    add("theweekend", r"\b(?P<the>the)\s+weekend\b", 6)
    add("ago", rf"\b(?:(?P<q>{MODS})\s+)?(?P<num>{NUM}|{VAGUE})?\s*(?P<unit>{UNITS})\s+(?P<dir>ago|earlier|later|from\s+now|hence)\b", 2)
    add("duration", rf"\b(?:(?P<q>{MODS})\s+)?(?P<num>{NUM}|{VAGUE})(?:\s+(?:more|additional|further|straight|consecutive|full|long))?\s+(?P<unit>{UNITS})\b(?!-)", 4)
    add("pastunit", rf"\b(?P<q>the\s+past|the\s+last|the\s+next|the\s+coming|the\s+previous|the\s+following|past)\s+(?P<unit>{UNIT})\b(?![-'])", 5)
    add("vagueunits", rf"(?:\b(?:for|over|within|in|from)\s+)(?P<span>(?P<unit>{UNITPL}))\b(?!-|\s+(?:old|of\b))", 7)
    add("year", rf"(?P<pre>\b(?:fiscal|the\s+year|calendar)\s+)?(?<![\w$£€#.,/-])(?P<year>{YEAR})(?![.,]\d|\s*%|-(?:\d|year))", 6)
    add("yearrange", rf"(?<![\w$£€#.,/-])(?P<y1>{YEAR})\s*(?:-|–|to)\s*(?P<y2>{YEAR}|\d\d(?!\d))(?![.,]\d|\s*%)", 3)
    add("decade", rf"(?:\bthe\s+)?(?:\b(?P<y>(?:1[5-9]|20)\d0)s|'(?P<yy>\d0)s)\b", 3)
    add("century", rf"\b(?:the\s+)?(?P<o>{ORD})\s*-?\s*century\b", 3)
    add("quarter", rf"\b(?:(?P<pre>the|this\s+year's|last\s+year's)\s+)?(?:(?:fiscal|calendar)\s+)?(?P<o>first|second|third|fourth|final|last|1st|2nd|3rd|4th)(?:\s+|-)(?P<u>quarter|half)(?:\s+(?:of\s+)?(?:(?P<year>{YEAR})|(?P<yrel>this|last|next)\s+year))?\b", 3)
    add("qcode", rf"\b(?P<u>[QH])(?P<n>[1-4])\s*(?P<year>{YEAR})?\b", 3, 0)
    add("season", rf"\b(?:(?P<rel>last|next|this|the\s+past|the\s+coming|the)\s+)?(?P<s>{SEASON})(?:\s+(?:of\s+)?(?P<year>{YEAR}))?\b", 5)
    add("clock", rf"\b(?P<h>[01]?\d|2[0-4])(?:[:.](?P<m>[0-5]\d))?\s*(?P<ap>[ap]\.\s?m\.?|[ap]m\b)(?:\s+(?P<tz>{TZ})\b)?", 3)
    add("clock24", rf"(?<![\d:.,])\b(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)(?![\d:])(?:\s*(?P<tz>{TZ}|hours|hrs)\b)?", 3)
    add("military", rf"(?<![\d:.,])\b(?P<hm>[0-2]\d[0-5]\d)\s*(?P<tz>{TZ}|hours|hrs)\b", 3)
    add("namedtime", rf"\b(?P<w>{_alt(raw['times_of_day'])})\b", 4)
    add("ref", rf"\b(?P<w>{_alt(raw['references'])})\b(?!-)", 8)
    add("setword", rf"\b(?P<w>{_alt(raw['sets'])})\b", 6)
    add("every", rf"\b(?P<e>every|each)\s+(?:(?P<num>{NUM}|other)\s+)?(?P<u>{UNITS}|{WDFULL}|{MONFULL}|{POD})\b", 3)
    add("times", rf"\b(?:once|twice|\w+\s+times)\s+(?P<span>(?:a|an|per)\s+(?P<u>{UNIT}))\b", 3)
    add("holiday", rf"\b(?P<w>{_alt(raw['holidays'])})\b", 4)

    fuzzy_words = _alt(raw["fuzzy_modifiers"])
    fuzzy_re = re.compile(
        rf"(?:\b(?:the\s+)?(?:very\s+)?(?P<w>beginning|start|end|middle)\s+of\s+(?:the\s+)?"
        rf"|\b(?:the\s+)?(?P<a>early|mid|late)(?:-|\s+)|\b(?P<m>mid)-?)$", re.I)
    _ = fuzzy_words
    cue_alt = _alt(c.rstrip("-") for c in raw["month_cues"])
    month_cue_re = re.compile(rf"\b(?:{cue_alt})(?:\s+|-)$", re.I)
    return _Lex(
        raw=raw, months=months, weekdays=weekdays,
        numbers={k.lower(): v for k, v in raw["numbers"].items()},
        units=units, plural=plural, patterns=P, fuzzy_re=fuzzy_re,
        future_re=re.compile(rf"(?<![\w'])(?:{_alt(raw['future_cues'])})\b", re.I),
        past_re=re.compile(rf"\b(?:{_alt(raw['past_cues'])})\b", re.I),
        month_cue_re=month_cue_re,
        year_ok_next=frozenset(w.lower() for w in raw["year_ok_next_words"]),
        year_reject_before=tuple(raw["year_reject_before"]),
        dur_reject_after_re=re.compile(rf"^\s*(?:{_alt(raw['duration_reject_after'])})\b", re.I),
    )


# --------------------------------------------------------------------------- calendar helpers
def _iso(d: date) -> str:
    return d.isoformat()


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    t = y * 12 + (m - 1) + k
    return t // 12, t % 12 + 1


def _month_iv(y: int, m: int) -> tuple[date, date]:
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def _week_iv(d: date) -> tuple[date, date]:
    mon = d - timedelta(days=d.weekday())
    return mon, mon + timedelta(days=6)


def _week_value(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


@dataclass
class _Cand:
    start: int
    end: int
    type: str
    value: str
    iv: tuple[date, date] | None = None
    precision: str = "day"
    basis: str = "explicit"
    kind: str = "date"       # date | time | clock | duration | ref | set
    prio: int = 5
    parts: list["_Cand"] = field(default_factory=list)

    def interval(self) -> DateInterval | None:
        if self.iv is None:
            return None
        return DateInterval(_iso(self.iv[0]), _iso(self.iv[1]), self.precision, self.basis)


# --------------------------------------------------------------------------- context
class _Ctx:
    """The text, its anchor and the lexicon: what every handler needs."""

    def __init__(self, text: str, anchor: date | None, lex: _Lex):
        self.text = text
        self.anchor = anchor
        self.lex = lex

    def sentence_bounds(self, start: int, end: int) -> tuple[int, int]:
        t = self.text
        lo = max(0, start - 200)
        s = max(t.rfind(". ", lo, start), t.rfind("\n", lo, start), t.rfind("? ", lo, start),
                t.rfind("! ", lo, start))
        s = lo if s < 0 else s + 1
        hi = min(len(t), end + 200)
        cands = [i for i in (t.find(". ", end, hi), t.find("\n", end, hi)) if i >= 0]
        e = min(cands) if cands else hi
        return s, e

    def future(self, start: int, end: int) -> bool:
        """Whether the clause around [start, end) speaks of the future (nearest tense cue wins)."""
        s, e = self.sentence_bounds(start, end)
        before = self.text[max(s, start - 120):start]
        last_f = max((m.end() for m in self.lex.future_re.finditer(before)), default=-1)
        last_p = max((m.end() for m in self.lex.past_re.finditer(before)), default=-1)
        if last_f >= 0 or last_p >= 0:
            return last_f > last_p
        after = self.text[end:min(e, end + 80)]
        mf = self.lex.future_re.search(after)
        mp = self.lex.past_re.search(after)
        if mf and (not mp or mf.start() < mp.start()):
            return True
        return False


def _cap(s: str) -> bool:
    return bool(s) and s[0].isupper()


def _num(lex: _Lex, s: str | None) -> float | None:
    """A number written in digits or words; None for vague quantities ("several")."""
    if s is None:
        return 1
    s = re.sub(r"\s+", " ", s.strip().lower())
    half = 0.0
    if s.endswith(" and a half"):
        s, half = s[: -len(" and a half")], 0.5
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(?: (\d)/(\d))?", s)
    if m:
        v = float(m.group(1))
        if m.group(2):
            v += int(m.group(2)) / int(m.group(3))
        return v + half
    if "-" in s:
        a, _, b = s.partition("-")
        if a in lex.numbers and b in lex.numbers:
            return lex.numbers[a] + lex.numbers[b] + half
    if s in lex.numbers:
        return lex.numbers[s] + half
    return None


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _duration_value(lex: _Lex, n: float | None, unit: str) -> str:
    letter, is_time = lex.units[unit]
    if letter == "W2":
        letter, n = "W", (None if n is None else n * 2)
    if letter == "DE":
        letter, n = "Y", (None if n is None else n * 10)
        if n is None:
            return "PXDE"
    if letter == "CE":
        letter, n = "Y", (None if n is None else n * 100)
        if n is None:
            return "PXCE"
    if n is not None and not float(n).is_integer():
        # a fraction of a unit is written in the next smaller unit (TIMEX3 values are integers)
        down = {("H", True): (60, "M", True), ("M", True): (60, "S", True), ("D", False): (24, "H", True),
                ("W", False): (7, "D", False), ("M", False): (30, "D", False), ("Y", False): (12, "M", False)}
        if (letter, is_time) in down:
            f, l2, t2 = down[(letter, is_time)]
            whole = int(n)
            rest = round((n - whole) * f)
            head = ("PT" if is_time else "P") + (f"{whole}{letter}" if whole else "")
            if t2 and not is_time:
                return f"{head}T{rest}{l2}"
            return f"{head}{rest}{l2}"
    q = "X" if n is None else _fmt(n)
    return ("PT" if is_time else "P") + q + letter


# --------------------------------------------------------------------------- resolvers
def _resolve_md(ctx: _Ctx, month: int, day: int, start: int, end: int) -> _Cand | None:
    """A month-day without a year: the nearest such date before the anchor (after it in future context)."""
    if not 1 <= day <= 31:
        return None
    if ctx.anchor is None:
        if day > calendar.monthrange(2000, month)[1]:
            return None
        return _Cand(start, end, "DATE", f"XXXX-{month:02d}-{day:02d}")
    a = ctx.anchor
    fut = ctx.future(start, end)
    opts = [d for d in (_safe_date(y, month, day) for y in (a.year - 1, a.year, a.year + 1)) if d]
    if not opts:
        return None
    if fut:
        pick = min((d for d in opts if d >= a), default=opts[-1])
    else:
        pick = max((d for d in opts if d <= a), default=opts[0])
    return _Cand(start, end, "DATE", _iso(pick), (pick, pick), "day", "relative")


def _resolve_month(ctx: _Ctx, month: int, rel: str | None, start: int, end: int) -> _Cand:
    if ctx.anchor is None:
        return _Cand(start, end, "DATE", f"XXXX-{month:02d}")
    a = ctx.anchor
    rel = (rel or "").lower()
    if rel in ("last", "past"):
        y = a.year if month < a.month else a.year - 1
    elif rel in ("next", "coming"):
        y = a.year if month > a.month else a.year + 1
    elif rel == "this":
        y = a.year
    elif ctx.future(start, end):
        y = a.year if month >= a.month else a.year + 1
    else:
        y = a.year if month <= a.month else a.year - 1
    return _Cand(start, end, "DATE", f"{y}-{month:02d}", _month_iv(y, month), "month", "relative")


def _resolve_weekday(ctx: _Ctx, wd: int, rel: str | None, start: int, end: int) -> _Cand:
    if ctx.anchor is None:
        return _Cand(start, end, "DATE", f"XXXX-WXX-{wd}")
    a = ctx.anchor
    diff = wd - a.isoweekday()
    rel = (rel or "").lower()
    if rel in ("last", "past", "previous"):
        k = diff if diff < 0 else diff - 7
    elif rel in ("next", "coming"):
        k = diff if diff > 0 else diff + 7
    elif rel == "this" or ctx.future(start, end):
        k = diff if diff >= 0 else diff + 7
    else:
        k = diff if diff <= 0 else diff - 7
    d = a + timedelta(days=k)
    return _Cand(start, end, "DATE", _iso(d), (d, d), "day", "relative")


def _shift(ctx: _Ctx, unit: str, k: int, start: int, end: int, basis: str = "relative") -> _Cand:
    """The calendar unit (day/week/month/...) k units from the anchor's."""
    a = ctx.anchor
    unknown = {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "weekend": "XXXX-WXX-WE", "month": "XXXX-XX",
               "year": "XXXX", "quarter": "XXXX-QX", "decade": "XXX", "century": "XX"}
    if a is None:
        return _Cand(start, end, "DATE", unknown.get(unit, "XXXX"))
    if unit == "day":
        d = a + timedelta(days=k)
        return _Cand(start, end, "DATE", _iso(d), (d, d), "day", basis)
    if unit in ("week", "weekend"):
        d = a + timedelta(weeks=k)
        lo, hi = _week_iv(d)
        if unit == "weekend":
            return _Cand(start, end, "DATE", _week_value(d) + "-WE", (hi - timedelta(days=1), hi), "week", basis)
        return _Cand(start, end, "DATE", _week_value(d), (lo, hi), "week", basis)
    if unit == "month":
        y, m = _add_months(a.year, a.month, k)
        return _Cand(start, end, "DATE", f"{y}-{m:02d}", _month_iv(y, m), "month", basis)
    if unit == "quarter":
        q0 = (a.month - 1) // 3
        y, m = _add_months(a.year, q0 * 3 + 1, 3 * k)
        q = (m - 1) // 3 + 1
        return _Cand(start, end, "DATE", f"{y}-Q{q}", (date(y, m, 1), _month_iv(*_add_months(y, m, 2))[1]),
                     "quarter", basis)
    if unit == "year":
        y = a.year + k
        return _Cand(start, end, "DATE", str(y), (date(y, 1, 1), date(y, 12, 31)), "year", basis)
    if unit == "decade":
        y = (a.year // 10 + k) * 10
        return _Cand(start, end, "DATE", str(y // 10), (date(y, 1, 1), date(y + 9, 12, 31)), "decade", basis)
    if unit == "century":
        c = a.year // 100 + k
        return _Cand(start, end, "DATE", f"{c:02d}", (date(c * 100, 1, 1), date(c * 100 + 99, 12, 31)),
                     "decade", basis)
    raise ValueError(unit)


def _season(ctx: _Ctx, code: str, y: int | None, start: int, end: int, basis: str) -> _Cand:
    if y is None:
        return _Cand(start, end, "DATE", f"XXXX-{code}")
    m1, m2 = ctx.lex.raw["season_months"][code]
    y1 = y - 1 if m1 > m2 else y
    lo = date(y1, m1, 1)
    hi = _month_iv(y, m2)[1]
    return _Cand(start, end, "DATE", f"{y}-{code}", (lo, hi), "season", basis)


def _year_cand(y: int, start: int, end: int, basis="explicit") -> _Cand:
    return _Cand(start, end, "DATE", str(y), (date(y, 1, 1), date(y, 12, 31)), "year", basis)


# --------------------------------------------------------------------------- handlers
def _h_iso(ctx, m):
    d = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
    if d is None:
        return None
    if m["hh"]:
        return _Cand(m.start(), m.end(), "TIME", f"{_iso(d)}T{m['hh']}:{m['mm']}", (d, d), kind="time", prio=1)
    return _Cand(m.start(), m.end(), "DATE", _iso(d), (d, d), prio=1)


def _h_numeric(ctx, m):
    a, b, ys = int(m["a"]), int(m["b"]), m["y"]
    y = int(ys) if len(ys) == 4 else (2000 + int(ys) if int(ys) < 50 else 1900 + int(ys))
    order = ctx.lex.raw.get("numeric_date_order", "mdy")
    if m["sep"] == ".":
        order = "dmy"   # 05.03.2020 is day-first wherever it is written
    if a > 12 and b <= 12:
        order = "dmy"
    elif b > 12 and a <= 12:
        order = "mdy"
    mo, d = (a, b) if order == "mdy" else (b, a)
    dd = _safe_date(y, mo, d)
    if dd is None:
        return None
    return _Cand(m.start(), m.end(), "DATE", _iso(dd), (dd, dd))


def _month_ok(ctx: _Ctx, m, group="mon", need_cue=False) -> int | None:
    s = m[group]
    if not (_cap(s)):
        return None
    key = s.rstrip(".").lower()
    num = ctx.lex.months.get(key)
    if num is None:
        return None
    if need_cue and key in ctx.lex.raw["ambiguous_months"]:
        if m["rel"]:
            return num
        before = ctx.text[max(0, m.start(group) - 30):m.start(group)]
        if not ctx.lex.month_cue_re.search(before) or re.search(r"[A-Z]{2,}", s):
            return None
        # "May" as a verb after a cue word ("until May be ...") is rare; a following verb-like word refutes it
        after = ctx.text[m.end(group):m.end(group) + 12]
        if re.match(r"\s+(?:be|have|not|also|still|well|never|only|take|come|go|need)\b", after):
            return None
    return num


def _date_with_year(ctx, y, mo, d, start, end, prio=2):
    dd = _safe_date(y, mo, d)
    if dd is None:
        return None
    return _Cand(start, end, "DATE", _iso(dd), (dd, dd), "day", "explicit", prio=prio)


def _day_of(s: str) -> int:
    return int(re.match(r"\d+", s).group(0))


def _md_cand(ctx, m, mo, day):
    if m["wd"] and not _cap(m["wd"]):
        return None
    if m["year"]:
        return _date_with_year(ctx, int(m["year"]), mo, day, m.start(), m.end())
    rel = (m["rel"] or "").lower()
    if rel and ctx.anchor is not None:
        mc = _resolve_month(ctx, mo, rel, m.start(), m.end())
        y = int(mc.value[:4])
        return replace(_date_with_year(ctx, y, mo, day, m.start(), m.end()) or mc, basis="relative") \
            if _safe_date(y, mo, day) else None
    c = _resolve_md(ctx, mo, day, m.start(), m.end())
    if c is not None:
        c.prio = 2
    return c


def _h_mdy(ctx, m):
    mo = _month_ok(ctx, m)
    if mo is None:
        return None
    return _md_cand(ctx, m, mo, _day_of(m["day"]))


def _h_dmy(ctx, m):
    mo = _month_ok(ctx, m)
    if mo is None:
        return None
    return _md_cand(ctx, m, mo, _day_of(m["day"]))


def _list_cand(ctx, m, mo, days_first: bool):
    """Lists and ranges of days in one month: one covering candidate whose parts are the single days."""
    dspan = m.span("days")
    nums = [(dspan[0] + x.start(), dspan[0] + x.end(), int(x.group(1)))
            for x in re.finditer(r"(\d+)(?:st|nd|rd|th)?", m["days"])]
    if any(not 1 <= n <= 31 for *_, n in nums):
        return None
    seps = [ctx.text[nums[i][1]:nums[i + 1][0]] for i in range(len(nums) - 1)]
    is_range = len(nums) == 2 and re.search(r"-|–|to|through|till|until", seps[0]) is not None
    if is_range and nums[1][2] < nums[0][2]:
        return None
    # the year comes from the written year or from the date closest to the month name
    key_day = nums[-1][2] if days_first else nums[0][2]
    if m["year"]:
        y = int(m["year"])
        basis = "explicit"
    else:
        c = _resolve_md(ctx, mo, key_day, m.start(), m.end())
        if c is None:
            return None
        y = None if c.value.startswith("X") else int(c.value[:4])
        basis = "relative"
    parts = []
    for i, (s, e, n) in enumerate(nums):
        if days_first:
            ps, pe = (s, m.end()) if i == len(nums) - 1 else (s, e)
        else:
            ps, pe = (m.start(), e) if i == 0 else (s, e)
            if i == len(nums) - 1 and m["year"]:
                pe = m.end()
        if y is None:
            parts.append(_Cand(ps, pe, "DATE", f"XXXX-{mo:02d}-{n:02d}"))
            continue
        d = _safe_date(y, mo, n)
        if d is None:
            return None
        parts.append(_Cand(ps, pe, "DATE", _iso(d), (d, d), "day", basis))
    cover = _cover(m.start(), m.end(), parts)
    cover.prio = 1
    return cover


def _common_value(values: list[str]) -> str:
    first = values[0]
    pieces = first.split("-")
    for k in range(len(pieces), 0, -1):
        pre = "-".join(pieces[:k])
        if all(v == pre or v.startswith(pre + "-") for v in values):
            return pre
    return first


def _cover(start: int, end: int, parts: list[_Cand]) -> _Cand:
    ivs = [p.iv for p in parts if p.iv]
    iv = (min(i[0] for i in ivs), max(i[1] for i in ivs)) if len(ivs) == len(parts) else None
    prec = parts[0].precision if all(p.precision == parts[0].precision for p in parts) else "day"
    basis = "explicit" if all(p.basis == "explicit" for p in parts) else "relative"
    return _Cand(start, end, "DATE", _common_value([p.value for p in parts]), iv, prec, basis, parts=parts)


def _h_dlist(ctx, m):
    mo = _month_ok(ctx, m)
    return None if mo is None else _list_cand(ctx, m, mo, True)


def _h_mlist(ctx, m):
    mo = _month_ok(ctx, m)
    return None if mo is None else _list_cand(ctx, m, mo, False)


def _h_monyear(ctx, m):
    mo = _month_ok(ctx, m)
    if mo is None:
        return None
    y = int(m["year"])
    return _Cand(m.start(), m.end(), "DATE", f"{y}-{mo:02d}", _month_iv(y, mo), "month", "explicit", prio=2)


def _h_month(ctx, m):
    mo = _month_ok(ctx, m, need_cue=True)
    if mo is None:
        return None
    c = _resolve_month(ctx, mo, m["rel"], m.start(), m.end())
    c.prio = 6
    return c


def _h_weekday(ctx, m):
    if not _cap(m["wd"]):
        return None
    wd = ctx.lex.weekdays[m["wd"].lower()]
    c = _resolve_weekday(ctx, wd, m["rel"], m.start(), m.end())
    if m["pod"]:
        code = ctx.lex.raw["parts_of_day"][m["pod"].lower()]
        c = replace(c, type="TIME", value=c.value + "T" + code, kind="time")
    return c


def _h_relday(ctx, m):
    w = re.sub(r"\s+", " ", m["w"].lower())
    k = ctx.lex.raw["relative_days"][w]
    c = _shift(ctx, "day", k, m.start(), m.end())
    pod = m["pod"].lower() if m["pod"] else ("night" if w == "tonight" else None)
    if pod:
        c = replace(c, type="TIME", value=c.value + "T" + ctx.lex.raw["parts_of_day"][pod], kind="time")
    c.prio = 4
    return c


def _h_thispod(ctx, m):
    k = 0 if m["d"].lower() == "this" else -1
    pod = m["pod"].lower()
    if k == -1 and pod != "night":
        return None   # "last evening" is rare and ambiguous
    c = _shift(ctx, "day", k, m.start(), m.end())
    return replace(c, type="TIME", value=c.value + "T" + ctx.lex.raw["parts_of_day"][pod], kind="time")


def _h_relperiod(ctx, m):
    rel = re.sub(r"\s+", " ", m["rel"].lower())
    unit = m["unit"].lower()
    k = {"last": -1, "the previous": -1, "next": 1, "the coming": 1, "this": 0, "the current": 0,
         "this past": -1}[rel]
    seasons = ctx.lex.raw["seasons"]
    if unit in seasons:
        code = seasons[unit]
        if ctx.anchor is None:
            return _Cand(m.start(), m.end(), "DATE", f"XXXX-{code}")
        a = ctx.anchor
        cur = _season(ctx, code, a.year, 0, 0, "relative")
        y = a.year
        if k < 0:
            y = a.year if cur.iv[1] < a else a.year - 1
        elif k > 0:
            y = a.year if cur.iv[0] > a else a.year + 1
        return _season(ctx, code, y, m.start(), m.end(), "relative")
    if unit == "weekend" and k == -1 and ctx.anchor is not None and ctx.anchor.isoweekday() >= 6:
        k = 0 if rel == "this past" else -1
    if unit == "weekend" and k == -1 and ctx.anchor is not None and ctx.anchor.isoweekday() < 6:
        k = -1
    c = _shift(ctx, unit, k, m.start(), m.end())
    c.prio = 3
    return c


def _h_theweekend(ctx, m):
    if ctx.anchor is None:
        return _Cand(m.start(), m.end(), "DATE", "XXXX-WXX-WE")
    wd = ctx.anchor.isoweekday()
    fut = ctx.future(m.start(), m.end())
    k = 0 if (wd >= 6 or fut) else -1
    return _shift(ctx, "weekend", k, m.start(), m.end())


def _unit_of(lex: _Lex, u: str) -> str:
    u = u.lower()
    return lex.plural.get(u, u)


def _h_ago(ctx, m):
    unit = _unit_of(ctx.lex, m["unit"])
    direction = m["dir"].lower()
    sign = -1 if direction in ("ago", "earlier") else 1
    n = _num(ctx.lex, m["num"]) if m["num"] else None
    if m["num"] is None and m["unit"].lower() == unit:
        return None   # "day earlier" without a number
    if n is None:
        return _Cand(m.start(), m.end(), "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", kind="ref", prio=2)
    if direction in ("earlier", "later") and ctx.anchor is None:
        return None
    letter = ctx.lex.units[unit][0]
    if letter in ("S", "M", "H") and ctx.lex.units[unit][1]:
        c = _shift(ctx, "day", 0, m.start(), m.end())
        c.prio = 2
        return c
    k = int(round(n)) * sign
    mapping = {"day": ("day", 1), "night": ("day", 1), "week": ("week", 1), "fortnight": ("week", 2),
               "month": ("month", 1), "year": ("year", 1), "decade": ("year", 10), "century": ("year", 100)}
    u, f = mapping[unit]
    c = _shift(ctx, u, k * f, m.start(), m.end())
    c.prio = 2
    return c


def _dur_ok(ctx, m) -> bool:
    return not ctx.lex.dur_reject_after_re.match(ctx.text[m.end():m.end() + 12])


def _h_duration(ctx, m):
    if not _dur_ok(ctx, m):
        return None
    unit = _unit_of(ctx.lex, m["unit"])
    numtxt = m["num"].lower()
    n = _num(ctx.lex, numtxt)
    plural = m["unit"].lower() != unit
    if n is None and not plural:
        return None    # "some day" is not a duration
    if n is not None and n != 1 and not plural and not re.match(r"half", numtxt):
        return None    # "six hour" without the plural is a compound modifier
    if re.match(r"\d", numtxt) and ctx.text[m.start("num") - 1:m.start("num")] in ("$", "£", "€", "-"):
        return None
    return _Cand(m.start(), m.end(), "DURATION", _duration_value(ctx.lex, n, unit), kind="duration", prio=4)


def _h_pastunit(ctx, m):
    unit = m["unit"].lower()
    if ctx.lex.dur_reject_after_re.match(ctx.text[m.end():m.end() + 12]):
        return None
    return _Cand(m.start(), m.end(), "DURATION", _duration_value(ctx.lex, 1, unit), kind="duration", prio=5)


def _h_vagueunits(ctx, m):
    unit = _unit_of(ctx.lex, m["unit"])
    s, e = m.span("span")
    return _Cand(s, e, "DURATION", _duration_value(ctx.lex, None, unit), kind="duration", prio=7)


def _year_guard(ctx, m, s: int, e: int) -> bool:
    before = ctx.text[max(0, s - 15):s].rstrip()
    for w in ctx.lex.year_reject_before:
        if before.endswith(w) and (not w[0].isalpha() or not before[:-len(w)][-1:].isalpha()):
            return False
    after = ctx.text[e:e + 30]
    nxt = re.match(r"\s*([A-Za-z']+)", after)
    if after[:1] in ("", ".", ",", ";", ":", ")", "]", "'", '"', "!", "?", "\n", "’", "”") or after.startswith("'s"):
        return True
    if nxt is None:
        return bool(re.match(r"\s*[-–(\"“]", after))
    word = nxt.group(1).lower()
    if word in ctx.lex.year_ok_next:
        return True
    if nxt.group(1)[:1].isupper():
        return True   # "2019 Syria offensive", a following name
    return False


def _h_year(ctx, m):
    s = m.start("year")
    if m["pre"] is None and not _year_guard(ctx, m, s, m.end()):
        return None
    c = _year_cand(int(m["year"]), m.start(), m.end())
    c.prio = 6
    return c


def _h_yearrange(ctx, m):
    y1 = int(m["y1"])
    y2s = m["y2"]
    y2 = int(y2s) if len(y2s) == 4 else (y1 // 100) * 100 + int(y2s)
    if not y1 < y2 <= y1 + 100:
        return None
    if not _year_guard(ctx, m, m.start(), m.end()):
        return None
    parts = [_year_cand(y1, m.start("y1"), m.end("y1")), _year_cand(y2, m.start("y2"), m.end("y2"))]
    c = _cover(m.start(), m.end(), parts)
    c.prio = 3
    return c


def _h_decade(ctx, m):
    if m["y"]:
        y = int(m["y"])
    else:
        yy = int(m["yy"])
        base = (ctx.anchor.year // 100 * 100) if ctx.anchor else 1900
        y = base + yy if base + yy <= (ctx.anchor.year if ctx.anchor else 2100) else base - 100 + yy
    return _Cand(m.start(), m.end(), "DATE", str(y // 10), (date(y, 1, 1), date(y + 9, 12, 31)), "decade",
                 "explicit", prio=3)


def _h_century(ctx, m):
    o = ctx.lex.raw["ordinals"].get(re.sub(r"\s+", " ", m["o"].lower()))
    if not o or o < 10:
        return None
    c = o - 1
    return _Cand(m.start(), m.end(), "DATE", f"{c:02d}", (date(c * 100, 1, 1), date(c * 100 + 99, 12, 31)),
                 "decade", "explicit", prio=3)


def _quarter(ctx, u: str, n: int, y: int | None, start, end, basis) -> _Cand:
    code = "Q" if u == "quarter" else "H"
    if y is None:
        if ctx.anchor is None:
            return _Cand(start, end, "DATE", f"XXXX-{code}{n}")
        a = ctx.anchor
        first_month = (n - 1) * (3 if code == "Q" else 6) + 1
        y = a.year if date(a.year, first_month, 1) <= a else a.year - 1
    span = 3 if code == "Q" else 6
    m1 = (n - 1) * span + 1
    lo = date(y, m1, 1)
    hi = _month_iv(y, m1 + span - 1)[1]
    return _Cand(start, end, "DATE", f"{y}-{code}{n}", (lo, hi), "quarter" if code == "Q" else "season",
                 basis, prio=3)


def _h_quarter(ctx, m):
    u = m["u"].lower()
    o = m["o"].lower()
    n = {"final": 4 if u == "quarter" else 2, "last": 4 if u == "quarter" else 2}.get(o) or \
        ctx.lex.raw["ordinals"].get(o)
    if not n or (u == "half" and n > 2) or n > 4:
        return None
    if u == "half" and not (m["year"] or m["yrel"]):
        return None   # "the first half" of a match, a film ...
    y, basis = None, "relative"
    pre = (m["pre"] or "").lower()
    if m["year"]:
        y, basis = int(m["year"]), "explicit"
    elif ctx.anchor is not None and (m["yrel"] or pre.endswith("year's")):
        rel = (m["yrel"] or pre.split()[0]).lower()
        y = ctx.anchor.year + {"this": 0, "last": -1, "next": 1}[rel]
    if o == "last" and not pre and not m["year"]:
        return None
    return _quarter(ctx, u, n, y, m.start(), m.end(), basis)


def _h_qcode(ctx, m):
    u = "quarter" if m["u"] == "Q" else "half"
    n = int(m["n"])
    if u == "half" and n > 2:
        return None
    if not m["year"] and u == "half":
        return None
    y = int(m["year"]) if m["year"] else None
    return _quarter(ctx, u, n, y, m.start(), m.end(), "explicit" if y else "relative")


def _h_season(ctx, m):
    rel = re.sub(r"\s+", " ", (m["rel"] or "").lower())
    code = ctx.lex.raw["seasons"][m["s"].lower()]
    if m["year"]:
        return _season(ctx, code, int(m["year"]), m.start(), m.end(), "explicit")
    if not rel:
        return None
    if rel == "the":
        before = ctx.text[max(0, m.start() - 12):m.start()]
        if not re.search(r"\b(?:in|during|by|since|until|through|over|throughout|of)\s+$", before, re.I):
            return None
        if m["s"].lower() == "fall" and re.match(r"\s+of\b", ctx.text[m.end():m.end() + 5]):
            return None   # "the fall of Aleppo"
    if ctx.anchor is None:
        return _Cand(m.start(), m.end(), "DATE", f"XXXX-{code}")
    a = ctx.anchor
    cur = _season(ctx, code, a.year, 0, 0, "relative")
    k = {"last": -1, "the past": -1, "next": 1, "the coming": 1}.get(rel, 0)
    y = a.year
    if k < 0:
        y = a.year if cur.iv[1] < a else a.year - 1
    elif k > 0:
        y = a.year if cur.iv[0] > a else a.year + 1
    elif rel == "the":
        fut = ctx.future(m.start(), m.end())
        if fut:
            y = a.year if cur.iv[1] >= a else a.year + 1
        else:
            y = a.year if cur.iv[0] <= a else a.year - 1
    c = _season(ctx, code, y, m.start(), m.end(), "relative")
    c.prio = 5
    return c


def _clock(ctx, m, h: int, mi: int) -> _Cand | None:
    if h > 24 or mi > 59:
        return None
    hm = f"T{h:02d}:{mi:02d}"
    if ctx.anchor is None:
        return _Cand(m.start(), m.end(), "TIME", "XXXX-XX-XX" + hm, kind="clock", prio=3)
    a = ctx.anchor
    return _Cand(m.start(), m.end(), "TIME", _iso(a) + hm, (a, a), "day", "relative", kind="clock", prio=3)


def _h_clock(ctx, m):
    h = int(m["h"])
    mi = int(m["m"] or 0)
    ap = m["ap"].lower().replace(".", "").replace(" ", "")
    if h > 12 or h == 0:
        return None
    if ap == "pm" and h != 12:
        h += 12
    if ap == "am" and h == 12:
        h = 0
    return _clock(ctx, m, h, mi)


def _h_clock24(ctx, m):
    before = ctx.text[max(0, m.start() - 10):m.start()]
    if not m["tz"] and not re.search(r"\b(?:at|by|around|until|till|before|after|from|since|about)\s+$", before, re.I):
        return None   # "2:30" alone may be a score or a ratio
    return _clock(ctx, m, int(m["h"]), int(m["m"]))


def _h_military(ctx, m):
    hm = m["hm"]
    return _clock(ctx, m, int(hm[:2]), int(hm[2:]))


def _h_namedtime(ctx, m):
    hm = ctx.lex.raw["times_of_day"][m["w"].lower()]
    return _clock(ctx, m, int(hm[:2]), int(hm[3:]))


def _h_ref(ctx, m):
    w = re.sub(r"\s+", " ", m["w"].lower())
    s = m.start()
    for p in ctx.lex.raw["reference_strip_prefix"]:
        if w.startswith(p):
            s += len(p)
    val = ctx.lex.raw["references"][w]
    return _Cand(s, m.end(), "DATE", val, kind="ref", prio=8)


def _h_setword(ctx, m):
    return _Cand(m.start(), m.end(), "SET", ctx.lex.raw["sets"][m["w"].lower()], kind="set", prio=6)


def _h_every(ctx, m):
    u = m["u"].lower()
    lex = ctx.lex
    n = m["num"]
    if u in lex.weekdays and _cap(m["u"]):
        return _Cand(m.start(), m.end(), "SET", f"XXXX-WXX-{lex.weekdays[u]}", kind="set", prio=3)
    if u in lex.months and _cap(m["u"]):
        return _Cand(m.start(), m.end(), "SET", f"XXXX-{lex.months[u]:02d}", kind="set", prio=3)
    if u in lex.raw["parts_of_day"]:
        return _Cand(m.start(), m.end(), "SET", f"TXX{'' if False else ''}{lex.raw['parts_of_day'][u]}"
                     .replace("TXX", "T"), kind="set", prio=3)
    unit = _unit_of(lex, u)
    if unit not in lex.units:
        return None
    k = 2 if (n or "").lower() == "other" else (_num(lex, n) if n else 1)
    return _Cand(m.start(), m.end(), "SET", _duration_value(lex, k, unit), kind="set", prio=3)


def _h_times(ctx, m):
    unit = _unit_of(ctx.lex, m["u"])
    s, e = m.span("span")
    return _Cand(s, e, "SET", _duration_value(ctx.lex, 1, unit), kind="set", prio=3)


def _h_holiday(ctx, m):
    if not _cap(m["w"]):
        return None
    md = ctx.lex.raw["holidays"][re.sub(r"\s+", " ", m["w"].lower())]
    mo, d = int(md[:2]), int(md[3:])
    c = _resolve_md(ctx, mo, d, m.start(), m.end())
    if c is not None:
        c.prio = 4
    return c


_HANDLERS: dict[str, Callable] = {name[3:]: fn for name, fn in globals().items() if name.startswith("_h_")}


# --------------------------------------------------------------------------- post-processing
def _thirds(lo: date, hi: date, part: int, precision: str) -> tuple[tuple[date, date], str]:
    """The first, middle or last third of an interval; years split by months, decades by years."""
    if precision in ("year", "season", "quarter") and (hi.year, hi.month) != (lo.year, lo.month):
        months = (hi.year - lo.year) * 12 + hi.month - lo.month + 1
        cut = [0, round(months / 3), round(2 * months / 3), months]
        y1, m1 = _add_months(lo.year, lo.month, cut[part])
        y2, m2 = _add_months(lo.year, lo.month, cut[part + 1] - 1)
        return (date(y1, m1, 1), _month_iv(y2, m2)[1]), "month"
    if precision == "decade":
        years = hi.year - lo.year + 1
        cut = [0, round(years * 0.4), round(years * 0.7), years] if years == 10 else \
            [0, round(years / 3), round(2 * years / 3), years]
        return (date(lo.year + cut[part], 1, 1), date(lo.year + cut[part + 1] - 1, 12, 31)), "year"
    days = (hi - lo).days + 1
    if days <= 1:
        return (lo, hi), precision
    if precision == "month":
        cut = [0, 10, 20, days]
    else:
        cut = [0, round(days / 3), round(2 * days / 3), days]
    return (lo + timedelta(days=cut[part]), lo + timedelta(days=cut[part + 1] - 1)), \
        ("week" if precision == "month" else "day")


def _apply_fuzzy(ctx: _Ctx, c: _Cand) -> _Cand:
    """Widen the span over "early", "mid-", "the end of" ... and narrow the interval to that part."""
    if c.kind not in ("date", "time") or c.value.endswith("_REF"):
        return c
    before = ctx.text[max(0, c.start - 40):c.start]
    m = ctx.lex.fuzzy_re.search(before)
    if not m:
        return c
    word = (m["w"] or m["a"] or m["m"]).lower()
    part = ctx.lex.raw["fuzzy_modifiers"].get(word)
    if part is None:
        return c
    new = replace(c, start=c.start - (len(before) - m.start()))
    if c.iv is not None and c.precision != "day":
        new.iv, new.precision = _thirds(c.iv[0], c.iv[1], int(part), c.precision)
    return new


_DATEWORD_AFTER_CLOCK = re.compile(r"^\s*,?\s*(?:on\s+)?$", re.I)


def _join_clock(ctx: _Ctx, cands: list[_Cand]) -> list[_Cand]:
    """A clock time next to its day ("6 a.m. Thursday", "Friday at 00:01") takes that day."""
    out: list[_Cand] = []
    i = 0
    while i < len(cands):
        c = cands[i]
        nxt = cands[i + 1] if i + 1 < len(cands) else None
        if c.kind == "clock":
            day = None
            if nxt is not None and nxt.kind == "date" and nxt.iv and nxt.iv[0] == nxt.iv[1] \
                    and re.fullmatch(r"\s*,?\s*", ctx.text[c.end:nxt.start]):
                day, merged = nxt, True
            else:
                merged = False
                prev = out[-1] if out else None
                for d in (prev, nxt):
                    if d is not None and d.kind in ("date", "time") and d.iv and d.iv[0] == d.iv[1] \
                            and re.fullmatch(r"[^.;\n]{0,25}", ctx.text[min(d.end, c.end):max(d.start, c.start)]):
                        day = d
                        break
            if day is not None and day.iv is not None:
                t = c.value[c.value.index("T"):]
                v = _iso(day.iv[0]) + t
                if merged:
                    out.append(replace(c, end=day.end, value=v, iv=day.iv, basis=day.basis, kind="time"))
                    i += 2
                    continue
                c = replace(c, value=v, iv=day.iv, basis=day.basis)
        out.append(c)
        i += 1
    return out


_RANGE_BETWEEN = re.compile(r"\b(?:between|from)\s+$", re.I)
_RANGE_MID = re.compile(r"^\s*(?:and|to|until|till|through|-|–)\s*$", re.I)
_SINCE = re.compile(r"\b(?:since|from|starting|beginning)\s+$", re.I)
_UNTIL = re.compile(r"\b(?:until|till|through|up\s+to|by)\s+$", re.I)


def _merge_ranges(ctx: _Ctx, cands: list[_Cand]) -> list[_Cand]:
    """Ranges ("between A and B", "from A to B", "since A", "until A") become one covering expression."""
    out: list[_Cand] = []
    i = 0
    while i < len(cands):
        c = cands[i]
        nxt = cands[i + 1] if i + 1 < len(cands) else None
        if c.kind == "date" and c.iv and nxt is not None and nxt.kind == "date" and nxt.iv \
                and _RANGE_MID.match(ctx.text[c.end:nxt.start]) and nxt.iv[1] >= c.iv[0]:
            pre = _RANGE_BETWEEN.search(ctx.text[max(0, c.start - 10):c.start])
            s = c.start - (len(ctx.text[max(0, c.start - 10):c.start]) - pre.start()) if pre else c.start
            cov = _cover(s, nxt.end, (c.parts or [c]) + (nxt.parts or [nxt]))
            cov.iv = (c.iv[0], nxt.iv[1])
            out.append(cov)
            i += 2
            continue
        if c.kind == "date" and c.iv and ctx.anchor is not None and not c.parts:
            win = ctx.text[max(0, c.start - 12):c.start]
            ms, mu = _SINCE.search(win), _UNTIL.search(win)
            a = ctx.anchor
            if ms and c.iv[0] <= a and ms.group(0).split()[0].lower() == "since":
                cov = _cover(c.start - (len(win) - ms.start()), c.end, [c])
                cov.iv, cov.basis, cov.parts = (c.iv[0], a), "relative", [c]
                out.append(cov)
                i += 1
                continue
            if mu and mu.group(0).split()[0].lower() in ("until", "till"):
                cov = _cover(c.start - (len(win) - mu.start()), c.end, [c])
                cov.iv = (min(a, c.iv[0]), c.iv[1])
                cov.basis, cov.parts = "relative", [c]
                out.append(cov)
                i += 1
                continue
        out.append(c)
        i += 1
    return out


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Leftmost-longest selection of non-overlapping candidates (priority breaks ties)."""
    cands.sort(key=lambda c: (-(c.end - c.start), c.prio, c.start))
    taken: list[_Cand] = []
    occupied: list[tuple[int, int]] = []
    for c in cands:
        if any(c.start < e and s < c.end for s, e in occupied):
            continue
        taken.append(c)
        occupied.append((c.start, c.end))
    taken.sort(key=lambda c: c.start)
    return taken


def _parse_anchor(anchor: str | None) -> date | None:
    if anchor is None or anchor == "":
        return None
    try:
        return date.fromisoformat(anchor[:10])
    except ValueError as e:
        raise ValueError(f"anchor must be YYYY-MM-DD, got {anchor!r}") from e


def tag(text: str, anchor: str | None, split_ranges: bool = False) -> list[Timex]:
    """Time expressions in ``text`` with TIMEX3 type and value, normalised against ``anchor``.

    ``anchor`` is the publication date (YYYY-MM-DD) or None, in which case year-less and relative
    expressions get ``X`` placeholders and no interval. Ranges and lists ("5-7 March", "between
    December 12 and 25", "since February") come back as one covering expression; with
    ``split_ranges=True`` they come back as their parts, the way TimeML annotates them.
    """
    if not isinstance(text, str):
        raise TypeError("text must be a string")
    a = _parse_anchor(anchor)
    lex = _lexicon()
    ctx = _Ctx(text, a, lex)
    cands: list[_Cand] = []
    for name, rx, handler, _prio in lex.patterns:
        fn = _HANDLERS[handler]
        for m in rx.finditer(text):
            c = fn(ctx, m)
            if c is not None and c.end > c.start:
                cands.append(c)
    chosen = _select(cands)
    chosen = [_apply_fuzzy(ctx, c) for c in chosen]
    chosen = _select(chosen)
    chosen = _join_clock(ctx, chosen)
    if not split_ranges:
        chosen = _merge_ranges(ctx, chosen)
    out: list[Timex] = []
    for c in chosen:
        items = c.parts if (split_ranges and c.parts) else [c]
        for p in items:
            out.append(Timex(start=p.start, end=p.end, text=text[p.start:p.end], type=p.type, value=p.value,
                             interval=p.interval()))
    return out

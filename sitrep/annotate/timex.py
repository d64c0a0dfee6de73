"""Time expressions: find them in raw text and normalise them to TIMEX3 values and calendar intervals.

A regular grammar over raw text (no parser, no model, no spaCy): each pattern proposes candidates, the
longest non-overlapping ones win, then general rules widen them (fuzzy modifiers such as "early", "the end
of"), resolve anaphoric ones ("the next day" after the last date mentioned), join a clock time to its day
and merge ranges and lists into one covering expression. Every word list and non-time pattern lives in
``sitrep/data/time/lexicon.yaml``; the code holds only general rules. For speed, each big pattern runs only
in windows around its trigger words.

Values follow TIMEX3 (TimeML 1.2.1): ``2020-03-05``, ``2020-03``, ``2020-W10``, ``2020-SU``, ``2020-Q1``,
``199`` (a decade), ``P6H``/``PT6H``, ``PRESENT_REF``, ``2020-03-05TNI``, ``XXXX-03-05`` when the year is
unknown (no anchor: nothing is invented, and no interval is given).

Year-less dates and weekdays are read against the anchor (publication date) and the tense of their clause:
the nearest tense cue (lexicon ``future_cues`` / ``past_cues``, "-ed" verbs) picks the next or the most
recent reading; without a cue, the most recent one unless a future one is within 60 days (a month alone:
two months) and closer.

Intervals (``DateInterval``) are given for values that denote a calendar interval. Fuzzy parts narrow
the interval to a third of it: "early February" = 1-10 Feb, "mid-March" = 11-20 Mar, "late 2019" =
Sep-Dec 2019, "the early 1990s" = 1990-1993; the precision then drops one step (month part -> "week",
year part -> "month", decade part -> "year"). ``basis`` is "explicit" when the expression itself fixes
the date (the year is written), "relative" when it was computed from the anchor or another date.
Ranges and lists ("5-7 March", "between December 12 and 25", "from 5 March to 18 August", "since
February", "until 18 August") come back as one expression whose interval runs from the first to the last
day and whose value is the smallest calendar unit containing both ends ("2019-12"); ``tag(...,
split_ranges=True)`` returns the parts instead, as TimeML annotates them (used for TempEval scoring);
``adjectival_durations=True`` also marks compound modifiers ("a 16-hour flight") as durations, as TimeML does.

Reporting periods: once a quarter or half-year has been named, "the quarter", "the latest period" and "a
year earlier" / "the year-ago quarter" / "the same period last year" refer to it (or to it one year back),
the way results are compared in news; a bare clock time takes the last day named before it.
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

__all__ = ["tag", "LEXICON", "time_lexicon"]


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
    patterns: list         # (name, compiled regex, handler name, priority, trigger words or regex)
    fuzzy_re: re.Pattern
    future_words: frozenset
    past_words: frozenset
    not_past_words: frozenset
    deadline_words: frozenset
    month_cue_re: re.Pattern
    year_ok_next: frozenset
    year_reject_before: tuple
    year_ok_prev: frozenset
    year_reject_next: frozenset
    address_re: re.Pattern
    reject_res: tuple
    dur_reject_after_re: re.Pattern
    sentence_end_re: re.Pattern
    abbreviations: frozenset
    reporting_verbs: frozenset
    over_quantifier_after: frozenset


_WORD_LISTS = ("month_cues", "ambiguous_months", "time_zones", "vague_quantities", "duration_modifiers",
               "reference_strip_prefix", "future_cues", "past_cues", "deadline_words", "not_past_words",
               "duration_reject_after", "abbreviations", "reporting_verbs", "over_quantifier_after",
               "year_ok_next_words", "year_ok_previous_words", "year_reject_before", "not_time",
               "year_reject_next_words", "street_types")


@lru_cache(maxsize=1)
def _lexicon() -> _Lex:
    raw = yaml.safe_load(LEXICON.read_text(encoding="utf-8"))
    for key in _WORD_LISTS:   # YAML reads a bare on/no/yes as a boolean: such a slip must not pass silently
        bad = [w for w in raw[key] if not isinstance(w, str)]
        if bad:
            raise ValueError(f"{LEXICON}: {key} holds non-strings {bad!r} (quote them)")
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
    DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?(?!\d|:\d)"
    YEAR = r"(?:1[5-9]|20)\d\d(?![\d])"
    num_words = _alt(raw["numbers"])
    tens = _alt(w for w, v in raw["numbers"].items() if 20 <= v <= 90 and v % 10 == 0)
    ones = _alt(w for w, v in raw["numbers"].items() if 1 <= v <= 9 and w not in ("a", "an"))
    NUMW = rf"(?:(?:{tens})-(?:{ones})|{num_words})"
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

    def add(name, rx, prio=5, flags=re.I, trigger=None):
        P.append((name, re.compile(rx, flags), name, prio, trigger))

    # Cheap keyword searches that a pattern cannot match without: the full pattern then runs only in a
    # window around each hit (speed: the big alternations are slow to try at every word).
    def words(*groups) -> frozenset:
        return frozenset(w.lower() for g in groups for phrase in g for w in re.findall(r"[A-Za-z]+", phrase))

    def first_words(phrases) -> frozenset:
        return frozenset(re.findall(r"[A-Za-z]+", p)[0].lower() for p in phrases)

    t_mon = words(raw["months"], raw["month_abbreviations"])
    t_wd = words(raw["weekdays"], raw["weekday_abbreviations"])
    t_unit = words(raw["units"], raw["unit_plurals"])
    t_ago = frozenset({"ago", "earlier", "later", "now", "hence"})
    t_century = frozenset({"century"})
    t_quarter = frozenset({"quarter", "half"})
    t_season = words(raw["seasons"])
    t_rel = frozenset({"last", "next", "this", "current", "previous", "coming", "past", "weekend"})
    t_ampm = re.compile(r"\d\s*[ap]\.?\s?m\b", re.I)
    t_colon = re.compile(r"\d:\d")
    t_tz = re.compile(rf"\d\s*(?:{TZ}|hours|hrs)\b", re.I)
    t_tz2 = re.compile(rf"\d\s*(?:{TZ})\b", re.I)
    t_every = frozenset({"every", "each", "once", "twice", "times"})
    t_relday = frozenset({"today", "yesterday", "tomorrow", "tonight"})
    t_named = words(raw["times_of_day"])
    t_ref = first_words(raw["references"])
    t_set = words(raw["sets"])
    t_holiday = first_words(list(raw["holidays"]) + list(raw["holidays_nth_weekday"]))
    t_digits = re.compile(r"\d\d")
    t_fuzzy = frozenset({"beginning", "start", "end", "middle"})
    t_anaphor = frozenset({"that", "same", "next", "following", "previous", "preceding", "before", "after"})

    add("iso", r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:[T ](?P<hh>[0-2]\d):(?P<mm>[0-5]\d))?\b", 1, trigger=t_digits)
    add("numeric", rf"\b(?P<a>[0-3]?\d)(?P<sep>[/.])(?P<b>[0-3]?\d)(?P=sep)(?P<y>{YEAR}|\d\d(?!\d))", 2, trigger=t_digits)
    add("mdy", rf"\b(?:(?P<wd>{WD})\s*,?\s+)?(?:(?P<rel>{REL})\s+)?(?P<mon>{MON})\s*(?P<day>{DAY})(?:\s*,?\s*(?P<year>{YEAR}))?", 2, trigger=t_mon)
    add("dmy", rf"\b(?:(?P<wd>{WD})\s*,?\s+)?(?:the\s+)?(?P<day>{DAY})(?:\s+of)?\s+(?:(?P<rel>{REL})\s+)?(?P<mon>{MON})(?:\s*,?\s*(?P<year>{YEAR}))?", 2, trigger=t_mon)
    add("dlist", rf"\b(?P<days>{DAY}(?:{DSEP}{DAY})+)(?:\s+of)?\s+(?P<mon>{MON})(?:\s*,?\s*(?P<year>{YEAR}))?", 1, trigger=t_mon)
    add("mlist", rf"\b(?P<mon>{MON})\s*(?P<days>{DAY}(?:{DSEP}{DAY})*(?:\s*(?:and|&|-|–|to|through|till|until)\s*){DAY})(?:\s*,?\s*(?P<year>{YEAR}))?", 1, trigger=t_mon)
    add("monyear", rf"\b(?:(?P<rel>{REL})\s+)?(?P<mon>{MON})\s*,?\s+(?:of\s+)?(?P<year>{YEAR})", 2, trigger=t_mon)
    add("monrelyear", rf"\b(?P<mon>{MON})\s+(?:of\s+)?(?P<yrel>this|last|next)\s+year\b", 2, trigger=t_mon)
    add("fuzzythe", r"\b(?:the\s+)?(?:very\s+)?(?P<w>beginning|start|end|middle)\s+of\s+the\s+(?P<unit>week|month|year)\b", 2, trigger=t_fuzzy)
    add("anaphor", rf"\b(?:(?P<fz>earlier|later)\s+)?(?P<det>that\s+same|that|the\s+same|the\s+next|the\s+following|the\s+previous|the\s+preceding)\s+(?P<unit>day|week|month|year|{POD})\b(?!-)", 4, trigger=t_anaphor)
    add("daybefore", r"\bthe\s+(?P<unit>day|week|month|year)\s+(?P<dir>before|after)\b(?=\s*[,.;]|\s+(?:that|which|it|he|she|they|we)\b)", 4, trigger=t_anaphor)
    add("month", rf"\b(?:(?P<rel>{REL})\s+)?(?P<mon>{MONFULL})", 6, trigger=t_mon)
    add("weekday", rf"\b(?:(?:the\s+)?(?P<rel>{REL}|previous|following)\s+)?(?P<wd>{WDFULL})(?:\s+(?P<pod>{POD}))?", 5, trigger=t_wd)
    add("relday", rf"\b(?P<w>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|yesterday|tomorrow|tonight)(?:\s+(?P<pod>{POD}))?\b", 4, trigger=t_relday)
    add("thispod", rf"\b(?P<d>this|last)\s+(?P<pod>{POD})\b", 4, trigger=t_rel)
    add("relperiod", rf"\b(?:(?P<fz>earlier|later)\s+)?(?P<rel>last|next|this|the\s+current|the\s+previous|the\s+coming|this\s+past)\s+(?P<unit>week|weekend|month|year|quarter|decade|century|{SEASON})\b(?!-)", 3, trigger=t_rel)
    add("theweekend", r"\b(?P<the>the)\s+weekend\b", 6, trigger=t_rel)
    add("ago", rf"\b(?:(?P<q>{MODS})\s+)?(?:(?P<num>{NUM}|{VAGUE})\s+)?(?P<unit>{UNITS})\s+(?P<dir>ago|earlier|later|from\s+now|hence)\b", 2, trigger=t_ago)
    add("duration", rf"\b(?:(?P<q>{MODS})\s+)?(?P<num>{NUM}|{VAGUE})(?:\s+(?:more|additional|further|straight|consecutive|full|long|trading|business|working))?\s+(?P<unit>{UNITS})\b(?!-)", 4, trigger=t_unit)
    add("adjdur", rf"\b(?P<num>{NUM}|several|multi)-(?P<unit>{UNIT})\b(?!-)", 4, trigger=t_unit)
    add("sameperiod", r"\bthe\s+same\s+(?:period|month|quarter|time)\s+(?:of\s+)?(?:a\s+year\s+(?:ago|earlier|before)|last\s+year|the\s+(?:last|previous)\s+year|the\s+year\s+before)\b", 1, trigger=frozenset({"same"}))
    add("theperiod", rf"\b(?:(?P<det>the|that|last\s+year's)\s+)?(?:(?P<adj>latest|most\s+recent|comparable|corresponding|same)\s+)?(?:(?P<ago>year-ago|year-earlier)\s+|(?P<y0>{YEAR})\s+)?(?P<u>quarter|period)\b(?:\s+(?P<ago2>a\s+year\s+(?:ago|earlier)|last\s+year))?", 6, trigger=frozenset({"quarter", "period"}))
    add("yearagoadj", r"\b(?P<ago>year-ago|year-earlier)\b", 6, trigger=frozenset({"ago", "earlier"}))
    teens = _alt(w for w, v in raw["numbers"].items() if 10 <= v <= 19)
    SPELLED = rf"(?:(?:nineteen|eighteen)\s+(?:(?:{tens})(?:[-\s](?:{ones}))?|{teens}|hundred)|two\s+thousand(?:\s+and)?(?:\s+(?:{teens}|{ones}))?)"
    add("spelledyear", rf"\b(?:(?P<mon>{MONFULL})\s+|the\s+year\s+)?(?P<sy>{SPELLED})\b(?!-|\s+(?:{UNITS}|percent|people|dollars|points)\b)", 3,
        trigger=frozenset({"nineteen", "eighteen", "thousand"}))
    add("pastunit", rf"\b(?P<q>the\s+past|the\s+last|the\s+next|the\s+coming|the\s+previous|the\s+following|past)\s+(?P<unit>{UNIT})\b(?![-'])", 5, trigger=t_unit)
    add("vagueunits", rf"(?:\b(?:for|over|within|in|from)\s+)(?P<span>(?P<unit>{UNITPL}))\b(?!-|\s+(?:old|of\b))", 7, trigger=t_unit)
    add("year", rf"(?P<pre>\b(?:fiscal|the\s+year|calendar)\s+)?(?<![\w$£€#.,/])(?<!\d-)(?P<year>{YEAR})(?![.,]\d|\s*%|-(?:\d|year))", 6, trigger=t_digits)
    add("yearrange", rf"(?<![\w$£€#.,/-])(?P<y1>{YEAR})\s*(?:-|–|to)\s*(?P<y2>{YEAR}|\d\d(?!\d))(?![.,]\d|\s*%)", 3, trigger=t_digits)
    add("decade", r"(?:\bthe\s+)?(?:\b(?P<y>(?:1[5-9]|20)\d0)s|'(?P<yy>\d0)s)\b", 3, trigger=t_digits)
    # "the 70s", "the 70s and 80s", "the nineties" (not "his 70s", "their forties": ages)
    add("decadeshort", rf"(?:\bthe\s+|(?<=0s\sand\s)|(?<=0s,\s))(?:(?P<yy>[2-9]0)s|(?P<w>{_alt(raw['decade_words'])}))\b", 3,
        trigger=re.compile(rf"\b[2-9]0s\b|\b(?:{_alt(raw['decade_words'])})\b", re.I))
    add("century", rf"\b(?:the\s+)?(?P<o>{ORD}|\d{{1,2}}(?:st|nd|rd|th))\s*-?\s*century\b", 3, trigger=t_century)
    add("quarter", rf"\b(?:(?P<pre>the|this\s+year's|last\s+year's)\s+)?(?:(?P<y0>{YEAR})\s+|(?P<ago>year-ago|year-earlier)\s+)?(?:(?:fiscal|calendar)\s+)?(?P<o>first|second|third|fourth|final|last|1st|2nd|3rd|4th)(?:\s+|-)(?P<u>quarter|half)(?:\s+(?:of\s+)?(?:(?P<year>{YEAR})|(?P<yrel>this|last|next)\s+year))?\b", 3, trigger=t_quarter)
    add("quarteradj", r"\b(?P<o>first|second|third|fourth|final|1st|2nd|3rd|4th)-(?P<u>quarter|half)\b", 3, trigger=t_quarter)
    add("qcode", rf"\b(?P<u>[QH])(?P<n>[1-4])(?:\s*(?P<year>{YEAR}))?\b", 3, 0, trigger=re.compile(r"\b[QH][1-4]\b"))
    add("season", rf"\b(?:(?P<rel>last|next|this|the\s+past|the\s+coming|the)\s+)?(?P<s>{SEASON})(?:\s+(?:of\s+)?(?P<year>{YEAR}))?\b", 5, trigger=t_season)
    add("clock", rf"\b(?P<h>[01]?\d|2[0-4])(?:[:.](?P<m>[0-5]\d))?\s*(?P<ap>[ap]\.\s?m\.?|[ap]m\b)(?:\s+(?P<tz>{TZ})\b)?", 3, trigger=t_ampm)
    add("clock24", rf"(?<![\d:.,])\b(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)(?![\d:])(?:\s*(?P<tz>{TZ}|hours|hrs)\b)?", 3, trigger=t_colon)
    add("clockdot", rf"(?<![\d:.,])\b(?P<h>[01]?\d|2[0-3])\.(?P<m>[0-5]\d)\s*(?P<tz>{TZ})\b", 3, trigger=t_tz2)
    add("military", rf"(?<![\d:.,])\b(?P<hm>[0-2]\d[0-5]\d)\s*(?P<tz>{TZ}|hours|hrs)\b", 3, trigger=t_tz)
    add("namedtime", rf"\b(?P<w>{_alt(raw['times_of_day'])})\b", 4, trigger=t_named)
    add("ref", rf"\b(?P<w>{_alt(raw['references'])})\b(?!-)", 8, trigger=t_ref)
    add("setword", rf"\b(?P<w>{_alt(raw['sets'])})\b", 6, trigger=t_set)
    add("every", rf"\b(?P<e>every|each)\s+(?:(?P<num>{NUM}|other)\s+)?(?P<u>{UNITS}|{WDFULL}|{MONFULL}|{POD})\b", 3, trigger=t_every)
    add("times", rf"\b(?:once|twice|\w+\s+times)\s+(?P<span>(?:a|an|per)\s+(?P<u>{UNIT}))\b", 3, trigger=t_every)
    add("holiday", rf"\b(?P<w>{_alt(raw['holidays'])})\b", 4, trigger=t_holiday)
    add("nthholiday", rf"\b(?P<w>{_alt(raw['holidays_nth_weekday'])})\b", 4, trigger=t_holiday)

    fuzzy_re = re.compile(
        r"(?:\b(?:the\s+)?(?:very\s+)?(?P<w>beginning|start|end|middle)\s+of\s+(?:the\s+)?"
        r"|\b(?:the\s+)?(?P<a>early|mid|late|earlier|later)(?:-|\s+)|\b(?P<m>mid)-?)$", re.I)
    cue_alt = _alt(c.rstrip("-") for c in raw["month_cues"])
    month_cue_re = re.compile(rf"\b(?:{cue_alt})(?:\s+|-)$", re.I)
    return _Lex(
        raw=raw, months=months, weekdays=weekdays,
        numbers={k.lower(): v for k, v in raw["numbers"].items()},
        units=units, plural=plural, patterns=P, fuzzy_re=fuzzy_re,
        future_words=frozenset(w.lower() for w in raw["future_cues"]),
        past_words=frozenset(w.lower() for w in raw["past_cues"]),
        not_past_words=frozenset(w.lower() for w in raw["not_past_words"]),
        deadline_words=frozenset(w.lower() for w in raw["deadline_words"]),
        month_cue_re=month_cue_re,
        year_ok_next=frozenset(w.lower() for w in raw["year_ok_next_words"]),
        year_reject_before=tuple(w.lower() for w in raw["year_reject_before"]),
        year_ok_prev=frozenset(w.lower() for w in raw["year_ok_previous_words"]),
        year_reject_next=frozenset(w.lower() for w in raw["year_reject_next_words"]),
        # "2036 Yorkshire Avenue", "1617 Southeast 17th Street", "the 1500 block of": a house number; up
        # to four capitalised or numbered words, then a street type
        address_re=re.compile(rf"^(?:\s+(?-i:[A-Z0-9])[\w'’.-]*){{0,4}}?\s+(?:{_alt(raw['street_types'])})\b"
                              rf"|^\s+blocks?\b", re.I),
        reject_res=tuple(re.compile(r, re.I) for r in raw["not_time"]),
        sentence_end_re=re.compile(r"[.?!]+['\"”’]*\s+|\n"),
        abbreviations=frozenset(w.lower() for w in raw["abbreviations"]),
        reporting_verbs=frozenset(w.lower() for w in raw["reporting_verbs"]),
        over_quantifier_after=frozenset(w.lower() for w in raw["over_quantifier_after"]),
        dur_reject_after_re=re.compile(rf"^\s*(?:{_alt(raw['duration_reject_after'])})\b", re.I),
    )


def time_lexicon() -> dict:
    """The time lexicon as read from ``LEXICON`` (read-only: for the extract and resolve rules on time)."""
    return _lexicon().raw


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
    yearless: bool = False   # a month-day whose year was inferred (a range may move it a year back)
    anaphor: tuple | None = None   # (unit, offset, part of day) for "that day", "the next morning" ...;
    #                 (unit, "cur" / "back", year or None, explicit) for "the quarter", "the year-ago period"
    year_back: str = ""      # "plain": "a year ago/earlier"; "same": "the same period last year"

    def interval(self) -> DateInterval | None:
        if self.iv is None:
            return None
        return DateInterval(_iso(self.iv[0]), _iso(self.iv[1]), self.precision, self.basis)


# --------------------------------------------------------------------------- context
class _Ctx:
    """The text, its anchor and the lexicon: what every handler needs."""

    def __init__(self, text: str, anchor: date | None, lex: _Lex, adjectival: bool = False):
        self.text = text
        self.anchor = anchor
        self.lex = lex
        self.adjectival = adjectival   # mark adjectival durations ("a two-day visit") as TimeML does

    def sentence_bounds(self, start: int, end: int) -> tuple[int, int]:
        """The sentence around [start, end): a period after an abbreviation ("a.m.", "Mr.") ends none."""
        t = self.text
        lo = max(0, start - 200)
        hi = min(len(t), end + 200)
        ends = [m.end() for m in self.lex.sentence_end_re.finditer(t, lo, hi) if self._ends(m.start())]
        s = max([i for i in ends if i <= start], default=lo)
        e = min([i - 1 for i in ends if i > end], default=hi)
        return s, e

    def _ends(self, i: int) -> bool:
        """Whether the punctuation at i ends a sentence: not after "a.m", "U.S", a single letter, "Mr"."""
        if self.text[i] != ".":
            return True
        w = re.search(r"[A-Za-z.]*$", self.text[max(0, i - 12):i]).group(0)
        return not (len(w) == 1 or "." in w or w.lower() in self.lex.abbreviations)

    def tense(self, start: int, end: int) -> str | None:
        """"future", "past" or None for the clause around [start, end): the nearest tense cue wins,
        looking back first (up to thirteen words, passives skipped), then forward (eight words)."""
        s, e = self.sentence_bounds(start, end)
        before = _WORD.findall(self.text[max(s, start - 100):start])[-13:]
        lex = self.lex
        skip = {"on", "the", "of", "a", "m", "at"}
        near = [w.lower() for w in before if w.lower() not in skip]
        tail = " ".join(near[-3:])
        if near and any(tail == d or tail.endswith(" " + d) for d in lex.deadline_words):
            for w in _WORD.findall(self.text[end:min(e, end + 60)])[:8]:
                if w.lower() in lex.past_words and w.lower() not in lex.reporting_verbs:
                    return "past"   # "Until Thursday, they had not called him a suspect"
            return "future"
        for i in range(len(before) - 1, max(-1, len(before) - 13), -1):
            w = before[i]
            prev = before[i - 1].lower() if i > 0 else ""
            t = self._cue(w)
            if t == "past" and prev in ("be", "being"):
                continue   # "must be returned by", "would be held on": passive infinitives
            if t:
                return t
        for w in _WORD.findall(self.text[end:min(e, end + 60)])[:8]:
            t = self._cue(w)
            if t:
                return t
        return None

    def _cue(self, w: str) -> str | None:
        w = w.lower()
        if w in self.lex.future_words:
            return "future"
        if w in self.lex.past_words:
            return "past"
        if len(w) > 4 and w.endswith("ed") and w not in self.lex.not_past_words:
            return "past"
        return None

    def future(self, start: int, end: int) -> bool:
        return self.tense(start, end) == "future"


_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")


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
def _pick(opts: list, anchor, tense: str | None, dist, slack: int = 0, horizon: int | None = None,
          near_future: int = 0):
    """Choose among candidate readings of a date without its year.

    After the anchor in future context (``slack`` units before it still count: reports are often
    dated a day late), before it in past context. Without a cue, the most recent reading, unless a
    future one lies within ``near_future`` units and is closer. A tense cue is a hint, not a reason to
    jump a year: it is not followed beyond ``horizon`` units when the closest reading lies within the
    horizon (future cue) or within ``near_future`` (past cue).
    """
    closest = min(opts, key=lambda o: (abs(dist(o)), dist(o) > 0))
    earlier = [o for o in opts if dist(o) <= 0]
    latest_past = max(earlier, key=dist) if earlier else closest
    if tense is None:
        if dist(closest) > 0 and dist(closest) > near_future:
            return latest_past
        return closest
    pick = None
    if tense == "future":
        later = [o for o in opts if dist(o) >= -slack]
        if later:
            pick = min(later, key=dist)
    elif earlier:
        pick = latest_past
    if pick is None:
        return closest
    if horizon is not None:
        if tense == "future" and dist(pick) > horizon and abs(dist(closest)) <= horizon:
            return closest
        if tense == "past" and dist(pick) < -horizon and 0 < dist(closest) <= near_future:
            return closest   # "payable Dec. 7" in a late-October report, after a past-tense verb
    return pick


def _resolve_md(ctx: _Ctx, month: int, day: int, start: int, end: int, weekday: int | None = None) -> _Cand | None:
    """A month-day without a year: the reading that the clause's tense and the anchor make most likely."""
    if not 1 <= day <= 31:
        return None
    if ctx.anchor is None:
        if day > calendar.monthrange(2000, month)[1]:
            return None
        return _Cand(start, end, "DATE", f"XXXX-{month:02d}-{day:02d}")
    a = ctx.anchor
    opts = [d for d in (_safe_date(y, month, day) for y in (a.year - 1, a.year, a.year + 1)) if d]
    if weekday is not None:
        same = [d for d in opts if d.isoweekday() == weekday]
        if same:
            pick = min(same, key=lambda d: abs((d - a).days))
            return _Cand(start, end, "DATE", _iso(pick), (pick, pick), "day", "relative")
    if not opts:
        return None
    pick = _pick(opts, a, ctx.tense(start, end), lambda d: (d - a).days, slack=7, horizon=183,
                 near_future=60)
    return _Cand(start, end, "DATE", _iso(pick), (pick, pick), "day", "relative", yearless=True)


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
    else:
        dist = lambda yy: (yy - a.year) * 12 + month - a.month  # noqa: E731
        tense = ctx.tense(start, end)
        y = _pick([a.year - 1, a.year, a.year + 1], a, tense, dist, horizon=6, near_future=2)
    return _Cand(start, end, "DATE", f"{y}-{month:02d}", _month_iv(y, month), "month", "relative")


def _resolve_weekday(ctx: _Ctx, wd: int, rel: str | None, start: int, end: int) -> _Cand:
    if ctx.anchor is None:
        return _Cand(start, end, "DATE", f"XXXX-WXX-{wd}")
    a = ctx.anchor
    diff = wd - a.isoweekday()
    rel = (rel or "").lower()
    if rel in ("last", "past", "previous"):
        k = diff if diff < 0 else diff - 7
    elif rel in ("next", "coming", "following"):
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
    mdy, dmy = _safe_date(y, a, b), _safe_date(y, b, a)
    if mdy and dmy and mdy != dmy and ctx.anchor is not None and m["sep"] != ".":
        # both readings are possible: the one nearest before the anchor (a report cites recent dates)
        an = ctx.anchor
        dd = min((mdy, dmy), key=lambda x: (x > an, abs((x - an).days)))
    else:
        dd = (mdy if order == "mdy" else dmy) or mdy or dmy
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
    wd = ctx.lex.weekdays[m["wd"].rstrip(".").lower()] if m["wd"] else None
    c = _resolve_md(ctx, mo, day, m.start(), m.end(), wd)
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
    """The most specific TIMEX3 value that contains all the parts (a month, a year, a decade ...)."""
    first = values[0]
    years = [v[:4] for v in values]
    if all(y.isdigit() for y in years) and len(set(years)) > 1:
        for k in (3, 2):
            if len({y[:k] for y in years}) == 1:
                return years[0][:k]
        return first
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


def _h_monrelyear(ctx, m):
    mo = _month_ok(ctx, m)
    if mo is None:
        return None
    if ctx.anchor is None:
        return _Cand(m.start(), m.end(), "DATE", f"XXXX-{mo:02d}")
    y = ctx.anchor.year + {"this": 0, "last": -1, "next": 1}[m["yrel"].lower()]
    return _Cand(m.start(), m.end(), "DATE", f"{y}-{mo:02d}", _month_iv(y, mo), "month", "relative", prio=2)


def _h_fuzzythe(ctx, m):
    """"the end of the month": the anchor's month, narrowed to its part."""
    c = _shift(ctx, m["unit"].lower(), 0, m.start(), m.end())
    part = ctx.lex.raw["fuzzy_modifiers"][m["w"].lower()]
    if c.iv is not None:
        c.iv, c.precision = _thirds(c.iv[0], c.iv[1], int(part), c.precision)
    c.prio = 2
    return c


def _h_anaphor(ctx, m):
    """"that day", "the next morning": resolved later against the last date mentioned before it."""
    det = re.sub(r"\s+", " ", m["det"].lower())
    k = {"that": 0, "that same": 0, "the same": 0, "the next": 1, "the following": 1, "the previous": -1, "the preceding": -1}[det]
    unit = m["unit"].lower()
    pod = ctx.lex.raw["parts_of_day"].get(unit)
    if pod:
        unit = "day"
    return _Cand(m.start(), m.end(), "TIME" if pod else "DATE", "", kind="anaphor", prio=4,
                 anaphor=(unit, k, pod))


def _h_daybefore(ctx, m):
    k = -1 if m["dir"].lower() == "before" else 1
    return _Cand(m.start(), m.end(), "DATE", "", kind="anaphor", prio=4, anaphor=(m["unit"].lower(), k, None))


_DAY_AROUND = re.compile(r"(?:\bthe\s+(?P<unit>day|night)\s+(?P<dir>after|before)\s+|"
                         r"\b(?P<unit2>day|night)-(?P<dir2>after|before)-)$", re.I)


def _day_around(ctx: _Ctx, cands: list[_Cand]) -> list[_Cand]:
    """"the day after Thanksgiving", "the day-after-Christmas sales": the day next to a named day."""
    out = []
    for c in cands:
        m = _DAY_AROUND.search(ctx.text[max(0, c.start - 20):c.start])
        if m and c.kind == "date" and c.iv is not None and c.iv[0] == c.iv[1] and not c.parts:
            k = 1 if (m["dir"] or m["dir2"]).lower() == "after" else -1
            d = c.iv[0] + timedelta(days=k)
            c = replace(c, start=c.start - (len(m.group(0))), value=_iso(d), iv=(d, d), basis="relative")
        out.append(c)
    return out


def _year_from_same_day(cands: list[_Cand]) -> list[_Cand]:
    """A month-day without a year that the text also writes with one ("... on March 13, 2013. ... killed on
    Mar. 13") is that day: the year comes from the text, not from the anchor."""
    written: dict[tuple[int, int], set[int]] = {}
    for c in cands:
        if c.basis == "explicit" and c.iv is not None and c.iv[0] == c.iv[1] and not c.parts \
                and re.fullmatch(r"\d{4}-\d\d-\d\d", c.value):
            written.setdefault((c.iv[0].month, c.iv[0].day), set()).add(c.iv[0].year)
    out = []
    for c in cands:
        if c.yearless and c.iv is not None and not c.parts:
            years = written.get((c.iv[0].month, c.iv[0].day), set())
            if len(years) == 1 and c.iv[0].year not in years:
                d = _safe_date(years.pop(), c.iv[0].month, c.iv[0].day)
                if d is not None:
                    c = replace(c, value=_iso(d), iv=(d, d))
        out.append(c)
    return out


_COARSER = {"day": 0, "week": 1, "month": 2, "season": 3, "quarter": 3, "year": 4, "decade": 5}


def _resolve_anaphors(ctx: _Ctx, cands: list[_Cand]) -> list[_Cand]:
    """Give "that day", "the next day" ... the date of the last expression before them (else the anchor)."""
    out: list[_Cand] = []
    ref: _Cand | None = None
    for c in cands:
        if c.kind != "anaphor":
            if c.kind in ("date", "time") and c.iv is not None and not c.parts:
                ref = c
            out.append(c)
            continue
        unit, k, pod = c.anaphor
        if ref is not None:
            base, basis = ref.iv[0], ref.basis
            fine_enough = _COARSER.get(ref.precision, 9) <= _COARSER[unit]
        elif ctx.anchor is not None:
            base, basis, fine_enough = ctx.anchor, "relative", True
        else:
            base, basis, fine_enough = None, "relative", False
        if not fine_enough:
            unknown = {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "month": "XXXX-XX", "year": "XXXX"}[unit]
            out.append(replace(c, value=unknown + (("T" + pod) if pod else ""), kind="date"))
            continue
        shifted = _shift(_Ctx(ctx.text, base, ctx.lex), unit, k, c.start, c.end, basis)
        if pod:
            shifted = replace(shifted, type="TIME", value=shifted.value + "T" + pod, kind="time")
        shifted.prio = c.prio
        out.append(shifted)
        ref = shifted
    return out


_PERIOD_REACH = 700   # characters: how far back a named period stays the topic of a comparison
_PERIOD_VALUE = re.compile(r"^(\d{4})-(?:([QH])([1-4])|(\d\d))$")


def _year_back_periods(ctx: _Ctx, cands: list[_Cand]) -> list[_Cand]:
    """"Profit rose to $5 million from $3 million a year earlier": after a quarter or half-year has been
    named, "a year ago/earlier" compares with that same period one year back (TimeML values it so)."""
    out: list[_Cand] = []
    period: tuple[int, str, int] | None = None   # (year, "Q" / "H" / "M", number) of the last period named
    seen = -_PERIOD_REACH
    for c in cands:
        if c.kind == "period":
            back = c.anaphor[1] == "back"
            c = _resolve_period(ctx, c, period if c.start - seen <= _PERIOD_REACH else None)
            if c is None:
                continue
            m = _PERIOD_VALUE.match(c.value)
            if m and not back and period is None:   # "the latest quarter" names the period under discussion
                period, seen = (int(m.group(1)), m.group(2) or "M", int(m.group(3) or m.group(4))), c.end
            out.append(c)
            continue
        m = _PERIOD_VALUE.match(c.value)
        if m and c.kind == "date" and not c.year_back:
            period = (int(m.group(1)), m.group(2) or "M", int(m.group(3) or m.group(4)))
            seen = c.end
        elif c.year_back and period is not None and (period[1] != "M" or c.year_back == "same") \
                and c.start - seen <= _PERIOD_REACH:
            y, code, n = period
            if code == "M":
                q = _Cand(c.start, c.end, "DATE", f"{y - 1}-{n:02d}", _month_iv(y - 1, n), "month", "relative")
            else:
                q = _quarter(ctx, "quarter" if code == "Q" else "half", n, y - 1, c.start, c.end, "relative")
            c = replace(c, value=q.value, iv=q.iv if c.iv is not None else None, precision=q.precision)
        out.append(c)
    return out


def _h_theperiod(ctx, m):
    """"the quarter", "the latest period", "the year-ago quarter": the reporting period under discussion
    (the quarter named last, else the last one completed), or that period one year back."""
    if not m["det"] and not m["ago"]:
        return None
    u = m["u"].lower()
    adj = re.sub(r"\s+", " ", (m["adj"] or "").lower())
    det = re.sub(r"\s+", " ", (m["det"] or "").lower())
    back = bool(m["ago"] or m["ago2"] or det == "last year's")
    if adj in ("comparable", "corresponding", "same") and not back:
        return None
    if ctx.text[m.end():m.end() + 1] == "-" or re.match(r"\s+of\b", ctx.text[m.end():m.end() + 5]):
        return None   # "the quarter-point cut", "the period of ..." (a span, no reporting period)
    year = int(m["y0"]) if m["y0"] else None
    # a bare "the quarter" is a time only after a period has been named ("shelling hit the quarter")
    explicit = back or year is not None or adj in ("latest", "most recent")
    return _Cand(m.start(), m.end(), "DATE", "", kind="period", prio=6 if not (back or year) else 2,
                 anaphor=(u, "back" if back else "cur", year, explicit))


def _h_yearagoadj(ctx, m):
    """"compared with year-earlier profit": the period under discussion, one year back."""
    c = _shift(ctx, "year", -1, m.start(), m.end())
    c.prio, c.year_back = 6, "plain"
    return c


def _resolve_period(ctx: _Ctx, c: _Cand, period: tuple | None) -> _Cand | None:
    """Value of "the quarter" / "the year-ago period" from the period named before (see above)."""
    unit, mode, year, explicit = c.anaphor
    if period is not None and period[1] in "QH":
        y, code, n = period
        if year is not None:   # "the 1988 quarter": the quarter under discussion, in that year
            y = year
    elif unit == "quarter" and ctx.anchor is not None and explicit:
        y, m = _add_months(ctx.anchor.year, ((ctx.anchor.month - 1) // 3) * 3 + 1, -3)   # last one completed
        code, n = "Q", (m - 1) // 3 + 1
    elif year is not None:
        return _year_cand(year, c.start, c.end)
    else:
        return None
    if mode == "back":
        y -= 1
    q = _quarter(ctx, "quarter" if code == "Q" else "half", n, y, c.start, c.end, "relative")
    return replace(q, prio=c.prio)


def _h_sameperiod(ctx, m):
    """"the same period last year", "the same month a year ago": resolved by ``_year_back_periods``."""
    c = _shift(ctx, "year", -1, m.start(), m.end())
    c.prio, c.year_back = 1, "same"
    return c


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
    if unit == "weekend" and k == 0 and ctx.anchor is not None and ctx.anchor.isoweekday() < 6 \
            and ctx.tense(m.start(), m.end()) == "past":
        k = -1      # "the shooting happened this weekend" in a Monday report: the weekend just past
    c = _shift(ctx, unit, k, m.start(), m.end())
    c.prio = 3
    if m["fz"] and k == 0 and c.iv is not None and unit in ("week", "month", "year", "quarter"):
        # "earlier this month": from the month's start to the anchor; "later this week": the rest of it
        a = ctx.anchor
        lo, hi = c.iv
        c.iv = (lo, min(hi, a)) if m["fz"].lower() == "earlier" else (max(lo, a), hi)
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
        if direction in ("earlier", "later"):   # "an hour later": the duration, relative to an event
            return _Cand(m.start(), m.end("unit"), "DURATION", _duration_value(ctx.lex, n, unit),
                         kind="duration", prio=2)
        c = _shift(ctx, "day", 0, m.start(), m.end())
        c.prio = 2
        return c
    k = int(round(n)) * sign
    relative_to_event = direction in ("earlier", "later")
    mapping = {"day": ("day", 1), "night": ("day", 1), "week": ("week", 1), "fortnight": ("week", 2),
               "quarter": ("quarter", 1),
               "month": ("month", 1), "year": ("year", 1), "decade": ("year", 10), "century": ("year", 100)}
    u, f = mapping[unit]
    c = _shift(ctx, u, k * f, m.start(), m.end())
    c.prio = 2
    c.year_back = "plain" if unit == "year" and k == -1 else ""
    if relative_to_event:
        # "two weeks later" counts from an event in the text, not from publication: the value is the
        # TimeML reading from the anchor, but no interval is claimed
        c.iv = None
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
    if n is not None and n != 1 and not plural and not re.match(r"half", numtxt) and not ctx.adjectival:
        return None    # "six hour" without the plural is a compound modifier (marked only in TimeML mode)
    if re.match(r"\d", numtxt) and ctx.text[m.start("num") - 1:m.start("num")] in ("$", "£", "€", "-"):
        return None
    start = m.start()
    if m["q"] and m["q"].lower() == "over":
        prev = re.search(r"([A-Za-z]+)\W*$", ctx.text[max(0, start - 20):start])
        if not prev or prev.group(1).lower() not in ctx.lex.over_quantifier_after:
            start = m.start("num")   # "evolved over three years": a preposition, left out of the span
    return _Cand(start, m.end(), "DURATION", _duration_value(ctx.lex, n, unit), kind="duration", prio=4)


def _h_adjdur(ctx, m):
    """"a 16-hour flight", "a two-day visit": TimeML marks the adjective as a duration; sitrep's own
    output leaves it out (a compound modifier is no time of an event, and its number is no count)."""
    if not ctx.adjectival or not _dur_ok(ctx, m):
        return None
    unit = _unit_of(ctx.lex, m["unit"])
    numtxt = m["num"].lower()
    n = None if numtxt in ("several", "multi") else _num(ctx.lex, numtxt)
    if n is None and numtxt not in ("several", "multi"):
        return None
    if ctx.text[m.start() - 1:m.start()] in ("$", "£", "€", "-"):
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
    """Whether a four-digit number is a year by its neighbours: never after "$", "No.", "Route", "P.O. Box",
    "copyright"; never a house number ("2036 Yorkshire Avenue", "the 1500 block of") or a count ("1800
    people"); else a year after "in", "since", ... or before punctuation, "and", "the", a name ..."""
    before = ctx.text[max(0, s - 15):s].rstrip()
    low = before.lower()
    for w in ctx.lex.year_reject_before:
        if low.endswith(w) and (not w[0].isalpha() or not low[:-len(w)][-1:].isalpha()):
            return False
    after = ctx.text[e:e + 60]
    if ctx.lex.address_re.match(after):
        return False
    nxt = re.match(r"\s*([A-Za-z']+)", after)
    if nxt and nxt.group(1).lower() in ctx.lex.year_reject_next:
        return False
    prev = re.search(r"([A-Za-z]+)\W*$", before)
    if prev and prev.group(1).lower() in ctx.lex.year_ok_prev:
        return True
    after = after[:30]
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


def _spelled_number(lex: _Lex, words: str) -> int | None:
    """"nineteen ninety-four" -> 1994, "two thousand and one" -> 2001 (years read aloud)."""
    w = re.sub(r"[-\s]+", " ", words.lower()).replace(" and ", " ").split()
    nums = lex.numbers
    if w[:2] == ["two", "thousand"]:
        return 2000 + sum(nums.get(x, 0) for x in w[2:])
    if w[0] not in nums or any(x not in nums and x != "hundred" for x in w[1:]):
        return None
    rest = [x for x in w[1:] if x != "hundred"]
    return int(nums[w[0]]) * 100 + int(sum(nums[x] for x in rest))


def _h_spelledyear(ctx, m):
    y = _spelled_number(ctx.lex, m["sy"])
    if y is None or not 1800 <= y <= 2099:
        return None
    if not m["mon"] and not m.group(0).lower().startswith("the year") \
            and not _year_guard(ctx, m, m.start(), m.end()):
        return None
    if m["mon"]:
        mo = _month_ok(ctx, m)
        if mo is None:
            return None
        return _Cand(m.start(), m.end(), "DATE", f"{y}-{mo:02d}", _month_iv(y, mo), "month", "explicit", prio=2)
    return _year_cand(y, m.start(), m.end())


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


def _h_decadeshort(ctx, m):
    yy = int(m["yy"]) if m["yy"] else ctx.lex.raw["decade_words"][m["w"].lower()]
    return _h_decade(ctx, m, yy)


def _h_decade(ctx, m, short: int | None = None):
    if short is not None:
        yy = short
        base = (ctx.anchor.year // 100 * 100) if ctx.anchor else 1900
        y = base + yy if base + yy <= (ctx.anchor.year if ctx.anchor else 2100) else base - 100 + yy
    elif m["y"]:
        y = int(m["y"])
    else:
        yy = int(m["yy"])
        base = (ctx.anchor.year // 100 * 100) if ctx.anchor else 1900
        y = base + yy if base + yy <= (ctx.anchor.year if ctx.anchor else 2100) else base - 100 + yy
    return _Cand(m.start(), m.end(), "DATE", str(y // 10), (date(y, 1, 1), date(y + 9, 12, 31)), "decade",
                 "explicit", prio=3)


def _h_century(ctx, m):
    o = ctx.lex.raw["ordinals"].get(re.sub(r"\s+", " ", m["o"].lower()))
    if o is None and m["o"][:1].isdigit():
        o = int(re.match(r"\d+", m["o"]).group(0))
    if not o or o < 2:
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
        per = 3 if code == "Q" else 6
        cur = (a.month - 1) // per + 1
        y = _pick([a.year - 1, a.year, a.year + 1], a, None, lambda yy: (yy - a.year) * (12 // per) + n - cur,
                  near_future=1)
    span = 3 if code == "Q" else 6
    m1 = (n - 1) * span + 1
    lo = date(y, m1, 1)
    hi = _month_iv(y, m1 + span - 1)[1]
    return _Cand(start, end, "DATE", f"{y}-{code}{n}", (lo, hi), "quarter" if code == "Q" else "season",
                 basis, prio=3)


def _h_quarter(ctx, m):
    if m["pre"] and m["pre"].lower() == "the" and "-" in m.group(0)[m.start("o") - m.start():] \
            and not m["year"] and not m["yrel"]:
        return None   # "the third-quarter results": the adjective is tagged without its article (below)
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
    if m["year"] or m["y0"]:
        y, basis = int(m["year"] or m["y0"]), "explicit"
    elif ctx.anchor is not None and (m["yrel"] or pre.endswith("year's")):
        rel = (m["yrel"] or pre.split()[0]).lower()
        y = ctx.anchor.year + {"this": 0, "last": -1, "next": 1}[rel]
    if o == "last" and not pre and not m["year"]:
        return None
    c = _quarter(ctx, u, n, y, m.start(), m.end(), basis)
    if m["ago"] and y is None and c.iv is not None:   # "the year-ago third quarter"
        c = _quarter(ctx, u, n, c.iv[0].year - 1, m.start(), m.end(), "relative")
    return c


def _h_quarteradj(ctx, m):
    u = m["u"].lower()
    n = ctx.lex.raw["ordinals"].get(m["o"].lower())
    if not n or (u == "half" and n > 2):
        return None
    return _quarter(ctx, u, n, None, m.start(), m.end(), "relative")


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
    tz = (m.groupdict().get("tz") or "").upper()
    if tz in ("UTC", "GMT", "Z"):
        hm += "Z"   # ISO 8601 mark for universal time
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


def _h_clockdot(ctx, m):
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
        return _Cand(m.start(), m.end(), "SET", "T" + lex.raw["parts_of_day"][u], kind="set", prio=3)
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
        c = _occasion(ctx, c, m.end())
    return c


def _occasion(ctx, c: _Cand, end: int) -> _Cand:
    """"a Halloween party", "the Christmas holidays": a holiday naming an occasion only places it around
    the day (the days before it and the day after, precision week); "the Halloween shooting" is the day."""
    nxt = re.match(r"\s+([A-Za-z]+)", ctx.text[end:end + 20])     # "Halloween Party" in a headline too
    if c.iv is None or not nxt or nxt.group(1).lower() not in ctx.lex.raw.get("occasion_nouns", ()):
        return c
    lo, hi = c.iv[0] - timedelta(days=3), c.iv[1] + timedelta(days=1)
    return replace(c, iv=(lo, hi), precision="week")


def _nth_weekday(y: int, month: int, wd: int, n: int) -> date:
    if n > 0:
        d = date(y, month, 1)
        d += timedelta(days=(wd - d.isoweekday()) % 7)
        return d + timedelta(weeks=n - 1)
    d = _month_iv(y, month)[1]
    return d - timedelta(days=(d.isoweekday() - wd) % 7)


def _h_nthholiday(ctx, m):
    if not _cap(m["w"]):
        return None
    mo, wd, n = ctx.lex.raw["holidays_nth_weekday"][re.sub(r"\s+", " ", m["w"].lower())]
    if ctx.anchor is None:
        return _Cand(m.start(), m.end(), "DATE", f"XXXX-{mo:02d}-XX")
    a = ctx.anchor
    opts = [_nth_weekday(y, mo, wd, n) for y in (a.year - 1, a.year, a.year + 1)]
    before = ctx.text[max(0, m.start() - 6):m.start()].lower()
    tense = "past" if before.endswith("last ") else "future" if before.endswith("next ") else ctx.tense(m.start(), m.end())
    d = _pick(opts, a, tense, lambda x: (x - a).days)
    s = m.start() - 5 if before.endswith(("last ", "next ")) else m.start()
    return _Cand(s, m.end(), "DATE", _iso(d), (d, d), "day", "relative", prio=4)


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
    if word in ("earlier", "later") and c.iv is not None and c.precision in ("day", "week", "month", "year"):
        return replace(c, start=c.start - (len(before) - m.start()))   # "earlier Sunday": same day
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
                    and re.fullmatch(r"[ \t]+", ctx.text[c.end:nxt.start]):
                day, merged = nxt, True
            else:
                merged = False
                prev = out[-1] if out else None
                for d in (prev, nxt):
                    if d is not None and d.kind in ("date", "time") and d.iv and d.iv[0] == d.iv[1] \
                            and re.fullmatch(r"[^.;\n]{0,25}", ctx.text[min(d.end, c.end):max(d.start, c.start)]):
                        day = d
                        break
            if day is None:
                # a day named elsewhere in the clock's sentence ("Flight 12 took off Tuesday in Everett at
                # 18:00 UTC", "at 10:35 a.m. (0735 GMT) Friday"), the one before it first
                s0, s1 = ctx.sentence_bounds(c.start, c.end)
                same = [d for d in list(reversed(out)) + cands[i + 1:]
                        if s0 <= d.start and d.end <= s1 and d.kind in ("date", "time") and d.iv
                        and d.iv[0] == d.iv[1] and not d.value.startswith("P")]
                day = same[0] if same else None
            if day is None:
                # narrative: else the last full date written before it ("He was shot on Oct. 23, 1998.
                # ... He died at 10 p.m."); a weekday named earlier does not move it off the publication
                # date ("... on Sunday. The truce starts at midnight")
                last = next((d for d in reversed(out) if d.kind in ("date", "time") and d.iv
                             and d.iv[0] == d.iv[1] and not d.value.startswith("P")), None)
                if last is not None and last.basis == "explicit":
                    day = last
            if day is not None and day.iv is not None:
                t = c.value[c.value.index("T"):]
                v = _iso(day.iv[0]) + t
                if merged:
                    out.append(replace(c, end=day.end, value=v, iv=day.iv, basis=day.basis, kind="time"))
                    i += 2
                    continue
                c = replace(c, value=v, iv=day.iv, basis=day.basis)
            elif day is None:
                # a clock time alone does not say which day ("police were called at 10:30 p.m." in the
                # next morning's report): TimeML's value keeps the anchor's day, but no interval is claimed
                c = replace(c, iv=None)
        out.append(c)
        i += 1
    return out


_RANGE_BETWEEN = re.compile(r"\b(?:between|from)\s+$", re.I)
_RANGE_MID = re.compile(r"^\s*(?:to|until|till|through|-|–)\s*$", re.I)
_RANGE_AND = re.compile(r"^\s*and\s*$", re.I)
_SINCE = re.compile(r"\b(?:since|from|starting|beginning)\s+$", re.I)
_UNTIL = re.compile(r"\b(?:until|till|through|up\s+to|by)\s+$", re.I)


def _year_back(c: _Cand) -> _Cand | None:
    """The same year-less day one year earlier (for the first end of a range)."""
    if not c.yearless or c.parts:
        return None
    d = _safe_date(int(c.value[:4]) - 1, int(c.value[5:7]), int(c.value[8:10]))
    return None if d is None else replace(c, value=_iso(d), iv=(d, d))


def _range_pairs(ctx: _Ctx, cands: list[_Cand]) -> list[tuple[int, int]]:
    """Index pairs (i, i+1) of candidates that form a range: "A to B", "between A and B", "from A to B"."""
    pairs = []
    for i in range(len(cands) - 1):
        c, nxt = cands[i], cands[i + 1]
        if c.kind != "date" or nxt.kind != "date" or not c.iv or not nxt.iv:
            continue
        mid = ctx.text[c.end:nxt.start]
        pre = _RANGE_BETWEEN.search(ctx.text[max(0, c.start - 10):c.start])
        if not pre and (c.precision != nxt.precision or ctx.text[nxt.end:nxt.end + 2] in ("'s", "’s")):
            continue   # "revised Friday to December's figures" is no range
        if _RANGE_MID.match(mid) or (_RANGE_AND.match(mid) and pre and pre.group(0).lower().startswith("between")):
            pairs.append((i, i + 1))
    return pairs


def _link_ranges(ctx: _Ctx, cands: list[_Cand]) -> list[_Cand]:
    """A range runs forward: "from 5 March to 18 August" read in September is March to August."""
    cands = list(cands)
    for i, j in _range_pairs(ctx, cands):
        c, nxt = cands[i], cands[j]
        if c.iv[0] > nxt.iv[1]:
            back = _year_back(c)
            if back is not None and back.iv[0] <= nxt.iv[1]:
                cands[i] = back
    return cands


def _merge_ranges(ctx: _Ctx, cands: list[_Cand]) -> list[_Cand]:
    """Ranges ("between A and B", "from A to B", "since A", "until A") become one covering expression."""
    out: list[_Cand] = []
    pairs = dict(_range_pairs(ctx, cands))
    i = 0
    while i < len(cands):
        c = cands[i]
        nxt = cands[i + 1] if i + 1 < len(cands) else None
        if i in pairs and nxt.iv[1] >= c.iv[0]:
            win = ctx.text[max(0, c.start - 10):c.start]
            pre = _RANGE_BETWEEN.search(win)
            s = c.start - (len(win) - pre.start()) if pre else c.start
            cov = _cover(s, nxt.end, (c.parts or [c]) + (nxt.parts or [nxt]))
            cov.iv = (c.iv[0], nxt.iv[1])
            out.append(cov)
            i += 2
            continue
        if c.parts and len(c.parts) > 1:
            win = ctx.text[max(0, c.start - 10):c.start]
            pre = _RANGE_BETWEEN.search(win)
            if pre:
                c = replace(c, start=c.start - (len(win) - pre.start()))
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


def _rejected(ctx: _Ctx, c: _Cand) -> bool:
    """Whether a listed non-time pattern ("the daily Granma", "high noon") covers the candidate."""
    t = ctx.text
    if "\n" in t[c.start:c.end]:
        return True   # an expression never runs over a line break (headline, dateline, body)
    if not ctx.lex.reject_res:
        return False
    probe = t[max(0, c.start - 25):c.start] + "[[" + t[c.start:c.end] + "]]" + t[c.end:c.end + 25]
    return any(r.search(probe) for r in ctx.lex.reject_res)


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


_BACK, _FWD = 90, 60


_TOKEN = re.compile(r"[A-Za-z]+")


def _windows(trigger, text: str, toks: dict[str, list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """Merged text windows around the hits of a trigger (a set of lower-case words or a regex)."""
    if isinstance(trigger, frozenset):
        spans = sorted(sp for w in trigger & toks.keys() for sp in toks[w])
    else:
        spans = [h.span() for h in trigger.finditer(text)]
    out: list[tuple[int, int]] = []
    for s, e in spans:
        lo, hi = max(0, s - _BACK), min(len(text), e + _FWD)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def _windowed(rx: re.Pattern, text: str, windows: list[tuple[int, int]]):
    """Matches of ``rx`` inside the windows (a match may not start before its window)."""
    for lo, hi in windows:
        yield from rx.finditer(text, lo, hi)


def _parse_anchor(anchor: str | None) -> date | None:
    if anchor is None or anchor == "":
        return None
    try:
        return date.fromisoformat(anchor[:10])
    except ValueError as e:
        raise ValueError(f"anchor must be YYYY-MM-DD, got {anchor!r}") from e


def tag(text: str, anchor: str | None, split_ranges: bool = False, adjectival_durations: bool = False) -> list[Timex]:
    """Time expressions in ``text`` with TIMEX3 type and value, normalised against ``anchor``.

    ``anchor`` is the publication date (YYYY-MM-DD) or None, in which case year-less and relative
    expressions get ``X`` placeholders and no interval. Ranges and lists ("5-7 March", "between
    December 12 and 25", "since February") come back as one covering expression; with
    ``split_ranges=True`` they come back as their parts, the way TimeML annotates them.
    ``adjectival_durations=True`` also marks compound modifiers ("a two-day visit", "a 12-year low") as
    durations, as TimeML does; sitrep's own output leaves them out.
    """
    if not isinstance(text, str):
        raise TypeError("text must be a string")
    a = _parse_anchor(anchor)
    lex = _lexicon()
    ctx = _Ctx(text, a, lex, adjectival_durations)
    cands: list[_Cand] = []
    hits: dict = {}
    toks: dict[str, list[tuple[int, int]]] = {}
    for m in _TOKEN.finditer(text):
        toks.setdefault(m.group(0).lower(), []).append(m.span())
    for name, rx, handler, _prio, trigger in lex.patterns:
        fn = _HANDLERS[handler]
        if trigger is None:
            matches = rx.finditer(text)
        else:
            if trigger not in hits:
                hits[trigger] = _windows(trigger, text, toks)
            matches = _windowed(rx, text, hits[trigger])
        for m in matches:
            c = fn(ctx, m)
            if c is not None and c.end > c.start and not _rejected(ctx, c):
                cands.append(c)
    chosen = _select(cands)
    chosen = [_apply_fuzzy(ctx, c) for c in chosen]
    chosen = _select(chosen)
    chosen = _day_around(ctx, _year_from_same_day(chosen))
    chosen = _resolve_anaphors(ctx, chosen)
    chosen = _year_back_periods(ctx, chosen)
    chosen = _join_clock(ctx, chosen)
    chosen = _link_ranges(ctx, chosen)
    if not split_ranges:
        chosen = _merge_ranges(ctx, chosen)
    out: list[Timex] = []
    for c in chosen:
        items = c.parts if (split_ranges and c.parts) else [c]
        for p in items:
            out.append(Timex(start=p.start, end=p.end, text=text[p.start:p.end], type=p.type, value=p.value,
                             interval=p.interval()))
    return out

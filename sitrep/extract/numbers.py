"""Quantities as news reports state them: "at least 58", "dozens", "a civilian", "close to one million".

Shared by the event extractor (counts of killed, injured, ...) and the figures extractor. Works on plain
text with regular expressions so that it needs no parse. Conventions (so scores compare):

- exact numbers: value = min = max ("2,387", "five", "a civilian" -> 1 when followed by a count noun).
- vague plurals are ranges: "dozens" 24-99, "scores" 40-99, "hundreds" 200-999, "thousands" 2000-9999,
  "tens of thousands" 20000-99999, "hundreds of thousands" 200000-999999, "millions" 2-9.99 million,
  "tens of millions" 20-99 million; "several N" is 3N-9N, "a few" 2-5; value is the lower bound.
- "at least N" / "more than N" / "over N": min = N (N+1 for "more than"), max = min (the upper side is open,
  the qualifier says so); "up to N" / "no more than N": min = 1, max = N.
- "about/around/some/roughly/approximately N": 0.9N-1.1N; "close to/nearly/almost N": 0.9N-N.
- "an estimated N" / "a reported N": exact, qualifier "estimated" / "reported".
"""
from __future__ import annotations

import re
from functools import lru_cache

from sitrep.records import Count

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
VAGUE = {  # plural word -> (min, max)
    "dozens": (24, 99), "scores": (40, 99), "hundreds": (200, 999), "thousands": (2000, 9999),
    "millions": (2_000_000, 9_999_999), "billions": (2_000_000_000, 9_999_999_999),
}
QUALIFIERS = [  # longest first; (regex, name)
    (r"no\s+(?:more|fewer|less)\s+than", None), (r"at\s+least", "at least"), (r"more\s+than", "more than"),
    (r"over", "more than"), (r"upwards\s+of", "at least"), (r"in\s+excess\s+of", "more than"),
    (r"up\s+to", "up to"), (r"as\s+many\s+as", "up to"), (r"fewer\s+than", "less than"),
    (r"less\s+than", "less than"), (r"close\s+to", "close to"), (r"nearly", "close to"),
    (r"almost", "close to"), (r"about", "about"), (r"around", "about"), (r"some", "about"),
    (r"roughly", "about"), (r"approximately", "about"), (r"an\s+estimated", "estimated"),
    (r"a\s+reported", "reported"), (r"an\s+additional", "exact"), (r"another", "exact"),
]
_NUMWORD = "|".join(sorted(list(UNITS) + list(TENS), key=len, reverse=True))
_SCALE = "hundred|thousand|million|billion"
_DIGITS = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"
# one number expression: digits or words, optional scale words ("1.5 million", "twenty-five thousand")
_NUMBER = (rf"(?:(?:{_DIGITS})|(?:(?:{_NUMWORD})(?:[-\s](?:{_NUMWORD}))?)|(?:a|an|one))"
           rf"(?:\s+(?:{_SCALE}))*")
_VAGUE = (r"(?:(?:tens|hundreds)\s+of\s+(?:thousands|millions)|dozens|scores|hundreds|thousands|millions"
          r"|billions|several\s+(?:dozen|hundred|thousand|million)|a\s+few\s+(?:dozen|hundred|thousand)"
          r"|a\s+dozen|a\s+few|several)")
_QUAL = "|".join(q for q, _ in QUALIFIERS)
_PATTERN = re.compile(
    rf"(?<![\w$£€.,-])(?P<qual>(?:{_QUAL})\s+)?(?P<num>{_VAGUE}|{_NUMBER})(?![\w%-]|\.\d|,\d)"
    rf"(?=(?P<rest>(?:\s+of)?(?:\s+[\w'’-]+){{0,3}}))",
    re.IGNORECASE)
_MONTHS = re.compile(r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?$", re.I)
_FUNCTION = {"in", "on", "at", "of", "and", "or", "to", "for", "by", "with", "from", "the", "a", "an", "who",
             "that", "which", "as", "were", "was", "have", "had", "has", "are", "is", "said", "per", "percent",
             "times", "days", "weeks", "months", "years", "hours", "minutes", "km", "kilometers",
             "kilometres", "miles", "meters", "metres", "o'clock", "am", "pm", "a.m.", "p.m."}


@lru_cache(maxsize=1)
def count_nouns() -> frozenset[str]:
    """Nouns that can follow a bare 'a'/'an' as a count of one (people and units), from triggers.yaml."""
    from sitrep.kb.ontology import load_triggers
    return frozenset(w.lower() for w in load_triggers().get("count_nouns", []))


def _words_value(text: str) -> int | None:
    """'twenty-five thousand' -> 25000; '1.5 million' -> 1500000; None when not a number."""
    total, current = 0, 0.0
    seen = False
    for w in re.split(r"[\s-]+", text.lower().replace(",", "")):
        if not w:
            continue
        if re.fullmatch(r"\d+(?:\.\d+)?", w):
            current += float(w); seen = True
        elif w in UNITS:
            current += UNITS[w]; seen = True
        elif w in TENS:
            current += TENS[w]; seen = True
        elif w in ("a", "an"):
            current += 1; seen = True
        elif w in SCALES:
            current = (current or 1) * SCALES[w]
            if SCALES[w] >= 1000:
                total += current; current = 0
            seen = True
        elif w == "and":
            continue
        else:
            return None
    return int(round(total + current)) if seen else None


def _vague(num: str) -> tuple[int, int, str] | None:
    n = re.sub(r"\s+", " ", num.lower())
    if n in VAGUE:
        lo, hi = VAGUE[n]
        return lo, hi, n
    m = re.fullmatch(r"(tens|hundreds) of (thousands|millions)", n)
    if m:
        base = {"thousands": 1000, "millions": 1_000_000}[m.group(2)]
        lo, hi = (20, 99) if m.group(1) == "tens" else (200, 999)
        return lo * base, hi * base + (base - 1), n
    m = re.fullmatch(r"(several|a few) (dozen|hundred|thousand|million)", n)
    if m:
        base = {"dozen": 12, "hundred": 100, "thousand": 1000, "million": 1_000_000}[m.group(2)]
        lo, hi = (3, 9) if m.group(1) == "several" else (2, 5)
        return lo * base, hi * base, m.group(1)
    if n == "a dozen":
        return 12, 12, "exact"
    if n == "a few":
        return 2, 5, "a few"
    if n == "several":
        return 3, 9, "several"
    return None


def _make(qual: str | None, num: str) -> Count | None:
    q = None
    if qual:
        ql = re.sub(r"\s+", " ", qual.strip().lower())
        for pat, name in QUALIFIERS:
            if re.fullmatch(pat, ql):
                q = name if name is not None else ("up to" if "more" in ql else "at least")
                break
    v = _vague(num)
    if v:
        lo, hi, name = v
        value, qualifier = lo, name
        if q in ("at least", "more than"):
            return Count(value=lo, min=lo, max=hi, qualifier=q)
        return Count(value=value, min=lo, max=hi, qualifier=qualifier if q is None else q)
    value = _words_value(num)
    if value is None:
        return None
    if q is None or q in ("exact",):
        return Count(value=value, min=value, max=value, qualifier="exact")
    if q in ("estimated", "reported"):
        return Count(value=value, min=value, max=value, qualifier=q)
    if q == "at least":
        return Count(value=value, min=value, max=value, qualifier=q)
    if q == "more than":
        return Count(value=value, min=value + 1, max=value + 1, qualifier=q)
    if q == "up to":
        return Count(value=value, min=1 if value >= 1 else 0, max=value, qualifier=q)
    if q == "less than":
        return Count(value=value, min=0, max=max(value - 1, 0), qualifier=q)
    if q == "close to":
        return Count(value=value, min=int(value * 0.9), max=value, qualifier=q)
    return Count(value=value, min=int(value * 0.9), max=int(round(value * 1.1)), qualifier=q)


def _noun(rest: str) -> str | None:
    """The counted noun among the next few words ("dozens of pro-Assad forces" -> "forces")."""
    words = [w.strip("'’.,;:!?\"()") for w in rest.split()]
    if words and words[0].lower() == "of":
        words = words[1:]
    nouns = count_nouns()
    for w in words[:3]:
        if w.lower() in nouns:
            return w.lower()
    for w in words[:3]:       # skip modifiers such as "pro-government", "Syrian"
        if "-" in w or (w[:1].isupper() and w[1:].islower()):
            continue
        if w.isalpha() and w.islower() and w not in _FUNCTION:
            return w.lower()
        break
    return None


def find_quantities(span_or_text) -> list[tuple[int, int, Count, str | None]]:
    """All quantities in a text or spaCy Span: (start, end, Count, counted noun or None).

    Offsets are document offsets for a Span (its ``start_char`` is added), text offsets otherwise.
    Years, dates ("February 27"), money, percentages and compounds like "six-hour" are skipped."""
    if isinstance(span_or_text, str):
        text, base = span_or_text, 0
    else:
        text, base = span_or_text.text, getattr(span_or_text, "start_char", 0)
    out = []
    for m in _PATTERN.finditer(text):
        num, rest = m.group("num"), m.group("rest") or ""
        numl = num.lower()
        noun = _noun(rest)
        if numl in ("a", "an", "one") and not m.group("qual"):
            if noun is None or noun not in count_nouns():
                continue
        if numl in ("a", "an") and m.group("qual"):
            continue
        before = text[max(0, m.start() - 12):m.start()]
        after_words = rest.split()
        if re.fullmatch(r"\d+", num):
            if after_words and _MONTHS.match(after_words[0]):
                continue
            if re.search(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*,?\s*$",
                         before, re.I):
                continue
            if len(num) == 4 and 1900 <= int(num) <= 2100 and (noun is None or noun not in count_nouns()):
                continue
        if after_words and after_words[0].lower() in ("percent", "per", "%"):
            continue
        count = _make(m.group("qual"), num)
        if count is None:
            continue
        start = m.start("qual") if m.group("qual") else m.start("num")
        out.append((base + start, base + m.end("num"), count, noun))
    return out


def parse_quantity(text: str) -> Count | None:
    """The first quantity stated in ``text`` ("at least 58 soldiers" -> Count(58, 58, 58, "at least"))."""
    t = text.strip()
    if not t:
        return None
    found = find_quantities(t)
    if found:
        return found[0][2]
    m = re.fullmatch(rf"(?P<qual>(?:{_QUAL})\s+)?(?P<num>{_VAGUE}|{_NUMBER})", t, re.I)
    if m and m.group("num").lower() not in ("a", "an"):
        return _make(m.group("qual"), m.group("num"))
    return None

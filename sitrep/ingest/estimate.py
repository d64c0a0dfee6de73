"""Estimating the publication date of reports that state none, from what they and the corpus say.

A news report is published soon after the latest happening it describes, so the estimate is the latest
date it mentions. Dates without a year ("16 September", "January 4") get their year from, in order:
  1. another report in the same corpus that shares content and gives the same day and month a year
     (a distinctive date such as "5 March" dated in a report that carries its own date);
  2. the reports in the corpus most similar in content: the year that puts the latest date nearest to
     their publication dates (never earlier than the dated mentions of the report itself allow).
If the report gives dates without a year and neither source places them, the date stays unknown.
Month sequences decide year boundaries: mentions of December and January together read as December of
one year and January of the next. The reasoning goes into ``published.evidence``.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, replace

from sitrep.ingest.dates import DateMention, find_dates
from sitrep.ingest.resources import calendar
from sitrep.records import Document, Published

MIN_SIMILARITY = 0.04          # Jaccard of content-word sets for two reports to inform each other
TOP_SIMILAR = 3


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[^\W\d_]{4,}", text.casefold()))


def _jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / max(1, len(a | b))


def _date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _span(months: set[int]) -> tuple[int, int]:
    """(first, last) month of the shortest stretch of the year that covers all ``months`` (may wrap)."""
    ms = sorted(months)
    if len(ms) == 1:
        return ms[0], ms[0]
    gaps = [((ms[(k + 1) % len(ms)] - ms[k]) % 12 or 12, k) for k in range(len(ms))]
    _, k = max(gaps)
    return ms[(k + 1) % len(ms)], ms[k]


def _year_of(month: int, first: int, last: int, end_year: int) -> int:
    """Year of a month inside the stretch [first..last] that ends in ``end_year``."""
    if first <= last:
        return end_year
    return end_year - 1 if month >= first else end_year


MAX_CANDIDATES = 25           # dated reports compared in full with one undated report


def estimate_dates(docs: list[Document]) -> list[Document]:
    """Documents whose publication date is unknown get an estimate (status "estimated") when their content
    allows one; the others are returned unchanged."""
    unknown = [i for i, d in enumerate(docs) if d.published.status == "unknown"]
    if not unknown:
        return list(docs)
    dated: dict[int, dt.date] = {}
    for i, d in enumerate(docs):
        if d.published.status == "stated" and d.published.date:
            try:
                dated[i] = dt.date.fromisoformat(d.published.date)
            except ValueError:
                pass
    words = {i: _words(docs[i].text) for i in [*unknown, *dated]}
    # inverted index of the dated reports over their less common words, to find related reports fast
    postings: dict[str, list[int]] = defaultdict(list)
    for j in dated:
        for w in words[j]:
            postings[w].append(j)
    common = max(50, len(dated) // 20)
    mentions_cache: dict[int, list[DateMention]] = {}

    def mentions(j: int) -> list[DateMention]:
        if j not in mentions_cache:
            mentions_cache[j] = find_dates(docs[j].text)
        return mentions_cache[j]

    out = list(docs)
    for i in unknown:
        shared: dict[int, int] = defaultdict(int)
        for w in words[i]:
            js = postings.get(w, ())
            if len(js) <= common:
                for j in js:
                    shared[j] += 1
        cands = sorted(shared, key=lambda j: -shared[j])[:MAX_CANDIDATES]
        sims = sorted(((_jaccard(words[i], words[j]), j, dated[j]) for j in cands if j != i), reverse=True)
        sims = [x for x in sims if x[0] >= MIN_SIMILARITY]
        # (month, day) -> [(year, doc index, similarity)] from the related dated reports
        anchors: dict[tuple[int, int], list[tuple[int, int, float]]] = defaultdict(list)
        for sim, j, pub in sims:
            anchors[(pub.month, pub.day)].append((pub.year, j, sim))
            for m in mentions(j):
                if m.complete:
                    anchors[(m.month, m.day)].append((m.year, j, sim))
                elif m.kind == "daymonth" and m.day:
                    y = pub.year if (m.month, m.day) <= (pub.month, pub.day) else pub.year - 1
                    anchors[(m.month, m.day)].append((y, j, sim))
        est = _estimate(docs[i], docs, sims[:TOP_SIMILAR], anchors)
        if est is not None:
            out[i] = replace(docs[i], published=est)
    return out


@dataclass
class _Report:
    """One undated report as the estimate rules see it."""
    doc: Document
    docs: list[Document]
    sims: list                       # (similarity, doc index, publication date) of related dated reports
    anchors: dict                    # (month, day) -> [(year, doc index, similarity)] from those reports
    mentions: list[DateMention]      # its dates, without the starts of periods ("since March 2011")
    unplaced: bool = False           # it gives dates without a year that nothing places

    @property
    def full(self) -> list[DateMention]:
        return [m for m in self.mentions if m.complete and m.as_date()]


def _period_starts(text: str, mentions: list[DateMention]) -> set[int]:
    """Starts of the mentions that open a period running to the present ("since March 2011", "the war that
    began in 2011"): background, never the report's own time."""
    cues = calendar().period_start_words
    out = set()
    for m in mentions:
        before = text[max(0, m.start - 25):m.start].lower()
        if any(re.search(rf"\b{re.escape(c)}\s+(?:(?:early|late|mid|the\s+end\s+of|the\s+start\s+of)\s+)?$",
                         before) for c in cues):
            out.add(m.start)
    return out


def latest_day(r: _Report) -> Published | None:
    """"... shelling resumed on December 28 and intensified on January 3": the latest day the report
    mentions, a year-less one taking its year from reports that share its content (or from the most
    similar dated reports); never earlier than a full date the report gives."""
    yearless = [m for m in r.mentions if m.kind == "daymonth" and m.day]
    full = r.full
    best_full = max(full, key=lambda m: m.as_date(), default=None)
    if yearless:
        monthyear = [m for m in r.mentions if m.kind == "monthyear"]
        first, last = _span({m.month for m in yearless})
        end_year, how = _year_from_anchors(yearless, first, last, r.anchors, r.docs)
        floor = _floor_year(yearless, first, last, full, monthyear)
        if end_year is None and r.sims:
            end_year, how = _year_from_similar(yearless, first, last, r.sims, floor, r.docs)
        if end_year is None:
            r.unplaced = True            # later than its dated mentions by an unknown amount: no guess
            return None
        resolved = [(m, _date(_year_of(m.month, first, last, end_year), m.month, m.day)) for m in yearless]
        resolved = [(m, x) for m, x in resolved if x]
        if resolved:
            m, latest = max(resolved, key=lambda t: t[1])
            if best_full is None or best_full.as_date() <= latest:
                return Published(latest.isoformat(), "day", "estimated",
                                 f"latest date the report mentions: '{m.text}' -> {latest.isoformat()}; {how}")
    if best_full is not None:
        return Published(best_full.iso(), "day", "estimated",
                         f"latest full date the report mentions: '{best_full.text}'")
    return None


SAME_STORY = 0.28     # Jaccard of content words above which two reports tell the same happenings


def same_happenings(r: _Report) -> Published | None:
    """A report with no date of its own that tells the happenings of a dated report (a copy, an update, a
    rewrite: most of its content words shared) was published when that one was."""
    if not r.sims or r.sims[0][0] < SAME_STORY:
        return None
    sim, j, pub = r.sims[0]
    return Published(pub.isoformat(), "day", "estimated",
                     f"tells the happenings of {r.docs[j].path} ({pub.isoformat()}; similarity {sim:.2f})")


def latest_month(r: _Report) -> Published | None:
    """"... in November 2016": the latest month the report mentions, when it gives no day."""
    if r.unplaced:
        return None
    monthyear = [m for m in r.mentions if m.kind == "monthyear"]
    if not monthyear:
        return None
    m = max(monthyear, key=lambda m: (m.year, m.month))
    return Published(f"{m.year:04d}-{m.month:02d}-01", "month", "estimated",
                     f"latest month the report mentions: '{m.text}'")


ESTIMATE_RULES = (
    ("latest day", latest_day),
    ("same happenings", same_happenings),
    ("latest month", latest_month),
)


def _estimate(d, docs, sims, anchors) -> Published | None:
    mentions = find_dates(d.text)
    starts = _period_starts(d.text, mentions)
    r = _Report(d, docs, sims, anchors, [m for m in mentions if m.start not in starts])
    for _name, rule in ESTIMATE_RULES:
        p = rule(r)
        if p is not None:
            return p
    return None


def _year_from_anchors(yearless, first, last, anchors, docs):
    votes: dict[int, float] = defaultdict(float)
    why: dict[int, str] = {}
    for m in yearless:
        for year, j, sim in anchors.get((m.month, m.day), []):
            # the mention's year fixes the year in which the stretch of mentioned months ends
            end_year = year if not (first > last and m.month >= first) else year + 1
            votes[end_year] += sim
            why.setdefault(end_year, f"year from '{m.text}', a date that {docs[j].path} (same happenings) "
                                     f"places in {year}")
    if not votes:
        return None, ""
    y = max(votes, key=lambda k: (votes[k], -k))
    return y, why[y]


def _floor_year(yearless, first, last, full, monthyear) -> int | None:
    """Smallest year in which the stretch of yearless dates may end so that its latest date is not before
    a dated mention ("the September 2018 agreement" ... "on January 4" -> January 2019 at the earliest)."""
    bounds = [(m.year, m.month, m.day) for m in full] + [(m.year, m.month, 1) for m in monthyear]
    if not bounds:
        return None
    y, mo, d = max(bounds)
    m_last = max((m for m in yearless if m.month == last), key=lambda m: m.day)
    return y if (m_last.month, m_last.day) >= (mo, d) else y + 1


def _year_from_similar(yearless, first, last, sims, low, docs):
    m_last = max((m for m in yearless if m.month == last), key=lambda m: m.day)
    best = None
    pubs = [pub for _, _, pub in sims]
    for end_year in range(min(p.year for p in pubs) - 2, max(p.year for p in pubs) + 2):
        if low is not None and end_year < low:
            continue
        x = _date(end_year, m_last.month, m_last.day)
        if not x:
            continue
        cost = sum(s * abs((x - pub).days) for s, _, pub in sims)
        if best is None or cost < best[0]:
            best = (cost, end_year)
    if best is None:
        return None, ""
    nearest = ", ".join(f"{docs[j].path} ({pub.isoformat()})" for _, j, pub in sims)
    return best[1], f"year {best[1]} places it nearest to the most similar dated reports: {nearest}"

"""Anchor an event mention in time.

Order of evidence (nearest first): the event's own time expression (``event.time_span``), else the
time expression of its sentence nearest to the trigger, else the paragraph's (the nearest one before the
sentence, else after), else the publication date with basis "publication", else None. Durations and sets
("six hours", "every day") never date an event.
"""
from __future__ import annotations

import re
from dataclasses import replace

from sitrep.records import Annotation, DateInterval, EventMention, Timex

_DATED_TYPES = ("DATE", "TIME")


def _dated(tx: Timex) -> bool:
    return tx.interval is not None and tx.type in _DATED_TYPES


def _trigger_offset(event: EventMention) -> int:
    try:
        return int(event.id.rsplit(":", 1)[1])
    except (ValueError, IndexError):
        return event.start


def paragraph_bounds(text: str, offset: int) -> tuple[int, int]:
    """The paragraph (text between blank lines, or lines when the text has no blank lines) at offset."""
    sep = r"\n\s*\n" if re.search(r"\n\s*\n", text) else r"\n"
    start = 0
    for m in re.finditer(sep, text):
        if m.start() >= offset:
            return start, m.start()
        start = m.end()
    return start, len(text)


def event_date(event: EventMention, ann: Annotation) -> DateInterval | None:
    """The interval the event happened in, with its basis (explicit/relative/publication)."""
    timexes = [t for t in (ann.timexes or []) if _dated(t)]
    at = _trigger_offset(event)
    # 1. its own time expression
    if event.time_span:
        s, e = event.time_span
        own = [t for t in timexes if t.start < e and s < t.end]
        if own:
            return replace(own[0].interval)
    # 2. the sentence's
    s0 = event.sentence_start
    s1 = s0 + len(event.sentence or "")
    in_sent = [t for t in timexes if s0 <= t.start < s1]
    if in_sent:
        best = min(in_sent, key=lambda t: min(abs(t.start - at), abs(t.end - at)))
        return replace(best.interval)
    # 3. the paragraph's
    p0, p1 = paragraph_bounds(ann.doc.text, at)
    before = [t for t in timexes if p0 <= t.start < s0]
    after = [t for t in timexes if s1 <= t.start < p1]
    if before:
        return replace(max(before, key=lambda t: t.start).interval)
    if after:
        return replace(min(after, key=lambda t: t.start).interval)
    # 4. the publication date
    pub = ann.anchor or (ann.doc.published.date if ann.doc.published and
                         ann.doc.published.status != "unknown" else None)
    if pub:
        return DateInterval(start=pub, end=pub, precision="day", basis="publication")
    return None

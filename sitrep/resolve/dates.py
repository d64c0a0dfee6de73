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


def _lead_sentence(ann: Annotation, offset: int) -> tuple[int, int] | None:
    """When ``offset`` lies in the document's title (its first line), the span of the first sentence
    after it (the lead, which news style makes the headline's source)."""
    title = (ann.doc.title or "").strip()
    text = ann.doc.text
    if not title or not text.lstrip().startswith(title):
        return None
    title_end = text.index(title) + len(title)
    if offset >= title_end:
        return None
    for s0, s1 in ann.sentences or []:
        if s0 >= title_end and text[s0:s1].strip():
            return s0, s1
    return None


_DURATION = re.compile(r"^P(\d+)([DWMY])$")
_DAYS = {"D": 1, "W": 7, "M": 31, "Y": 366}


def _period_to_anchor(tx: Timex, anchor: str | None) -> DateInterval | None:
    """"over the past month", "in the last three days": the period that ends at the anchor (publication)."""
    if tx.type != "DURATION" or not anchor or not re.search(r"\b(past|last|recent)\b", tx.text, re.I):
        return None
    m = _DURATION.match(tx.value or "")
    if not m:
        return None
    from datetime import date, timedelta
    end = date.fromisoformat(anchor[:10])
    start = end - timedelta(days=int(m.group(1)) * _DAYS[m.group(2)])
    return DateInterval(start=start.isoformat(), end=end.isoformat(),
                        precision={"D": "day", "W": "week", "M": "month", "Y": "year"}[m.group(2)],
                        basis="relative")


def _names_date(tx: Timex, ann: Annotation, trigger_at: int) -> bool:
    """Whether a time expression is part of a name ("the September 2018 X agreement", "the 2018 X deal"):
    it dates that agreement, not the events told around it (unless the agreement is the event itself)."""
    doc = ann.nlp_doc
    if doc is None:
        return False
    from sitrep.extract.modality import sense_rules
    names = sense_rules().name_heads
    span = doc.char_span(tx.start, tx.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    cur = span.root
    for _ in range(4):
        if cur.head.i == cur.i or cur.dep_ not in ("compound", "nmod", "amod", "nummod", "npadvmod", "poss"):
            return False
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            return False
        if cur.lemma_.lower() in names:
            return not (cur.idx <= trigger_at < cur.idx + len(cur.text))
    return False


def event_date(event: EventMention, ann: Annotation) -> DateInterval | None:
    """The interval the event happened in, with its basis (explicit/relative/publication)."""
    at = _trigger_offset(event)
    # 1. its own time expression (the extractor already refuses a name's date there)
    if event.time_span:
        s, e = event.time_span
        own = [t for t in (ann.timexes or []) if _dated(t) and t.start < e and s < t.end]
        if own:
            return replace(own[0].interval)
        back = [_period_to_anchor(t, ann.anchor) for t in (ann.timexes or []) if t.start < e and s < t.end]
        if back and back[0] is not None:
            return back[0]
    # 2. the sentence's (never the date inside a name: "the September 2018 X agreement")
    timexes = [t for t in (ann.timexes or []) if _dated(t) and not _names_date(t, ann, at)]
    s0 = event.sentence_start
    s1 = s0 + len(event.sentence or "")
    in_sent = [t for t in timexes if s0 <= t.start < s1]
    if in_sent:
        best = min(in_sent, key=lambda t: min(abs(t.start - at), abs(t.end - at)))
        return replace(best.interval)
    # 3. a headline's event is the lead's: "X and Y agree to ..." over "X and Y agreed yesterday ..."
    lead = _lead_sentence(ann, at)
    if lead is not None:
        in_lead = [t for t in timexes if lead[0] <= t.start < lead[1]]
        if in_lead:
            return replace(min(in_lead, key=lambda t: t.start).interval)
    # 4. the paragraph's
    p0, p1 = paragraph_bounds(ann.doc.text, at)
    before = [t for t in timexes if p0 <= t.start < s0]
    after = [t for t in timexes if s1 <= t.start < p1]
    if before:
        return replace(max(before, key=lambda t: t.start).interval)
    if after:
        return replace(min(after, key=lambda t: t.start).interval)
    # 5. the publication date
    pub = ann.anchor or (ann.doc.published.date if ann.doc.published and
                         ann.doc.published.status != "unknown" else None)
    if pub:
        return DateInterval(start=pub, end=pub, precision="day", basis="publication")
    return None

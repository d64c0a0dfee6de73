"""Anchor an event mention in time: an ordered table of small named rules, the first that answers wins.

  1. ``own_expression``   the time expression extract linked to the event ("shelled the town on Tuesday");
  2. ``own_period``       its own "over the past month": the period that ends at publication;
  3. ``sentence``         the dated expression of its sentence nearest to the trigger, unless it belongs to
                          another verb: a statement ("..., police said Sunday") or another event of a
                          different kind ("a man was arrested Monday in the shooting");
  4. ``headline_lead``    a headline's event is the lead's: the date of the lead's mention of its type;
  5. ``statement_day``    "X was shot, police said Sunday": on or in the week before the statement's day;
  6. ``restatement``      a definite event noun ("the shooting") is the happening the report dates elsewhere:
                          the nearest same-type mention dated by its own expression (before, else after);
  7. ``paragraph``        the nearest dated expression before the sentence in its paragraph, when it does
                          not belong to an event of another kind (narrative time carries on); in a paragraph
                          with none, the previous paragraph's last one when it dates an event of its kind;
  8. ``report_window``    none of these: the report's own window, the week up to its publication
                          (``precision: week``, ``basis: publication``); None only in an undated report.

Durations and sets ("six hours", "every day") and a date inside a name ("the September 2018 X agreement")
never date an event. The rules see the document's other mentions (``others``) to know which expression
belongs to which event; without them (a lone mention) every expression is taken as free.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Callable

from sitrep.records import Annotation, DateInterval, EventMention, Timex

_DATED_TYPES = ("DATE", "TIME")
REPORT_WINDOW_DAYS = 6          # the report's window: publication day and the six days before it


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


def _lead_sentence(ann: Annotation, offset: int, others=()) -> tuple[int, int] | None:
    """When ``offset`` lies in the document's title (its first line), the span of the lead: the first
    sentence after it that tells an event (news style makes it the headline's source; a "Please enable
    JavaScript" line in between is not it), else the first sentence after it."""
    title = (ann.doc.title or "").strip()
    text = ann.doc.text
    at = text.find(title) if title else -1
    if not title or at < 0 or text[:at].strip() and len(text[:at]) > 80:
        return None
    title_end = at + len(title)
    if offset >= title_end:
        return None
    starts = sorted(_trigger_offset(o) for o in others if _trigger_offset(o) >= title_end)
    first = None
    for s0, s1 in ann.sentences or []:
        if s0 < title_end or not text[s0:s1].strip():
            continue
        first = first or (s0, s1)
        if not starts or any(s0 <= x < s1 for x in starts):
            return s0, s1
    return first


_DURATION = re.compile(r"^P(\d+)([DWMY])$")
_HOURS = re.compile(r"^PT(\d+)H$")
_DAYS = {"D": 1, "W": 7, "M": 31, "Y": 366}


def _period_to_anchor(tx: Timex, anchor: str | None) -> DateInterval | None:
    """"over the past month", "in the last three days", "in the past 24 hours": the period that ends at the
    anchor (publication); hours count as the days they reach back into (a monitor's 24-hour toll is of
    the report's day and the day before)."""
    if tx.type != "DURATION" or not anchor or not re.search(r"\b(past|last|recent)\b", tx.text, re.I):
        return None
    end = date.fromisoformat(anchor[:10])
    h = _HOURS.match(tx.value or "")
    if h:
        days = -(-int(h.group(1)) // 24)
        return DateInterval(start=(end - timedelta(days=days)).isoformat(), end=end.isoformat(),
                            precision="day", basis="relative")
    m = _DURATION.match(tx.value or "")
    if not m:
        return None
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


def _week_before(day: str, basis: str) -> DateInterval:
    """The week that ends on ``day`` (the day itself and the six before it)."""
    end = date.fromisoformat(day[:10])
    return DateInterval((end - timedelta(days=REPORT_WINDOW_DAYS)).isoformat(), end.isoformat(), "week", basis)


# --------------------------------------------------------------------------- what the rules see
@dataclass(frozen=True)
class DateEvidence:
    """One mention and its document, as the date rules see them."""
    event: EventMention
    ann: Annotation
    at: int                                   # character offset of the trigger
    timexes: tuple                            # dated expressions, names' dates left out
    others: tuple = ()                        # the document's other mentions (may be empty)

    @property
    def sentence(self) -> tuple[int, int]:
        s0 = self.event.sentence_start
        return s0, s0 + len(self.event.sentence or "")

    @property
    def publication(self) -> str | None:
        pub = self.ann.anchor or (self.ann.doc.published.date if self.ann.doc.published and
                                  self.ann.doc.published.status != "unknown" else None)
        return pub[:10] if pub else None

    def token_at(self, start: int, end: int):
        doc = self.ann.nlp_doc
        if doc is None:
            return None
        span = doc.char_span(start, end, alignment_mode="expand")
        return span.root if span is not None and len(span) else None

    def owner(self, tx: Timex) -> EventMention | None:
        """The other mention that extract linked this expression to, if any."""
        for o in self.others:
            if o.id != self.event.id and o.time_span and tuple(o.time_span) == (tx.start, tx.end):
                return o
        return None

    def statement_verb(self, tx: Timex):
        """The speech verb the expression hangs on ("police said Sunday"), unless it is the event's own
        trigger (a statement's own day)."""
        from sitrep.extract.modality import SPEECH_LEMMAS
        from sitrep.extract.time import governor
        root = self.token_at(tx.start, tx.end)
        gov = governor(root) if root is not None else None
        if gov is None or gov.lemma_.lower() not in SPEECH_LEMMAS:
            return None
        if gov.idx <= self.at < gov.idx + len(gov.text):
            return None
        return gov

    @property
    def trigger(self):
        return self.token_at(self.at, self.at + max(1, len(self.event.trigger or "")))

    def belongs_elsewhere(self, tx: Timex) -> bool:
        """Whether the expression dates something else: a statement about the event ("police said
        Sunday"), or another event of a different type that extract linked it to ("arrested Monday")."""
        if self.statement_verb(tx) is not None:
            return True
        o = self.owner(tx)
        return o is not None and o.type != self.event.type


DateRule = Callable[[DateEvidence], "DateInterval | None"]


# --------------------------------------------------------------------------- the rules
def _own(event: EventMention, ann: Annotation) -> DateInterval | None:
    if not event.time_span:
        return None
    s, e = event.time_span
    own = [t for t in (ann.timexes or []) if _dated(t) and t.start < e and s < t.end]
    return replace(own[0].interval) if own else None


def own_expression(ev: DateEvidence) -> DateInterval | None:
    """"Rebels shelled the town on Tuesday": the expression extract linked to the event."""
    return _own(ev.event, ev.ann)


def own_period(ev: DateEvidence) -> DateInterval | None:
    """"N were killed over the past month": the month that ends at publication."""
    if not ev.event.time_span:
        return None
    s, e = ev.event.time_span
    for t in ev.ann.timexes or []:
        if t.start < e and s < t.end:
            back = _period_to_anchor(t, ev.ann.anchor)
            if back is not None:
                return back
    return None


def sentence(ev: DateEvidence) -> DateInterval | None:
    """"Clashes broke out again, and on Tuesday two soldiers died": the sentence's dated expression nearest
    to the trigger; never "police said Sunday" (the statement's day) nor "arrested Monday" for the
    shooting the arrest was for."""
    s0, s1 = ev.sentence
    cands = [t for t in ev.timexes if s0 <= t.start < s1 and not ev.belongs_elsewhere(t)]
    if not cands:
        return None
    best = min(cands, key=lambda t: min(abs(t.start - ev.at), abs(t.end - ev.at)))
    return replace(best.interval)


def headline_lead(ev: DateEvidence) -> DateInterval | None:
    """"X and Y agree to ..." (headline) over "X and Y agreed on Monday ..." (lead): the date of the lead's
    mention of the same type; without one, the lead's first expression that belongs to no other event."""
    lead = _lead_sentence(ev.ann, ev.at, ev.others)
    if lead is None:
        return None
    same = [o for o in ev.others if o.type == ev.event.type and lead[0] <= _trigger_offset(o) < lead[1]]
    for o in same:
        d = _date_by(evidence(o, ev.ann, ev.others), exclude=("headline lead", "report window"))
        if d is not None:
            return d
    in_lead = [t for t in ev.timexes if lead[0] <= t.start < lead[1] and ev.statement_verb(t) is None
               and ev.owner(t) is None]
    return replace(min(in_lead, key=lambda t: t.start).interval) if in_lead else None


_DEFINITE = frozenset({"the", "this", "that", "these", "those"})


def _definite(tok) -> bool:
    """"the shooting", "Saturday's attack", "the man's killing": an event noun introduced as known."""
    return tok is not None and tok.pos_ == "NOUN" and any(
        (c.dep_ == "det" and c.lower_ in _DEFINITE) or c.dep_ == "poss" for c in tok.children)


def restatement(ev: DateEvidence) -> DateInterval | None:
    """"A man was arrested in the fatal shooting ... The shooting happened on Nov. 22": a definite event
    noun with no date of its own is the happening the report dates elsewhere - the nearest mention of the
    same type dated by its own expression, before it, else after it."""
    if not _definite(ev.trigger):
        return None
    dated = [o for o in ev.others if o.id != ev.event.id and o.type == ev.event.type
             and _own(o, ev.ann) is not None]
    before = [o for o in dated if _trigger_offset(o) < ev.at]
    after = [o for o in dated if _trigger_offset(o) > ev.at]
    pick = max(before, key=_trigger_offset) if before else (min(after, key=_trigger_offset) if after else None)
    if pick is None:
        return None
    return replace(_own(pick, ev.ann), basis="relative")


def statement_day(ev: DateEvidence) -> DateInterval | None:
    """"Two men were shot, police said Sunday": on the statement's day or in the week before it."""
    s0, s1 = ev.sentence
    for t in sorted(ev.timexes, key=lambda t: abs(t.start - ev.at)):
        if s0 <= t.start < s1 and t.interval.precision == "day" and ev.statement_verb(t) is not None:
            return _week_before(t.interval.end, "relative")
    return None


def paragraph(ev: DateEvidence) -> DateInterval | None:
    """"On Friday gunmen stormed a village. They burned houses.": the paragraph's last dated expression
    before the sentence carries on, unless it belongs to an event of another kind or to a statement."""
    s0, _ = ev.sentence
    p0, _ = paragraph_bounds(ev.ann.doc.text, ev.at)
    before = [t for t in ev.timexes if p0 <= t.start < s0]
    if not before:
        return _previous_paragraph(ev, p0)
    last = max(before, key=lambda t: t.start)
    if ev.belongs_elsewhere(last):
        return None
    return replace(last.interval)


def _previous_paragraph(ev: DateEvidence, p0: int) -> DateInterval | None:
    """"17, 18 and 19 September saw artillery strikes on the villages. / The aircraft also launched
    airstrikes on Sarja.": a paragraph with no time of its own carries on the previous one's when that
    time dates an event of the same kind there."""
    text = ev.ann.doc.text
    j = p0 - 1
    while j > 0 and text[j].isspace():
        j -= 1
    if j <= 0:
        return None
    q0, _ = paragraph_bounds(text, j)
    before = [t for t in ev.timexes if q0 <= t.start < p0]
    if not before:
        return None
    last = max(before, key=lambda t: t.start)
    o = ev.owner(last)
    if o is None or o.type != ev.event.type or ev.statement_verb(last) is not None:
        return None
    return replace(last.interval)


def report_window(ev: DateEvidence) -> DateInterval | None:
    """No date in the text: the report tells of its own present, the week up to its publication."""
    pub = ev.publication
    return _week_before(pub, "publication") if pub else None


DATE_RULES: tuple[tuple[str, DateRule], ...] = (
    ("own expression", own_expression),
    ("own period", own_period),
    ("sentence", sentence),
    ("headline lead", headline_lead),
    ("statement day", statement_day),
    ("restatement", restatement),
    ("paragraph", paragraph),
    ("report window", report_window),
)


def evidence(event: EventMention, ann: Annotation, others=()) -> DateEvidence:
    at = _trigger_offset(event)
    timexes = tuple(t for t in (ann.timexes or []) if _dated(t) and not _names_date(t, ann, at))
    return DateEvidence(event=event, ann=ann, at=at, timexes=timexes, others=tuple(others))


def _date_by(ev: DateEvidence, exclude=()) -> DateInterval | None:
    for name, rule in DATE_RULES:
        if name not in exclude:
            d = rule(ev)
            if d is not None:
                return d
    return None


def event_date(event: EventMention, ann: Annotation, others=()) -> DateInterval | None:
    """The interval the event happened in, with its basis (explicit/relative/publication): the answer of
    the first rule of ``DATE_RULES`` that has one."""
    return _date_by(evidence(event, ann, others))


def date_rule(event: EventMention, ann: Annotation, others=()) -> str | None:
    """The name of the rule that dates the event (for diagnostics and tests)."""
    ev = evidence(event, ann, others)
    return next((name for name, rule in DATE_RULES if rule(ev) is not None), None)

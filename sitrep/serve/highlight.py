"""Article text as HTML with what was extracted from it marked; the text itself is always escaped.

Spans may overlap (a place inside an event's clause inside a quote): the text is cut at every span
boundary and each piece carries the classes of all spans covering it, so nothing nests or breaks.
"""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from sitrep.records import Document, Extraction, Incident

CONTEXT_CHARS = 320           # text shown before and after a source sentence on an incident page


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str                 # event | clause | place | actor | quote | time | sentence
    label: str = ""
    anchor: str | None = None  # an id to link to (the first piece of the span carries it)


def sentence_span(text: str, sentence: str, start: int, end: int) -> tuple[int, int]:
    """Where a mention's sentence lies in the text (the clause span is inside it), or the clause itself."""
    if sentence:
        at = text.find(sentence, max(0, start - len(sentence)))
        if at == -1 or at > start:
            at = text.find(sentence)
        if at != -1:
            return at, at + len(sentence)
    return start, end


def render(text: str, spans: list[Span], lo: int = 0, hi: int | None = None) -> Markup:
    """Escaped ``text[lo:hi]`` with <mark> pieces for the spans (classes ``hl-KIND``)."""
    hi = len(text) if hi is None else hi
    spans = [s for s in spans if s.end > lo and s.start < hi and s.end > s.start]
    cuts = sorted({lo, hi, *(max(lo, s.start) for s in spans), *(min(hi, s.end) for s in spans)})
    out: list[str] = []
    opened: set[Span] = set()
    for a, b in zip(cuts, cuts[1:]):
        piece = escape(text[a:b])
        cover = [s for s in spans if s.start <= a and s.end >= b]
        if not cover:
            out.append(str(piece))
            continue
        classes = " ".join(sorted({f"hl-{s.kind}" for s in cover}))
        labels = "; ".join(dict.fromkeys(s.label for s in cover if s.label))
        anchor = next((s.anchor for s in cover if s.anchor and s not in opened), None)
        opened.update(cover)
        attrs = f' class="{classes}"'
        if labels:
            attrs += f' title="{escape(labels)}"'
        if anchor:
            attrs += f' id="{escape(anchor)}"'
        out.append(f"<mark{attrs}>{piece}</mark>")
    return Markup("".join(out))


def excerpt(text: str, sentence: str, start: int, end: int) -> Markup:
    """The source sentence (marked) with some text around it, cut at line or word boundaries."""
    s0, s1 = sentence_span(text, sentence, start, end)
    lo = max(0, s0 - CONTEXT_CHARS)
    hi = min(len(text), s1 + CONTEXT_CHARS)
    if lo > 0:
        nl = text.rfind("\n", lo, s0)
        lo = nl + 1 if nl != -1 else max(lo, text.find(" ", lo) + 1)
    if hi < len(text):
        nl = text.find("\n", s1, hi)
        hi = nl if nl != -1 else max(s1, text.rfind(" ", s1, hi))
    spans = [Span(s0, s1, "sentence"), Span(start, end, "clause")]
    body = render(text, spans, lo, hi)
    return Markup(("… " if lo > 0 else "") + body + (" …" if hi < len(text) else ""))


def highlight(doc: Document, x: Extraction | None, incidents: list[Incident] = ()) -> Markup:
    """The whole clean text with events, places, actors, quotes and time expressions marked; each
    sentence an incident cites is anchored (``#m-INCIDENT``) so incident pages can link to it."""
    spans: list[Span] = []
    for inc in incidents:
        for m in inc.mentions:
            if m.doc == doc.id:
                s0, s1 = sentence_span(doc.text, m.sentence, m.start, m.end)
                spans.append(Span(s0, s1, "sentence", f"{inc.type} {inc.id}", f"m-{inc.id}"))
    if x is not None:
        for e in x.events:
            spans.append(Span(e.start, e.end, "event", f"{e.type}{'/' + e.mode if e.mode else ''} ({e.status})"))
        for p in x.places:
            spans.append(Span(p.start, p.end, "place", p.place.name if p.place else "place (unresolved)"))
        for a in x.actors:
            spans.append(Span(a.start, a.end, "actor", (a.actor.name or a.actor.text) if a.actor else "actor"))
        for q in x.quotes:
            spans.append(Span(q.start, q.end, "quote", f"{q.kind} quote: {q.speaker.name or q.speaker.text}"))
        for t in x.timexes:
            spans.append(Span(t.start, t.end, "time", f"{t.type} {t.value}"))
    spans = [s for s in spans if 0 <= s.start < s.end <= len(doc.text)]
    return render(doc.text, spans)

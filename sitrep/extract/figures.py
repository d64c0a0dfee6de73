"""Figures: quantities stated for a period or an area ("close to one million displaced since December",
"2,387 ceasefire violations between 5 March and 18 August", "3.7 million refugees in Turkey"), as opposed
to the toll of one incident (", killing two farmers and injuring a boy"), which the event extractor
counts.

A quantity is a figure when its sentence scopes it (since / between / so far / in total / live in ...,
patterns in sitrep/data/figures/figures.yaml) or its noun is an aggregate by itself (refugees, violations),
and it is not the object of an incident gerund. Its ``what`` comes from the words after the number, the
period from the sentence's time expressions, the place from a place entity after "in", and who states it
from "according to X" or the subject of a stating verb (documented, recorded, said ...).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from sitrep.config import DATA_DIR
from sitrep.records import Actor, Annotation, DateInterval, Figure, Mention, Place

WINDOW = 60            # characters after the number searched for what it counts
PLACE_LABELS = {"GPE", "LOC", "PLACE", "FAC"}


@dataclass(frozen=True)
class FigureLexicon:
    predicates: tuple[tuple[str, str], ...]      # (phrase, what), longest phrase first
    nouns: tuple[tuple[str, str], ...]
    lead_nouns: tuple[tuple[str, str], ...]
    scope: tuple[re.Pattern, ...]
    aggregate: frozenset[str]
    gerunds: frozenset[str]
    stating: frozenset[str]


def _pairs(table: dict) -> tuple[tuple[str, str], ...]:
    pairs = [(w.lower(), what) for what, words in (table or {}).items() for w in words]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@lru_cache(maxsize=4)
def load_lexicon(path: Path = DATA_DIR / "figures" / "figures.yaml") -> FigureLexicon:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return FigureLexicon(
        predicates=_pairs(data.get("predicates")), nouns=_pairs(data.get("nouns")),
        lead_nouns=_pairs(data.get("lead_nouns")),
        scope=tuple(re.compile(p, re.I) for p in data.get("scope_patterns", [])),
        aggregate=frozenset(data.get("aggregate_what", [])),
        gerunds=frozenset(w.lower() for w in data.get("incident_gerunds", [])),
        stating=frozenset(w.lower() for w in data.get("stating_verbs", [])))


def _find_word(phrase: str, text: str) -> int:
    m = re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text, re.I)
    return m.start() if m else -1


def _what(after: str, before: str, noun: str | None, lex: FigureLexicon) -> str | None:
    """The kind of figure: a predicate in the clause after the number ("... were displaced") wins over
    the counted noun ("soldiers" -> troops), which wins over a lead noun ("the death toll rose to")."""
    clause = re.split(r"[;.!?]|,\s(?:while|but|and|which)\b|\b(?:while|whereas)\b", after, maxsplit=1)[0]
    best = None
    for phrase, what in lex.predicates:
        at = _find_word(phrase, clause)
        if at >= 0 and (best is None or at < best[0]):
            best = (at, what)
    if best:
        return best[1]
    head = clause[:40]
    for phrase, what in lex.nouns:
        if _find_word(phrase, head) >= 0:
            return what
    if noun:
        for phrase, what in lex.nouns:
            if phrase == noun.lower():
                return what
    for phrase, what in lex.lead_nouns:
        if _find_word(phrase, before[-40:]) >= 0:
            return what
    return None


def _period(ann: Annotation, s0: int, s1: int, q0: int, q1: int) -> DateInterval | None:
    """The interval the sentence's time expressions give: "since X" (to publication), "between X and Y",
    "from X to Y", or a single dated span."""
    text = ann.doc.text
    tx = sorted((t for t in ann.timexes if s0 <= t.start < s1 and t.interval is not None
                 and not (q0 <= t.start < q1) and t.type in {"DATE", "DURATION"}), key=lambda t: t.start)
    if not tx:
        return None
    first = tx[0]
    lead = text[max(s0, first.start - 12):first.start].lower()
    if len(tx) >= 2 and re.search(r"\b(between|from)\s*$", lead) and \
            re.fullmatch(r"\s*(and|to|until|till|-|–)\s*", text[first.end:tx[1].start], re.I):
        a, b = first.interval, tx[1].interval
        end = b.end
        if end < a.start:                     # "between 5 March and 18 August": the same year as the start
            try:
                end = date.fromisoformat(end).replace(year=int(a.start[:4])).isoformat()
            except ValueError:
                end = a.start
        return DateInterval(a.start, end, precision="day", basis="explicit")
    if first.interval.start > first.interval.end or re.match(r"(until|till|through)\b", first.text, re.I):
        return None                            # "until 18 August": the start is not a date we have
    if ann.anchor and re.search(r"\bsince\b", text[max(s0, first.start - 60):first.start], re.I) and \
            first.interval.start <= ann.anchor:
        # "since the start of the campaign in May": from then to publication
        return DateInterval(first.interval.start, ann.anchor, precision=first.interval.precision,
                            basis="relative")
    return first.interval


def _place(ann: Annotation, s0: int, s1: int, q1: int) -> Place | None:
    """A place entity after the number in the same sentence, introduced by in/across/inside."""
    text = ann.doc.text
    for e in sorted(ann.entities, key=lambda e: e.start):
        if e.label in PLACE_LABELS and q1 <= e.start < s1:
            lead = text[max(q1, e.start - 12):e.start].lower()
            if re.search(r"\b(in|across|inside|throughout|from)\s+(the\s+)?$", lead):
                return Place(name=e.text, precision="area")
    return None


def _attribution(ann: Annotation, sent, q0: int, quotes, lex: FigureLexicon) -> Actor | None:
    """Who states the figure: the speaker of a quote whose content holds it, "according to X", or the
    subject of a stating verb above the number in the parse."""
    for q in quotes:
        if q.start <= q0 < q.end:
            return q.speaker
    from sitrep.extract.quotes import _np_span, _subject
    text = ann.doc.text
    tok = None
    for t in sent:
        if t.idx <= q0 < t.idx + len(t.text) or t.idx >= q0:
            tok = t
            break
    while tok is not None and tok.head.i != tok.i:
        tok = tok.head
        if tok.lower_ in lex.stating and tok.pos_ in {"VERB", "AUX"}:
            subj = _subject(tok)
            if subj is not None:
                s, e = _np_span(subj, text, full=False)
                for q in quotes:          # the quote extractor has already resolved "the group" etc.
                    if q.source_span and q.source_span[0] <= s < q.source_span[1]:
                        return q.speaker
                return Actor(name=None, text=text[s:e], start=s, end=e)
    return None


def extract_figures(ann: Annotation, kb=None) -> list[Figure]:
    """Every figure of one document, in text order."""
    from sitrep.extract.numbers import find_quantities
    from sitrep.extract.quotes import extract_quotes

    text = ann.doc.text
    if ann.nlp_doc is None or not text:
        return []
    lex = load_lexicon()
    quotes = None
    out: list[Figure] = []
    for sent in ann.nlp_doc.sents:
        s0, s1 = sent.start_char, sent.end_char
        stext = text[s0:s1]
        found = find_quantities(sent)
        if not found:
            continue
        scoped = any(p.search(stext) for p in lex.scope)
        for q0, q1, count, noun in found:
            if any(t.start < q1 and q0 < t.end for t in ann.timexes):
                continue                                   # a day of a date, not a count
            before = text[s0:q0]
            prev_word = re.findall(r"[\w'-]+", before.lower())[-1:] or [""]
            if prev_word[0] in lex.gerunds:
                continue                                   # one incident's toll
            what = _what(text[q1:min(s1, q1 + WINDOW)], before, noun, lex)
            if what is None or count.max < 2:
                continue
            if not scoped and what not in lex.aggregate:
                continue
            if quotes is None:
                quotes = extract_quotes(ann, kb)
            out.append(Figure(
                id=f"{ann.doc.id}-f{len(out)}", what=what, value=count.value, min=count.min, max=count.max,
                qualifier=count.qualifier, period=_period(ann, s0, s1, q0, q1),
                location=_place(ann, s0, s1, q1),
                attributed_to=_attribution(ann, sent, q0, quotes, lex),
                mentions=[Mention(doc=ann.doc.id, start=s0, end=s1, sentence=stext.strip(),
                                  outlet=ann.doc.outlet, published=ann.doc.published.date)]))
    return out

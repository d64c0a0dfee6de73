"""Actor mentions of one document, resolved against the registry with the whole document in view.

A mention is a named entity (PERSON, ORG, NORP, ACTOR, and GPE when it acts rather than locates) or a
noun phrase headed by a sector noun or an office ("Turkish troops", "the foreign minister"), widened to
its noun chunk so that titles and demonyms travel with the name. Within the document, a surname alone
("Erdogan said", "King added") is the full name seen earlier, and a definite description ("the
militants") is the one named actor of that sector mentioned just before, when there is exactly one.
"""
from __future__ import annotations

from dataclasses import replace

from sitrep.kb.actors import fold, is_actor_use
from sitrep.records import Actor, ActorMention, Annotation

ENTITY_LABELS = {"PERSON", "ORG", "NORP", "ACTOR", "GPE"}
COREF_WINDOW_SENTENCES = 2       # how far back "the militants" may look for its named actor


def _registry(kb):
    return kb.actors if hasattr(kb, "actors") else kb


def _trim(span):
    """Drop leading determiners/possessive pronouns and trailing punctuation from a noun chunk."""
    start, end = span.start, span.end
    for t in span:                          # a chunk that runs over a heading keeps its last line only
        if "\n" in t.text or "\n" in t.whitespace_:
            start = t.i + 1 if "\n" in t.whitespace_ or t.is_space else t.i
    while start < end and (span.doc[start].pos_ in ("DET", "PRON", "PUNCT", "NUM", "SPACE")
                           and span.doc[start].dep_ != "poss"):
        start += 1
    while end > start and span.doc[end - 1].is_punct:
        end -= 1
    return span.doc[start:end] if end > start else None


def _chunk_for(doc, chunks, s, e):
    """The noun chunk that contains token range [s, e), if any."""
    for c in chunks:
        if c.start <= s and e <= c.end:
            return c
    return None


def _is_description_head(token, reg) -> bool:
    d = reg.descriptions
    word = fold(token.text)
    if not word or word in d.mention_excluded:
        return False
    return word in d.sectors or word in d.offices or (word.endswith("s") and word[:-1] in d.sectors)


def _candidate_spans(ann: Annotation, reg) -> list[tuple[int, int, str | None]]:
    """(start char, end char, entity label or None) of every possible actor mention."""
    doc = ann.nlp_doc
    out: list[tuple[int, int, str | None]] = []
    if doc is None:
        return [(e.start, e.end, e.label) for e in ann.entities if e.label in ENTITY_LABELS and e.label != "GPE"]
    chunks = list(doc.noun_chunks)
    for ent in ann.entities:
        if ent.label not in ENTITY_LABELS:
            continue
        span = doc.char_span(ent.start, ent.end, alignment_mode="expand")
        if span is None:
            continue
        chunk = _chunk_for(doc, chunks, span.start, span.end)
        if chunk is not None and chunk.root.i not in range(span.start, span.end):
            trimmed = _trim(chunk)
            if trimmed is not None and (_is_description_head(chunk.root, reg) or reg.lookup(trimmed.text)):
                out.append((trimmed.start_char, trimmed.end_char, ent.label))   # "Turkish troops"
                continue
            poss = next((t for t in chunk if t.tag_ == "POS" and t.i >= span.end - 1), None)
            if poss is not None and trimmed is not None and trimmed.start < poss.i:
                owner = doc[trimmed.start:poss.i]                # "the Russian president's efforts"
                out.append((owner.start_char, owner.end_char, ent.label))
                continue
            if ent.label in ("NORP", "GPE"):
                continue                     # "Russian approval", "the Idlib offensive"
            out.append((ent.start, ent.end, ent.label))          # "the HTS offensive"
            continue
        if ent.label == "GPE" and not is_actor_use(span, doc):
            continue                         # "in Turkey" is a place
        if ent.label == "NORP" and span.root.dep_ in ("amod", "compound") and chunk is None:
            continue                         # an adjective with no noun phrase around it
        if chunk is not None and chunk.root.i in range(span.start, span.end) and chunk.start < span.start:
            trimmed = _trim(chunk)           # a title before the name: "Foreign Minister Mevlut Cavusoglu"
            if trimmed is not None and trimmed.start < span.start:
                out.append((trimmed.start_char, trimmed.end_char, ent.label))
                continue
        out.append((ent.start, ent.end, ent.label))
    covered = [(s, e) for s, e, _ in out]
    for chunk in chunks:
        if any(s <= chunk.start_char < e or s < chunk.end_char <= e for s, e in covered):
            continue
        if _is_description_head(chunk.root, reg):
            trimmed = _trim(chunk)
            if trimmed is not None:
                out.append((trimmed.start_char, trimmed.end_char, None))
    return out


def _dedupe(spans):
    """Keep the longest of overlapping spans."""
    spans = sorted(set(spans), key=lambda x: (x[0], -(x[1] - x[0])))
    kept: list[tuple[int, int, str | None]] = []
    for s in spans:
        if kept and s[0] < kept[-1][1]:
            if s[1] - s[0] > kept[-1][1] - kept[-1][0]:
                kept[-1] = s
            continue
        kept.append(s)
    return kept


def _strip_s(word: str) -> str:
    return word[:-2] if word.endswith(("'s", "’s")) else word


def _sentence_index(ann: Annotation, pos: int) -> int:
    for i, (s, e) in enumerate(ann.sentences):
        if s <= pos < e:
            return i
    return len(ann.sentences)


def _person_text(ann: Annotation, start: int, end: int) -> str | None:
    """The PERSON entity inside [start, end), if any (the name part of 'Defence Secretary Tom King')."""
    for e in ann.entities:
        if e.label == "PERSON" and start <= e.start and e.end <= end:
            return e.text
    return None


def resolve_actor_mentions(ann: Annotation, kb) -> list[ActorMention]:
    """Every actor mention in the document, resolved, with within-document coreference."""
    reg = _registry(kb)
    when = ann.anchor
    text = ann.doc.text
    mentions: list[ActorMention] = []
    persons: dict[str, Actor] = {}          # folded surname -> actor of the full name seen earlier
    for start, end, label in _dedupe(_candidate_spans(ann, reg)):
        surface = text[start:end]
        if "\n" in surface:
            continue                        # a span over a heading or page furniture
        person = _person_text(ann, start, end)
        actor = None
        alone = person or (surface if label in ("ORG", "ACTOR") else None)
        if alone is not None and len(alone.split()) == 1 and fold(_strip_s(alone)) in persons:
            prior = persons[fold(_strip_s(alone))]   # a surname alone: the full name seen earlier wins
            actor = replace(prior, text=surface)
        if actor is None:
            actor = reg.resolve(surface, when)
        if person is not None:
            if actor is None:
                actor = Actor(name=person, text=surface)
            elif actor.name is None:       # a titled unknown person: "British Defence Secretary Tom King"
                actor = replace(actor, name=person)
            if actor.name and len(person.split()) > 1:
                persons.setdefault(fold(person.split()[-1]), actor)
            elif actor.actor_id and actor.name:
                persons.setdefault(fold(actor.name.split()[-1]), actor)
        if label in ("ORG", "ACTOR") and person is None and (actor is None or (
                actor.actor_id is None or reg.entries[actor.actor_id].kind == "state") and actor.sector is None):
            # an organisation we do not know: "the Russian International Affairs Council"
            actor = Actor(name=surface, text=surface, country=actor.country if actor else None)
        if actor is None:
            continue
        definite = text[max(0, start - 4):start].lower() == "the "
        actor = _definite_coref(actor, definite, start, mentions, ann, reg)
        mentions.append(ActorMention(start, end, surface, replace(actor, text=surface, start=start, end=end)))
    return mentions


def _definite_coref(actor: Actor, definite: bool, start: int, mentions: list[ActorMention],
                    ann: Annotation, reg) -> Actor:
    """'the militants' -> the one named actor of the same sector in this or the previous sentences."""
    if actor.name is not None or actor.sector is None or not definite:
        return actor
    here = _sentence_index(ann, start)
    seen = {}
    for m in reversed(mentions):
        if _sentence_index(ann, m.start) < here - COREF_WINDOW_SENTENCES:
            break
        a = m.actor
        entry = reg.entries.get(a.actor_id or "") if a else None
        if entry is not None and not entry.metonym and entry.kind not in ("state", "person") and \
                a.sector == actor.sector and \
                (actor.country is None or a.country == actor.country):
            seen[a.actor_id] = a
    if len(seen) == 1:
        a = next(iter(seen.values()))
        return a
    return actor


def nearest_named(mentions: list[ActorMention], position: int) -> ActorMention | None:
    """The closest mention ending at or before ``position`` whose actor has a name (for 'the source
    added' and other speakers the quote extractor must carry over)."""
    best = None
    for m in mentions:
        if m.end <= position and m.actor is not None and m.actor.name:
            if best is None or m.end > best.end:
                best = m
    return best


def resolve_actor(text: str, ann: Annotation | None, kb) -> Actor | None:
    """One span's actor in document context: the publication date picks office holders, and a lone
    surname is the full name the document gave before."""
    reg = _registry(kb)
    when = ann.anchor if ann is not None else None
    if not text or not text.strip():
        return None
    words = text.strip().split()
    if ann is not None and len(words) == 1:
        key = fold(words[0].rstrip("'’s") if words[0].endswith(("'s", "’s")) else words[0])
        for e in ann.entities:
            parts = e.text.split()
            if e.label in ("PERSON", "ACTOR") and len(parts) > 1 and fold(parts[-1]) == key:
                full = reg.resolve(e.text, when)
                return replace(full, text=text) if full is not None else Actor(name=e.text, text=text)
    return reg.resolve(text, when)


__all__ = ["resolve_actor_mentions", "resolve_actor", "nearest_named", "is_actor_use"]

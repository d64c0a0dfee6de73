"""Small walks over a spaCy parse shared by the extractors (events, place): the governing verb of a word,
a word's sentence and the entities of a sentence, each without scanning the whole document."""
from __future__ import annotations


def clause_head(tok):
    """The verb that governs a trigger: itself for a verb, else the nearest verbal ancestor."""
    if tok.pos_ in ("VERB", "AUX"):
        return tok
    cur = tok
    for _ in range(8):
        if cur.head.i == cur.i:
            return cur
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            return cur
    return cur


def sent_of(tok):
    """The sentence of a token as the span of its dependency tree (``Token.sent`` scans the document)."""
    cur = tok
    for _ in range(200):
        if cur.head.i == cur.i:
            break
        cur = cur.head
    return tok.doc[cur.left_edge.i:cur.right_edge.i + 1]


def sent_entities(sent) -> list[tuple[int, int, str]]:
    """Entities of one sentence as (start token, end token, label), from the IOB tags (``Span.ents``
    rescans the whole document)."""
    out, start, label = [], None, ""
    for t in sent:
        if t.ent_iob_ == "B" or (t.ent_iob_ == "I" and start is None):
            if start is not None:
                out.append((start, t.i, label))
            start, label = t.i, t.ent_type_
        elif t.ent_iob_ != "I" and start is not None:
            out.append((start, t.i, label))
            start = None
    if start is not None:
        out.append((start, sent.end, label))
    return out


def entity_at(tok):
    """The entity span containing ``tok``, from the IOB tags (no scan over all entities), or None."""
    doc = tok.doc
    if not tok.ent_type_:
        return None
    a = tok.i
    while doc[a].ent_iob_ == "I" and a > 0:
        a -= 1
    b = tok.i + 1
    while b < len(doc) and doc[b].ent_iob_ == "I":
        b += 1
    from spacy.tokens import Span
    return Span(doc, a, b, label=tok.ent_type_)

"""The time of an event mention: which time expression of its sentence belongs to it.

A time expression belongs to the events of the clause it hangs on. Walking up the parse from the
expression's head, through prepositions and noun modifiers, the walk must reach one of the event's trigger
tokens, or the clause verb that governs a trigger noun, before any other verb ("shelled the town on
Tuesday"; "launched strikes on Tuesday"). It must not reach them through a name ("the September 2018 X
agreement" dates the agreement) nor hand a verb's time to a noun that only sits in an adjunct phrase of that
verb: in "a man was arrested Monday in the shooting", Monday is the arrest's day, not the shooting's.

The same walk tells ``resolve.dates`` which verb a time expression of the sentence is attached to, so that
"..., police said Sunday" or "arrested Monday" does not date another event of the sentence.
"""
from __future__ import annotations

import re
from functools import lru_cache

from sitrep.extract.syntax import sent_of
from sitrep.records import Annotation, Timex

# dependency labels through which a trigger noun is its clause verb's own argument (subject, object,
# predicate): "the shooting happened Monday", "launched strikes Monday"; never a prepositional adjunct
CORE_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "oprd", "compound", "amod", "nmod",
                                "appos", "conj", "csubj", "csubjpass", "npadvmod", "ccomp", "xcomp"})


def timex_heads(ann: Annotation) -> list[tuple[Timex, object]]:
    """Each time expression of the document with the token that heads it (expressions that cover no
    token are left out)."""
    doc = ann.nlp_doc
    out = []
    if doc is None:
        return out
    for tx in ann.timexes or []:
        span = doc.char_span(tx.start, tx.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        out.append((tx, span.root))
    return out


def takes_clause_time(tok, head) -> bool:
    """Whether a trigger shares the time of its clause verb ``head``: it is the verb itself or reaches it
    through core arguments only. "The shooting happened Monday" - yes; "arrested Monday in the shooting"
    - no (the shooting is inside the arrest's prepositional phrase)."""
    cur = tok
    for _ in range(10):
        if cur.i == head.i:
            return True
        if cur.head.i == cur.i or cur.dep_ not in CORE_ARGUMENT_DEPS:
            return False
        cur = cur.head
    return False


def link_time(tokens, head, main, timex_heads_, name_heads=frozenset(), triggers=frozenset()) -> Timex | None:
    """The time expression attached to an event whose trigger tokens are ``tokens`` (``main`` first) and
    whose clause verb is ``head``: walking up from the expression's head through prepositions and noun
    modifiers reaches a trigger token, or the clause verb (when a trigger is one of its own arguments),
    before any other verb or another event's trigger (token indices ``triggers``). Among several, the one
    nearest to ``main``.

    "Rebels shelled the town on Tuesday" -> "Tuesday"; "a strike launched on May 2" -> "May 2" (a participle
    on a noun is passed); "the September 2018 X agreement" -> not the agreement's events' date; "charged
    over the April 16 shooting" -> the shooting's date, not the charge's."""
    sent = sent_of(main)
    anchors = {t.i for t in tokens}
    if head is not None and any(takes_clause_time(t, head) for t in tokens):
        anchors.add(head.i)
    found = _nearest_time(anchors, main, sent, timex_heads_, name_heads, triggers)
    clause = head if head is not None else main
    if found is None and _when_clause(clause):
        # "had returned home on Nov. 14 when robbers ambushed them": the when-clause shares its verb's time
        found = _nearest_time({clause.head.i}, main, sent, timex_heads_, name_heads, triggers)
    return found


WHEN_MARKS = frozenset({"when", "as", "while"})


def _when_clause(verb) -> bool:
    """An adverbial clause of time on another verb ("... when robbers ambushed them")."""
    return verb.dep_ == "advcl" and any(c.dep_ in ("mark", "advmod") and c.lower_ in WHEN_MARKS and c.i < verb.i
                                        for c in verb.children)


def _nearest_time(anchors, main, sent, timex_heads_, name_heads, triggers) -> Timex | None:
    """The time expression whose head reaches one of ``anchors`` first (see ``link_time``)."""
    best = None
    for tx, root in timex_heads_:
        if not (sent.start <= root.i < sent.end):
            continue
        cur, hit = root, False
        for _ in range(8):
            if cur.i in anchors:
                hit = True
                break
            if cur.head.i == cur.i or (cur.i != root.i and cur.pos_ in ("VERB", "AUX")
                                       and cur.dep_ not in ("acl", "relcl")):
                break                # a participle on a noun ("a strike launched on May 2") is passed
            if cur.i != root.i and cur.pos_ in ("NOUN", "PROPN") and cur.lemma_.lower() in name_heads:
                break                # "the September 2018 X agreement": the agreement's date
            if cur.i in triggers:
                break                # "charged over the April 16 shooting": the shooting's date
            cur = cur.head
        if hit and (best is None or abs(root.i - main.i) < abs(best[1].i - main.i)):
            best = (tx, root)
    return best[0] if best else None


def governor(root):
    """The verb a time expression hangs on: the first verb above its head, walking through nouns and
    prepositions ("police said Sunday" -> said; "arrested on Monday" -> arrested); None when it hangs on
    none (a headline fragment)."""
    cur = root
    for _ in range(8):
        if cur.head.i == cur.i:
            return cur if cur.pos_ in ("VERB", "AUX") else None
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            return cur
    return None



@lru_cache(maxsize=1)
def _period_to_now_re() -> re.Pattern:
    from sitrep.annotate.timex import time_lexicon
    sec = time_lexicon().get("period_to_now") or {}

    def alt(key):
        return "|".join(re.escape(w).replace(r"\ ", r"\s+")
                        for w in sorted(sec.get(key) or (), key=len, reverse=True))
    parts = [rf"\b(?:{alt('modifiers')})\s+(?:(?:{alt('quantifiers')}|\d+)\s+)?(?:{alt('units')})\b"]
    if sec.get("phrases"):
        parts.append(rf"\b(?:{alt('phrases')})\b")
    return re.compile("|".join(parts), re.I)


def period_to_now_in(text: str) -> bool:
    """Whether a text names a period that runs up to the report's present ("in recent weeks", "over the
    past 3 days", "so far", "to date", "this year")."""
    return bool(_period_to_now_re().search(text or ""))


def runs_to_now(tx: Timex | None) -> bool:
    """Whether a time expression names a period that runs up to the report's present: a count told over
    it is a running toll, not one incident."""
    return tx is not None and period_to_now_in(tx.text)

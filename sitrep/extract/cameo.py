"""CAMEO readings of a trigger token: what the CAMEO-derived lexicon (``kb.ontology.cameo()``, built from
PETRARCH2's CAMEO verb dictionary) says of a verb with its particle, object, prepositional phrase or subject,
or of an event noun.

Why: the trigger lexicon (``triggers.yaml``) was written on our development records; CAMEO's patterns were
written by others on other news. They type the verbs our lists lack (fallback in ``events.find_triggers``)
and give the learned types (``extract.types``) a reading that holds on unseen text.

The most specific reading wins: the rules of ``RULES`` are tried in order (particle, object, "to"-infinitive,
preposition, subject, the verb alone); ``readings`` gives all of them, for features.
"""
from __future__ import annotations

from collections.abc import Callable

from sitrep.extract.modality import SPEECH_LEMMAS

Reading = tuple[str, str | None]
VERBAL = ("VERB", "AUX")
NOMINAL = ("NOUN", "PROPN")


def _object(tok):
    """The direct object, or the subject of a passive ("sanctions were imposed")."""
    return next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")), None)


def _subject(tok):
    """The active subject, or the object of a passive's "by" ("was attacked by gunmen")."""
    for c in tok.children:
        if c.dep_ == "nsubj":
            return c
        if c.dep_ == "agent":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def by_particle(tok, cam) -> Reading | None:
    """Verb + particle or bound preposition of a phrasal entry. Example: "called off the talks" ->
    call + off -> SANCTION."""
    lemma = tok.lemma_.lower()
    for c in tok.children:
        if c.dep_ in ("prt", "prep") and (lemma, c.lower_) in cam.particles:
            return cam.particles[(lemma, c.lower_)]
    return None


def by_object(tok, cam) -> Reading | None:
    """Verb + head of its object. Example: "imposed a curfew" -> impose + curfew -> COERCE/curfew."""
    obj = _object(tok)
    return cam.pattern("obj", tok.lemma_.lower(), obj.lemma_.lower()) if obj is not None else None


def by_preposition(tok, cam) -> Reading | None:
    """Verb + preposition (+ head of its object). Example: "died in clashes" -> die + "in clash" -> ASSAULT."""
    lemma = tok.lemma_.lower()
    for c in tok.children:
        if c.dep_ != "prep":
            continue
        pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
        hit = (cam.pattern("prep", lemma, f"{c.lower_} {pobj.lemma_.lower()}") if pobj is not None else None) \
            or cam.pattern("prep", lemma, c.lower_)
        if hit:
            return hit
    return None


def by_complement(tok, cam) -> Reading | None:
    """Verb + "to"-infinitive: what the verb's "to X" patterns mostly give. Example: "agreed to resign" ->
    agree + "to *" -> AGREE (an intention), where "agree" alone reads as SUPPORT."""
    for c in tok.children:
        if c.dep_ == "xcomp" and c.pos_ in VERBAL and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children):
            return cam.pattern("prep", tok.lemma_.lower(), "to *")
    return None


def by_subject(tok, cam) -> Reading | None:
    """Verb + head of its subject. Example: "aircraft pounded the town" -> pound + aircraft -> ASSAULT."""
    subj = _subject(tok)
    return cam.pattern("subj", tok.lemma_.lower(), subj.lemma_.lower()) if subj is not None else None


def by_verb(tok, cam) -> Reading | None:
    """The verb's own reading. Example: "clashed" -> clash -> ASSAULT; "said" -> NONE (a statement)."""
    return cam.verbs.get(tok.lemma_.lower())


RULES: tuple[tuple[str, Callable], ...] = (("prt", by_particle), ("obj", by_object), ("comp", by_complement),
                                           ("prep", by_preposition), ("subj", by_subject), ("verb", by_verb))


def _status_words(trig) -> frozenset[str]:
    return trig.planned | trig.hypothetical | SPEECH_LEMMAS


def unlisted(tok, trig) -> bool:
    """Whether the CAMEO fallback may read a token: a verb or noun that the trigger lists neither type nor
    exclude (a light verb takes its object's event; a word of planning or hoping gives the status
    of the event it governs - "plans to impose" - and a speech verb ("insisted that") attributes it: they
    are none themselves; "March" is a date). Example:
    "bombarded" when triggers.yaml lacks "bombard"."""
    lemma = tok.lemma_.lower()
    if tok.ent_type_ in ("DATE", "TIME") or lemma in trig.light_verbs or lemma in _status_words(trig):
        return False
    if tok.pos_ == "VERB" or (tok.pos_ == "AUX" and tok.dep_ == "ROOT"):
        return lemma not in trig.verbs and lemma not in trig.object_cues
    if tok.pos_ == "NOUN":
        return lemma not in trig.nouns and tok.lower_ not in trig.nouns
    return False


def reading(tok, cam) -> tuple[str, str | None, str] | None:
    """(type, mode, rule) of a token: the first rule of ``RULES`` that reads a verb, or the noun's reading;
    None when the lexicon does not know the word. The type may be ``NONE`` (a statement, no event).

    Example: "Police imposed a curfew" at "imposed" -> ("COERCE", "curfew", "obj")."""
    if cam is None:
        return None
    if tok.pos_ in VERBAL:
        for name, rule in RULES:
            hit = rule(tok, cam)
            if hit:
                return hit[0], hit[1], name
        return None
    if tok.pos_ in NOMINAL:
        hit = cam.nouns.get(tok.lemma_.lower()) or cam.nouns.get(tok.lower_)
        return (hit[0], hit[1], "noun") if hit else None
    return None


def readings(tok, cam) -> dict[str, str]:
    """The type each rule gives a token (for features), and the type its dictionary blocks mostly give their
    objects ("block"). Example: "sent troops" at "sent" -> {"obj": "AID", "block": "AID"}."""
    if cam is None:
        return {}
    out: dict[str, str] = {}
    if tok.pos_ in VERBAL:
        for name, rule in RULES:
            hit = rule(tok, cam)
            if hit:
                out[name] = hit[0]
        bt = cam.block_type(tok.lemma_.lower())
        if bt:
            out["block"] = bt[0]
    elif tok.pos_ in NOMINAL:
        hit = cam.nouns.get(tok.lemma_.lower()) or cam.nouns.get(tok.lower_)
        if hit:
            out["noun"] = hit[0]
    return out

"""Status of an event mention: reported, planned, hypothetical or denied.

Read from the dependency parse around the trigger: negation on the trigger or its clause, modal and
future auxiliaries, conditional marks, and governing verbs of planning ("set to", "plans to"), wishing
("hopes", "might"), or denial ("denied"). The nearest cue wins; the cue words are data (triggers.yaml).
"""
from __future__ import annotations

SPEECH_LEMMAS = frozenset({"say", "tell", "announce", "state", "declare", "add", "report", "claim", "insist",
                           "confirm", "write", "note", "stress", "quote"})
# the object of these prepositions is a circumstance of the clause (its time or occasion), not what the
# clause asserts, negates or plans: "talks failed during the meeting" does not deny the meeting
CIRCUMSTANCE_PREPS = frozenset({"during", "after", "before", "amid", "following", "since", "throughout",
                                "despite"})
# a trigger takes the status of the clause it is the complement of, not of a clause it is the subject of
# ("the ceasefire does not resolve the conflict" does not deny the ceasefire)
_COMPLEMENT_DEPS = frozenset({"xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp", "acl", "advcl", "attr",
                              "nsubjpass", "oprd", "conj"})


def _own_cue(tok, trig, speech_above: bool) -> str | None:
    """A status cue carried by the token itself (its auxiliaries, negation, marks)."""
    for child in tok.children:
        low = child.lower_
        if child.dep_ == "neg" or (child.dep_ == "det" and low == "no"):
            return "denied"
        if child.dep_ in ("aux", "auxpass"):
            if low in trig.deontic_aux:
                return "hypothetical:must"
            if low in trig.planned_aux:
                return "planned"
            if low == "would" or low == "'d":
                return "planned:would" if speech_above else "hypothetical"
            if low in trig.hypothetical_aux:
                return "hypothetical"
        if child.dep_ == "mark" and low in trig.conditional_marks:
            return "hypothetical"
    return None


def _speech_above(tok) -> bool:
    return any(a.lemma_.lower() in SPEECH_LEMMAS for a in tok.ancestors)


def status_of(trigger, trig, max_levels: int = 4) -> str:
    """The status of the event whose trigger token is ``trigger``: reported|planned|hypothetical|denied."""
    return status_cue(trigger, trig, max_levels)[0]


def status_cue(trigger, trig, max_levels: int = 4) -> tuple[str, str | None]:
    """The status of the event whose trigger token is ``trigger`` (a spaCy Token).

    Climbs from the trigger through its governing clauses; a cue on a nearer clause wins. Speech verbs
    ("said") are transparent; "would" under a speech verb is future-in-the-past (planned)."""
    speech = _speech_above(trigger)
    tok = trigger
    levels = 0
    prev_dep = ""
    while tok is not None and levels <= max_levels:
        cue = _own_cue(tok, trig, speech)
        if cue:
            status, _, word = cue.partition(":")
            return status, word or None
        lemma = tok.lemma_.lower()
        if tok.i != trigger.i:
            if lemma in trig.denied:
                return "denied", None
            if lemma in trig.hypothetical:
                return "hypothetical", None
            if lemma in trig.planned:
                return "planned", None
            if lemma == "be" and any(c.dep_ == "xcomp" for c in tok.children) and prev_dep == "xcomp":
                return "planned", None                       # "is to meet"
            if lemma in SPEECH_LEMMAS:
                return "reported", None
        else:
            # adjectival cues on a noun trigger ("a possible ceasefire", "the planned talks")
            for child in tok.children:
                if child.dep_ in ("amod", "compound"):
                    cl = child.lower_
                    if cl in trig.hypothetical:
                        return "hypothetical", None
                    if cl in trig.planned:
                        return "planned", None
        if tok.dep_ not in _COMPLEMENT_DEPS or tok.head.i == tok.i:
            break
        if tok.dep_ == "pobj" and tok.head.lower_ in CIRCUMSTANCE_PREPS:
            break     # "did not agree during the meeting": the meeting itself took place
        if tok.dep_ == "advcl" and tok.pos_ == "VERB" and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
            return "hypothetical", None      # a purpose ("sent troops to stop X"): intended, not done
        prev_dep = tok.dep_
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX"):
            levels += 1
    return "reported", None

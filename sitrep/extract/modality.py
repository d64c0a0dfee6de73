"""Status of an event mention: reported, planned, hypothetical or denied.

Read from the dependency parse around the trigger: negation on the trigger or its clause, modal and
future auxiliaries, conditional marks, and governing verbs of planning ("set to", "plans to"), wishing
("hopes", "might"), or denial ("denied"). The nearest cue wins; the cue words are data (triggers.yaml).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

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


@dataclass(frozen=True)
class SenseRules:
    """Word-sense and background rules of the extractor (``sense_rules`` in triggers.yaml)."""
    action_object_senses: frozenset = frozenset()
    request_governors: frozenset = frozenset()
    habitual_adverbs: frozenset = frozenset()
    stance_types: frozenset = frozenset()
    reference_preps: frozenset = frozenset()
    wish_verbs: frozenset = frozenset()
    period_preps: frozenset = frozenset({"since"})
    name_heads: frozenset = frozenset()
    topic_nouns: frozenset = frozenset()
    topic_noun_preps: frozenset = frozenset()


@lru_cache(maxsize=1)
def sense_rules() -> SenseRules:
    """The ``sense_rules`` section of the trigger lexicon (read once; empty rules when absent)."""
    import yaml
    from sitrep.config import DATA_DIR
    raw = yaml.safe_load((DATA_DIR / "events" / "triggers.yaml").read_text(encoding="utf-8")) or {}
    sec = raw.get("sense_rules") or {}
    return SenseRules(**{k: frozenset(str(w).upper() if k == "stance_types" else str(w).lower()
                                      for w in (sec.get(k) or ()))
                         for k in SenseRules.__dataclass_fields__ if k in sec})


def _wished(trigger) -> bool:
    """Whether a verb of wishing governs the trigger before any speech verb does ("X hopes that Y will
    take Z": hoped for, not planned; "X said Y took Z": reported)."""
    wish = sense_rules().wish_verbs
    for n, anc in enumerate(trigger.ancestors):
        if n >= 6:
            break
        lemma, low = anc.lemma_.lower(), anc.lower_
        if lemma in SPEECH_LEMMAS:
            return False
        # (the tagger's lemma can be wrong: "hopes" -> "hop"; the inflected forms are checked too)
        if lemma in wish or any(low in (w, w + "s", w + "es", w + "d", w + "ed", w + "ing", w[:-1] + "ing")
                                for w in wish):
            return True
    return False


NOBODY_DEPS = frozenset({"nsubj", "nsubjpass", "dobj"})
NOBODY_WORDS = frozenset({"nobody", "noone", "none"})


def _nobody(tok) -> bool:
    """"no one", "nobody", "none": the participant who did or suffered it is nobody."""
    return tok.lower_ in NOBODY_WORDS or (tok.lower_ == "one" and any(c.lower_ == "no" for c in tok.children))


def _own_cue(tok, trig, speech_above: bool) -> str | None:
    """A status cue carried by the token itself (its auxiliaries, negation, marks)."""
    # negation first: "will not back down" is denied, not planned
    if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in tok.children):
        return "denied"
    for child in tok.children:
        low = child.lower_
        if child.dep_ in ("aux", "auxpass"):
            if low in trig.deontic_aux:
                return "hypothetical:must"
            if low in trig.planned_aux:
                return "planned"
            if low == "would" or low == "'d":
                # "said he would ask": future in the past; "said the deal would ease X": a supposition
                subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                supposed = subj is not None and subj.pos_ == "NOUN" and subj.lemma_.lower() in trig.nouns
                return "planned:would" if speech_above and not supposed else "hypothetical"
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
    ("said") are transparent; "would" under a speech verb is future-in-the-past (planned). A verb of
    wishing above the clause makes it hypothetical whatever its own auxiliaries say."""
    status, word = _status_cue(trigger, trig, max_levels)
    if status in ("reported", "planned") and _wished(trigger):
        return "hypothetical", None
    return status, word


def _nobody_taken(trigger, trig) -> bool:
    """"No one was arrested", "police arrested nobody", "no one is in custody": an arrest or abduction
    whose people are nobody did not happen (an attack that hurt nobody still did)."""
    lemma = trigger.lemma_.lower()
    hit = (trig.nouns if trigger.pos_ == "NOUN" else trig.verbs).get(lemma)
    if not hit or hit[0] != "COERCE":
        return False
    clause = trigger
    if trigger.pos_ == "NOUN" and trigger.dep_ == "pobj" and trigger.head.head.lemma_ in ("be", "remain", "take"):
        clause = trigger.head.head                   # "no one was in custody", "took nobody into custody"
    return any(c.dep_ in NOBODY_DEPS and _nobody(c) for c in clause.children)


def _status_cue(trigger, trig, max_levels: int = 4) -> tuple[str, str | None]:
    if _nobody_taken(trigger, trig):
        return "denied", None
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
        if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in CIRCUMSTANCE_PREPS for c in tok.children):
            break     # "it was decided ... after X refused": the refusal took place
        if tok.dep_ == "advcl" and tok.pos_ == "VERB" and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
            return "hypothetical", None      # a purpose ("sent troops to stop X"): intended, not done
        prev_dep = tok.dep_
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX"):
            levels += 1
    return "reported", None

"""Who did it to whom: an event's source and target actors, from the grammar, never from word order.

Each rule reads one construction of the parse and returns the heads of source and target noun phrases; the
rules run in order and each one sees what the earlier ones found (``Found``). ``participants`` turns the
heads into ``Actor`` spans (one per conjunct; "the leaders of X and Y" gives X and Y).

    "Gunmen attacked the convoy"                 subject -> source, object -> target
    "The convoy was attacked by gunmen"          "by" agent -> source, passive subject -> target
    "the army's offensive against the rebels"    possessor -> source, "against" -> target
    "the delegations discussed the shelling"     a nominal trigger takes no actor of a verb that is not
                                                  its own (only light verbs: "launched an offensive")
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sitrep.extract.modality import SPEECH_LEMMAS
from sitrep.records import Actor

ACTOR_LABELS = frozenset({"GPE", "NORP", "ORG", "PERSON", "ACTOR"})
TARGET_PREPS = frozenset({"on", "against", "at", "with", "to", "upon"})
SUBJ_DEPS = frozenset({"nsubj", "csubj"})
PERSONAL_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i"})
STATE_VERBS = frozenset({"be", "remain", "stay", "keep"})     # "troops remained on alert"
_SKIP_CHILD_DEPS = frozenset({"relcl", "acl", "appos", "punct", "cc", "conj", "advcl", "prep"})


# --------------------------------------------------------------------------- noun phrases
def span_of(tok):
    """Token span of a noun phrase without its clauses, appositions, conjuncts and prepositions (except
    'of' phrases: "the leaders of Russia")."""
    keep = [tok]
    stack = [tok]
    while stack:
        t = stack.pop()
        for c in t.children:
            if c.dep_ in _SKIP_CHILD_DEPS and not (c.dep_ == "prep" and c.lower_ == "of" and t.i == tok.i):
                continue
            keep.append(c)
            stack.append(c)
    lo = min(k.i for k in keep)
    hi = max(k.i for k in keep)
    return tok.doc[lo:hi + 1]


def conjuncts(tok):
    return [tok] + [c for c in tok.conjuncts if c.i > tok.i]


def coordinated_nationalities(noun) -> list:
    """Two or more coordinated nationality adjectives on a common noun ("Russian and Turkish troops")."""
    if noun.pos_ != "NOUN":
        return []
    for ch in noun.children:
        if ch.dep_ in ("amod", "compound") and ch.ent_type_ in ("NORP", "GPE"):
            group = [ch] + [c for c in ch.conjuncts if c.ent_type_ in ("NORP", "GPE")]
            if len(group) >= 2:
                return sorted(group, key=lambda t: t.i)
    return []


def actor_spans(head):
    """Actors in a noun phrase: one per conjunct; inside 'the leaders of X and Y' one per X, Y."""
    spans = []
    for member in conjuncts(head):
        of = next((c for c in member.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        if of is not None and member.pos_ == "NOUN":
            pobj = next((c for c in of.children if c.dep_ == "pobj"), None)
            if pobj is not None and (pobj.ent_type_ in ACTOR_LABELS or pobj.pos_ == "PROPN"):
                spans.extend(span_of(p) for p in conjuncts(pobj))
                continue
        if member.pos_ in ("PRON", "NUM"):
            continue
        nations = coordinated_nationalities(member)
        if nations:          # "the Russian and Turkish officers": one actor per nationality
            spans.extend(member.doc[t.i:t.i + 1] for t in nations)
            continue
        spans.append(span_of(member))
    return spans


def make_actor(span, role) -> Actor:
    text = span.text
    start, end = span.start_char, span.end_char
    # drop a leading determiner: "the Syrian army" -> "Syrian army"
    if len(span) > 1 and span[0].dep_ == "det" and span[0].lower_ in ("the", "a", "an"):
        text, start = span[1:].text, span[1].idx
    stripped = text.strip()
    if stripped != text:       # spans can carry line breaks or no-break spaces at their edges
        start += len(text) - len(text.lstrip())
        end -= len(text) - len(text.rstrip())
        text = stripped
    return Actor(name=None, text=text, role=role, start=start, end=end)


# --------------------------------------------------------------------------- the rules
@dataclass
class Found:
    """What the rules found so far for one trigger, and the trigger's context."""
    tok: object                     # the main trigger token
    tokens: list                    # all trigger tokens of the event (merged triggers)
    type: str
    end_i: int                      # exclusive end of the trigger phrase
    verb: object | None             # the governing verb, when the clause head is one
    event_nouns: frozenset
    light_verbs: frozenset
    undergo_verbs: frozenset = frozenset()
    sources: list = field(default_factory=list)
    targets: list = field(default_factory=list)

    @property
    def nominal(self) -> bool:
        return self.tok.pos_ in ("NOUN", "PROPN")

    @property
    def own_verb(self) -> bool:
        """Whether the governing verb's arguments are the event's: the trigger is the verb, a light verb's
        object ("launched strikes"), or the subject of its verb ("the bombing killed three")."""
        v = self.verb
        if v is None:
            return False
        if self.tok.i == v.i or v in self.tokens:
            return True
        if self.tok.dep_ in ("nsubj", "nsubjpass"):
            return True
        if self.tok.dep_ == "pobj" and self.tok.head.head.i == v.i and v.lemma_.lower() in STATE_VERBS:
            return True
        return self.tok.dep_ in ("dobj", "attr", "pobj") and v.lemma_.lower() in self.light_verbs


def _noun_possessor(f: Found) -> None:
    """"the army's offensive": the possessor is the source."""
    if f.nominal:
        f.sources += [ch for ch in f.tok.children if ch.dep_ == "poss"]


def _noun_actor_modifier(f: Found) -> None:
    """"a Turkish strike", "the HTS offensive": a named actor modifying the noun is the source."""
    if f.nominal:
        f.sources += [ch for ch in f.tok.children
                      if ch.dep_ in ("amod", "compound") and ch.ent_type_ in ("NORP", "GPE", "ORG", "ACTOR")]


def _noun_by_phrase(f: Found) -> None:
    """"an attack by militants"."""
    if f.nominal:
        for ch in f.tok.children:
            if ch.dep_ == "prep" and ch.lower_ == "by":
                f.sources += [g for g in ch.children if g.dep_ == "pobj"]


def _noun_against_phrase(f: Found) -> None:
    """"an offensive against the rebels", "talks with X", "a war between X and Y"."""
    if f.nominal:
        for ch in f.tok.children:
            if ch.dep_ == "prep" and ch.lower_ in ("on", "against", "with", "between"):
                f.targets += [g for g in ch.children if g.dep_ == "pobj"]


def _noun_participle_agent(f: Found) -> None:
    """"a strike carried out by X", "the agreement signed between X and Y"."""
    if f.nominal:
        for ch in f.tok.children:
            if ch.dep_ == "acl" and ch.tag_ == "VBN":
                for g in ch.children:
                    if g.dep_ == "agent" or (g.dep_ == "prep" and g.lower_ == "between"):
                        f.sources += [x for x in g.children if x.dep_ == "pobj"]


def _undergoer_subject(f: Found) -> None:
    """"Hart died at the hospital", "the boy survived": the subject of a verb of undergoing is the target."""
    if f.own_verb and f.verb.lemma_.lower() in f.undergo_verbs:
        f.targets += [ch for ch in f.verb.children if ch.dep_ in SUBJ_DEPS and ch not in f.tokens][:1]


def _verb_subject(f: Found) -> None:
    """"Gunmen attacked ...": the subject of the event's own verb (not the trigger itself)."""
    if f.own_verb and not f.sources and f.verb.lemma_.lower() not in f.undergo_verbs:
        f.sources += [ch for ch in f.verb.children if ch.dep_ in SUBJ_DEPS and ch not in f.tokens][:1]


def _verb_agent(f: Found) -> None:
    """"... was attacked by gunmen"."""
    if f.own_verb:
        for ch in f.verb.children:
            if ch.dep_ == "agent":
                f.sources += [g for g in ch.children if g.dep_ == "pobj"]


def _verb_object(f: Found) -> None:
    """The object, passive subject or indirect object of the event's own verb (a word of the trigger
    phrase itself, "raise the prospect", is none)."""
    if f.own_verb:
        f.targets += [ch for ch in f.verb.children if ch.dep_ in ("dobj", "nsubjpass", "dative")
                      and ch.i != f.tok.i and not f.tok.i < ch.i < f.end_i]


def _verb_target_phrase(f: Found) -> None:
    """"fired on X", "clashed with X": a prepositional object of a verbal trigger; "retaliated with an
    offensive against X" reaches through the event noun."""
    if f.verb is None or f.tok.i != f.verb.i or f.verb.lemma_.lower() in f.undergo_verbs:
        return                       # "died at United Hospital Center": a place, not a target
    for ch in f.verb.children:
        if ch.dep_ != "prep" or ch.lower_ not in TARGET_PREPS:
            continue
        for g in ch.children:
            if g.dep_ != "pobj" or g.ent_type_ in ("DATE", "TIME", "GPE", "LOC", "FAC", "PLACE"):
                continue
            if g.lemma_.lower() in f.event_nouns:
                for p2 in g.children:
                    if p2.dep_ == "prep" and p2.lower_ in ("against", "on", "upon"):
                        f.targets += [x for x in p2.children if x.dep_ == "pobj"]
                continue
            if ch.lower_ in ("on", "against", "with", "upon") or g.ent_type_ in ACTOR_LABELS:
                f.targets.append(g)


def _speaker_for_pronoun(f: Found) -> None:
    """"X said he would ...": a personal pronoun subject stands for the speaker (a relative "which" or
    "that" does not)."""
    v = f.verb
    if v is None or not f.own_verb:
        return
    if all(s.pos_ == "PRON" for s in f.sources) and any(
            ch.dep_ in SUBJ_DEPS and ch.lower_ in PERSONAL_PRONOUNS for ch in v.children) \
            and v.dep_ == "ccomp" and v.head.lemma_.lower() in SPEECH_LEMMAS:
        f.sources += [ch for ch in v.head.children if ch.dep_ in SUBJ_DEPS and ch.pos_ != "PRON"]


def _request_addressee(f: Found) -> None:
    """"called for X to ...", "urged Y to ...": who is asked."""
    if f.type != "REQUEST" or f.verb is None or not f.own_verb:
        return
    for ch in f.verb.children:
        if ch.dep_ == "prep" and ch.lower_ in ("for", "on", "upon"):
            f.targets += [g for g in ch.children if g.dep_ == "pobj"]
        if ch.dep_ in ("advcl", "xcomp", "ccomp"):
            f.targets += [g for g in ch.children if g.dep_ == "nsubj" and g.pos_ != "PRON"]


def _inherited_subject(f: Found) -> None:
    """A clause without its own subject takes the subject of the verb it depends on ("X crossed the border
    and attacked Y"); a clause with its own subject does not ("After X was hit, Y called ...")."""
    v = f.verb
    if v is None or f.sources or not f.own_verb:
        return
    own = any(ch.dep_ in ("nsubj", "nsubjpass", "csubj", "csubjpass", "expl") for ch in v.children)
    if not own and v.dep_ in ("xcomp", "advcl", "conj") and v.head.i != v.i:
        f.sources += [ch for ch in v.head.children if ch.dep_ in SUBJ_DEPS]


def _meeting_in_circumstance(f: Found) -> None:
    """"X announced Y after a meeting": a meeting in a circumstance phrase is the subject's meeting."""
    if f.sources or f.type != "CONSULT" or f.tok.pos_ != "NOUN" or f.tok.dep_ != "pobj":
        return
    for anc in list(f.tok.ancestors)[:6]:
        if anc.pos_ in ("VERB", "AUX") and any(ch.dep_ == "nsubj" for ch in anc.children):
            f.sources += [ch for ch in anc.children if ch.dep_ == "nsubj"]
            return
        if anc.dep_ not in ("prep", "pobj", "pcomp", "dobj", "advcl"):
            return


def _owner_or_addressee(f: Found) -> None:
    """With no target yet, the object's owner or addressee: "denounced X's crackdown", "demanded autonomy
    from X", "promised aid to X"."""
    if f.targets:
        return
    objs = [f.tok] if f.nominal else []
    if f.verb is not None and f.own_verb:
        objs += [ch for ch in f.verb.children if ch.dep_ == "dobj"]
    for o in objs:
        for ch in o.children:
            if ch.dep_ == "poss" and ch.pos_ != "PRON" and ch.ent_type_ in ACTOR_LABELS:
                f.targets.append(ch)
            elif ch.dep_ == "prep" and ch.lower_ in ("to", "from", "against", "on", "for", "with"):
                f.targets += [g for g in ch.children if g.dep_ == "pobj" and g.ent_type_ in ACTOR_LABELS]


ROLE_RULES = (_noun_possessor, _noun_actor_modifier, _noun_by_phrase, _noun_against_phrase,
              _noun_participle_agent, _undergoer_subject, _verb_subject, _verb_agent, _verb_object, _verb_target_phrase,
              _speaker_for_pronoun, _request_addressee, _inherited_subject, _meeting_in_circumstance,
              _owner_or_addressee)


def participants(tok, tokens, type_: str, end_i: int, head, trig) -> list[Actor]:
    """Source and target actors of one trigger (``tok``, of the merged ``tokens``), by ``ROLE_RULES``."""
    verb = head if head is not None and head.pos_ in ("VERB", "AUX") else None
    f = Found(tok=tok, tokens=list(tokens), type=type_, end_i=end_i, verb=verb,
              event_nouns=frozenset(trig.nouns), light_verbs=trig.light_verbs, undergo_verbs=trig.undergo_verbs)
    for rule in ROLE_RULES:
        rule(f)
    actors, seen = [], set()
    for role, heads in (("source", f.sources), ("target", f.targets)):
        for h in heads:
            if h.pos_ in ("NUM", "DET"):
                continue
            for sp in actor_spans(h):     # a pronoun itself is dropped there, its conjuncts kept
                key = (sp.start_char, sp.end_char)
                if key in seen or len(sp.text) < 2:
                    continue
                seen.add(key)
                actors.append(make_actor(sp, role))
    return actors

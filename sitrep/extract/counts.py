"""How many: casualty and arrest counts read from the victims' noun phrases.

A count is a *statement* that some people were killed, hurt, shot, arrested, abducted or displaced. It is
found from the count word (a verb, adjective or noun of ``casualties.yaml``) by finding its victims in the
parse, then counting the victims' noun phrase:

    "A 6-year-old girl was shot and killed"     -> killed 1   (passive subject, a singular person noun)
    "A woman and her three sons were found dead" -> killed 4   (conjuncts add up)
    "Two men were shot, one fatally"             -> shot 2, killed 1
    "The blast left a boy dead and five wounded" -> killed 1, injured 5
    "Police arrested Tom Harris, 34,"            -> arrested 1 (the 34 is an age, not a count)

Numbers never count by their position in the sentence: an age, a street number or a year is not a victim.
`shot` means hit by gunfire (killed or injured) and `detained` held without (yet) an arrest: a report's
exported counts are derived from them (``derive_counts``).
"""
from __future__ import annotations

from dataclasses import dataclass

from sitrep.extract.numbers import parse_quantity
from sitrep.records import Count

FATAL = "killed"


@dataclass(frozen=True)
class CountStatement:
    """One statement of how many people one count word is about."""
    kind: str
    count: Count
    word: int                 # token index of the count word
    victim: int | None        # token index of the victims' head
    group: int | None = None  # token index of the group a counted part belongs to ("12" of "40 sailors")
    adds: bool = False        # one more person on top of the others ("... before turning the gun on herself")


# --------------------------------------------------------------------------- counting a noun phrase
def _is_age(tok) -> bool:
    """A number that is an age or a date part: "a 6-year-old", "Harris, 34,", "ages 19 and 41"."""
    if tok.ent_type_ in ("DATE", "TIME"):
        return True
    return tok.dep_ == "appos" or (tok.head.lemma_.lower() in ("age", "aged") and tok.dep_ in ("nummod", "pobj"))


def _number_of(tok) -> Count | None:
    """The count stated by a number token with its own modifiers ("at least 58", "dozens")."""
    return parse_quantity(tok.doc[tok.left_edge.i:tok.i + 1].text)


def _one_member(tok, lex) -> Count | None:
    """The count of one conjunct of a victims' noun phrase, or None when it does not say."""
    low = tok.lower_
    if any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children) or low in lex.nobody \
            or (low == "one" and any(c.lower_ == "no" for c in tok.children)):
        return Count(value=0, min=0, max=0)
    if tok.pos_ == "NUM" or tok.like_num or low in lex.quantity_nouns:
        return None if _is_age(tok) else _number_of(tok)
    for c in tok.children:
        if c.dep_ in ("nummod", "quantmod") and not _is_age(c):
            n = _number_of(c)
            if n is not None:
                return n
    if tok.tag_ in ("NN", "NNP") and (tok.lemma_.lower() in lex.person_nouns or low in lex.person_nouns):
        return Count(value=1, min=1, max=1)
    if tok.ent_type_ == "PERSON":
        return Count(value=1, min=1, max=1)
    if tok.pos_ == "PRON" and low in lex.one_person_pronouns:
        return Count(value=1, min=1, max=1)
    if low == "both" or any(c.dep_ in ("det", "predet") and c.lower_ == "both" for c in tok.children):
        return Count(value=2, min=2, max=2)
    return None


def victims_count(head, lex) -> Count | None:
    """How many people a noun phrase names: its conjuncts add up ("a man and his two sons" -> 3). When some
    conjuncts do not say, the known ones give an "at least"."""
    members = [head] + [c for c in head.conjuncts if c.i > head.i]
    counts = [_one_member(m, lex) for m in members]
    known = [c for c in counts if c is not None]
    if not known:
        return None
    if len(known) == 1 and len(members) == 1:
        return known[0]
    total = sum(c.value for c in known)
    lo, hi = sum(c.min for c in known), sum(c.max for c in known)
    exact = len(known) == len(counts) and all(c.qualifier == "exact" for c in known)
    return Count(value=total, min=lo, max=hi, qualifier="exact" if exact else "at least")


# --------------------------------------------------------------------------- kinds
def _is_fatal(word, lex) -> bool:
    """"fatally shot", "shot to death", "shot dead"."""
    for c in word.children:
        if c.dep_ == "advmod" and c.lower_ in lex.fatal_adverbs:
            return True
        if c.dep_ in ("oprd", "acomp", "advmod", "xcomp") and c.lower_ in lex.fatal_predicates:
            return True
        if c.dep_ == "prep" and c.lower_ == "to" and any(
                g.dep_ == "pobj" and g.lemma_.lower() in lex.fatal_objects for g in c.children):
            return True
    return False


def kind_of(word, lex) -> str | None:
    """The count kind a word states (None when it states none)."""
    kind = lex.kind_of.get(word.lemma_.lower()) or lex.kind_of.get(word.lower_)
    if kind in ("shot", "injured") and _is_fatal(word, lex):
        return FATAL
    if kind in ("arrested", "detained") and word.pos_ == "NOUN" and word.lemma_.lower() != "custody":
        return None                  # "the arrest" names the event; its count is on the verb
    return kind


# --------------------------------------------------------------------------- victims: ordered rules
def _child(tok, deps: tuple[str, ...], lex):
    """The child of ``tok`` in one of ``deps`` that counts people, else the first one in them: a dateline
    parsed as a second subject ("MODESTO (CBS13) – Four people were hospitalized") is not the victims."""
    kids = [c for c in tok.children if c.dep_ in deps]
    return next((c for c in kids if victims_count(c, lex) is not None), kids[0] if kids else None)


def _passive_subject(word, lex):
    """"A girl was shot", "two men were shot and killed" (the conjoined verb shares the subject)."""
    subj = _child(word, ("nsubjpass",), lex)
    if subj is not None:
        return subj
    if word.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in word.children):
        return _child(word.head, ("nsubjpass",), lex)
    return None


def _left_in_state(word, lex):
    """"left five dead", "were found dead": the state word's victims are the result verb's object or passive
    subject."""
    if word.dep_ not in ("oprd", "acomp", "xcomp", "ccomp") or word.head.lemma_.lower() not in lex.result_verbs:
        return None
    return _child(word.head, ("dobj", "nsubjpass"), lex)


def _object(word, lex):
    """Active voice: "gunmen killed two guards", "police arrested a suspect"."""
    if word.pos_ not in ("VERB", "AUX") or any(c.dep_ == "auxpass" for c in word.children):
        return None
    return _child(word, ("dobj",), lex)


def _reduced_passive_subject(word, lex):
    """"five people wounded", "two others died": a subject that is the victims (a counted group for verbs
    that are otherwise transitive, any subject for "die")."""
    subj = next((c for c in word.children if c.dep_ == "nsubj"), None)
    if subj is None:
        return None
    lemma = word.lemma_.lower()
    if lex.kind_of.get(lemma) == FATAL and lemma in ("die", "perish"):
        return subj
    if lemma in lex.reduced_passive and not any(c.dep_ == "dobj" for c in word.children):
        counted = subj.pos_ == "NUM" or any(c.dep_ == "nummod" for c in subj.children)
        return subj if counted or _predicate_follows(word) else None
    return None


def _predicate_follows(word) -> bool:
    """A reduced relative parsed as the main verb: "A player shot seven times Wednesday is expected to
    survive" (the sentence's real predicate hangs on the participle with an auxiliary and no subject)."""
    return word.tag_ in ("VBD", "VBN") and any(
        c.dep_ in ("ccomp", "conj") and c.i > word.i
        and any(a.dep_ in ("aux", "auxpass") and a.lemma_ in ("be", "have") for a in c.children)
        and not any(a.dep_ in ("nsubj", "nsubjpass", "expl") for a in c.children)
        for c in word.children)


def _copular_subject(word, lex):
    """"two were dead", "three people are injured"."""
    if word.dep_ in ("acomp", "attr") and word.head.lemma_ == "be":
        return _child(word.head, ("nsubj", "nsubjpass"), lex)
    return None


def _modified_noun(word, lex):
    """"two dead", "a man killed in the attack", "the wounded man": the noun the count word describes."""
    if word.dep_ in ("amod", "acl") and word.head.pos_ in ("NOUN", "PROPN", "NUM", "PRON"):
        return word.head
    return None


def _of_phrase(word, lex):
    """"the deaths of four people", "the killing of a teenager"."""
    if word.pos_ != "NOUN":
        return None
    for c in word.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def _counted_noun(word, lex):
    """"four deaths", "no injuries": the count word is itself the counted noun."""
    if word.pos_ == "NOUN" and word.lemma_.lower() != "custody" and any(
            c.dep_ in ("nummod", "det") and (c.like_num or c.lower_ == "no") for c in word.children):
        return word
    return None


def _custody(word, lex):
    """"taken into custody", "in custody": the people taken (passive subject or object of the verb)."""
    if word.lemma_.lower() != "custody" or word.dep_ != "pobj":
        return None
    verb = word.head.head
    return _child(verb, ("nsubjpass", "dobj"), lex) or \
        (_child(verb, ("nsubj",), lex) if verb.lemma_ == "be" else None)


def _sufferer(word, lex):
    """"she suffered gunshot wounds", "three were treated for injuries": whoever has the wound."""
    if word.pos_ != "NOUN":
        return None
    gov = word.head
    if word.dep_ == "dobj" and gov.lemma_.lower() in lex.suffer_verbs:
        return _child(gov, ("nsubj",), lex)
    if word.dep_ == "pobj" and gov.lower_ in ("for", "with") and gov.head.lemma_.lower() in lex.treat_verbs:
        return _child(gov.head, ("nsubjpass", "dobj"), lex)
    return None


VICTIM_RULES = (_passive_subject, _left_in_state, _object, _reduced_passive_subject, _copular_subject,
                _modified_noun, _of_phrase, _sufferer, _counted_noun, _custody)


def _antecedent(victim, word, lex):
    """The people a found victim word stands for: a relative pronoun's antecedent ("six people who were
    wounded"), and for a count word modifying "one of N ..." the N ("one of five children hospitalized":
    the five were hospitalized)."""
    if victim.tag_ in ("WP", "WDT") and word.dep_ == "relcl":
        return word.head
    if word.dep_ == "acl" and victim.i == word.head.i and victim.lower_ == "one":
        of = next((c for c in victim.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        group = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if group is not None and victims_count(group, lex) is not None:
            return group
    return victim


def _victims(word, lex):
    for rule in VICTIM_RULES:
        v = rule(word, lex)
        if v is not None:
            return _antecedent(v, word, lex)
    return None


def _lives_taken(word, lex) -> list[CountStatement]:
    """"claimed the life of a 17-year-old", "took the lives of two men", "cost 12 lives": killed."""
    if word.lemma_.lower() not in lex.life_verbs:
        return []
    life = next((c for c in word.children if c.dep_ == "dobj" and c.lemma_.lower() in lex.life_nouns), None)
    if life is None or any(c.lower_ == "own" for c in life.children):
        return []                    # "took his own life" is _self_inflicted's
    of = next((c for c in life.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    victim = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
    count = victims_count(victim, lex) if victim is not None else _one_member(life, lex)
    if count is None or (victim is None and life.tag_ != "NNS"):
        return []
    return [CountStatement(FATAL, count, word.i, victim.i if victim is not None else life.i)]


def _named_by_multiple(word, lex) -> list[CountStatement]:
    """"the double homicide" (2 killed), "a triple shooting" (3 shot), "a murder-suicide" (at least 2
    killed): incidents whose name counts their victims."""
    lemma = word.lemma_.lower()
    kind = lex.multiple_nouns.get(lemma)
    if kind is not None and word.pos_ == "NOUN":
        for c in word.children:
            n = lex.multiples.get(c.lower_) if c.dep_ in ("amod", "compound", "nmod") else None
            if n:
                return [CountStatement(kind, Count(value=n, min=n, max=n), word.i, None)]
    pair = lex.murder_suicide
    if len(pair) == 2 and lemma == pair[1] and any(
            c.lemma_.lower() == pair[0] and c.dep_ in ("compound", "amod", "nmod") for c in word.children):
        return [CountStatement(FATAL, Count(value=2, min=2, max=2, qualifier="at least"), word.i, None)]
    return []


def _self_inflicted(word, lex) -> list[CountStatement]:
    """"before turning the gun on herself", "took his own life": the shooter's own death, one more killed."""
    lemma = word.lemma_.lower()
    obj = next((c for c in word.children if c.dep_ == "dobj"), None)
    if obj is None:
        return []
    on_self = any(c.dep_ == "prep" and c.lower_ == "on" and any(
        g.dep_ == "pobj" and g.lower_ in lex.reflexives for g in c.children) for c in word.children)
    turned = lemma == "turn" and obj.lemma_.lower() in lex.weapon_nouns and on_self
    own_life = lemma == "take" and obj.lemma_.lower() == "life" and any(c.lower_ == "own" for c in obj.children)
    if not (turned or own_life):
        return []
    return [CountStatement(FATAL, Count(value=1, min=1, max=1), word.i, None, adds=True)]


def _one_fatally(word, lex) -> list[CountStatement]:
    """"Two men were shot, one fatally": a number on the verb qualified by a fatal adverb is killed."""
    out = []
    for c in word.children:
        if (c.pos_ == "NUM" or c.like_num) and any(g.lower_ in lex.fatal_adverbs for g in c.children):
            n = _number_of(c)
            if n is not None:
                out.append(CountStatement(FATAL, n, word.i, c.i))
    return out


def _own_clause(tok, word) -> bool:
    """Whether ``tok`` hangs on ``word`` without another verb in between (it is in word's own clause)."""
    cur = tok.head
    while cur.i != word.i:
        if cur.pos_ in ("VERB", "AUX") or cur.head.i == cur.i:
            return False
        cur = cur.head
    return True


def _parts(word, victim, kind: str) -> list[CountStatement]:
    """"40 officers died, including 11 in an ambush": a counted part of the victims is a statement of its own
    (its own "in <event>" phrase may tie it to another event). The "including" phrase may hang anywhere in
    the count word's own clause (parsers attach it to the nearest noun)."""
    out = []
    for prep in word.subtree:
        if prep.dep_ != "prep" or prep.lower_ not in ("including", "among") or not _own_clause(prep, word):
            continue
        for part in prep.children:
            if part.dep_ == "pobj" and (part.pos_ == "NUM" or part.like_num) and not _is_age(part):
                n = _number_of(part)
                if n is not None:
                    group = victim.i if victim is not None else None
                    out.append(CountStatement(kind, n, word.i, part.i, group))
    return out


def _in_care(word, lex) -> list[CountStatement]:
    """"two others were airlifted to a hospital", "a woman is in the hospital": injured."""
    if word.lemma_.lower() not in lex.care_nouns or word.dep_ != "pobj" or word.head.lower_ not in ("to", "in", "at"):
        return []
    verb = word.head.head
    if verb.pos_ in ("NOUN", "PRON") and verb.dep_ in ("dobj", "conj") and any(
            a.lemma_.lower() in lex.result_verbs for a in verb.ancestors):
        victim = verb                # "left two dead and two others in the hospital"
    else:
        victim = _child(verb, ("nsubjpass", "dobj"), lex)
    if victim is None and verb.lemma_ in ("be", "remain", "stay", "lie"):
        victim = _child(verb, ("nsubj",), lex)
    count = victims_count(victim, lex) if victim is not None else None
    return [CountStatement("injured", count, verb.i, victim.i)] if count is not None else []


def _charged(word, lex) -> list[CountStatement]:
    """"both men face murder charges", "he turned himself in": arrests of the subject."""
    lemma = word.lemma_.lower()
    faced = lemma in lex.charge_nouns and word.dep_ == "dobj" and word.head.lemma_.lower() in lex.face_verbs
    turned_in = lemma == "turn" and any(c.dep_ == "prt" and c.lower_ == "in" for c in word.children) and any(
        c.dep_ == "dobj" and c.lower_ in ("himself", "herself", "themselves") for c in word.children)
    if not (faced or turned_in):
        return []
    verb = word.head if faced else word
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    count = victims_count(subj, lex) if subj is not None else None
    return [CountStatement("arrested", count, verb.i, subj.i)] if count is not None else []


def is_aggregate(tok, lex) -> bool:
    """Whether an event noun sums up several incidents: "the five shootings", "299 killings", "a string of
    attacks" (its counts are a figure over them, not one incident's)."""
    if tok.pos_ != "NOUN" or tok.tag_ != "NNS" or tok.lemma_.lower() not in lex.incident_nouns:
        return False
    for c in tok.children:
        if c.dep_ == "nummod":
            n = _number_of(c)
            if n is not None and n.value >= 2:
                return True
        if c.dep_ == "amod" and c.lower_ in ("several", "multiple", "numerous", "many"):
            return True
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in lex.series_nouns:
        return True
    return False


def sums_incidents(tokens, lex) -> bool:
    """Whether an event's trigger words sum up several incidents, or describe such a sum ("the four stabbings
    that injured nine people": "injured" describes the sum)."""
    return any(is_aggregate(t, lex) or (t.dep_ in ("relcl", "acl") and is_aggregate(t.head, lex)) for t in tokens)


def count_statements(sent, lex) -> list[CountStatement]:
    """Every count statement of one sentence (a spaCy Span), in token order."""
    out: list[CountStatement] = []
    for word in sent:
        out.extend(_in_care(word, lex))
        out.extend(_charged(word, lex))
        out.extend(_self_inflicted(word, lex))
        out.extend(_lives_taken(word, lex))
        out.extend(_named_by_multiple(word, lex))
        kind = kind_of(word, lex)
        if kind is None:
            continue
        victim = _victims(word, lex)
        if victim is not None:
            count = victims_count(victim, lex)
            if count is not None:
                out.append(CountStatement(kind, count, word.i, victim.i, adds=victim.lower_ in lex.reflexives))
        out.extend(_parts(word, victim, kind))
        if kind == "shot":
            out.extend(_one_fatally(word, lex))
    return out


def derive_counts(counts: dict[str, Count]) -> dict[str, Count]:
    """A report's counts as exported, from the kinds its sentences state:

    - ``shot`` (hit by gunfire) gives injured = shot - killed, unless the report states a larger injured
      count ("four people were shot, one of them died" -> killed 1, injured 3); a smaller stated injured
      count is about some of the survivors ("two of those shot were seriously wounded");
    - ``detained`` counts as arrested only when the report states no arrest ("nine were detained and one
      of them was arrested" -> arrested 1).
    """
    out = {k: v for k, v in counts.items() if k not in ("shot", "detained")}
    shot = counts.get("shot")
    if shot is not None:
        killed = out.get(FATAL)
        k_min, k_max = (killed.min, killed.max) if killed else (0, 0)
        lo, hi = max(0, shot.min - k_max), max(0, shot.max - k_min)
        value = max(0, shot.value - (killed.value if killed else 0))
        stated = out.get("injured")
        if hi > 0 and (stated is None or value > stated.value):
            out["injured"] = Count(value=value, min=lo, max=hi, qualifier=shot.qualifier)
    if "detained" in counts and "arrested" not in out:
        out["arrested"] = counts["detained"]
    return out

"""Event mentions: PLOVER type and mode, status, actors, the event's own place and time, counts.

Method: trigger lexicons (data, ``sitrep/data/events/triggers.yaml``) matched on lemmas - with the
CAMEO-derived lexicon (``cameo_verbs.tsv``, ``extract.cameo``) reading the words they lack in a sentence where
they find nothing - then dependency rules over the spaCy parse:

- a trigger inside the complement of a speech-act trigger of an absorbing type (REQUEST, THREATEN, REJECT,
  AGREE) is not an event of its own: "urged X to agree to a ceasefire" is one REQUEST;
- a trigger noun that is the object of a light verb ("launched strikes") takes that verb's clause;
- same-type triggers of one sentence are one event unless they carry different places or times
  ("killing dozens with drone strikes and shelling" is one ASSAULT);
- source = subject (or "by"-agent, possessor, nationality adjective), target = object, passive subject or
  the object of on/against/with;
- the location is the event's own place, never any place in the sentence (``sitrep.extract.place``);
- the time is a time expression whose nearest verbal governor is the event's clause;
- counts come from quantities governed by count verbs ("killing 8 people", "5 were wounded"); counted
  victims qualified by a nationality or group are the event's target ("36 Dutch sailors");
- not events: participles that only describe a noun ("X-backed forces"), running tolls over a period up to
  now ("N killed since May": figures), a bare event noun that is the subject of a non-event verb ("the truce
  should hold"), and the topic of a meeting ("talks on aid");
- merged triggers pool their actors; coordinated nationalities give one actor each ("Polish and Czech
  officers"); a meeting in a circumstance phrase is the subject's ("did not agree during a meeting").
The cost is linear in tokens with dictionary look-ups only.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sitrep.extract.cameo import reading as cameo_reading, unlisted
from sitrep.extract.modality import CIRCUMSTANCE_PREPS, SPEECH_LEMMAS, sense_rules, status_cue
from sitrep.extract.counts import count_statements, sums_incidents
from sitrep.extract.place import PLACE_LABELS, assault_object as _assault_object, linked_location_spans
from sitrep.extract.roles import ACTOR_LABELS, SUBJ_DEPS, actor_spans, make_actor, participants
from sitrep.extract.syntax import clause_head, sent_of as _sent_of
from sitrep.extract.time import link_time, period_to_now_in, runs_to_now, timex_heads as time_heads
from sitrep.extract.types import NONE, decide_types
from sitrep.records import Actor, Annotation, Count, EventMention

log = logging.getLogger(__name__)

COMPLEMENT_DEPS = frozenset({"xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp", "acl", "advcl", "relcl",
                             "attr", "oprd", "nsubjpass", "conj", "appos", "compound", "amod", "npadvmod"})
SPEECH_ACT_TYPES = frozenset({"REQUEST", "THREATEN", "REJECT", "ACCUSE", "SUPPORT", "AGREE"})


@dataclass
class _Cand:
    tokens: list                      # trigger tokens (first is the main one); merged candidates add more
    type: str
    mode: str | None
    end_i: int                        # exclusive end token index of the trigger phrase
    head: object = None               # the governing clause token
    places: list = field(default_factory=list)
    timex: object = None
    absorbed: bool = False
    counts: dict = field(default_factory=dict)
    inner: list = field(default_factory=list)    # events absorbed into this speech act
    victims: list = field(default_factory=list)  # noun heads of the counted casualties (targets)
    source: str = "lexicon"           # lexicon | cameo (the CAMEO fallback typed it) | fallback (untyped verb)

    @property
    def tok(self):
        return self.tokens[0]


# ---------------------------------------------------------------------------------------------- triggers
def _match_phrase(sent, i, lemmas) -> bool:
    doc = sent.doc
    if i + len(lemmas) > sent.end:
        return False
    return all(doc[i + k].lemma_.lower() == lem or doc[i + k].lower_ == lem for k, lem in enumerate(lemmas))


def _direct_object(tok):
    for c in tok.children:
        if c.dep_ in ("dobj", "nsubjpass"):
            return c
    for c in tok.children:   # phrasal: "cut off aid"
        if c.dep_ == "prt":
            for cc in tok.children:
                if cc.dep_ == "dobj":
                    return cc
    return None


def find_triggers(sent, trig) -> list[_Cand]:
    """Trigger candidates of one sentence (spaCy Span), phrases before single words. The CAMEO lexicon
    reads the words the lists lack; its candidates count only in a sentence where the lists find none
    (a fallback: it never outranks a listed trigger), unless it is the only lexicon (``trig.cameo_alone``)."""
    out: list[_Cand] = []
    extra: list[_Cand] = []
    covered: set[int] = set()
    doc = sent.doc
    for tok in sent:
        if tok.i in covered:
            continue
        lemma = tok.lemma_.lower()
        for lemmas, typ, mode in trig.phrases.get(lemma, ()) or trig.phrases.get(tok.lower_, ()):
            if _match_phrase(sent, tok.i, lemmas):
                # the head of a phrase is its last noun, or its verb
                toks = [doc[k] for k in range(tok.i, tok.i + len(lemmas))]
                main = next((t for t in toks if t.pos_ == "VERB"), None) or toks[-1]
                out.append(_Cand([main], typ, mode, tok.i + len(lemmas)))
                covered.update(t.i for t in toks)
                break
        if tok.i in covered:
            continue
        hit = None
        if tok.pos_ in ("VERB",) or (tok.pos_ == "AUX" and tok.dep_ == "ROOT"):
            obj = _direct_object(tok)
            cues = trig.object_cues.get(lemma)
            if cues and obj is not None:
                hit = cues.get(obj.lemma_.lower()) or cues.get(obj.lower_)
                if hit:
                    covered.add(obj.i)
            if hit is None:
                hit = trig.verbs.get(lemma)
            if hit and lemma in sense_rules().action_object_senses:
                # "sanctioned (and supported) the offensive", "prevented an offensive": no event of its own
                objs = [obj] if obj is not None else [_direct_object(v) for v in tok.conjuncts if v.i > tok.i]
                if any(o is not None and _event_noun(o, trig) for o in objs[:1]):
                    hit = None
        elif tok.pos_ in ("NOUN", "PROPN") and tok.ent_type_ not in ("DATE", "TIME"):   # not "March"
            hit = trig.nouns.get(lemma) or trig.nouns.get(tok.lower_)
        if hit:
            out.append(_Cand([tok], hit[0], hit[1], tok.i + 1))
        elif trig.cameo is not None and unlisted(tok, trig):
            r = cameo_reading(tok, trig.cameo)       # a word our lists lack: CAMEO's reading, if an event
            if r and r[0] != NONE:
                extra.append(_Cand([tok], r[0], r[1], tok.i + 1,
                                   source="lexicon" if trig.cameo_alone else "cameo"))
    if trig.cameo_alone:
        return sorted(out + extra, key=lambda c: c.tok.i)
    return out or extra


def _event_noun(tok, trig) -> bool:
    """Whether a noun names an action ("the offensive", "a withdrawal")."""
    return tok.pos_ in ("NOUN", "PROPN") and (tok.lemma_.lower() in trig.nouns or tok.lower_ in trig.nouns)


# ---------------------------------------------------------------------------------------------- structure
def _people_nouns() -> frozenset:
    from sitrep.kb.ontology import build_triggers
    return build_triggers().count_nouns


def build_triggers_cached():
    from sitrep.kb.ontology import build_triggers
    return build_triggers()


PRESUPPOSING_DETS = frozenset({"the", "this", "that", "these", "those", "its", "their", "his", "her"})


def _presupposed(tok) -> bool:
    """A definite or dated event noun in a prepositional phrase is taken as given, not as what is alleged:
    "charged in the April 16 shooting", "arrested over the killing" tell of a shooting and a killing (the
    accusation is about who did it), whereas "accused of bombing the mosque" asserts no bombing."""
    if tok.pos_ != "NOUN" or tok.dep_ != "pobj":
        return False
    return any((c.dep_ in ("det", "poss") and c.lower_ in PRESUPPOSING_DETS) or c.ent_type_ == "DATE"
               for c in tok.children)


def _in_complement_of(tok, gov) -> bool:
    """True when ``tok`` sits in the argument structure under ``gov`` (not a separate adjunct clause):
    objects, infinitival or "that" complements, "for X to Y" - not participial or "because" clauses."""
    cur = tok
    for _ in range(10):
        if cur.head.i == cur.i or cur.dep_ not in COMPLEMENT_DEPS:
            return False
        if cur.dep_ in ("advcl", "conj") and cur.head.i == gov.i:
            infinitival = any(c.lower_ == "to" and c.dep_ == "aux" for c in cur.children) or \
                any(c.dep_ == "mark" and c.lower_ in ("for", "that") for c in cur.children)
            if not infinitival:
                return False
        cur = cur.head
        if cur.i == gov.i:
            return True
    return False



# ---------------------------------------------------------------------------------------------- time
def _link_time(c: _Cand, timex_heads, triggers=frozenset()) -> object:
    """The time expression attached to the event (``sitrep.extract.time.link_time``)."""
    return link_time(c.tokens, c.head, c.tok, timex_heads, sense_rules().name_heads, triggers)


# ---------------------------------------------------------------------------------------------- counts
def _count_owner(st, cands, doc):
    """The event a count statement belongs to, and whether the sentence says so: the trigger that is its
    count word (or whose clause it heads), or the event named in the victims' own "in <trigger>" phrase ("11
    in an ambush"); failing both, the nearest attack (an arrest for arrest counts), as a guess."""
    word = doc[st.word]
    if st.victim is not None:
        for prep in (c for c in doc[st.victim].children if c.dep_ == "prep"):
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                owner = next((c for c in cands if pobj in c.tokens), None)
                if owner is not None:
                    return owner, True
    for c in cands:
        if word in c.tokens or (c.head is not None and c.head.i == word.i):
            return c, True
    wanted = ("COERCE",) if st.kind in ("arrested", "detained") else ("ASSAULT", "COERCE")
    pool = [c for c in cands if c.type in wanted] or [c for c in cands if c.type in ("ASSAULT", "COERCE")]
    return min(pool, key=lambda c: (abs(c.tok.i - word.i), c.tok.i), default=None), False


def _assign_counts(sent, cands, statements):
    """Attach the sentence's count statements (``extract.counts``) to its events: first those the sentence
    ties to an event, then the guesses for events still without that kind. For one event and kind the
    largest count wins (a total and a part of it are not added up)."""
    doc = sent.doc
    placed = [(st, *_count_owner(st, cands, doc)) for st in statements]
    for st, owner, explicit in sorted(placed, key=lambda x: (x[0].adds, not x[2])):
        if owner is None:
            continue
        have = owner.counts.get(st.kind)
        if st.adds and have is not None:       # "killed three before turning the gun on herself": 4
            owner.counts[st.kind] = Count(value=have.value + st.count.value, min=have.min + st.count.min,
                                          max=have.max + st.count.max, qualifier=have.qualifier)
        elif have is None or (explicit and st.count.value > have.value):
            owner.counts[st.kind] = st.count
        if st.victim is not None and st.kind in ("killed", "injured", "shot", "kidnapped", "arrested", "detained"):
            victim = _victim_group(doc[st.group if st.group is not None else st.victim])
            if victim is not None and victim not in owner.victims:
                owner.victims.append(victim)


def _victim_group(head):
    """The people a casualty count is about, when a nationality or named group qualifies them ("36 Dutch
    sailors"): they are the event's target."""
    if head.pos_ not in ("NOUN", "PROPN"):
        return None
    qualified = head.ent_type_ in ACTOR_LABELS or any(
        c.dep_ in ("amod", "compound", "poss") and c.ent_type_ in ACTOR_LABELS for c in head.children)
    return head if qualified else None


# ---------------------------------------------------------------------------------------------- modes
def _refine_mode(c: _Cand, trig, sent):
    """Weapon or force words in the event's clause set its mode ("the regime's artillery was bombing" ->
    artillery); the first such word in the sentence wins, the trigger's own default otherwise."""
    cues = trig.mode_cues.get(c.type)
    if not cues:
        return
    seen = {}
    for t in c.tokens + ([c.head] if c.head is not None else []):
        for w in t.subtree:
            if abs(w.i - t.i) <= 12:
                seen[w.i] = w.lower_
    for i in sorted(seen):
        for mode, cue_words in cues:
            if seen[i] in cue_words:
                c.mode = mode
                return


# ---------------------------------------------------------------------------------------------- main
def _casualty_events(statements, cands, doc) -> list[_Cand]:
    """People reported killed or hurt with no attack named in the sentence ("three bodies were found dead",
    "two people died of their wounds") still report a violent happening: one ASSAULT at the first such word."""
    if any(c.type == "ASSAULT" for c in cands):
        return []
    hurt = [st for st in statements if st.kind in ("killed", "injured", "shot") and st.count.max > 0]
    if not hurt:
        return []
    word = doc[hurt[0].word]
    return [_Cand([word], "ASSAULT", None, word.i + 1)]


def sentence_candidates(sent, trig, statements) -> list[_Cand]:
    """Trigger candidates of one sentence as the lexicon types them (before the learned typing)."""
    cands = [c for c in find_triggers(sent, trig) if not _stance_modifier(c)]
    return cands + _casualty_events(statements, cands, sent.doc)


def _sentence_events(sent, trig, timex_heads, lex, type_model=None) -> list[_Cand]:
    statements = count_statements(sent, lex)
    cands = sentence_candidates(sent, trig, statements)
    # the learned type (the lexicon's as feature and fallback), and main verbs the lexicon does not know
    cands = decide_types(cands, sent, trig, type_model,
                         make=lambda tok: _Cand([tok], NONE, None, tok.i + 1, source="fallback"))
    if not cands:
        return []
    for c in cands:
        c.head = clause_head(c.tok)
    by_tok = {c.tok.i: c for c in cands}
    # absorption: inside the complement of an absorbing speech act
    for c in cands:
        for a in c.tok.ancestors:
            g = by_tok.get(a.i)
            if g is not None and g is not c and g.type in trig.absorbing_types and _in_complement_of(c.tok, a) \
                    and not (g.type == "ACCUSE" and _presupposed(c.tok)):
                c.absorbed = True
                g.inner.append(c)
                if g.mode is None and g.type == "AGREE" and c.type == "AGREE":
                    g.mode = c.mode
                elif g.mode is None and c.mode == "ceasefire":
                    g.mode = "ceasefire"
                break
            consult = (g is not None and g is not c and g.type == "CONSULT") or (
                a.pos_ == "NOUN" and (trig.nouns.get(a.lemma_.lower()) or ("",))[0] == "CONSULT")
            if consult and c.type != "CONSULT" and _topic_of(c.tok, a):
                c.absorbed = True      # "a meeting on facilitating aid": the aid is the topic, not an event
                break
            rules = sense_rules()
            if a.pos_ == "NOUN" and a.lemma_.lower() in rules.topic_nouns \
                    and _topic_of(c.tok, a, rules.topic_noun_preps):
                c.absorbed = True      # "a comment on the meeting", "a discussion of withdrawing X"
                break
            if a.lemma_.lower() in ("say", "tell", "announce") and a.dep_ == "ROOT":
                continue
    cands.extend(_requested(cands, trig))
    live = [c for c in cands if not c.absorbed]
    triggers = {t.i for x in cands for t in x.tokens}
    for c in live:
        c.places = _not_topic_or_name(c, linked_location_spans(c.tok, [c.head] if c.head is not None else [],
                                                               speech_act=c.type in SPEECH_ACT_TYPES))
        c.timex = _link_time(c, timex_heads, triggers)
    # merge same-type candidates of the sentence unless their places or times differ
    merged: list[_Cand] = []
    for c in sorted(live, key=lambda x: x.tok.i):
        into = None
        for m in ([] if _under_quantity(c.tok) else merged):
            if m.type != c.type:
                continue
            if c.places and m.places and not set(c.places) & set(m.places):
                continue
            if c.timex is not None and m.timex is not None and c.timex is not m.timex:
                continue
            into = m
            break
        if into is None:
            merged.append(c)
        else:
            into.tokens.append(c.tok)
            into.places = into.places or c.places
            into.timex = into.timex or c.timex
            if into.mode is None or (into.type == "ASSAULT" and into.mode in ("ground", "other") and c.mode):
                into.mode = c.mode or into.mode
    # the main trigger of a merged event is the one highest in the tree (nearest the root)
    for m in merged:
        m.tokens.sort(key=lambda t: (_depth(t), t.i))
        m.head = clause_head(m.tok)
        _refine_mode(m, trig, sent)
    _assign_counts(sent, merged, statements)
    return merged


def _requested(cands: list[_Cand], trig) -> list[_Cand]:
    """Events in the infinitival complement of a proposing or persuading word ("a proposal to reduce X",
    "persuading Y to withdraw") are what is asked, not what happened: the governor becomes a REQUEST that
    absorbs them. Returns the new REQUEST candidates."""
    govs = sense_rules().request_governors
    new: dict[int, _Cand] = {}
    by_tok = {c.tok.i: c for c in cands}
    for c in cands:
        if c.absorbed or c.type == "REQUEST":
            continue
        cur = c.tok
        for _ in range(4):
            if cur.head.i == cur.i or cur.dep_ not in ("xcomp", "acl", "advcl", "conj", "ccomp", "relcl"):
                break
            nxt = cur.head
            infinitival = cur.dep_ == "conj" or any(ch.dep_ == "aux" and ch.lower_ == "to" for ch in cur.children)
            if nxt.lemma_.lower() in govs and infinitival:
                g = by_tok.get(nxt.i) or new.get(nxt.i)
                if g is None:
                    g = _Cand([nxt], "REQUEST", None, nxt.i + 1, head=clause_head(nxt))
                    new[nxt.i] = g
                c.absorbed = True
                g.inner.append(c)
                break
            cur = nxt
    return list(new.values())


def _not_topic_or_name(c: _Cand, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop places that are a meeting's topic ("a meeting on aid into X") or part of a name ("the X peace
    process", "the X agreement"): neither is where the event happened."""
    if not spans:
        return spans
    doc = c.tok.doc
    rules = sense_rules()
    banned: set[int] = set()
    if c.type == "CONSULT":
        for t in c.tokens:
            for ch in t.children:
                if ch.dep_ == "prep" and ch.lower_ in TOPIC_PREPS:
                    banned.update(w.i for w in ch.subtree)
    t = c.tok
    if t.dep_ == "pobj" and t.head.lower_ in CIRCUMSTANCE_PREPS and len(c.tokens) == 1:
        # "during the meeting, X shelled Y": Y is where the shelling was, not the meeting
        inside = {w.i for w in t.subtree}
        banned.update(w.i for w in _sent_of(t) if w.i not in inside)
    own = {t.i for t in c.tokens}
    out = []
    for a, b in spans:
        span = doc.char_span(a, b, alignment_mode="expand")
        if span is None or len(span) == 0:
            out.append((a, b))
            continue
        root = span.root
        if root.i in banned or _in_name(root, own, rules.name_heads):
            continue
        # an actor slot of another verb ("could compel X to ...") is no place of this event
        if root.dep_ in ("nsubj", "dobj", "dative") and root.head.i not in own \
                and not _assault_object(root):
            continue
        out.append((a, b))
    return out


def _in_name(tok, own: set, name_heads) -> bool:
    """Whether ``tok`` sits inside a noun phrase headed by a name noun ("the X peace process", "the 2018
    X agreement between Y and Z") that is not the event's own trigger."""
    cur = tok
    for _ in range(6):
        if cur.head.i == cur.i or cur.dep_ not in ("compound", "amod", "nmod", "poss", "pobj", "prep", "conj",
                                                   "appos", "nummod", "npadvmod"):
            return False
        cur = cur.head
        if cur.i in own:
            return False
        if cur.pos_ in ("NOUN", "PROPN") and cur.lemma_.lower() in name_heads:
            return True
        if cur.pos_ in ("VERB", "AUX"):
            return False
    return False


def _running_toll(c: _Cand, trig) -> bool:
    """A casualty verb counted over a period up to now ("N have been killed since May", "... in recent
    weeks") is a running toll - a figure, not one incident - unless another trigger of the event (a
    strike, a bombing) names the happening itself."""
    if not c.counts:
        return False
    verbs = [t for t in c.tokens if t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in trig.count_verbs]
    # "N have been displaced by the offensive": the offensive is the toll's cause
    verbs += [t.head.head for t in c.tokens if t.dep_ == "pobj" and t.head.dep_ == "agent"
              and t.head.head.lemma_.lower() in trig.count_verbs and t.head.head not in verbs]
    if not verbs:
        return False
    # "N displaced and M killed since X": the clause the count verb is conjoined to (or hangs on through
    # its conjoined noun: "N have been displaced and M civilians killed")
    clauses = list(verbs)
    for v in verbs:
        cur = v
        for _ in range(3):
            if cur.dep_ not in ("conj", "acl") or cur.head.i == cur.i:
                break
            cur = cur.head
            if cur.pos_ in ("VERB", "AUX"):
                clauses.append(cur)
    preps = sense_rules().period_preps
    since = [ch for v in clauses for ch in v.children if ch.dep_ == "prep" and ch.lower_ in preps]
    # other triggers may only name the start of the period ("since the beginning of the offensive")
    period = {w.i for p in since for w in p.subtree}
    # ... or be the generic cause of the toll ("fighting has killed N in recent weeks", "N have been
    # displaced by the offensive")
    if any(t not in verbs and t.i not in period and not (t.dep_ == "nsubj" and t.head in verbs)
           and not (t.dep_ == "pobj" and t.head.dep_ == "agent" and t.head.head in verbs)
           for t in c.tokens):
        return False
    # displacement told in the perfect ("N have been displaced") is a running total, not one happening;
    # so is any count told in the perfect over a period up to now ("N have been killed so far this year")
    perfect = any(ch.dep_ == "aux" and ch.lower_ in ("has", "have", "'ve") for v in clauses for ch in v.children)
    clause_text = " ".join(w.text for v in clauses for w in v.subtree)
    return bool(since) or (perfect and set(c.counts) <= {"displaced"}) or (
        perfect and period_to_now_in(clause_text)) or runs_to_now(c.timex)


def _reference_object(c: _Cand) -> bool:
    """A definite event noun in "ahead of the talks", "before the call" refers to an event the report
    tells of elsewhere, not to a new one (unless it carries its own date or count)."""
    t = c.tok
    if len(c.tokens) > 1 or t.pos_ != "NOUN" or t.dep_ != "pobj" or c.counts:
        return False
    if not any(ch.dep_ in ("det", "poss") and ch.lower_ in ("the", "this", "that", "these", "those", "its",
                                                            "their", "his", "her") for ch in t.children):
        return False
    prep = t.head
    preps = sense_rules().reference_preps
    if prep.lower_ in preps:
        return True
    return prep.lower_ in ("of", "to") and prep.head.lower_ in preps


def _ongoing_undated(c: _Cand, sent, timex_heads) -> bool:
    """With no time in its sentence, a non-physical act told in the past progressive ("X was persuading Y
    to ...") is a process in the background, and a stance toward a party told in the present perfect
    ("X has backed Y", "X has supported the rebels") is a standing alignment - neither is an act of a
    given day. (A stance toward a proposal - "X has backed the plan" - stays an act.)"""
    from sitrep.resolve import undated_types
    if c.type in undated_types() or any(sent.start <= root.i < sent.end for _, root in timex_heads):
        return False
    h = c.head if c.head is not None else c.tok
    aux = {ch.lower_ for ch in h.children if ch.dep_ == "aux"}
    if h.tag_ == "VBG" and aux & {"was", "were"} and (
            c.type not in SPEECH_ACT_TYPES or c.tok.lemma_.lower() in sense_rules().request_governors):
        return True           # ("said they were calling on X to ..." is a speech act told, not a process)
    if c.type in sense_rules().stance_types and h.tag_ == "VBN" and aux & {"has", "have", "'ve"} \
            and h.i == c.tok.i:
        obj = _direct_object(h)
        people = _people_nouns()
        return obj is not None and (obj.ent_type_ in ACTOR_LABELS or obj.lemma_.lower() in people
                                    or obj.lower_ in people)
    return False


def _modal_subject(c: _Cand, trig) -> bool:
    """An event noun that is the subject of a modal clause ("the agreement would ease X", "a truce could
    hold") is supposed, not told as happened."""
    t = c.tok
    if t.pos_ != "NOUN" or t.dep_ not in ("nsubj", "nsubjpass"):
        return False
    modals = trig.hypothetical_aux | {"would", "'d"}
    return any(ch.dep_ == "aux" and ch.lower_ in modals for ch in t.head.children)


def _habitual_stance(c: _Cand) -> bool:
    """A non-physical event told with a habitual adverb ("has long backed X", "has always rejected Y") is
    a standing position, not a dated act."""
    from sitrep.resolve import undated_types
    if c.type in undated_types():
        return False
    advs = sense_rules().habitual_adverbs
    heads = [c.tok] + ([c.head] if c.head is not None else [])
    return any(ch.dep_ == "advmod" and ch.lower_ in advs for h in heads for ch in h.children)


_PAST_AUX = frozenset({"had", "has", "have", "'ve", "did", "was", "were"})
_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})


def clause_tense(tok) -> str | None:
    """Tense of the clause governing a trigger: past, present, future, or None for a non-finite clause
    (an infinitive, a participle modifier). A clause reported by a past speech verb ("X said Y backs Z")
    is a statement made in the past."""
    head = clause_head(tok)
    for anc in [head] + list(head.ancestors)[:4]:
        if anc is not head and anc.lemma_.lower() in SPEECH_LEMMAS and anc.tag_ == "VBD":
            return "past"
    aux = [c.lower_ for c in head.children if c.dep_ in ("aux", "auxpass")]
    if any(a in _FUTURE_AUX for a in aux):
        return "future"
    if any(a in _PAST_AUX for a in aux) or head.tag_ == "VBD":
        return "past"
    if head.tag_ in ("VBZ", "VBP") or any(a in ("is", "are", "am", "'s", "'re", "does", "do") for a in aux):
        return "present"
    return None


def _actors_of(c: _Cand, trig) -> list[Actor]:
    return participants(c.tok, c.tokens, c.type, c.end_i, c.head, trig)


def _merged_actors(c: _Cand, trig) -> list[Actor]:
    """Participants of an event from all its merged triggers ("X called for ... and urged Y": X and Y)."""
    actors = _actors_of(c, trig)
    for extra in c.tokens[1:]:
        sub = _Cand([extra], c.type, c.mode, extra.i + 1, head=clause_head(extra))
        for a in _actors_of(sub, trig):
            if all((a.start, a.end) != (b.start, b.end) for b in actors):
                actors.append(a)
    return actors


TOPIC_PREPS = frozenset({"on", "about", "over", "regarding", "concerning"})


def _topic_of(tok, gov, preps=TOPIC_PREPS) -> bool:
    """Whether ``tok`` sits in a topic phrase ("on X", "about X") hanging directly on ``gov``."""
    cur = tok
    for _ in range(8):
        if cur.head.i == cur.i:
            return False
        if cur.head.i == gov.i:
            return cur.dep_ == "prep" and cur.lower_ in preps
        cur = cur.head
    return False


def _reference_subject(c: _Cand, trigger_tokens: set[int]) -> bool:
    """A bare event noun that is the subject of a verb that is no event itself ("the truce should hold",
    "the deal provided for X") speaks about an event already known, not of its happening: nothing of its
    own (a date, a count, a party) makes it a new mention."""
    t = c.tok
    if len(c.tokens) > 1 or t.pos_ != "NOUN" or t.dep_ not in ("nsubj", "nsubjpass"):
        return False
    if t.head.i in trigger_tokens or c.counts or c.timex is not None:
        return False
    return not any((ch.dep_ in ("poss", "amod", "compound") and ch.ent_type_ in ACTOR_LABELS)
                   or (ch.dep_ == "prep" and ch.lower_ in ("on", "against", "by", "between", "with"))
                   for ch in t.children)


def _stance_modifier(c: _Cand) -> bool:
    """A participle that only describes a noun ("Russian-backed forces", "rebels supported by X", "the
    diametrically opposed interests") states an alignment, not an event; violence participles ("a school
    hit by shells") still are events."""
    t = c.tok
    if t.pos_ != "VERB" or c.type in ("ASSAULT", "COERCE"):
        return False
    return t.dep_ == "amod" or (t.dep_ == "acl" and t.tag_ == "VBN")


def _deontic_actors(c: _Cand) -> list[Actor]:
    """For "X said Y must Z": X (the speaker) is the source, Y (who must act) the target."""
    head = c.head if c.head is not None else c.tok
    subj = [ch for ch in head.children if ch.dep_ in ("nsubj", "nsubjpass") and ch.pos_ != "PRON"]
    speaker = []
    if head.dep_ == "ccomp" and head.head.lemma_.lower() in SPEECH_LEMMAS:
        speaker = [ch for ch in head.head.children if ch.dep_ in SUBJ_DEPS and ch.pos_ != "PRON"]
    out = []
    for role, heads in (("source", speaker), ("target", subj)):
        for h in heads:
            out.extend(make_actor(sp, role) for sp in actor_spans(h))
    return out


def _under_quantity(tok) -> bool:
    """A trigger noun that qualifies a number ("including 11 in an ambush") is its own event."""
    cur = tok
    for _ in range(4):
        if cur.head.i == cur.i or cur.head.pos_ in ("VERB", "AUX"):
            return False
        cur = cur.head
        if cur.pos_ == "NUM" or cur.like_num:
            return True
    return False


def _depth(tok) -> int:
    d = 0
    while tok.head.i != tok.i and d < 50:
        tok = tok.head
        d += 1
    return d


def _clause_span(tok):
    """The trigger's clause: from the clause head's subtree, bounded by the sentence."""
    head = clause_head(tok)
    toks = list(head.subtree)
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def extract_events(ann: Annotation, kb) -> list[EventMention]:
    """One EventMention per event mention in the document (actors, place, dates unresolved)."""
    trig = kb.ontology.triggers()
    lex = kb.ontology.casualties()
    type_model = kb.ontology.type_model()
    doc = ann.nlp_doc
    text = ann.doc.text
    timex_heads = time_heads(ann)
    anchor = ann.anchor
    out: list[EventMention] = []
    for sent in doc.sents:
        try:
            cands = _sentence_events(sent, trig, timex_heads, lex, type_model)
        except Exception as exc:   # one odd sentence must not lose the document
            log.warning("event extraction failed on a sentence of %s: %s", ann.doc.id, exc)
            continue
        live_heads = {t.i for c in cands for t in c.tokens}
        for c in cands:
            if sums_incidents(c.tokens, lex):
                continue          # "the five shootings that wounded 15": a figure over several incidents
            if _running_toll(c, trig) or _reference_subject(c, live_heads) or _reference_object(c) \
                    or _habitual_stance(c) or _ongoing_undated(c, sent, timex_heads):
                continue
            status, cue = status_cue(c.tok, trig)
            if status == "reported" and _modal_subject(c, trig):
                status = "hypothetical"
            actors = _merged_actors(c, trig)
            for v in c.victims:
                for sp in actor_spans(v):
                    a = make_actor(sp, "target")
                    if all(not (a.start < b.end and b.start < a.end) for b in actors):
                        actors.append(a)
            if c.inner and not any(a.role == "target" for a in actors):
                # "threatened to shell X", "urged Y to ...": the requested/threatened event's target
                for inner in c.inner:
                    for a in _actors_of(inner, trig):
                        if a.role == "target" and all((a.start, a.end) != (b.start, b.end) for b in actors):
                            actors.append(a)
            if cue == "must" and c.type not in ("REQUEST", "ACCUSE"):
                # "X said Y must do Z": X requests Z of Y
                c.type, c.mode, status = "REQUEST", None, "reported"
                actors = _deontic_actors(c) or actors
            if status == "planned" and cue == "would" and c.type in trig.absorbing_types:
                status = "reported"   # "said he would ask X to ...": the speech act itself is reported
            if status == "reported" and c.timex is not None and anchor and c.timex.interval is not None:
                later = c.timex.interval.start > anchor
                present = c.head is not None and c.head.tag_ in ("VBP", "VBZ") and not any(
                    ch.dep_ in ("aux", "auxpass") for ch in c.head.children)
                relative = c.timex.interval.basis == "relative"
                if later or (present and relative and c.timex.interval.start >= anchor):
                    # dated after publication, or a present-tense verb with a relative day ("meet on
                    # Thursday"): a schedule, not a report
                    status = "planned"
            start, end = _clause_span(c.tok)
            loc = c.places[0] if c.places else None
            about = _place_of_event_noun(c.tok, ann) if c.type == "ASSAULT" else None
            if about is not None:
                # "the shelling of Kafr Nabl", "the bombing of Saraqib killed three": where it hit, and
                # the place is no actor of it
                loc = loc or about
                actors = [a for a in actors if (a.start, a.end) != about]
            out.append(EventMention(
                id=f"{ann.doc.id}:{c.tok.idx}",
                doc=ann.doc.id,
                type=c.type,
                mode=c.mode,
                status=status,
                trigger=c.tok.text,
                start=start,
                end=end,
                sentence=sent.text,
                sentence_start=sent.start_char,
                location_text=text[loc[0]:loc[1]] if loc else None,
                location_span=loc,
                time_span=(c.timex.start, c.timex.end) if c.timex is not None else None,
                actors=actors,
                counts=dict(c.counts),
                outlet=ann.doc.outlet,
                published=ann.doc.published.date if ann.doc.published else None,
                tense=clause_tense(c.tok),
                about=_about(c, trig),
            ))
    return out


def _about(c: _Cand, trig) -> str | None:
    """The type of the event an accusation is about: the event it absorbed ("blamed X for the attack"), or
    an event noun in its "for/of/over" phrase or object ("accused X of the bombing", "blamed the raid on X")."""
    if c.type != "ACCUSE":
        return None
    if c.inner:
        return c.inner[0].type
    for t in c.tokens:
        for ch in t.children:
            heads = [ch] if ch.dep_ == "dobj" else [g for g in ch.children if g.dep_ in ("pobj", "pcomp")] \
                if ch.dep_ == "prep" and ch.lower_ in ("for", "of", "over") else []
            for h in heads:
                hit = trig.nouns.get(h.lemma_.lower()) or trig.verbs.get(h.lemma_.lower())
                if hit:
                    return hit[0]
    return None


def _place_of_event_noun(tok, ann: Annotation) -> tuple[int, int] | None:
    """The place named by "of"/"on" after an attack noun: the trigger itself when it is a noun, or the
    noun subject of a count verb ("the bombing of X killed three"). A character span, or None."""
    nouns_lex = build_triggers_cached().nouns
    nouns = [tok] if tok.pos_ == "NOUN" else [
        ch for ch in tok.children if ch.dep_ in ("nsubj", "nsubjpass") and ch.pos_ == "NOUN"
        and nouns_lex.get(ch.lemma_.lower(), (None,))[0] == "ASSAULT"]
    for noun in nouns:
        for prep in noun.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("of", "on"):
                continue
            for pobj in prep.children:
                if pobj.dep_ != "pobj":
                    continue
                for e in ann.entities:
                    if e.label in PLACE_LABELS and e.start <= pobj.idx < e.end:
                        return (e.start, e.end)
    return None


def rank_events(events: list[EventMention], ann: Annotation) -> list[EventMention]:
    """Events ordered by how central they are: the shallowest trigger in the parse (main clause) first,
    then by position. Used to pick one event for a one-event sentence."""
    doc = ann.nlp_doc

    def key(e):
        start = int(e.id.rsplit(":", 1)[1])
        span = doc.char_span(start, start + len(e.trigger), alignment_mode="expand")
        depth = _depth(span.root) if span is not None and len(span) else 99
        return (depth, start)

    return sorted(events, key=key)

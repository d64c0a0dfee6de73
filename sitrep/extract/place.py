"""The event's own place: which names of a sentence say where the event of a trigger happened.

A priced walk over the spaCy parse (``event_location_spans``), re-scored by a small shipped logistic model
when present (``linked_location_spans``; trained by ``scripts/train_event_location.py`` on Halterman (2019)
event_location records). Only the event's own place counts, never any place of the sentence: actors'
origins, reference points ("50 km south of X") and the topics of meetings are not where it happened.
"""
from __future__ import annotations

from functools import lru_cache

from sitrep.extract.syntax import clause_head, entity_at, sent_entities, sent_of
from sitrep.kb.ontology import build_triggers

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC", "PLACE"})


def is_place(tok) -> bool:
    return tok.ent_type_ in PLACE_LABELS


def _trim(doc, start_i: int, end_i: int) -> tuple[int, int]:
    """Character span of tokens [start_i, end_i) without a leading determiner or trailing "'s"."""
    while start_i < end_i - 1 and (doc[start_i].lower_ in ("the", "a", "an") or doc[start_i].is_lower):
        start_i += 1                     # "the West Bank" -> "West Bank", "west Dublin" -> "Dublin"
    while end_i - 1 > start_i and doc[end_i - 1].lower_ in ("'s", "’s", "'", "’"):
        end_i -= 1
    return doc[start_i].idx, doc[end_i - 1].idx + len(doc[end_i - 1].text)


DIRECTION_WORDS = frozenset({"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
                             "kilometers", "kilometres", "km", "miles", "mile", "far", "away"})
STRONG_LOC_PREPS = frozenset({"in", "at", "near", "outside", "inside", "around", "across", "into", "throughout",
                              "within", "nearby", "towards", "toward", "along", "off"})
NEVER_PLACE_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT", "ACTOR",
                                "NORP", "LAW", "LANGUAGE", "EVENT"})
ACTOR_PREPS = frozenset({"by", "with", "for", "against", "of", "between", "among"})
# edge costs of the walk from the trigger to a place (lower = nearer the event)
_EDGE_COST = {"prep": 1, "pobj": 0, "conj": 0, "compound": 1, "appos": 1, "poss": 1, "amod": 1, "dobj": 1,
              "nsubjpass": 2, "advcl": 2, "relcl": 2, "acl": 2, "xcomp": 2, "npadvmod": 1, "nmod": 1,
              "pcomp": 1, "agent": 0, "attr": 1, "oprd": 1, "dative": 1, "advmod": 1}
MAX_COST = 6


def _place_nouns() -> frozenset:
    return build_triggers().place_nouns


def _people_nouns() -> frozenset:
    return build_triggers().count_nouns


def _strong_context(tok) -> bool:
    """A proper noun the NER did not call a place is taken as one where the syntax says so: the object of
    "in/at/near...", or named with a place noun ("X town", "the village of X")."""
    h = tok.head
    if tok.dep_ == "pobj" and h.lower_ in STRONG_LOC_PREPS:
        return True
    nouns = _place_nouns()
    if tok.dep_ in ("compound", "amod", "nmod") and h.lemma_.lower() in nouns:
        return True
    if tok.dep_ == "pobj" and h.lower_ == "of" and h.head.lemma_.lower() in nouns:
        return True
    if tok.dep_ == "appos" and h.lemma_.lower() in nouns:
        return True
    return any(c.dep_ in ("compound", "appos") and c.lemma_.lower() in nouns for c in tok.children) and \
        tok.dep_ in ("pobj", "dobj")


def assault_object(tok) -> bool:
    """The object of an attack-type verb ("to capture X", "stormed X") names a place when it is a
    proper noun that the NER did not call a person or organisation."""
    if tok.dep_ != "dobj" or tok.ent_type_ in ("PERSON", "ORG", "NORP"):
        return False
    hit = build_triggers().verbs.get(tok.head.lemma_.lower())
    return bool(hit) and hit[0] in ("ASSAULT",) and hit[1] in ("ground", None, "artillery", "aerial")




def _place_at(tok):
    """(start_i, end_i, strong) of a place name at ``tok``, or None."""
    doc = tok.doc
    if tok.dep_ == "pobj" and tok.head.lower_ in ACTOR_PREPS and tok.head.lower_ != "of":
        return None      # "by X", "with X": an actor or partner, not a place
    if any(ch.isdigit() for ch in tok.text):
        return None
    if tok.ent_type_:
        ent = entity_at(tok)
        if ent is None or ent.label_ in NEVER_PLACE_LABELS:
            return None
        root = ent.root
        if ent.label_ in PLACE_LABELS:
            return ent.start, ent.end, True
        if _strong_context(root) or assault_object(root):
            return ent.start, ent.end, False
        return None
    if tok.pos_ == "PROPN" and not (tok.dep_ == "compound" and tok.head.pos_ == "PROPN") \
            and (_strong_context(tok) or assault_object(tok)):
        left = tok.i
        while left - 1 >= 0 and doc[left - 1].pos_ == "PROPN" and doc[left - 1].dep_ == "compound" \
                and doc[left - 1].ent_type_ not in NEVER_PLACE_LABELS:
            left -= 1              # "Jobar District", "Deir Ezzor Governorate": the whole name
        return left, tok.i + 1, False
    return None


def _walk_places(starts, base_cost: int, seen: set, skip_subjects: bool = True, max_cost: int = MAX_COST):
    """Places reachable from the start tokens through the parse, with the cost of the path."""
    found = []
    stack = [(t, base_cost) for t in starts]
    best_cost = {}
    people = _people_nouns()
    while stack:
        t, cost = stack.pop()
        if cost > max_cost or best_cost.get(t.i, 99) <= cost:
            continue
        best_cost[t.i] = cost
        if t.i not in seen:
            hit = _place_at(t)
            if hit is not None:
                a, b, _ = hit
                poss = t.dep_ == "poss" or any(t.doc[i].lower_ in ("'s", "’s") for i in range(a, b))
                found.append((cost, poss, a, b, t))
                seen.update(range(a, b))
        for ch in t.children:
            if ch.ent_type_ in ("DATE", "TIME"):
                continue
            step = _edge_step(t, ch, people, skip_subjects)
            if step is not None:
                stack.append((ch, cost + step))
    return found


_NEVER_WALKED = frozenset({"punct", "cc", "mark", "aux", "auxpass", "det", "case", "neg", "prt", "ccomp",
                           "parataxis"})


def _edge_step(t, ch, people, skip_subjects: bool = True) -> int | None:
    """The price of the parse edge from ``t`` to its child ``ch`` in the walk for an event's place, or
    None when the walk does not go there. One definition for the rules and the learned linker."""
    dep = ch.dep_
    if dep in _NEVER_WALKED:
        return None
    if dep in ("nsubj", "csubj", "expl") and skip_subjects:
        return None
    if dep == "prep" and (t.lower_ in DIRECTION_WORDS or ch.lower_ in ("from", "than", "like", "to")):
        return None
    if dep in ("compound", "amod") and t.lemma_.lower() in people:
        return None       # "US soldiers", "Syrian civilians": whose, not where
    return 0 if (dep == "prep" and ch.lower_ == "of") else _EDGE_COST.get(dep, 2)


def event_location_spans(trigger, extra_heads=(), speech_act: bool = False) -> list[tuple[int, int]]:
    """Character spans of where the event of ``trigger`` (a spaCy Token) happened.

    A walk over the parse from the trigger (and its clause head) that prices each edge: a prepositional
    phrase costs 1 ("of" nothing: "the town of X"), a subordinate or participle clause 2, a passive
    subject 2; active subjects (the actors' origins), "said that" complements, reference points ("50 km
    south of X", "from X") and nationality modifiers of people ("US soldiers") are not walked. The places
    at the lowest cost win; a possessor place ("X's Y district") gives way to the place it qualifies.
    When the trigger's own clause has no place, the clause it hangs on is walked (participles, "when"
    clauses, conjoined verbs), then the sentence root for the main clause. For a speech act (a request,
    threat, accusation) only a place directly on its own verb counts - places inside what is requested
    belong to the requested event."""
    doc = trigger.doc
    if speech_act:
        found = [f for f in _walk_places([trigger], 0, set(), max_cost=1)
                 if f[4].dep_ == "pobj" and f[4].head.lower_ in STRONG_LOC_PREPS]
        return sorted({_trim(doc, f[2], f[3]) for f in found})
    head = clause_head(trigger)
    starts = [trigger] + [h for h in list(extra_heads) + [head] if h is not None and h.i != trigger.i]
    seen: set = set()
    found = _walk_places(starts, 0, seen)
    cur, extra = head, 2
    while not found and cur.dep_ in ("advcl", "xcomp", "conj", "acl", "pcomp", "pobj", "prep", "dobj") \
            and cur.head.i != cur.i and extra <= 6:
        cur = cur.head
        found = _walk_places([cur], 0, seen)
        extra += 2
    if not found:
        return []
    best = min(f[0] for f in found)
    group = [f for f in found if f[0] == best]
    if any(not f[1] for f in group):
        group = [f for f in group if not f[1]]
    # equal cost: the first place and the places conjoined with it ("X, Y and Z"), not a second phrase
    group.sort(key=lambda f: f[2])
    first = group[0][4]
    conj = {first.i} | {c.i for c in first.conjuncts}
    group = [f for f in group if f[4].i in conj or any(doc[i].i in conj for i in range(f[2], f[3]))]
    # (Doc.text rebuilds the whole text: test the tokens instead)
    spans = {_trim(doc, f[2], f[3]) for f in group if any(ch.isupper() for ch in doc[f[2]:f[3]].text)}
    return sorted(spans)


# ---------------------------------------------------------------------------------------------- learned
def _walk_costs(starts, max_cost: int = 8) -> dict[int, int]:
    """Path cost from the start tokens to every reachable token (same edge prices as the rule walk)."""
    best: dict[int, int] = {}
    stack = [(t, 0) for t in starts]
    people = _people_nouns()
    while stack:
        t, cost = stack.pop()
        if cost > max_cost or best.get(t.i, 99) <= cost:
            continue
        best[t.i] = cost
        for ch in t.children:
            step = _edge_step(t, ch, people)
            if step is not None:
                stack.append((ch, cost + step))
    return best


_LABELS = ("GPE", "LOC", "FAC", "PLACE", "ORG", "PERSON", "PRODUCT", "WORK_OF_ART", "")
_DEPS = ("pobj", "compound", "dobj", "nsubj", "nsubjpass", "conj", "appos", "poss", "npadvmod")
_PREPS = ("in", "at", "near", "on", "to", "from", "of", "by", "with", "outside", "into", "around", "across",
          "over", "between", "against", "for")


def location_candidates(trigger) -> list[tuple[tuple[int, int], dict[str, float]]]:
    """Every name in the trigger's sentence that could be the event's place, with features for the
    learned location linker (``scripts/train_event_location.py``); the rule walk's verdict is one."""
    doc, sent = trigger.doc, sent_of(trigger)
    head = clause_head(trigger)
    starts = [trigger] + ([head] if head.i != trigger.i else [])
    costs = _walk_costs(starts)
    up, cur, extra = {}, head, 2
    while cur.dep_ in ("advcl", "xcomp", "conj", "acl", "pcomp", "pobj", "prep", "dobj") and cur.head.i != cur.i \
            and extra <= 6:
        cur = cur.head
        for i, c in _walk_costs([cur]).items():
            up.setdefault(i, c + extra)
        extra += 2
    rule = set(event_location_spans(trigger))
    cands = []
    taken = set()
    for a, b, label in sent_entities(sent):
        if label in NEVER_PLACE_LABELS:
            continue
        cands.append((a, b, label))
        taken.update(range(a, b))
    for t in sent:
        if t.pos_ == "PROPN" and t.i not in taken and not (t.dep_ == "compound" and t.head.pos_ == "PROPN"):
            left = t.i
            while left - 1 >= sent.start and doc[left - 1].pos_ == "PROPN" and doc[left - 1].dep_ == "compound" \
                    and (left - 1) not in taken:
                left -= 1
            cands.append((left, t.i + 1, ""))
    trig_hit = build_triggers().verbs.get(trigger.lemma_.lower())
    nouns = _place_nouns()
    out = []
    n = len(cands)
    for a, b, label in cands:
        span = _trim(doc, a, b)
        text = doc[a:b].text
        if not any(ch.isupper() for ch in text) or any(ch.isdigit() for ch in text):
            continue
        root = doc[a:b].root
        f: dict[str, float] = {"bias_cand": 1.0}
        c = costs.get(root.i, up.get(root.i))
        f[f"cost={min(c, 8) if c is not None else 'none'}"] = 1.0
        f["in_up_only"] = float(root.i not in costs and root.i in up)
        f["rule"] = float(span in rule)
        f[f"label={label if label in _LABELS else 'other'}"] = 1.0
        f[f"dep={root.dep_ if root.dep_ in _DEPS else 'other'}"] = 1.0
        h = root.head
        if root.dep_ == "pobj":
            f[f"prep={h.lower_ if h.lower_ in _PREPS else 'other'}"] = 1.0
            if h.lower_ == "of" and h.head.lemma_.lower() in nouns:
                f["of_place_noun"] = 1.0
            if h.head.i == trigger.i or h.head.i == head.i:
                f["prep_on_trigger"] = 1.0
        if h.lemma_.lower() in nouns:
            f["head_place_noun"] = 1.0
        if any(ch.lemma_.lower() in nouns for ch in root.children):
            f["child_place_noun"] = 1.0
        f["strong"] = float(_strong_context(root))
        f["assault_obj"] = float(assault_object(root))
        f["poss"] = float(root.dep_ == "poss" or any(doc[i].lower_ in ("'s", "’s") for i in range(a, b)))
        f["before"] = float(root.i < trigger.i)
        d = abs(root.i - trigger.i)
        f[f"dist={0 if d <= 3 else 1 if d <= 7 else 2 if d <= 15 else 3}"] = 1.0
        f["in_subtree"] = float(trigger.left_edge.i <= root.i <= trigger.right_edge.i)
        anc = {x.i for x in root.ancestors}
        f["under_subject"] = float(any(doc[i].dep_ in ("nsubj",) for i in anc if doc[i].head.i == head.i))
        f["under_from"] = float(any(doc[i].lower_ in ("from",) and doc[i].dep_ == "prep" for i in anc))
        f["ncand>3"] = float(n > 3)
        f[f"trig={trig_hit[0] if trig_hit else 'none'}"] = 1.0
        f["same_clause"] = float(clause_head(root).i == head.i)
        # a few conjunctions the linear model cannot form itself
        lab = label if label in _LABELS else "other"
        cst = min(c, 8) if c is not None else "none"
        f[f"cost={cst}|label={lab}"] = 1.0
        f[f"cost={cst}|rule={int(f['rule'])}"] = 1.0
        if root.dep_ == "pobj":
            f[f"prep={h.lower_ if h.lower_ in _PREPS else 'other'}|label={lab}"] = 1.0
        out.append((span, f))
    return out






@lru_cache(maxsize=2)
def load_location_model(path: str | None = None):
    """The learned location linker (weights by feature name), or None when not shipped."""
    import json
    from sitrep.config import DATA_DIR
    p = path or str(DATA_DIR / "events" / "event_location_model.json")
    try:
        with open(p, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        return None


def score_candidates(cands, model) -> list[tuple[tuple[int, int], float]]:
    import math
    w = model["weights"]
    out = []
    for span, f in cands:
        z = model.get("bias", 0.0) + sum(w.get(k, 0.0) * v for k, v in f.items())
        out.append((span, 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))))
    return out


def _own_pp_places(trigger) -> list[tuple[int, int]]:
    """A name in apposition to a place noun in the trigger's own locative phrase wins outright ("a meeting
    in the capital, X"): the walk would price the appositive above a nearer but wrong name."""
    doc = trigger.doc
    out = []
    for prep in trigger.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("in", "at", "inside", "near", "outside"):
            continue
        for g in prep.children:
            if g.dep_ != "pobj":
                continue
            heads = []
            if g.lemma_.lower() in _place_nouns():
                heads = [c for c in g.children if c.dep_ == "appos" and c.ent_type_ in PLACE_LABELS]
            for h in heads:
                ent = entity_at(h)
                if ent is not None:
                    out.append(_trim(doc, ent.start, ent.end))
    return sorted(set(out))


def linked_location_spans(trigger, extra_heads=(), speech_act: bool = False) -> list[tuple[int, int]]:
    """The event's place: the learned linker when a model is shipped, else the rule walk."""
    own = _own_pp_places(trigger)
    if own:
        return own
    model = load_location_model()
    if model is None or speech_act:
        return event_location_spans(trigger, extra_heads, speech_act)
    scored = score_candidates(location_candidates(trigger), model)
    return sorted(sp for sp, p in scored if p >= model.get("threshold", 0.5))


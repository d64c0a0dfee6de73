"""The event's own place: which names of a sentence say where the event of a trigger happened.

Only the event's own place counts, never any place of the sentence: actors' origins ("US soldiers"),
reference points ("50 km south of X"), the topics of meetings, and the region a more specific place
lies in ("X in Y province": X) are not where it happened. Three parts:

- candidates (``place_candidates``): the sentence's names - the NER's entities but dates and numbers,
  and proper-noun runs it left out - with the boundaries of the event_location annotation (no article,
  no lower-case direction or place noun, glued particles kept: "al-Nour");
- features (``candidate_features``): the parse path from the trigger (steps, prepositions, the price of
  the rule walk below), the NER label, the name's shape and position, the trigger's word and clause, the
  relations between names (conjoined, qualifying) and the parser's own token vectors;
- the decision (``linked_location_spans``): a shipped two-stage boosted-tree model
  (``sitrep.kb.placemodel``, trained by ``scripts/train_event_location.py`` on Halterman (2019)
  event_location records); without one, and for speech acts, the priced walk over the parse
  (``event_location_spans``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sitrep.extract.syntax import clause_head, entity_at, sent_entities, sent_of
from sitrep.kb.ontology import build_triggers
from sitrep.kb.placemodel import PlaceLinker, load_place_linker

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


# ---------------------------------------------------------------------------------------------- names
# Connectors written inside one name without spaces: "al-Assad", "Mazar-e-Sharif", "Ma’arat", "‘Arak".
NAME_GLUE = frozenset({"-", "‐", "–", "’", "'", "‘", "`", "/"})
NOT_NAME_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT", "LANGUAGE"})
_EDGE_WORDS = frozenset({"the", "a", "an", "'s", "’s", "'", "’", "his", "her", "its", "their", "our", "this",
                         "that", "these", "those"})


@dataclass(frozen=True)
class PlaceCandidate:
    """A name of the sentence that could be the event's place: tokens [start, end) of the document and the
    NER label it came from ("" for a run of proper nouns the NER left out)."""
    start: int
    end: int
    label: str

    def chars(self, doc) -> tuple[int, int]:
        return doc[self.start].idx, doc[self.end - 1].idx + len(doc[self.end - 1].text)


def _glued(doc, i: int) -> bool:
    """Tokens i and i+1 are written together ("al" + "-" in "al-Assad")."""
    return doc[i].whitespace_ == ""


def _extend_glued(doc, a: int, b: int, lo: int, hi: int) -> tuple[int, int]:
    """Take in the pieces of a name written together with it: "Assad" -> "al-Assad", "Haji" -> "Haji-abad",
    "Misreen" after "Ma’arat" stays apart (a space). A glued lower-case verb is not a name piece
    ("Iranian-backed")."""
    while a - 2 >= lo and doc[a - 1].text in NAME_GLUE and _glued(doc, a - 1) and _glued(doc, a - 2) \
            and (doc[a - 2].is_alpha or doc[a - 2].is_digit):
        a -= 2
    if a - 1 >= lo and doc[a - 1].text in ("‘", "'", "`") and _glued(doc, a - 1):
        a -= 1                                   # "‘Arak": the opening mark is the name's first letter
    while b + 1 < hi and doc[b].text in NAME_GLUE and _glued(doc, b - 1) and _glued(doc, b) \
            and (doc[b + 1].text[:1].isupper() or doc[b + 1].is_digit or doc[b + 1].pos_ in ("PROPN", "NOUN")):
        b += 2
    return a, b


def _strip_edges(doc, a: int, b: int) -> tuple[int, int]:
    """A name without what the event-location annotation leaves out: leading articles, possessives and
    lower-case words ("the", "northern", "west"), a trailing "'s", punctuation and lower-case words
    ("district", "province"); a lower-case piece glued to the name stays ("al-Zahawi")."""
    while a < b - 1 and (doc[a].lower_ in _EDGE_WORDS or (doc[a].is_punct and not _glued(doc, a))
                         or (doc[a].text[:1].islower() and not _glued(doc, a))):
        a += 1
    while b - 1 > a and (doc[b - 1].lower_ in _EDGE_WORDS or
                         (doc[b - 1].is_punct and doc[b - 1].text not in ("‘",)) or
                         (doc[b - 1].text[:1].islower() and not _glued(doc, b - 2)) or doc[b - 1].is_space):
        b -= 1
    return a, b


def name_bounds(doc, a: int, b: int, lo: int, hi: int) -> tuple[int, int] | None:
    """Tokens [a, b) as the annotation marks a place name (inside the sentence [lo, hi)), or None when no
    word of it is capitalised."""
    a, b = _extend_glued(doc, a, b, lo, hi)
    a, b = _strip_edges(doc, a, b)
    if not any(t.text[:1].isupper() for t in doc[a:b]):
        return None
    return a, b


def place_candidates(sent) -> list[PlaceCandidate]:
    """Every name of a sentence that could be an event's place: the NER's entities but dates and numbers,
    and runs of proper nouns it left out, with the annotation's boundaries (``name_bounds``)."""
    doc = sent.doc
    raw = [(a, b, lab) for a, b, lab in sent_entities(sent) if lab not in NOT_NAME_LABELS]
    taken = {i for a, b, _ in sent_entities(sent) for i in range(a, b)}
    for t in sent:
        if t.pos_ == "PROPN" and t.i not in taken and not (t.dep_ == "compound" and t.head.pos_ == "PROPN"
                                                            and t.head.i > t.i and t.head.i not in taken):
            left = t.i
            while left - 1 >= sent.start and doc[left - 1].pos_ == "PROPN" and (left - 1) not in taken:
                left -= 1
            raw.append((left, t.i + 1, ""))
    spans: list[list] = []
    for a, b, lab in sorted(raw):
        nb = name_bounds(doc, a, b, sent.start, sent.end)
        if nb is None:
            continue
        if spans and nb[0] < spans[-1][1]:       # overlapping pieces ("Al-" + "Raqqa" -> "Al-Raqqa")
            last = spans[-1]
            last[1] = max(last[1], nb[1])
            if lab in PLACE_LABELS and last[2] not in PLACE_LABELS:
                last[2] = lab
            continue
        spans.append([nb[0], nb[1], lab])
    return [PlaceCandidate(a, b, lab) for a, b, lab in _merge_pieces(doc, spans)]


def _merge_pieces(doc, spans: list[list]) -> list[list]:
    """Adjacent pieces of one name the NER cut apart are one name: "Rasm" + "Al-‘Abed", "Tal" + "Al-‘Eiss",
    "Al-Assad" + "Suburb" (separated by a space only, the second capitalised, one a compound of the other)."""
    out: list[list] = []
    for sp in spans:
        if out:
            prev = out[-1]
            a, b = prev[1] - 1, sp[0]
            if b == prev[1] and doc[a].whitespace_ and doc[b].text[:1].isupper() and (
                    doc[a].head.i >= b and doc[a].dep_ == "compound" or doc[b].head.i == a):
                prev[1] = sp[1]
                if sp[2] in PLACE_LABELS or not prev[2]:
                    prev[2] = sp[2]
                continue
        out.append(list(sp))
    return out


# ---------------------------------------------------------------------------------------------- features
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


_UP_DEPS = ("advcl", "xcomp", "conj", "acl", "pcomp", "pobj", "prep", "dobj")


def _edge_name(t) -> str:
    """A parse edge as a path step: the dependency, with the word for prepositions ("prep:in")."""
    return f"prep:{t.lower_}" if t.dep_ in ("prep", "agent") else t.dep_


def _path(trigger, root, chain: dict[int, int]) -> tuple[int, list, object]:
    """From the trigger up to the lowest common ancestor with ``root`` and down to it: (steps up,
    the tokens down from the ancestor to ``root``, the ancestor)."""
    down = []
    cur = root
    for _ in range(40):
        if cur.i in chain:
            return chain[cur.i], list(reversed(down)), cur
        down.append(cur)
        if cur.head.i == cur.i:
            break
        cur = cur.head
    return 99, list(reversed(down)), cur


def _ancestor_chain(tok) -> dict[int, int]:
    chain, cur = {}, tok
    for k in range(40):
        chain.setdefault(cur.i, k)
        if cur.head.i == cur.i:
            break
        cur = cur.head
    return chain


def _np_governor(root, cand_at: dict[int, int], own: int) -> tuple[int, str] | None:
    """The candidate this name qualifies inside one noun phrase ("X in Y", "Y's X", "the X district of
    Y", "X, capital of Y"), as (its index, the relation), when the path up to it crosses no verb and no
    coordination (conjoined names are peers, not qualifiers)."""
    cur, rel = root, []
    for _ in range(6):
        if cur.head.i == cur.i or cur.dep_ == "conj" or (cur.pos_ in ("VERB", "AUX") and cur.i != root.i):
            return None
        rel.append(_edge_name(cur))
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            return None
        k = cand_at.get(cur.i)
        if k is not None and k != own:
            return k, ">".join(reversed(rel[-3:]))
    return None


def _owned_heads(root, nouns) -> list[int]:
    """The place noun a name names ("the X district", "the village of X", "X area"): relations to the
    noun are relations to the name."""
    h = root.head
    if root.dep_ in ("compound", "amod", "nmod", "appos") and h.lemma_.lower() in nouns:
        return [h.i]
    if root.dep_ == "pobj" and h.lower_ == "of" and h.head.lemma_.lower() in nouns:
        return [h.head.i]
    return []


@dataclass
class CandidateSet:
    """The place candidates of one trigger: character spans, features, and the relations between them
    that the second stage of the linker reads (conjoined names; the name each one qualifies)."""
    spans: list[tuple[int, int]]
    features: list[dict[str, float]]
    conj: list[list[int]]
    qualifies: list[int | None]
    vectors: np.ndarray | None = None    # the parser's token vectors: name, word before it, trigger


def _token_vectors(trigger, cands: list[PlaceCandidate], roots) -> np.ndarray | None:
    """Per candidate, the spaCy pipeline's own contextual vectors (``Doc.tensor``, from its tok2vec) of
    the name's head, the word before the name and the trigger, side by side; None when the pipeline
    kept no tensor."""
    T = trigger.doc.tensor
    if T is None or getattr(T, "ndim", 0) != 2 or T.shape[0] != len(trigger.doc) or not len(cands):
        return None
    idx = np.array([[r.i, max(c.start - 1, 0), trigger.i] for c, r in zip(cands, roots)])
    return np.asarray(T, dtype=np.float32)[idx].reshape(len(cands), -1)


@dataclass(frozen=True)
class _Context:
    """What every candidate of one trigger is measured against: the trigger, its clause head and sentence,
    the walk's prices from the trigger (``costs``) and from the clauses above it (``up``), the trigger's
    ancestors (token index -> steps up), the lexicon's noun sets and the rule walk's spans."""
    trigger: object
    head: object
    sent: object
    costs: dict
    up: dict
    chain: dict
    nouns: frozenset
    people: frozenset
    event_nouns: dict
    rule: frozenset


def _context(trigger, rule_spans) -> _Context:
    head = clause_head(trigger)
    costs = _walk_costs([trigger] + ([head] if head.i != trigger.i else []))
    up, cur, extra = {}, head, 2
    while cur.dep_ in _UP_DEPS and cur.head.i != cur.i and extra <= 6:
        cur = cur.head
        for i, c in _walk_costs([cur]).items():
            up.setdefault(i, c + extra)
        extra += 2
    lex = build_triggers()
    return _Context(trigger, head, sent_of(trigger), costs, up, _ancestor_chain(trigger), _place_nouns(),
                    _people_nouns(), lex.nouns, frozenset(rule_spans))


def _trigger_features(ctx: _Context, cands: list[PlaceCandidate]) -> dict[str, float]:
    """The trigger's own word, tag and clause, shared by all its candidates: "said" or a negated or
    modal verb has no place of its own more often than "killed in"."""
    t, head, sent = ctx.trigger, ctx.head, ctx.sent
    lex = build_triggers()
    hit = lex.verbs.get(t.lemma_.lower()) or lex.nouns.get(t.lemma_.lower())
    return {
        f"vlemma={t.lemma_.lower()}": 1.0, f"vtag={t.tag_}": 1.0, f"vdep={t.dep_}": 1.0,
        f"hdep={head.dep_}": 1.0, f"vtype={hit[0] if hit else 'none'}": 1.0,
        "v_neg": float(any(ch.dep_ == "neg" for ch in head.children)),
        "v_modal": float(any(ch.tag_ == "MD" for ch in head.children)),
        "v_pass": float(any(ch.dep_ in ("nsubjpass", "auxpass") for ch in head.children)),
        "v_is_root": float(head.dep_ == "ROOT"),
        "v_pos": (t.i - sent.start) / max(1, len(sent)),
        "sent_len": float(len(sent)), "n_cands": float(len(cands)),
        "n_place_cands": float(sum(c.label in PLACE_LABELS for c in cands)), "n_rule": float(len(ctx.rule)),
    }


def _cost(ctx: _Context, i: int) -> int | None:
    return ctx.costs.get(i, ctx.up.get(i))


def _walk_features(ctx: _Context, c: PlaceCandidate, root) -> tuple[dict[str, float], int]:
    """The rule walk's price of the name (and of the place noun it names: "the X area"), whether the
    rule walk chose it; and the price used to rank the candidates."""
    cost = _cost(ctx, root.i)
    f = {"cost": float(cost if cost is not None else 12),
         "cost_up_only": float(root.i not in ctx.costs and root.i in ctx.up)}
    for hi in _owned_heads(root, ctx.nouns):
        hc = _cost(ctx, hi)
        if hc is not None and (cost is None or hc < cost):
            cost = hc
    f["cost_named"] = float(cost if cost is not None else 12)
    f["rule"] = float(c.chars(root.doc) in ctx.rule)
    return f, (cost if cost is not None else 12)


def _path_features(ctx: _Context, root) -> dict[str, float]:
    """The parse path from the trigger to the name: steps up to the common ancestor and down, the first
    and last steps ("prep:in>pobj"), and what it crosses (another verb, a subject, "from", "by")."""
    trigger, head = ctx.trigger, ctx.head
    n_up, down, lca = _path(trigger, root, ctx.chain)
    f = {"path_up": float(min(n_up, 12)), "path_down": float(len(down)),
         f"lca={'trigger' if lca.i == trigger.i else 'head' if lca.i == head.i else lca.pos_}": 1.0}
    steps = [_edge_name(t) for t in down]
    if steps:
        f[f"path1={steps[0]}"] = 1.0
        f[f"path2={'>'.join(steps[:2])}"] = 1.0
        f[f"pathlast={'>'.join(steps[-2:])}"] = 1.0
    f["path_verbs"] = float(sum(t.pos_ in ("VERB", "AUX") for t in down[:-1]))
    f["path_nsubj"] = float(any(t.dep_ in ("nsubj", "csubj") for t in down))
    f["path_from"] = float(any(t.lower_ in ("from", "to", "toward", "towards") and t.dep_ == "prep"
                               for t in down))
    f["path_by"] = float(any(t.dep_ == "agent" or t.lower_ == "by" for t in down))
    return f


def _governor_features(ctx: _Context, root) -> dict[str, float]:
    """What the name hangs on: its preposition and that preposition's head (the trigger, a place noun as
    in "the village of X", a people noun, an event noun), place nouns around it."""
    f: dict[str, float] = {}
    h = root.head
    if root.dep_ == "pobj":
        g = h.head
        lemma = g.lemma_.lower()
        kind = ("trigger" if g.i == ctx.trigger.i else "head" if g.i == ctx.head.i else
                "place_noun" if lemma in ctx.nouns else "people_noun" if lemma in ctx.people
                else "event_noun" if lemma in ctx.event_nouns else g.pos_)
        f[f"prep={h.lower_}"] = 1.0
        f[f"prep_on={kind}"] = 1.0
        f[f"prep_on={kind}|prep={h.lower_}"] = 1.0
        f[f"prep_head={lemma}"] = 1.0
        if h.lower_ == "of" and g.dep_ == "pobj":
            f[f"of_in={g.head.lower_}"] = 1.0             # "in the village of X"
    f["head_place_noun"] = float(h.lemma_.lower() in ctx.nouns)
    f["head_people_noun"] = float(h.lemma_.lower() in ctx.people)
    f["child_place_noun"] = float(any(ch.lemma_.lower() in ctx.nouns for ch in root.children))
    f["strong"] = float(_strong_context(root))
    f["assault_obj"] = float(assault_object(root))
    return f


def _shape_features(ctx: _Context, c: PlaceCandidate, root, k: int) -> dict[str, float]:
    """The name itself and where it stands: its label, length, digits, capitals, the words on either
    side, its position in the sentence and relative to the trigger."""
    doc, sent, trigger = root.doc, ctx.sent, ctx.trigger
    text = doc[c.start:c.end].text
    return {
        f"label={c.label or 'PROPN'}": 1.0, f"dep={root.dep_}": 1.0,
        "poss": float(root.dep_ == "poss" or (c.end < len(doc) and doc[c.end].lower_ in ("'s", "’s"))),
        "before": float(root.i < trigger.i), "dist": float(root.i - trigger.i),
        "in_subtree": float(trigger.left_edge.i <= root.i <= trigger.right_edge.i),
        "same_clause": float(clause_head(root).i == ctx.head.i),
        "n_tokens": float(c.end - c.start),
        "has_digit": float(any(t.is_digit for t in doc[c.start:c.end])),
        "all_caps": float(len(text) > 1 and text.isupper()),
        f"prev_word={doc[c.start - 1].lower_ if c.start > sent.start else '<s>'}": 1.0,
        f"next_word={doc[c.end].lower_ if c.end < sent.end else '</s>'}": 1.0,
        "inner_place_word": float(any(t.lower_ in ctx.nouns for t in doc[c.start + 1:c.end])),
        "next_place_word": float(c.end < sent.end and doc[c.end].lemma_.lower() in ctx.nouns),
        "sent_start": float(c.start - sent.start <= 1),
        "in_parens": float(c.start > sent.start and doc[c.start - 1].text == "("),
        "pos_in_sent": (c.start - sent.start) / max(1, len(sent)),
        "cand_index": float(k),
    }


def _relation_features(feats: list[dict], costs: list[int], roots, govs, trigger) -> list[list[int]]:
    """Adds to each candidate's features its standing among the others (price rank, gap to the best),
    the name it qualifies or is qualified by ("X in Y": Y qualifies X) and its conjoined names; returns
    the conjoined names of each."""
    best = min(costs, default=12)
    order = sorted(range(len(costs)), key=lambda k: (costs[k], abs(roots[k].i - trigger.i)))
    rank = {k: r for r, k in enumerate(order)}
    conjs = []
    for k, (f, cost, root) in enumerate(zip(feats, costs, roots)):
        f["cost_rank"] = float(rank[k])
        f["cost_minus_min"] = float(cost - best)
        f["n_same_cost"] = float(costs.count(cost) - 1)
        if govs[k] is not None:
            g, rel = govs[k]
            f["qualifies_other"] = 1.0
            f[f"qualifies_rel={rel}"] = 1.0
            f["qualifies_rule"] = feats[g]["rule"]
            f["qualifies_cost_diff"] = float(cost - costs[g])
        below = [g[1] for g in govs if g is not None and g[0] == k]
        f["qualified_by_other"] = float(len(below))
        if below:
            f[f"qualified_rel={below[0]}"] = 1.0
        conj = {x.i for x in root.conjuncts}
        peers = [j for j in range(len(roots)) if j != k and roots[j].i in conj]
        conjs.append(peers)
        f["conj_cand"] = float(len(peers))
        f["conj_rule"] = float(any(feats[j]["rule"] for j in peers))
        f["conj_min_cost"] = float(min((costs[j] for j in peers), default=12))
    return conjs


def candidate_features(trigger, cands: list[PlaceCandidate], rule_spans=()) -> CandidateSet:
    """Features of each candidate as the event's place, for the learned linker (see the helpers above),
    the relations between the candidates, and their token vectors."""
    doc = trigger.doc
    ctx = _context(trigger, rule_spans)
    roots = [doc[c.start:c.end].root for c in cands]
    cand_at: dict[int, int] = {}
    for k, (c, root) in enumerate(zip(cands, roots)):
        for i in list(range(c.start, c.end)) + _owned_heads(root, ctx.nouns):
            cand_at.setdefault(i, k)
    shared = _trigger_features(ctx, cands)
    feats, costs = [], []
    for k, (c, root) in enumerate(zip(cands, roots)):
        walk, cost = _walk_features(ctx, c, root)
        feats.append({**shared, **_shape_features(ctx, c, root, k), **walk, **_path_features(ctx, root),
                      **_governor_features(ctx, root)})
        costs.append(cost)
    govs = [_np_governor(root, cand_at, k) for k, root in enumerate(roots)]
    conjs = _relation_features(feats, costs, roots, govs, trigger)
    return CandidateSet([c.chars(doc) for c in cands], feats, conjs, [g[0] if g else None for g in govs],
                        _token_vectors(trigger, cands, roots))


def location_candidates(trigger) -> CandidateSet:
    """Every name in the trigger's sentence that could be the event's place, with its features for the
    learned linker (``scripts/train_event_location.py``)."""
    cands = place_candidates(sent_of(trigger))
    return candidate_features(trigger, cands, event_location_spans(trigger))


STACK_FEATURES = ("s1", "s1_max_other", "s1_margin", "s1_n_higher", "s1_conj_max", "s1_qualified",
                  "s1_container_max", "s1_n")


def stack_features(cset: CandidateSet, p1: np.ndarray) -> np.ndarray:
    """The second stage's extra columns: each name's first-stage score beside those of the other names
    of the sentence, of the names conjoined with it, of the name it qualifies ("Y" in "X in Y" qualifies
    X: when X scores high, Y is only its region) and of the names that qualify it."""
    n = len(p1)
    out = np.zeros((n, len(STACK_FEATURES)), dtype=np.float32)
    for k in range(n):
        others = np.delete(p1, k)
        top = float(others.max()) if n > 1 else 0.0
        qk = cset.qualifies[k]
        containers = [p1[j] for j in range(n) if cset.qualifies[j] == k]
        out[k] = (p1[k], top, p1[k] - top, float((others > p1[k]).sum()),
                  max((p1[j] for j in cset.conj[k]), default=0.0), p1[qk] if qk is not None else 0.0,
                  max(containers, default=0.0), float(n))
    return out


def linker_scores(cset: CandidateSet, linker: PlaceLinker) -> np.ndarray:
    """The probability that each candidate is (part of) the event's place."""
    if not cset.spans:
        return np.zeros(0)
    X = linker.vectors(cset.features, cset.vectors)
    p = linker.stage1.predict(X)
    if linker.stage2 is not None:
        p = linker.stage2.predict(np.hstack([X, stack_features(cset, p)]))
    return p


def linked_location_spans(trigger, extra_heads=(), speech_act: bool = False,
                          linker: PlaceLinker | None = None) -> list[tuple[int, int]]:
    """The event's place as character spans: the learned linker (``linker``, else the shipped one)
    over the sentence's candidate names; the rule walk when no model is shipped and for speech acts
    (only a place on the speech act's own verb counts there)."""
    linker = linker or load_place_linker()
    if linker is None or speech_act:
        return event_location_spans(trigger, extra_heads, speech_act)
    cset = location_candidates(trigger)
    p = linker_scores(cset, linker)
    return sorted(sp for sp, q in zip(cset.spans, p) if q >= linker.threshold)

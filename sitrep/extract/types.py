"""Event types learned from labelled sentences, with the trigger lexicon as features and as fallback.

Why: a lexicon written against a few hundred sentences types them well and the next few hundred badly (the
same rules score 0.80 macro-F1 on the PLOVER records they were written on and 0.60 on the other half). A
linear model over the trigger's context ("ready to contribute troops" is an offer, "prevented the
demonstration" a restriction, "ordered X to appear" a demand) learns what the lexicon cannot list.

What it sees: a trigger candidate of ``extract.events.find_triggers`` (a token and the lexicon's type and mode
for it, or none), and features of it (``candidate_features``):

- the lexicon's type and type/mode for the trigger, and for its governor, its complements and the other
  candidates of the sentence;
- the trigger's lemma, part of speech (nominal or verbal), dependency label, character n-grams of its lemma
  (so "bombard" resembles "bomb");
- lemmas of its governor and ancestors, of its children by dependency label (object, subject, "to" + verb,
  preposition + object), negation, auxiliaries and the status cue (planned, hypothetical, denied);
- the content lemmas of the sentence (a hashed bag of words);
- the CAMEO-derived lexicon's readings of the trigger (``extract.cameo``: of the verb alone, of its
  particle, object, preposition or subject pattern, of its dictionary block; of an event noun), and of its
  governor and complements where our lists lack them - a second lexicon, compiled by others on other news.

The model is a multinomial logistic regression over the 16 PLOVER types (``fit``), trained by
``scripts/train_event_types.py`` and shipped as ``sitrep/data/events/type_model.npz`` (hashed feature ids and
their weights). At run time ``predict`` sums weight rows with numpy; the lexicon's type stands when no model
is shipped or the model is unsure (its probability under ``min_prob``).

The type it gives is the *underlying* type of the mention: a promise to send aid stays AID with status
``planned``, and PLOVER's intent coding (AGREE, THREATEN, REJECT; ``eval.plover.plover_code``) is applied on
top of type and status.
"""
from __future__ import annotations

import numpy as np

from sitrep.extract.cameo import reading as cameo_reading, readings, unlisted
from sitrep.extract.modality import status_cue
from sitrep.kb.typemodel import DIM, TypeModel, hashed

CONTENT_POS = frozenset({"NOUN", "VERB", "ADJ", "ADV", "PROPN"})
_ARG_DEPS = frozenset({"dobj", "nsubj", "nsubjpass", "xcomp", "ccomp", "attr", "dative", "oprd", "acomp",
                       "neg", "aux", "auxpass", "prt", "advmod", "amod", "compound", "poss", "agent", "advcl"})
_NGRAMS = (3, 4)
NONE = "NONE"                   # the class of a candidate that is no event
FALLBACK_DEPS = frozenset({"ROOT", "conj", "xcomp", "ccomp", "acomp"})


# ---------------------------------------------------------------------------------------------- features
def lexicon_type(tok, trig) -> str | None:
    """The lexicon's type for a single token by its lemma (verbs as verbs, nouns as nouns), else the CAMEO
    lexicon's reading of a word the lists lack (``NONE`` for a statement verb), or None."""
    lemma = tok.lemma_.lower()
    if tok.pos_ in ("VERB", "AUX"):
        hit = trig.verbs.get(lemma)
    elif tok.pos_ in ("NOUN", "PROPN"):
        hit = trig.nouns.get(lemma) or trig.nouns.get(tok.lower_)
    else:
        hit = None
    if hit is None and trig.cameo is not None and unlisted(tok, trig):
        hit = cameo_reading(tok, trig.cameo)
    return hit[0] if hit else None


def cameo_features(tok, trig) -> list[str]:
    """CAMEO readings of the token by each pattern rule (``extract.cameo.readings``) and its most specific
    one. Example: "imposed a curfew" at "imposed" -> ["cam:obj=COERCE", "cam:verb=COERCE", "cam=COERCE", ...]."""
    if trig.cameo is None:
        return []
    out = [f"cam:{k}={v}" for k, v in sorted(readings(tok, trig.cameo).items())]
    r = cameo_reading(tok, trig.cameo)
    out.append(f"cam={r[0] if r else None}")
    if r:
        out.append(f"camv={r[2]}|{r[0]}")
    return out


def sentence_features(sent, candidate_types: list[str]) -> list[str]:
    """Features shared by every candidate of a sentence: its content lemmas and the lexicon types found in it.

    Example: "Rebels shelled the town." -> ["w=rebel", "w=shell", "w=town", "slex=ASSAULT"]"""
    out = [f"w={t.lemma_.lower()}" for t in sent if t.pos_ in CONTENT_POS and not t.is_stop and t.is_alpha]
    out += [f"slex={t}" for t in sorted(set(candidate_types))]
    return out


def _ngrams(word: str) -> list[str]:
    w = f"<{word}>"
    return [f"c{n}={w[i:i + n]}" for n in _NGRAMS for i in range(len(w) - n + 1)]


def candidate_features(tok, lex: tuple[str, str | None] | None, trig, status: str | None = None,
                       shared: list[str] | None = None) -> list[str]:
    """Feature strings of one trigger candidate: ``tok`` (a spaCy Token), ``lex`` the lexicon's (type,
    mode) for it or None, ``status`` its status cue, ``shared`` the sentence's ``sentence_features``.

    Example: "X offered to send troops" at "offered" gives among others "lex=AGREE", "l=offer",
    "k=xcomp|send", "klex=xcomp|AID"."""
    lemma = tok.lemma_.lower()
    pos = "V" if tok.pos_ in ("VERB", "AUX") else ("N" if tok.pos_ in ("NOUN", "PROPN") else "O")
    typ, mode = lex if lex else ("NONE", None)
    f = [f"lex={typ}", f"lexm={typ}/{mode}", f"l={lemma}", f"p={pos}", f"lp={lemma}|{pos}", f"d={tok.dep_}",
         f"lexp={typ}|{pos}", f"st={status}", f"lexst={typ}|{status}"]
    f += _ngrams(lemma)
    cam = cameo_features(tok, trig)
    f += cam + [f"{x}|{pos}" for x in cam if x.startswith("cam=")]
    head = tok.head
    if head.i != tok.i:
        f += [f"h={head.lemma_.lower()}", f"hd={tok.dep_}|{head.lemma_.lower()}",
              f"hlex={lexicon_type(head, trig)}", f"hlexd={tok.dep_}|{lexicon_type(head, trig)}"]
        if head.dep_ == "prep" and head.head.i != head.i:    # "in an investigation of": the prep's governor
            f += [f"pg={head.lower_}|{head.head.lemma_.lower()}"]
    for n, anc in enumerate(tok.ancestors):
        if n >= 4:
            break
        f += [f"a={anc.lemma_.lower()}", f"alex={lexicon_type(anc, trig)}"]
    for ch in tok.children:
        cl = ch.lemma_.lower()
        if ch.dep_ == "prep":
            for g in ch.children:
                if g.dep_ in ("pobj", "pcomp"):
                    f += [f"kp={ch.lower_}|{g.lemma_.lower()}", f"kpe={ch.lower_}|{g.ent_type_ or g.pos_}",
                          f"kplex={ch.lower_}|{lexicon_type(g, trig)}"]
            f.append(f"k=prep|{ch.lower_}")
        elif ch.dep_ in _ARG_DEPS:
            f += [f"k={ch.dep_}|{cl}", f"klex={ch.dep_}|{lexicon_type(ch, trig)}"]
            if ch.dep_ in ("dobj", "nsubj", "nsubjpass", "dative"):
                f.append(f"ke={ch.dep_}|{ch.ent_type_ or ch.pos_}")
            if ch.dep_ in ("xcomp", "ccomp", "advcl"):
                for g in ch.children:      # "refused to allow access": the complement's object
                    if g.dep_ == "dobj":
                        f += [f"ko={g.lemma_.lower()}", f"kolex={lexicon_type(g, trig)}"]
    if shared:
        f += shared
    return f


def candidate_rows(cands, sent, trig) -> list[list[str]]:
    """Features of every candidate of one sentence (``extract.events._Cand`` objects: lexicon candidates
    with their lexicon type, fallback verbs with type ``NONE``): the rows training and run time share."""
    shared = sentence_features(sent, [c.type for c in cands if c.type != NONE])
    return [candidate_features(c.tok, (c.type, c.mode) if c.type != NONE else None, trig,
                               status_cue(c.tok, trig)[0], shared) for c in cands]


def fallback_tokens(sent, taken: set[int], max_depth: int = 3, limit: int = 3) -> list:
    """Verbs of the sentence's main clauses that the lexicon gave no type, nearest the root first: the
    root and the verbs that complement or are conjoined to it, down to ``max_depth`` links.

    Example: "X is ready to contribute troops, Y said": said (root), contribute (under is/ready)."""
    out = []
    for t in sent:
        if t.i in taken or t.pos_ != "VERB" or t.dep_ not in FALLBACK_DEPS:
            continue
        depth, cur = 0, t
        while cur.head.i != cur.i and depth <= max_depth:
            if cur.dep_ not in FALLBACK_DEPS:
                depth = max_depth + 1
                break
            cur, depth = cur.head, depth + 1
        if depth <= max_depth:
            out.append((depth, t.i, t))
    return [t for _, _, t in sorted(out)[:limit]]


def decide_types(cands: list, sent, trig, model: TypeModel | None, make=None) -> list:
    """The sentence's candidates with the model's types, and the fallback verbs the model finds events.

    - A lexicon candidate takes the model's most probable type when that probability reaches
      ``model.min_prob``; its mode is dropped when its type changes (the mode rules of ``extract.events``
      set a new one). When the model finds it no event (``NONE``) the lexicon's type stands: the lexicon
      decides what is a candidate.
    - A candidate of the CAMEO fallback (``source == "cameo"``: a word our lists lack, in a sentence where
      they find nothing) is an event when the model gives it a type other than ``NONE`` with a probability
      of at least ``model.new_prob``, as a fallback verb is; its CAMEO reading is one of its features.
    - A main-clause verb the lexicon does not know (``fallback_tokens``; ``make(tok)`` builds its
      candidate) becomes a candidate when the model gives it a type other than ``NONE`` with a probability
      of at least ``model.new_prob``.

    Without a model the lexicon's candidates and types stand. Example: "X said it was ready to
    contribute troops": no lexicon word; a model that learned "ready to" and "troops" types "contribute"."""
    if model is None or (not cands and make is None):
        return cands
    extra = []
    if make is not None and NONE in model.classes:
        extra = [make(t) for t in fallback_tokens(sent, {c.tok.i for c in cands})]
    rows = candidate_rows(cands + extra, sent, trig)
    none = model.classes.index(NONE) if NONE in model.classes else -1
    out = []
    for n, (c, feats) in enumerate(zip(cands + extra, rows)):
        p = model.probabilities(feats)
        k = int(np.argmax(p))
        if n < len(cands):
            if getattr(c, "source", "lexicon") == "cameo":
                # a fallback reading (CAMEO was not written on our domain): an event when the model agrees
                if k != none and p[k] >= model.new_prob:
                    c.type, c.mode = model.classes[k], (c.mode if model.classes[k] == c.type else None)
                    out.append(c)
                continue
            if k != none and model.classes[k] != c.type and p[k] >= model.min_prob:
                c.type, c.mode = model.classes[k], None
            out.append(c)
        else:
            if k != none and p[k] >= model.new_prob:
                c.type, c.mode = model.classes[k], None
                out.append(c)
    return out


# ---------------------------------------------------------------------------------------------- training
def fit(examples: list[tuple[list[str], str, float]], classes: tuple[str, ...], l2: float = 1.0,
        dim: int = DIM, max_iter: int = 300, min_prob: float = 0.0, new_prob: float = 0.5,
        prune: float = 0.0) -> TypeModel:
    """Multinomial logistic regression with L2 penalty, fitted by L-BFGS on (features, label, weight)
    examples; features whose weights all stay under ``prune`` in absolute value are left out of the
    model (they change no decision and only make the file larger). Deterministic: the same examples give
    the same weights."""
    from scipy.optimize import minimize
    from scipy.sparse import csr_matrix

    k = len(classes)
    index = {c: i for i, c in enumerate(classes)}
    rows, cols = [], []
    for r, (feats, _, _) in enumerate(examples):
        ids = np.unique(hashed(feats, dim))
        rows.extend([r] * len(ids))
        cols.extend(ids.tolist())
    used = np.unique(np.array(cols, dtype=np.int64))
    col_of = {int(c): j for j, c in enumerate(used)}
    X = csr_matrix((np.ones(len(cols)), (rows, [col_of[c] for c in cols])), shape=(len(examples), len(used)))
    y = np.array([index[lab] for _, lab, _ in examples])
    w = np.array([wt for _, _, wt in examples], dtype=float)
    Y = np.zeros((len(examples), k))
    Y[np.arange(len(examples)), y] = 1.0
    d = len(used)

    def loss(theta):
        W = theta[:d * k].reshape(d, k)
        b = theta[d * k:]
        Z = X @ W + b
        Z -= Z.max(axis=1, keepdims=True)
        logp = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
        val = -(w * (Y * logp).sum(axis=1)).sum() + 0.5 * l2 * (W * W).sum()
        G = (np.exp(logp) - Y) * w[:, None]
        gW = X.T @ G + l2 * W
        return val, np.concatenate([np.asarray(gW).ravel(), G.sum(axis=0)])

    res = minimize(loss, np.zeros(d * k + k), jac=True, method="L-BFGS-B", options={"maxiter": max_iter})
    W = res.x[:d * k].reshape(d, k)
    keep = np.abs(W).max(axis=1) >= prune
    used, W = used[keep], W[keep]
    return TypeModel(classes=tuple(classes), ids=used, weights=W.astype(np.float32),
                     bias=res.x[d * k:].astype(np.float32), dim=dim, min_prob=min_prob, new_prob=new_prob)

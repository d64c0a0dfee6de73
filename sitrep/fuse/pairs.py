"""A learned decision for two event mentions: do they report the same happening?

Why: hand-weighted pair scores (same lemma, same stem) cannot weigh a shared place against a different
trigger word, or tell that "said" in two reports is rarely the same saying while "killed" usually is. Here
each pair of mentions becomes a row of named features (table ``FEATURES``: trigger word, its class in our
lexicons, how often the trigger recurs across the reports of a group, argument overlap, sentence and document
similarity) and a small model trained on ECB+ (``scripts/train_event_coref.py``) turns the row into a
probability, applied with numpy. The model is a JSON file under ``sitrep/data/fuse/``.

The features only need an :class:`EventView` per mention (trigger lemma and text, sentence words, argument
words), so ``sitrep.eval.coref`` and the product's fusion can share one decision. Features that need the
other mentions of the group (how many documents repeat a lemma, TF-IDF weights) come from a
:class:`PairContext` built once per group.
"""
from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from sitrep.config import DATA_DIR

MODEL_FILE = DATA_DIR / "fuse" / "event_pairs.json"


# =========================================================================== inputs
@dataclass(frozen=True)
class EventView:
    """What the pair features read of one event mention (all lower case)."""
    key: Hashable
    doc: str
    sentence: int                      # sentence index in the document
    lemma: str                         # head lemma of the trigger
    text: str = ""                     # the trigger as written
    pos: str = ""                      # VERB | NOUN | ADJ | ...
    words: tuple[str, ...] = ()        # content words of the sentence
    args: frozenset[str] = frozenset()     # names, numbers and time words of the sentence
    dargs: frozenset[str] = frozenset()    # the trigger's own dependents (who, whom, where, when)
    dep: str = ""                      # the trigger's dependency relation ("compound": "security update")


_SUFFIXES = ("ations", "ation", "ings", "ing", "ions", "ion", "ments", "ment", "ers", "er", "ed", "es", "s", "al")


def stem(lemma: str) -> str:
    """A light derivational stem, so "shooting"/"shoot" and "arrest"/"arrested" meet; general English only."""
    w = lemma.casefold()
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            w = w[: -len(suf)]
            break
    if len(w) >= 5 and w[-1] == w[-2] and w[-1] not in "aeiouls":      # "shipp" -> "ship"
        w = w[:-1]
    return w.rstrip("e") if len(w) > 4 else w


@dataclass(frozen=True)
class Lexicon:
    """Word classes from our own data files: a lemma's casualty kind (``casualties.yaml``: kill, murder, dead
    and death are all "killed") or else its PLOVER type (``triggers.yaml``), and the reporting lemmas."""
    word_class: Mapping[str, str]
    reporting: frozenset[str]

    def class_of(self, lemma: str) -> str | None:
        return self.word_class.get(lemma)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    import yaml
    from sitrep.kb.ontology import load_casualties, load_triggers
    classes: dict[str, str] = {}
    raw = load_triggers()
    for part in ("verbs", "nouns"):
        for lemma, value in sorted((raw.get(part) or {}).items()):
            classes.setdefault(str(lemma).casefold(), str(value).partition("/")[0])
    for lemma, kind in sorted(load_casualties().kind_of.items()):
        classes[lemma.casefold()] = kind          # finer than the PLOVER type: killed vs injured
    cues = yaml.safe_load((DATA_DIR / "quotes" / "cues.yaml").read_text(encoding="utf-8")) or {}
    forms = {w.casefold() for k in ("speech", "belief", "intention") for w in (cues.get("kinds") or {}).get(k, [])}
    # cue forms are inflected ("said", "says"): keep them and their light stems, lemmas match either
    reporting = frozenset(forms | {stem(w) for w in forms} | {"say", "tell", "report", "announce"})
    return Lexicon(classes, reporting)


# =========================================================================== lemma-pair prior
@dataclass(frozen=True)
class LemmaPrior:
    """How often two trigger lemmas in the same group were the same happening in the training topics,
    counted once per topic (a topic with 200 "kill"/"murder" pairs is one vote): ``pairs[(a, b)] = (yes,
    votes)`` with a <= b; a same-lemma pair is ``(a, a)``."""
    pairs: Mapping[tuple[str, str], tuple[float, int]]
    base: float = 0.1

    def log_odds(self, a: str, b: str, strength: float = 2.0) -> tuple[float, float]:
        """(smoothed log-odds minus the base log-odds, log of 1 + votes); (0, 0) for a pair never seen."""
        yes, votes = self.pairs.get((a, b) if a <= b else (b, a), (0.0, 0))
        if not votes:
            return 0.0, 0.0
        p = (yes + strength * self.base) / (votes + strength)
        return math.log(p / (1 - p)) - math.log(self.base / (1 - self.base)), math.log1p(votes)

    def to_json(self) -> dict:
        rows = [[a, b, round(y, 4), n] for (a, b), (y, n) in sorted(self.pairs.items())]
        return {"base": self.base, "pairs": rows}

    @classmethod
    def from_json(cls, raw: dict) -> LemmaPrior:
        return cls({(a, b): (float(y), int(n)) for a, b, y, n in raw.get("pairs", [])}, float(raw.get("base", 0.1)))


def lemma_pair_shares(groups: Sequence[tuple[Hashable, Sequence[EventView], Sequence[Hashable]]]
                      ) -> tuple[dict[tuple[str, str], dict[Hashable, float]], float]:
    """Per topic, the share of same-group pairs of two lemmas that corefer.

    ``groups``: (topic, views, gold cluster id per view). Returns ({(a, b): {topic: share}}, base rate)."""
    counts: dict[tuple, dict[Hashable, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    total = [0, 0]
    for topic, views, gold in groups:
        n = len(views)
        for i in range(n):
            for j in range(i + 1, n):
                a, b = views[i].lemma, views[j].lemma
                c = counts[(a, b) if a <= b else (b, a)][topic]
                same = int(gold[i] == gold[j])
                c[0] += same
                c[1] += 1
                total[0] += same
                total[1] += 1
    shares = {k: {t: y / n for t, (y, n) in topics.items()} for k, topics in counts.items()}
    return shares, (total[0] / total[1] if total[1] else 0.1)


def build_prior(shares: Mapping[tuple[str, str], Mapping[Hashable, float]], base: float,
                exclude: Hashable | None = None, min_votes: int = 2) -> LemmaPrior:
    """The prior from per-topic shares, leaving out topic ``exclude`` (so that a training pair's feature never
    saw its own label); pairs seen in fewer than ``min_votes`` topics are dropped (they memorise one story)."""
    out = {}
    for k, topics in shares.items():
        vals = [v for t, v in topics.items() if t != exclude]
        if len(vals) >= min_votes:
            out[k] = (float(sum(vals)), len(vals))
    return LemmaPrior(out, base)


# =========================================================================== group context
_NGRAM = 3


def _char_ngrams(word: str) -> Counter:
    w = f"<{word}>"
    return Counter(w[i:i + _NGRAM] for i in range(max(1, len(w) - _NGRAM + 1)))


def _tfidf(bags: Sequence[Counter], idf: Mapping[str, float] | None = None) -> np.ndarray:
    """L2-normalised log-tf x idf rows; idf from ``bags`` themselves unless given."""
    if idf is None:
        df = Counter(w for b in bags for w in b)
        n = len(bags)
        idf = {w: math.log((1 + n) / (1 + c)) + 1 for w, c in df.items()}
    vocab = {w: i for i, w in enumerate(sorted({w for b in bags for w in b}))}
    mat = np.zeros((len(bags), max(1, len(vocab))), dtype=np.float64)
    for r, b in enumerate(bags):
        for w, c in b.items():
            mat[r, vocab[w]] = (1 + math.log(c)) * idf.get(w, 1.0)
    return mat / np.maximum(np.linalg.norm(mat, axis=1, keepdims=True), 1e-12)


@dataclass
class PairContext:
    """Per-group arrays the features read: the views, their lemma classes, similarities and lemma spread."""
    views: Sequence[EventView]
    lexicon: Lexicon
    prior: LemmaPrior | None = None
    doc_words: Mapping[str, Sequence[str]] = field(default_factory=dict)
    doc_names: Mapping[str, Sequence[str]] = field(default_factory=dict)   # names and figures per document
    vectors: Mapping[str, np.ndarray] = field(default_factory=dict)   # optional unit embeddings by kind
                                                # ("trigger", "sentence", "lemma"), one row per view
    # filled by build()
    lemma_ids: np.ndarray = field(default=None)
    stem_ids: np.ndarray = field(default=None)
    doc_ids: np.ndarray = field(default=None)
    sent: np.ndarray = field(default=None)
    sent_sim: np.ndarray = field(default=None)
    doc_sim: np.ndarray = field(default=None)
    names_sim: np.ndarray = field(default=None)
    gram_sim: np.ndarray = field(default=None)
    spread: np.ndarray = field(default=None)    # share of the group's documents that hold the view's lemma
    classes: list = field(default=None)

    def build(self) -> PairContext:
        vs = self.views
        lemmas = sorted({v.lemma for v in vs})
        lid = {w: i for i, w in enumerate(lemmas)}
        stems = sorted({stem(v.lemma) for v in vs})
        sid = {w: i for i, w in enumerate(stems)}
        docs = sorted({v.doc for v in vs})
        did = {d: i for i, d in enumerate(docs)}
        self.lemma_ids = np.array([lid[v.lemma] for v in vs], dtype=np.int64)
        self.stem_ids = np.array([sid[stem(v.lemma)] for v in vs], dtype=np.int64)
        self.doc_ids = np.array([did[v.doc] for v in vs], dtype=np.int64)
        self.sent = np.array([v.sentence for v in vs], dtype=np.int64)
        sm = _tfidf([Counter(v.words) for v in vs])
        self.sent_sim = sm @ sm.T
        dm = _tfidf([Counter(self.doc_words.get(d, ())) for d in docs])
        self.doc_sim = dm @ dm.T
        nm = _tfidf([Counter(self.doc_names.get(d, ())) for d in docs])
        self.names_sim = nm @ nm.T
        gm = _tfidf([_char_ngrams(w) for w in lemmas], idf={})
        self.gram_sim = gm @ gm.T
        holders: dict[str, set] = defaultdict(set)
        for v in vs:
            holders[v.lemma].add(v.doc)
        self.spread = np.array([len(holders[v.lemma]) / len(docs) for v in vs])
        self.classes = [self.lexicon.class_of(v.lemma) or self.lexicon.class_of(stem(v.lemma)) for v in vs]
        return self


# =========================================================================== features
# Each feature maps a context and two index arrays (i < j, pairs of the group) to one float per pair.
FeatureFn = Callable[[PairContext, np.ndarray, np.ndarray], np.ndarray]


def _set_feature(fn: Callable[[EventView, EventView], float]) -> FeatureFn:
    def run(ctx: PairContext, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        vs = ctx.views
        return np.fromiter((fn(vs[a], vs[b]) for a, b in zip(i.tolist(), j.tolist())), dtype=np.float64,
                           count=len(i))
    run.__doc__ = fn.__doc__
    return run


def same_lemma(ctx, i, j):
    """1 when the head lemmas are equal: "attack" / "attack"."""
    return (ctx.lemma_ids[i] == ctx.lemma_ids[j]).astype(float)


def same_stem(ctx, i, j):
    """1 when the lemmas differ but share a light stem: "shooting" / "shoot"."""
    return ((ctx.stem_ids[i] == ctx.stem_ids[j]) & (ctx.lemma_ids[i] != ctx.lemma_ids[j])).astype(float)


def char_sim(ctx, i, j):
    """Cosine of the lemmas' character trigrams: "nominate" / "nominee" high, "quake" / "earthquake" middling."""
    return ctx.gram_sim[ctx.lemma_ids[i], ctx.lemma_ids[j]]


def same_class(ctx, i, j):
    """1 when the lemmas share a class in our lexicons: "kill" / "murder" (both casualty kind "killed"),
    "arrest" / "apprehend"; 0 when either has none."""
    c = ctx.classes
    return np.array([float(c[a] is not None and c[a] == c[b]) for a, b in zip(i.tolist(), j.tolist())])


def both_reporting(ctx, i, j):
    """1 when both triggers are speech or belief cues ("said" / "told"): two sayings are rarely one."""
    rep = np.array([v.lemma in ctx.lexicon.reporting for v in ctx.views])
    return (rep[i] & rep[j]).astype(float)


def either_reporting(ctx, i, j):
    """1 when exactly one trigger is a speech cue: "said" / "attack" are different happenings."""
    rep = np.array([v.lemma in ctx.lexicon.reporting for v in ctx.views])
    return (rep[i] ^ rep[j]).astype(float)


def both_verbs(ctx, i, j):
    """1 for two verb triggers ("struck" / "hit")."""
    verb = np.array([v.pos == "VERB" for v in ctx.views])
    return (verb[i] & verb[j]).astype(float)


def both_nouns(ctx, i, j):
    """1 for two noun triggers ("quake" / "earthquake")."""
    noun = np.array([v.pos in ("NOUN", "PROPN") for v in ctx.views])
    return (noun[i] & noun[j]).astype(float)


def same_doc(ctx, i, j):
    """1 when both mentions are in one document (a later paragraph restating the lead)."""
    return (ctx.doc_ids[i] == ctx.doc_ids[j]).astype(float)


def same_sentence(ctx, i, j):
    """1 when both triggers are in one sentence ("attacked ... the attack" rarely; two events usually)."""
    return ((ctx.doc_ids[i] == ctx.doc_ids[j]) & (ctx.sent[i] == ctx.sent[j])).astype(float)


def lead_pair(ctx, i, j):
    """1 when both mentions are in the first two sentences of their documents (headline and lead tell the
    main event)."""
    return ((ctx.sent[i] <= 1) & (ctx.sent[j] <= 1)).astype(float)


def sentence_sim(ctx, i, j):
    """TF-IDF cosine of the two sentences (idf over the group): same names, places and numbers."""
    return ctx.sent_sim[i, j]


def doc_sim(ctx, i, j):
    """TF-IDF cosine of the two documents (1 inside one document)."""
    return ctx.doc_sim[ctx.doc_ids[i], ctx.doc_ids[j]]


def names_sim(ctx, i, j):
    """TF-IDF cosine of the two documents' names and figures (idf over the group): two reports of one quake
    share its place and magnitude, reports of two quakes in one region share less."""
    return ctx.names_sim[ctx.doc_ids[i], ctx.doc_ids[j]]


def either_modifier(ctx, i, j):
    """1 when one trigger modifies a noun ("security" in "security update", "murder" in "murder charge"):
    such words name a kind more often than a happening."""
    mod = np.array([v.dep in ("compound", "amod", "nmod", "poss") for v in ctx.views])
    return (mod[i] | mod[j]).astype(float)


def spread_min(ctx, i, j):
    """The smaller share of the group's documents that hold each lemma: the main happening recurs in every
    report, a side remark in one."""
    return np.minimum(ctx.spread[i], ctx.spread[j])


def spread_max(ctx, i, j):
    """The larger share of the group's documents that hold each lemma."""
    return np.maximum(ctx.spread[i], ctx.spread[j])


@_set_feature
def args_jaccard(a: EventView, b: EventView) -> float:
    """Jaccard of the sentences' names, numbers and time words: {"tuesday", "oakland"} vs {"oakland"} 0.5."""
    if not a.args or not b.args:
        return 0.0
    return len(a.args & b.args) / len(a.args | b.args)


@_set_feature
def dargs_shared(a: EventView, b: EventView) -> float:
    """log(1 + shared dependents of the triggers): "killed [Smith] in [Oakland]" / "murder of [Smith]"."""
    return math.log1p(len(a.dargs & b.dargs))


@_set_feature
def dargs_conflict(a: EventView, b: EventView) -> float:
    """1 when both triggers have dependents and share none: "arrested in Ohio" / "arrested in Texas"."""
    return float(bool(a.dargs) and bool(b.dargs) and not (a.dargs & b.dargs))


def prior_log_odds(ctx, i, j):
    """Lemma-pair log-odds learned on the training topics ("kill" / "murder" high, "say" / "say" low)."""
    return _prior(ctx, i, j)[0]


def prior_votes(ctx, i, j):
    """log(1 + topics in which the lemma pair was seen): how much to trust ``prior_log_odds``."""
    return _prior(ctx, i, j)[1]


def _prior(ctx, i, j) -> tuple[np.ndarray, np.ndarray]:
    """Both prior columns, computed once for the pair arrays last asked (the two features share them)."""
    last = ctx.__dict__.get("_prior_last")
    if last is not None and last[0] is i and last[1] is j:
        return last[2]
    n = len(i)
    odds, votes = np.zeros(n), np.zeros(n)
    if ctx.prior is not None:
        lem = [v.lemma for v in ctx.views]
        memo: dict[tuple[int, int], tuple[float, float]] = {}
        for r, (a, b) in enumerate(zip(ctx.lemma_ids[i].tolist(), ctx.lemma_ids[j].tolist())):
            k = (a, b) if a <= b else (b, a)
            if k not in memo:
                memo[k] = ctx.prior.log_odds(lem[i[r]], lem[j[r]])
            odds[r], votes[r] = memo[k]
    ctx.__dict__["_prior_last"] = (i, j, (odds, votes))      # holds i and j, so their ids are not reused
    return odds, votes


def _vector_sim(kind: str, doc: str) -> FeatureFn:
    def run(ctx: PairContext, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        v = ctx.vectors.get(kind)
        if v is None:
            return np.zeros(len(i))
        return np.einsum("ij,ij->i", v[i], v[j])
    run.__doc__ = doc
    return run


trigger_vec_sim = _vector_sim("trigger", "Cosine of the triggers' contextual embeddings (0 without embeddings).")
sentence_vec_sim = _vector_sim("sentence", "Cosine of the sentences' embeddings (0 without embeddings).")
lemma_vec_sim = _vector_sim("lemma", "Cosine of the lemmas' embeddings out of context: \"kill\" / \"murder\".")


FEATURES: tuple[tuple[str, FeatureFn], ...] = (
    ("same_lemma", same_lemma),
    ("same_stem", same_stem),
    ("char_sim", char_sim),
    ("same_class", same_class),
    ("both_reporting", both_reporting),
    ("either_reporting", either_reporting),
    ("both_verbs", both_verbs),
    ("both_nouns", both_nouns),
    ("same_doc", same_doc),
    ("same_sentence", same_sentence),
    ("lead_pair", lead_pair),
    ("sentence_sim", sentence_sim),
    ("doc_sim", doc_sim),
    ("names_sim", names_sim),
    ("either_modifier", either_modifier),
    ("spread_min", spread_min),
    ("spread_max", spread_max),
    ("args_jaccard", args_jaccard),
    ("dargs_shared", dargs_shared),
    ("dargs_conflict", dargs_conflict),
    ("prior_log_odds", prior_log_odds),
    ("prior_votes", prior_votes),
    ("trigger_vec_sim", trigger_vec_sim),
    ("sentence_vec_sim", sentence_vec_sim),
    ("lemma_vec_sim", lemma_vec_sim),
)
VECTOR_FEATURES = frozenset({"trigger_vec_sim", "sentence_vec_sim", "lemma_vec_sim"})
FEATURE_NAMES = tuple(n for n, _ in FEATURES)
LEXICAL_FEATURES = tuple(n for n in FEATURE_NAMES if n not in VECTOR_FEATURES)   # what the shipped model reads


def pair_features(ctx: PairContext, i: np.ndarray, j: np.ndarray,
                  names: Sequence[str] = FEATURE_NAMES) -> np.ndarray:
    """The feature matrix (one row per pair (i[k], j[k]), one column per name)."""
    table = dict(FEATURES)
    return np.column_stack([table[n](ctx, i, j) for n in names]) if len(i) else np.zeros((0, len(names)))


# =========================================================================== models
Tree = float | tuple          # a leaf value, or (feature index, threshold, left tree, right tree)


def _tree_score(tree: Tree, X: np.ndarray, rows: np.ndarray, out: np.ndarray) -> None:
    if not isinstance(tree, tuple):
        out[rows] += tree
        return
    f, t, left, right = tree
    go_left = X[rows, f] <= t
    _tree_score(left, X, rows[go_left], out)
    _tree_score(right, X, rows[~go_left], out)


def _tree_json(tree: Tree):
    if not isinstance(tree, tuple):
        return round(float(tree), 6)
    f, t, left, right = tree
    return [int(f), round(float(t), 6), _tree_json(left), _tree_json(right)]


def _tree_from_json(raw) -> Tree:
    if not isinstance(raw, list):
        return float(raw)
    f, t, left, right = raw
    return (int(f), float(t), _tree_from_json(left), _tree_from_json(right))


@dataclass(frozen=True)
class PairModel:
    """Gradient-boosted small trees over the named features: score = bias + the leaf of each tree (a node
    sends ``feature <= threshold`` left), probability = logistic(score)."""
    names: tuple[str, ...]
    bias: float
    trees: tuple[Tree, ...]
    threshold: float = 0.5                 # linkage threshold on the mean pair probability
    meta: Mapping = field(default_factory=dict)

    def score(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        out = np.full(len(X), self.bias)
        rows = np.arange(len(X))
        for tree in self.trees:
            _tree_score(tree, X, rows, out)
        return out

    def proba(self, X: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.score(X)))

    def importance(self) -> dict[str, float]:
        """Sum over nodes of the spread between a node's two sides' mean leaves, by feature."""
        imp: dict[str, float] = defaultdict(float)

        def mean_leaf(t):
            return t if not isinstance(t, tuple) else (mean_leaf(t[2]) + mean_leaf(t[3])) / 2

        def walk(t):
            if isinstance(t, tuple):
                imp[self.names[t[0]]] += abs(mean_leaf(t[2]) - mean_leaf(t[3]))
                walk(t[2])
                walk(t[3])
        for t in self.trees:
            walk(t)
        return dict(sorted(imp.items(), key=lambda kv: -kv[1]))

    def to_json(self) -> dict:
        return {"kind": "boosted-trees", "names": list(self.names), "bias": round(self.bias, 6),
                "trees": [_tree_json(t) for t in self.trees], "threshold": self.threshold, "meta": dict(self.meta)}

    @classmethod
    def from_json(cls, raw: dict) -> PairModel:
        return cls(tuple(raw["names"]), float(raw["bias"]), tuple(_tree_from_json(t) for t in raw["trees"]),
                   float(raw.get("threshold", 0.5)), raw.get("meta", {}))


def fit_trees(X: np.ndarray, y: np.ndarray, names: Sequence[str], rounds: int = 300, depth: int = 2,
              rate: float = 0.1, bins: int = 32, min_leaf: int = 20, l2: float = 1.0) -> PairModel:
    """Newton-boosted trees of ``depth`` levels on the logistic loss. Each node takes the (feature, cut) whose
    split most lowers the loss, cuts at quantiles of the feature (histogram boosting). Deterministic: ties go
    to the lowest feature index and cut."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n, d = X.shape
    cuts, codes = [], np.zeros((d, n), dtype=np.intp)                # one row per feature: fast gathers
    for f in range(d):
        c = np.unique(np.quantile(X[:, f], np.linspace(0, 1, bins + 1)[1:-1]))
        cuts.append(c)
        codes[f] = np.searchsorted(c, X[:, f], side="left")          # x <= c[k] -> code <= k
    width = bins + 1
    ncuts = np.array([len(c) for c in cuts])[:, None]
    p0 = min(max(y.mean(), 1e-6), 1 - 1e-6)
    bias = math.log(p0 / (1 - p0))
    score = np.full(n, bias)
    trees = []

    def histograms(rows, g, h):
        G, H, Cn = np.zeros((d, width)), np.zeros((d, width)), np.zeros((d, width))
        whole = len(rows) == n
        for f in range(d):
            cf = codes[f] if whole else codes[f, rows]
            G[f] = np.bincount(cf, weights=g, minlength=width)
            H[f] = np.bincount(cf, weights=h, minlength=width)
            Cn[f] = np.bincount(cf, minlength=width)
        return G.cumsum(axis=1), H.cumsum(axis=1), Cn.cumsum(axis=1)

    def grow(rows: np.ndarray, g: np.ndarray, h: np.ndarray, level: int) -> Tree:
        """``g``, ``h``: gradients and hessians of ``rows`` only."""
        gs, hs = float(g.sum()), float(h.sum())
        leaf = -gs / (hs + l2)
        if level == depth or len(rows) < 2 * min_leaf:
            score[rows] += rate * leaf
            return rate * leaf
        G, H, Cn = histograms(rows, g, h)
        GL, HL, CL = G[:, :-1], H[:, :-1], Cn[:, :-1]
        GR, HR, CR = gs - GL, hs - HL, len(rows) - CL
        gain = GL ** 2 / (HL + l2) + GR ** 2 / (HR + l2) - gs ** 2 / (hs + l2)
        valid = (CL >= min_leaf) & (CR >= min_leaf) & (np.arange(width - 1) < ncuts)
        gain = np.where(valid, gain, -1.0)
        f, k = np.unravel_index(int(np.argmax(gain)), gain.shape)
        if gain[f, k] <= 1e-9:
            score[rows] += rate * leaf
            return rate * leaf
        left = codes[f, rows] <= k
        return (int(f), float(cuts[f][k]), grow(rows[left], g[left], h[left], level + 1),
                grow(rows[~left], g[~left], h[~left], level + 1))

    all_rows = np.arange(n)
    for _ in range(rounds):
        p = 1 / (1 + np.exp(-score))
        tree = grow(all_rows, p - y, np.maximum(p * (1 - p), 1e-9), 0)
        if not isinstance(tree, tuple):
            break
        trees.append(tree)
    return PairModel(tuple(names), bias, tuple(trees))


@lru_cache(maxsize=2)
def load_model(path: str | None = None) -> tuple[PairModel, LemmaPrior | None]:
    """The shipped pair model and its lemma-pair prior (read-only)."""
    raw = json.loads(Path(path or MODEL_FILE).read_text(encoding="utf-8"))
    prior = LemmaPrior.from_json(raw["prior"]) if raw.get("prior") else None
    return PairModel.from_json(raw["model"]), prior


def pair_matrix(ctx: PairContext, model: PairModel) -> np.ndarray:
    """Symmetric matrix of pair probabilities for the group (diagonal 1)."""
    n = len(ctx.views)
    out = np.eye(n)
    if n < 2:
        return out
    i, j = np.triu_indices(n, 1)
    p = model.proba(pair_features(ctx, i, j, model.names))
    out[i, j] = out[j, i] = p
    return out


def average_linkage(prob: np.ndarray, threshold: float) -> list[list[int]]:
    """Clusters of a group by average linkage on 1 - probability, cut where the mean pair probability
    between two clusters falls below ``threshold``; clusters listed by their first member."""
    n = len(prob)
    if n == 0:
        return []
    if n == 1:
        return [[0]]
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform
    dist = np.clip(1.0 - prob, 0.0, 1.0)
    np.fill_diagonal(dist, 0.0)
    z = linkage(squareform(dist, checks=False), method="average")
    labels = fcluster(z, t=1.0 - threshold, criterion="distance")
    groups: dict[int, list[int]] = {}
    for idx, lab in enumerate(labels.tolist()):
        groups.setdefault(lab, []).append(idx)
    return sorted(groups.values(), key=lambda g: g[0])

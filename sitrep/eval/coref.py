"""``sitrep eval coref``: cross-document event coreference on ECB+ (Cybulska & Vossen 2014).

Setup as in Cybulska & Vossen (2015) and Barhom et al. (2019): event mentions (ACTION_* and NEG_ACTION_*
markables) in the validated sentences listed in ``ECBplus_coreference_sentences.csv``; gold clusters from the
CROSS_DOC_COREF instance ids, then INTRA_DOC_COREF chains, every other mention a singleton. Scores: MUC,
B-cubed and CEAF-e (entity-based, phi4, optimal alignment by Kuhn-Munkres) with singletons included, and
their mean, the CoNLL F1 (Pradhan et al. 2014), all computed over the whole corpus at once.

Our system (``system_learned``): documents are grouped by TF-IDF (about one group per topic), then the
mentions of a group are clustered by average linkage on pair probabilities from the learned pair model of
``sitrep.fuse.pairs`` (boosted trees over named features: trigger lemma, stem, spelling and lexicon class,
a lemma-pair prior counted over training topics, how many reports of the group repeat the lemma, arguments,
sentence, document and name similarity). The model and its linkage threshold are trained by
``scripts/train_event_coref.py`` on the standard training topics; the default evaluation scores it on the
topics it did not see (the standard development topics), and ``cv=K`` runs K-fold cross-validation over
topics. The earlier hand-weighted system (same lemma or stem, reporting verbs need a shared argument;
``system``) and the lemma-match baselines are reported beside it. Every figure is also given on the tune
and held-out parts of the topics (``sitrep.eval.split``, keyed by topic).
"""
from __future__ import annotations

import csv
import math
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

from sitrep.eval.split import part_of
from sitrep.fuse import pairs as pair_model

# Standard split (Cybulska & Vossen 2015): topics 36-45 are the test set, these are the development topics.
DEV_TOPICS = frozenset({2, 5, 12, 18, 21, 23, 34, 35})
TEST_TOPICS = frozenset(range(36, 46))


# =========================================================================== metrics
Cluster = frozenset


def _as_sets(clusters) -> list[frozenset]:
    return [frozenset(c) for c in clusters if c]


def muc(key, response) -> tuple[float, float, float]:
    """Vilain et al. (1995): links kept. Recall = sum(|K| - p(K)) / sum(|K| - 1) over key clusters K, where
    p(K) is the number of pieces the response cuts K into (mentions the response lacks are pieces alone)."""
    key, response = _as_sets(key), _as_sets(response)

    def score(gold, pred) -> tuple[float, float]:
        where = {m: i for i, c in enumerate(pred) for m in c}
        num = den = 0
        for k in gold:
            pieces = len({where.get(m, ("alone", m)) for m in k})
            num += len(k) - pieces
            den += len(k) - 1
        return num, den

    rn, rd = score(key, response)
    pn, pd = score(response, key)
    return _prf(rn, rd, pn, pd)


def b_cubed(key, response) -> tuple[float, float, float]:
    """Bagga & Baldwin (1998), per mention: recall = sum_K sum_R |K & R|^2 / |K| / sum_K |K|."""
    key, response = _as_sets(key), _as_sets(response)

    def score(gold, pred) -> tuple[float, float]:
        where = {m: i for i, c in enumerate(pred) for m in c}
        num = 0.0
        for k in gold:
            overlap = Counter(where[m] for m in k if m in where)
            num += sum(n * n for n in overlap.values()) / len(k)
        return num, sum(len(k) for k in gold)

    rn, rd = score(key, response)
    pn, pd = score(response, key)
    return _prf(rn, rd, pn, pd)


def ceaf_e(key, response) -> tuple[float, float, float]:
    """Luo (2005), entity-based CEAF: phi4(K, R) = 2|K & R| / (|K| + |R|), best one-to-one alignment
    (Kuhn-Munkres via scipy's linear_sum_assignment); recall = total / #key, precision = total / #response."""
    key, response = _as_sets(key), _as_sets(response)
    if not key or not response:
        return 0.0, 0.0, 0.0
    where = defaultdict(list)
    for j, r in enumerate(response):
        for m in r:
            where[m].append(j)
    rows, cols, vals = [], [], []
    for i, k in enumerate(key):
        inter = Counter(j for m in k for j in where.get(m, ()))
        for j, n in inter.items():
            rows.append(i)
            cols.append(j)
            vals.append(2.0 * n / (len(k) + len(response[j])))
    total = 0.0
    if vals:
        # Only clusters that share a mention can score; solve each connected block separately (exactly the
        # same optimum as the full matrix, which would be #key x #response and mostly zeros).
        total = _assignment_total(rows, cols, vals)
    return _prf(total, len(key), total, len(response))


def _assignment_total(rows: list[int], cols: list[int], vals: list[float]) -> float:
    parent: dict = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r, c in zip(rows, cols):
        a, b = find(("k", r)), find(("r", c))
        if a != b:
            parent[a] = b
    blocks: dict = defaultdict(list)
    for r, c, v in zip(rows, cols, vals):
        blocks[find(("k", r))].append((r, c, v))
    total = 0.0
    for entries in blocks.values():
        rs = sorted({r for r, _, _ in entries})
        cs = sorted({c for _, c, _ in entries})
        ri, ci = {r: i for i, r in enumerate(rs)}, {c: i for i, c in enumerate(cs)}
        m = np.zeros((len(rs), len(cs)))
        for r, c, v in entries:
            m[ri[r], ci[c]] = v
        a, b = linear_sum_assignment(m, maximize=True)
        total += float(m[a, b].sum())
    return total


def _prf(rn: float, rd: float, pn: float, pd: float) -> tuple[float, float, float]:
    r = rn / rd if rd else 0.0
    p = pn / pd if pd else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def conll(key, response) -> dict:
    """MUC, B-cubed and CEAF-e (p, r, f1 each) and their mean F1."""
    m, b, c = muc(key, response), b_cubed(key, response), ceaf_e(key, response)
    out = {"muc_f1": m[2], "b3_f1": b[2], "ceafe_f1": c[2], "conll_f1": (m[2] + b[2] + c[2]) / 3}
    out["detail"] = {name: {"p": s[0], "r": s[1], "f1": s[2]} for name, s in (("muc", m), ("b3", b), ("ceafe", c))}
    return out


# =========================================================================== reading ECB+
@dataclass
class EcbMention:
    id: tuple                          # (doc, first token id, last token id)
    doc: str
    topic: int
    sentence: int
    tokens: list[int]                  # token ids (t_id) of the mention
    text: str
    gold: str | None = None            # gold cluster id
    head: str = ""                     # head lemma (filled after parsing)
    stem: str = ""
    pos: str = ""
    args: frozenset = frozenset()      # argument words of the sentence (entities, numbers, time words)
    dargs: frozenset = frozenset()     # the trigger's own dependents: participants, places, times
    dep: str = ""                      # dependency relation of the head ("compound" in "security update")


@dataclass
class EcbDoc:
    name: str                          # e.g. 1_10ecbplus
    topic: int
    tokens: dict[int, tuple[int, str]]  # t_id -> (sentence, text)
    mentions: list[EcbMention] = field(default_factory=list)
    selected: set[int] = field(default_factory=set)

    def sentence_tokens(self, s: int) -> list[tuple[int, str]]:
        return [(t, w) for t, (si, w) in sorted(self.tokens.items()) if si == s]


def read_ecbplus(data: Path, topics: set[int] | None = None) -> list[EcbDoc]:
    """Documents with gold event mentions restricted to the validated sentences."""
    data = Path(data)
    xml_root = data / "ECB+" if (data / "ECB+").is_dir() else data
    if not xml_root.is_dir():
        raise FileNotFoundError(f"{data}: no ECB+ folder")
    selected: dict[tuple[int, str], set[int]] = defaultdict(set)
    csv_path = data / "ECBplus_coreference_sentences.csv"
    have_csv = csv_path.is_file()
    if have_csv:
        with csv_path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                selected[(int(row["Topic"]), row["File"].strip())].add(int(row["Sentence Number"]))
    else:
        print(f"warning: {csv_path} missing, scoring all sentences", file=sys.stderr)
    docs = []
    for path in sorted(xml_root.glob("*/*.xml")):
        topic_s, _, fname = path.stem.partition("_")
        if not topic_s.isdigit():
            continue
        topic = int(topic_s)
        if topics is not None and topic not in topics:
            continue
        sel = selected.get((topic, fname))
        if have_csv and not sel:
            continue
        try:
            doc = _read_doc(path, topic, sel)
        except ET.ParseError as e:
            print(f"warning: {path}: {e}", file=sys.stderr)
            continue
        docs.append(doc)
    return docs


def _read_doc(path: Path, topic: int, sel: set[int] | None) -> EcbDoc:
    root = ET.parse(path).getroot()
    tokens = {int(t.get("t_id")): (int(t.get("sentence")), t.text or "") for t in root.iter("token")}
    doc = EcbDoc(path.stem, topic, tokens, selected=set(sel) if sel else {s for s, _ in tokens.values()})
    markables = root.find("Markables")
    events: dict[str, list[int]] = {}
    for mk in (markables if markables is not None else []):
        if mk.tag.startswith("ACTION") or mk.tag.startswith("NEG_ACTION"):
            anchors = sorted(int(a.get("t_id")) for a in mk.findall("token_anchor"))
            if anchors and tokens[anchors[0]][0] in doc.selected:
                events[mk.get("m_id")] = anchors
    cluster: dict[str, str] = {}
    relations = root.find("Relations")
    for rel in (relations if relations is not None else []):
        sources = [s.get("m_id") for s in rel.findall("source")]
        target = rel.find("target")
        if rel.tag == "CROSS_DOC_COREF":
            for s in sources:
                cluster[s] = rel.get("note") or f"{path.stem}:{rel.get('r_id')}"
        elif rel.tag == "INTRA_DOC_COREF" and target is not None:
            for s in sources:
                cluster.setdefault(s, f"{path.stem}:intra:{target.get('m_id')}")
    for mid, anchors in sorted(events.items(), key=lambda kv: kv[1]):
        text = " ".join(tokens[t][1] for t in anchors)
        doc.mentions.append(EcbMention((path.stem, anchors[0], anchors[-1]), path.stem, topic, tokens[anchors[0]][0],
                                       anchors, text, cluster.get(mid) or f"{path.stem}:single:{mid}"))
    return doc


# =========================================================================== linguistic features
@lru_cache(maxsize=1)
def _nlp():
    import spacy
    from sitrep.config import Config
    return spacy.load(Config().spacy_model, disable=["textcat"])


# the light derivational stem lives with the pair features, which the product's fusion shares
stem = pair_model.stem


_TIME_WORDS = frozenset("monday tuesday wednesday thursday friday saturday sunday january february march april may "
                        "june july august september october november december".split())


def parse(docs: list[EcbDoc]) -> dict[tuple[str, int], object]:
    """spaCy over each selected sentence (tokens kept as ECB+ gives them); fills mention heads and arguments."""
    from spacy.tokens import Doc
    nlp = _nlp()
    keys, inputs = [], []
    for d in docs:
        for s in sorted(d.selected):
            toks = d.sentence_tokens(s)
            if toks:
                keys.append((d.name, s))
                inputs.append(Doc(nlp.vocab, words=[w or "_" for _, w in toks]))
    parsed = {}
    for key, sdoc in zip(keys, nlp.pipe(inputs, batch_size=64)):
        parsed[key] = sdoc
    for d in docs:
        for m in d.mentions:
            _fill(m, d, parsed.get((d.name, m.sentence)))
    return parsed


def _sentence_args(sdoc) -> frozenset:
    out = set()
    for ent in sdoc.ents:
        if ent.label_ in ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "DATE", "TIME", "EVENT", "PRODUCT", "CARDINAL"):
            out.add(ent.text.casefold())
    for t in sdoc:
        if t.pos_ == "PROPN" or t.like_num or t.lower_ in _TIME_WORDS:
            out.add(t.lower_)
    return frozenset(out)


def _fill(m: EcbMention, d: EcbDoc, sdoc) -> None:
    if sdoc is None:
        m.head = m.stem = m.text.casefold()
        return
    first = min(t for t, (s, _) in d.tokens.items() if s == m.sentence)
    idx = [t - first for t in m.tokens if 0 <= t - first < len(sdoc)]
    if not idx:
        m.head = m.stem = m.text.casefold()
        return
    inside = set(idx)
    # the syntactic head: the token whose head lies outside the mention (the first content word otherwise)
    heads = [i for i in idx if sdoc[i].head.i not in inside or sdoc[i].head.i == i]
    content = [i for i in heads if sdoc[i].pos_ in ("VERB", "NOUN", "PROPN", "ADJ")] or heads or idx
    tok = sdoc[content[0]]
    m.head = tok.lemma_.casefold() if tok.lemma_ else tok.lower_
    m.pos = tok.pos_
    m.dep = tok.dep_
    m.stem = stem(m.head)
    m.args = _sentence_args(sdoc)
    m.dargs = _dep_args(tok)


def _dep_args(tok) -> frozenset:
    """Content words among the trigger's dependents (through prepositions): who, whom, where, when."""
    out = set()
    stack = [c for c in tok.children if c.dep_ not in ("aux", "auxpass", "neg", "punct", "cc", "conj", "mark")]
    if tok.dep_ in ("amod", "acl", "relcl") or tok.pos_ == "NOUN":
        stack.append(tok.head)
    seen = set()
    while stack:
        c = stack.pop()
        if c.i in seen or c.i == tok.i:
            continue
        seen.add(c.i)
        if c.pos_ in ("PROPN", "NUM") or (c.pos_ == "NOUN" and c.dep_ != "ROOT"):
            out.add(c.lemma_.casefold())
        if c.dep_ in ("prep", "pobj", "compound", "nsubj", "dobj", "nsubjpass", "poss", "npadvmod", "nummod", "agent"):
            stack.extend(c.children)
    return frozenset(out)


# =========================================================================== predicted mentions
def predict_mentions(docs: list[EcbDoc], parsed: dict) -> list[EcbMention]:
    """Our own event mentions: main verbs and event nouns (nominalisations, PLOVER trigger nouns)."""
    trigger_nouns = _trigger_nouns()
    out = []
    for d in docs:
        for s in sorted(d.selected):
            sdoc = parsed.get((d.name, s))
            if sdoc is None:
                continue
            tids = [t for t, _ in d.sentence_tokens(s)]
            for tok in sdoc:
                lemma = tok.lemma_.casefold()
                is_event = (tok.pos_ == "VERB" and tok.dep_ not in ("aux", "auxpass") and lemma not in _LIGHT_VERBS) or (
                    tok.pos_ == "NOUN" and (lemma in trigger_nouns or _nominalisation(lemma)))
                if not is_event or tok.i >= len(tids):
                    continue
                t = tids[tok.i]
                m = EcbMention((d.name, t, t), d.name, d.topic, s, [t], tok.text)
                m.head, m.pos, m.stem, m.args = lemma, tok.pos_, stem(lemma), _sentence_args(sdoc)
                m.dargs = _dep_args(tok)
                out.append(m)
    return out


_LIGHT_VERBS = frozenset({"be", "have", "do", "say", "tell", "get", "make", "go", "come", "take", "give",
                          "include", "seem", "become", "want", "need", "know", "think", "see", "let"})


def _nominalisation(lemma: str) -> bool:
    return len(lemma) > 6 and lemma.endswith(("tion", "sion", "ment", "ance", "ence", "ure", "ing"))


@lru_cache(maxsize=1)
def _trigger_nouns() -> frozenset:
    """Single-word triggers of the PLOVER trigger table (sitrep/data/events/triggers.yaml), when present."""
    try:
        import yaml
        from sitrep.config import DATA_DIR
        raw = yaml.safe_load((DATA_DIR / "events" / "triggers.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, ValueError):
        return frozenset()
    words = set()

    def walk(x):
        if isinstance(x, dict):
            for k, v in x.items():
                if isinstance(k, str) and " " not in k.strip():
                    words.add(k.strip().casefold())
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
        elif isinstance(x, str) and " " not in x.strip():
            words.add(x.strip().casefold())
    walk(raw)
    return frozenset(w for w in words if w.isalpha())


# =========================================================================== document clustering
_WORD = re.compile(r"[a-z][a-z'-]+|\d{2,4}")


def doc_vectors(docs: list[EcbDoc]):
    """L2-normalised TF-IDF (log tf, smooth idf) over each document's words without stop words."""
    from spacy.lang.en.stop_words import STOP_WORDS
    bags = []
    for d in docs:
        words = [w for _, (_, t) in sorted(d.tokens.items()) for w in _WORD.findall(t.casefold())]
        bags.append(Counter(w for w in words if w not in STOP_WORDS and len(w) > 2))
    df = Counter(w for b in bags for w in b)
    vocab = {w: i for i, w in enumerate(sorted(df))}
    n = len(docs)
    mat = np.zeros((n, len(vocab)), dtype=np.float32)
    for i, b in enumerate(bags):
        for w, c in b.items():
            mat[i, vocab[w]] = (1 + math.log(c)) * (math.log((1 + n) / (1 + df[w])) + 1)
    norms = np.linalg.norm(mat, axis=1, keepdims=True)
    return mat / np.maximum(norms, 1e-9)


def cluster_docs(docs: list[EcbDoc], threshold: float) -> dict[str, int]:
    """Average-linkage clustering of documents on cosine distance, cut at ``threshold``."""
    from scipy.cluster.hierarchy import fcluster, linkage
    if len(docs) == 1:
        return {docs[0].name: 0}
    vec = doc_vectors(docs)
    z = linkage(vec, method="average", metric="cosine")
    labels = fcluster(z, t=threshold, criterion="distance")
    return {d.name: int(l) for d, l in zip(docs, labels)}


# =========================================================================== mention clustering
@dataclass(frozen=True)
class CorefParams:
    doc_threshold: float = 0.8           # cosine distance cut for document clusters
    link_threshold: float = 0.5          # average pair score needed to merge two mention clusters
    w_lemma: float = 1.0
    w_stem: float = 0.8
    w_args: float = 0.0                  # options below: no gain on the training topics (see module doc)
    w_same_doc: float = 0.0
    w_dargs: float = 0.0
    w_dconflict: float = 0.0
    w_cross: float = 0.0
    reporting_needs_args: bool = True    # +0.003 CoNLL on the training topics, +0.002 on dev
    cross_min_shared: int = 2


@lru_cache(maxsize=1)
def reporting_lemmas() -> frozenset:
    """Lemmas of speech, belief and intention cues (sitrep/data/quotes/cues.yaml): "said" in two reports is
    rarely the same saying, so these link across documents only when they share an argument."""
    try:
        import yaml
        from sitrep.config import DATA_DIR
        raw = yaml.safe_load((DATA_DIR / "quotes" / "cues.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, ValueError):
        return frozenset()
    forms = {w for k in ("speech", "belief", "intention") for w in (raw.get("kinds") or {}).get(k, [])}
    nlp = _nlp()
    return frozenset(t.lemma_.casefold() for doc in nlp.pipe(sorted(forms)) for t in doc)


def pair_score(a: EcbMention, b: EcbMention, p: CorefParams) -> float:
    if (p.reporting_needs_args and a.doc != b.doc and a.head in reporting_lemmas()
            and not (a.dargs & b.dargs)):
        return 0.0
    if a.head == b.head:
        s = p.w_lemma
    elif a.stem == b.stem:
        s = p.w_stem
    elif p.w_cross and a.pos == b.pos and len(a.dargs & b.dargs) >= p.cross_min_shared:
        return p.w_cross            # different words, same participants, place or time
    else:
        return 0.0
    if a.args and b.args:
        jac = len(a.args & b.args) / len(a.args | b.args)
        s += p.w_args * (jac - 0.1)
    if a.dargs and b.dargs:
        shared = len(a.dargs & b.dargs)
        s += p.w_dargs if shared else -p.w_dconflict
    if a.doc == b.doc:
        s += p.w_same_doc
    return s


def cluster_mentions_avg(mentions: list[EcbMention], p: CorefParams) -> list[list[EcbMention]]:
    """Average-linkage agglomeration: merge the best pair of clusters while its mean pair score passes."""
    n = len(mentions)
    if n <= 1:
        return [mentions] if mentions else []
    sim = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            sim[i, j] = sim[j, i] = pair_score(mentions[i], mentions[j], p)
    # only mentions joined by a positive score can ever merge: agglomerate each connected part alone
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components
    ncomp, labels = connected_components(csr_matrix(sim > 0), directed=False)
    if ncomp > 1:
        out = []
        for c in range(ncomp):
            idx = [i for i in range(n) if labels[i] == c]
            out.extend(_agglomerate([mentions[i] for i in idx], sim[np.ix_(idx, idx)], p.link_threshold))
        return out
    return _agglomerate(mentions, sim, p.link_threshold)


def _agglomerate(mentions: list[EcbMention], sim: np.ndarray, threshold: float) -> list[list[EcbMention]]:
    n = len(mentions)
    clusters = {i: [i] for i in range(n)}
    # cluster-level sums of pair scores, updated on merge (Lance-Williams for average linkage)
    total = sim.copy()
    active = set(range(n))
    while True:
        best, pair = threshold, None
        act = sorted(active)
        for x in range(len(act)):
            i = act[x]
            for y in range(x + 1, len(act)):
                j = act[y]
                v = total[i, j] / (len(clusters[i]) * len(clusters[j]))
                if v > best:
                    best, pair = v, (i, j)
        if pair is None:
            break
        i, j = pair
        clusters[i].extend(clusters.pop(j))
        active.discard(j)
        for k in active:
            if k != i:
                total[i, k] = total[k, i] = total[i, k] + total[j, k]
    return [[mentions[k] for k in c] for c in clusters.values()]


def system(docs: list[EcbDoc], mentions: list[EcbMention], p: CorefParams) -> list[list[tuple]]:
    groups = cluster_docs(docs, p.doc_threshold)
    by_group: dict[int, list[EcbMention]] = defaultdict(list)
    for m in mentions:
        by_group[groups.get(m.doc, -1)].append(m)
    out = []
    for g in sorted(by_group):
        for c in cluster_mentions_avg(by_group[g], p):
            out.append([m.id for m in c])
    return out


def lemma_baseline(mentions: list[EcbMention], groups: dict[str, int] | None = None) -> list[list[tuple]]:
    """Same head lemma -> same cluster (pooled over the corpus, or inside each document cluster)."""
    out: dict[tuple, list] = defaultdict(list)
    for m in mentions:
        out[(groups.get(m.doc, -1) if groups else 0, m.head)].append(m.id)
    return list(out.values())


def gold_clusters(mentions: list[EcbMention]) -> list[list[tuple]]:
    out: dict[str, list] = defaultdict(list)
    for m in mentions:
        out[m.gold].append(m.id)
    return list(out.values())


def match_predicted(gold: list[EcbMention], pred: list[EcbMention]) -> list[EcbMention]:
    """Give a predicted mention the id of the gold mention whose span contains it (head match), so that the
    scorer sees one identity per mention; predictions inside no gold span keep their own ids."""
    where = {}
    for g in gold:
        for t in g.tokens:
            where[(g.doc, t)] = g.id
    used = set()
    out = []
    for m in pred:
        gid = where.get((m.doc, m.tokens[0]))
        if gid is not None and gid not in used:
            used.add(gid)
            m = EcbMention(gid, m.doc, m.topic, m.sentence, m.tokens, m.text, None, m.head, m.stem, m.pos, m.args,
                           m.dargs)
        out.append(m)
    return out


# =========================================================================== learned pair decisions
@dataclass(frozen=True)
class LearnedParams:
    """How the learned system is trained (``scripts/train_event_coref.py`` and ``--cv`` use the same)."""
    doc_threshold: float = 0.9           # coarse document groups (a topic); the pair model weighs doc similarity
    rounds: int = 200
    depth: int = 2                       # pairs of conditions: 5-fold CV 0.774 vs 0.755 with stumps
    rate: float = 0.15
    thresholds: tuple[float, ...] = tuple(round(0.15 + 0.05 * k, 2) for k in range(12))   # tuned on training


@lru_cache(maxsize=1)
def _stop_words() -> frozenset:
    from spacy.lang.en.stop_words import STOP_WORDS
    return frozenset(STOP_WORDS)


def sentence_words(sdoc) -> tuple[str, ...]:
    """Content words of a parsed sentence, lower case (stop words and short tokens dropped)."""
    stop = _stop_words()
    return tuple(t.lower_ for t in sdoc if (t.is_alpha or t.like_num) and len(t) > 2 and t.lower_ not in stop)


def document_names(docs: list[EcbDoc]) -> dict[str, list[str]]:
    """Capitalised words inside sentences and numbers of each document, lower case: the names, places and
    figures that tell two similar stories apart (two earthquakes, two arrests of pirates)."""
    stop = _stop_words()
    out = {}
    for d in docs:
        toks = [t for _, (_, t) in sorted(d.tokens.items())]
        names = []
        for k, t in enumerate(toks):
            if any(ch.isdigit() for ch in t) or (
                    t[:1].isupper() and len(t) > 2 and t.casefold() not in stop and k > 0
                    and toks[k - 1] not in (".", "!", "?", "``", '"', "''", ":")):
                names.append(t.casefold())
        out[d.name] = names
    return out


def document_words(docs: list[EcbDoc]) -> dict[str, list[str]]:
    stop = _stop_words()
    out = {}
    for d in docs:
        words = [w for _, (_, t) in sorted(d.tokens.items()) for w in _WORD.findall(t.casefold())]
        out[d.name] = [w for w in words if w not in stop and len(w) > 2]
    return out


def event_view(m: EcbMention, parsed: dict) -> pair_model.EventView:
    sdoc = parsed.get((m.doc, m.sentence))
    return pair_model.EventView(m.id, m.doc, m.sentence, m.head, m.text.casefold(), m.pos,
                                sentence_words(sdoc) if sdoc is not None else (), m.args, m.dargs, m.dep)


@dataclass
class Corpus:
    """Parsed documents with what the pair features need, built once."""
    docs: list[EcbDoc]
    parsed: dict
    doc_words: dict[str, list[str]]
    doc_names: dict[str, list[str]]
    lexicon: pair_model.Lexicon

    @classmethod
    def build(cls, docs: list[EcbDoc], parsed: dict) -> Corpus:
        return cls(docs, parsed, document_words(docs), document_names(docs), pair_model.load_lexicon())

    def groups(self, mentions: list[EcbMention], threshold: float, by_topic: bool = False) -> list[list[EcbMention]]:
        """Mentions by document cluster (and by gold topic too when ``by_topic``: training pairs never cross
        topics), in a fixed order."""
        clusters = cluster_docs(self.docs, threshold)
        out: dict[tuple, list[EcbMention]] = defaultdict(list)
        for m in mentions:
            out[(clusters.get(m.doc, -1), m.topic if by_topic else 0)].append(m)
        return [out[k] for k in sorted(out)]

    def context(self, group: list[EcbMention], prior) -> pair_model.PairContext:
        views = [event_view(m, self.parsed) for m in group]
        return pair_model.PairContext(views, self.lexicon, prior, self.doc_words, self.doc_names).build()


def _link(prob: np.ndarray, threshold: float, group: list[EcbMention]) -> list[list[tuple]]:
    return [[group[k].id for k in c] for c in pair_model.average_linkage(prob, threshold)]


def train_learned(corpus: Corpus, mentions: list[EcbMention], p: LearnedParams = LearnedParams()
                  ) -> tuple[pair_model.PairModel, pair_model.LemmaPrior]:
    """Fit the pair model on ``mentions`` (gold clusters known) and tune the linkage threshold on them.

    The lemma-pair prior a training pair sees leaves out that pair's own topic, so the model learns how far
    to trust the prior on a topic it has not seen."""
    groups = corpus.groups(mentions, p.doc_threshold, by_topic=True)
    views = [[event_view(m, corpus.parsed) for m in g] for g in groups]
    shares, base = pair_model.lemma_pair_shares([(g[0].topic, v, [m.gold for m in g]) for g, v in zip(groups, views)])
    loto: dict[int, pair_model.LemmaPrior] = {}
    names = pair_model.LEXICAL_FEATURES
    Xs, ys, pairs = [], [], []
    for g, v in zip(groups, views):
        t = g[0].topic
        if t not in loto:
            loto[t] = pair_model.build_prior(shares, base, exclude=t)
        ctx = pair_model.PairContext(v, corpus.lexicon, loto[t], corpus.doc_words, corpus.doc_names).build()
        i, j = np.triu_indices(len(g), 1)
        Xs.append(pair_model.pair_features(ctx, i, j, names))
        ys.append(np.array([g[a].gold == g[b].gold for a, b in zip(i.tolist(), j.tolist())], dtype=float))
        pairs.append((i, j))
    model = pair_model.fit_trees(np.vstack(Xs), np.concatenate(ys), names, p.rounds, p.depth, p.rate)
    key = gold_clusters(mentions)
    probs = []
    for g, X, (i, j) in zip(groups, Xs, pairs):
        m = np.eye(len(g))
        m[i, j] = m[j, i] = model.proba(X)
        probs.append(m)
    best = max(p.thresholds, key=lambda th: (round(conll(key, [c for g, m in zip(groups, probs)
                                                               for c in _link(m, th, g)])["conll_f1"], 6), -th))
    topics = sorted({m.topic for m in mentions})
    model = pair_model.PairModel(model.names, model.bias, model.trees, float(best),
                                 {"trained_on_topics": topics, "doc_threshold": p.doc_threshold})
    return model, pair_model.build_prior(shares, base)


def system_learned(corpus: Corpus, mentions: list[EcbMention], model: pair_model.PairModel,
                   prior: pair_model.LemmaPrior | None, doc_threshold: float | None = None) -> list[list[tuple]]:
    """Average linkage on the model's pair probabilities inside each document group."""
    th = doc_threshold if doc_threshold is not None else float(model.meta.get("doc_threshold", 0.9))
    out = []
    for g in corpus.groups(mentions, th):
        out.extend(_link(pair_model.pair_matrix(corpus.context(g, prior), model), model.threshold, g))
    return out


def topic_folds(topics: list[int], k: int) -> list[list[int]]:
    """Topics dealt round-robin into ``k`` folds (sorted topics; fold f holds topics f, f+k, ...)."""
    ts = sorted(topics)
    return [ts[f::k] for f in range(k)]


def cross_validate(corpus: Corpus, mention_sets: dict[str, list[EcbMention]], k: int,
                   p: LearnedParams = LearnedParams()) -> dict:
    """Train on k-1 folds of topics, answer for the held-out fold, pool the answers over the folds: every
    mention's cluster comes from a model that never saw its topic. ``mention_sets["gold"]`` trains."""
    gold_m = mention_sets["gold"]
    folds = topic_folds(sorted({m.topic for m in gold_m}), k)
    answers: dict[str, list] = {name: [] for name in mention_sets}
    thresholds = []
    for held in folds:
        held_s = set(held)
        model, prior = train_learned(corpus, [m for m in gold_m if m.topic not in held_s], p)
        thresholds.append(model.threshold)
        for name, ms in mention_sets.items():
            answers[name].extend(system_learned(corpus, [m for m in ms if m.topic in held_s], model, prior))
    return {"folds": folds, "thresholds": thresholds, "answers": answers}


# =========================================================================== entry points
# =========================================================================== entry points
def _scores(gold, pred) -> dict:
    s = conll(gold, pred)
    return {k: round(v, 4) for k, v in s.items() if k != "detail"} | {
        "detail": {n: {k: round(v, 4) for k, v in d.items()} for n, d in s["detail"].items()}}


def _part_scores(key, response, ids_by_part: dict[str, set]) -> dict:
    """CoNLL F1 on each part's mentions alone (both partitions cut to the part)."""
    out = {}
    for part, keep in ids_by_part.items():
        kk = [[x for x in c if x in keep] for c in key]
        rr = [[x for x in c if x in keep] for c in response]
        out[part] = _scores(kk, rr)
    return out


def topic_part(topic: int) -> str:
    """The tune / held-out part of an ECB+ topic (``sitrep.eval.split``, keyed by topic)."""
    return part_of(f"ecb+topic:{topic}")


def evaluate(data: Path, config=None, params: CorefParams | None = None, topics: set[int] | None = None,
             cv: int | None = None, model_path: Path | None = None) -> dict:
    """CoNLL F1 of the learned system with gold and with predicted mentions, beside the hand-weighted system
    and the lemma baselines, on topics the model did not train on.

    Without ``cv``: the shipped model, scored on the topics it was not trained on (the standard dev topics
    when it was trained on the standard train topics). With ``cv=K``: K-fold cross-validation over topics,
    each fold's model trained (and its threshold tuned) on the other folds."""
    p = params or CorefParams()
    docs = read_ecbplus(Path(data), topics)
    if not docs:
        raise ValueError(f"{data}: no ECB+ documents with validated sentences")
    parsed = parse(docs)
    corpus = Corpus.build(docs, parsed)
    all_gold = [m for d in docs for m in d.mentions]
    all_pred = match_predicted(all_gold, predict_mentions(docs, parsed))
    if cv:
        run = cross_validate(corpus, {"gold": all_gold, "predicted": all_pred}, cv)
        scored = sorted({d.topic for d in docs})
        ours_gold, ours_pred = run["answers"]["gold"], run["answers"]["predicted"]
        how = {"mode": f"{cv}-fold cross-validation over topics", "folds": run["folds"],
               "thresholds": run["thresholds"]}
    else:
        model, prior = pair_model.load_model(str(model_path) if model_path else None)
        trained = set(model.meta.get("trained_on_topics", []))
        scored = sorted({d.topic for d in docs} - trained)
        if not scored:
            raise ValueError("every topic given was used to train the shipped model: use --cv K")
        keep = set(scored)
        ours_gold = system_learned(corpus, [m for m in all_gold if m.topic in keep], model, prior)
        ours_pred = system_learned(corpus, [m for m in all_pred if m.topic in keep], model, prior)
        how = {"mode": "shipped model (sitrep/data/fuse/event_pairs.json)", "trained_on_topics": sorted(trained),
               "threshold": model.threshold}
    keep = set(scored)
    docs_s = [d for d in docs if d.topic in keep]
    gold_m = [m for m in all_gold if m.topic in keep]
    pred_m = [m for m in all_pred if m.topic in keep]
    key = gold_clusters(gold_m)
    groups = cluster_docs(docs_s, p.doc_threshold)
    parts = {part: {m.id for m in gold_m if topic_part(m.topic) == part} for part in ("tune", "heldout")}
    gold_ids, pred_ids = {m.id for m in gold_m}, {m.id for m in pred_m}
    tp = len(gold_ids & pred_ids)
    ours = _scores(key, ours_gold)
    return {
        "gold_mentions": ours | {"parts": _part_scores(key, ours_gold, parts)},
        "predicted_mentions": _scores(key, ours_pred) | {"mention_detection": {
            "p": round(tp / len(pred_ids), 4) if pred_ids else 0.0, "r": round(tp / len(gold_ids), 4),
            "matching": "a predicted token inside a gold mention's span"}},
        "hand_rules": _scores(key, system(docs_s, gold_m, p)),
        "baseline_lemma": _scores(key, lemma_baseline(gold_m, groups)) | {
            "pooled": _scores(key, lemma_baseline(gold_m))},
        "evaluation": how, "scored_topics": scored,
        "parts": {part: sorted(t for t in scored if topic_part(t) == part) for part in ("tune", "heldout")},
        "documents": len(docs_s), "mentions": len(gold_m), "gold_clusters": len(key),
        "doc_clusters": len(set(groups.values())),
    }


def format_table(result: dict) -> str:
    ev = result.get("evaluation", {})
    rows = [("learned, gold mentions", result["gold_mentions"]),
            ("learned, our mentions", result["predicted_mentions"]),
            ("hand-weighted rules, gold mentions", result.get("hand_rules", {})),
            ("lemma baseline, doc clusters", result["baseline_lemma"]),
            ("lemma baseline, pooled", result["baseline_lemma"].get("pooled", {}))]
    lines = [f"ECB+ event coreference: {result.get('documents')} documents, {result.get('mentions')} gold mentions, "
             f"{result.get('gold_clusters')} gold clusters, topics {_ranges(result.get('scored_topics', []))}",
             f"evaluation: {ev.get('mode')}"
             + (f"; model trained on topics {_ranges(ev['trained_on_topics'])}" if ev.get("trained_on_topics") else ""),
             f"{'system':42} {'MUC':>6} {'B3':>6} {'CEAF-e':>6} {'CoNLL':>6}"]
    for name, r in rows:
        if r:
            lines.append(f"{name:42} {r['muc_f1']:6.3f} {r['b3_f1']:6.3f} {r['ceafe_f1']:6.3f} {r['conll_f1']:6.3f}")
    for part, r in result["gold_mentions"].get("parts", {}).items():
        lines.append(f"{'  learned, gold mentions, ' + part + ' topics':42} {r['muc_f1']:6.3f} {r['b3_f1']:6.3f} "
                     f"{r['ceafe_f1']:6.3f} {r['conll_f1']:6.3f}  ({_ranges(result['parts'][part])})")
    md = result["predicted_mentions"].get("mention_detection")
    if md:
        lines.append(f"our mention detection: P {md['p']:.3f} R {md['r']:.3f} ({md['matching']})")
    lines.append("published (gold mentions, test topics 36-45): lemma + doc clusters ~0.74-0.75, Barhom et al. 2019 "
                 "0.795, Held et al. 2021 0.857, Yao et al. 2025 0.884")
    return "\n".join(lines)


def _ranges(topics) -> str:
    ts = sorted(topics)
    out, k = [], 0
    while k < len(ts):
        e = k
        while e + 1 < len(ts) and ts[e + 1] == ts[e] + 1:
            e += 1
        out.append(str(ts[k]) if e == k else f"{ts[k]}-{ts[e]}")
        k = e + 1
    return ",".join(out)

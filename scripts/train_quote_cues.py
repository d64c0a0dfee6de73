"""Train the attribution cue classifier on the PolNeAR *train* split (never dev/test).

Every verb of a train article is an example: positive when it heads a gold Cue span (the cue token whose
syntactic head lies outside the span), negative otherwise. Features are ``cue_features`` of
sitrep/extract/quotes.py, hashed; the model is an L2 logistic regression (scikit-learn, needed only here).
The decision threshold is chosen on a held-out fifth of the train articles by the end-to-end cue F1 of
the extractor (scored as ``sitrep eval quotes`` scores), then the model is refit on all train articles and
written to ``sitrep/data/quotes/cue_model.npz`` (hashed weights only, no corpus text). Run by hand:

    .venv/bin/python scripts/train_quote_cues.py ../shared/data/quotes/polnear/data/train [--docbin F]

``--docbin`` caches the spaCy parses of the split (parsing 840 articles takes minutes).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import yaml
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from spacy.tokens import DocBin

from sitrep.annotate.nlp import load_pipeline
from sitrep.config import DATA_DIR, Config
from sitrep.eval.quotes import TYPES, _match, _prf, _strip, load_split, predicted_spans, read_gold
from sitrep.extract.quotes import (CUE_MODEL, N_HASH, CueModel, cue_features, extract_quotes, feature_index,
                                   find_quoted, is_candidate, load_cues)
from sitrep.records import Annotation, Document, Published

C = 0.5                      # inverse L2 strength
HOLDOUT_EVERY = 5            # every 5th article is held out for the threshold
MIN_PREP = 8                 # a cue preposition must be seen this often


def parse(train: Path, docbin: Path | None):
    articles = load_split(train)
    nlp = load_pipeline(Config().spacy_model, False)
    if docbin is not None and docbin.exists():
        docs = list(DocBin().from_disk(docbin).get_docs(nlp.vocab))
        if len(docs) == len(articles):
            return articles, docs
    docs = list(nlp.pipe([t for _, t, _ in articles], batch_size=32))
    if docbin is not None:
        db = DocBin(store_user_data=False)
        for d in docs:
            db.add(d)
        db.to_disk(docbin)
    return articles, docs


def examples(text: str, ann_text: str, doc, lex):
    """(feature index lists, labels) for the candidate tokens of one article."""
    gold = [_strip(text, *sp) for sp in read_gold(ann_text)["cue"]]
    quoted = find_quoted(text)
    rows, labels = [], []
    for tok in doc:
        if not is_candidate(tok):
            continue
        span = next((g for g in gold if g[0] <= tok.idx < g[1]), None)
        head_in = span is not None and tok.head.i != tok.i and span[0] <= tok.head.idx < span[1]
        in_q = any(q.start <= tok.idx < q.end for q in quoted)
        rows.append(sorted({feature_index(f) for f in cue_features(tok, in_q, lex)}))
        labels.append(int(span is not None and not head_in))
    return rows, labels


def prep_rates(articles, docs) -> dict[str, dict]:
    """How often a preposition right after a gold cue verb with no clause or object ("pointed to X",
    "talked about X") is part of the cue: {prep: {"in": n, "out": n}}."""
    counts: dict[str, list[int]] = {}
    for (_, text, ann_text), doc in zip(articles, docs):
        for s, e in {_strip(text, *x) for x in read_gold(ann_text)["cue"]}:
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is None or span.root.pos_ not in {"VERB", "AUX"} or span.root.i + 1 >= len(doc):
                continue
            verb, nxt = span.root, doc[span.root.i + 1]
            if nxt.head.i != verb.i or nxt.dep_ != "prep" or any(
                    c.dep_ in {"ccomp", "xcomp", "parataxis", "dobj"} for c in verb.children):
                continue
            counts.setdefault(nxt.lower_, [0, 0])[int(s <= nxt.idx < e)] += 1
    return {p: {"in": c[1], "out": c[0]} for p, c in sorted(counts.items(), key=lambda x: -sum(x[1]))}


def write_preps(rates: dict[str, dict], out: Path) -> None:
    keep = {p: c for p, c in rates.items() if c["in"] + c["out"] >= MIN_PREP and c["in"] > c["out"]}
    header = ("# Prepositions that PolNeAR counts as part of a cue verb that has no clause or object of its own\n"
              "# (\"pointed to\", \"talked about\"): learned from the PolNeAR train split (Newell, Margolin &\n"
              "# Ruths 2018) by scripts/train_quote_cues.py; in/out = times the preposition right after such a gold\n"
              "# cue verb is inside / outside the cue span. Kept: seen at least 8 times, inside more often.\n")
    out.write_text(header + yaml.safe_dump({"preps": keep}, sort_keys=False), encoding="utf-8")


def matrix(rows):
    indptr = np.cumsum([0] + [len(r) for r in rows])
    indices = np.fromiter((i for r in rows for i in r), dtype=np.int32, count=int(indptr[-1]))
    return csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(len(rows), N_HASH))


def fit(rows, labels) -> LogisticRegression:
    clf = LogisticRegression(C=C, max_iter=2000, solver="liblinear")
    clf.fit(matrix(rows), np.array(labels))
    return clf


def end_to_end(articles, docs, model: CueModel) -> dict:
    """Exact and overlap F1 of the extractor with this model on the given articles."""
    counts = {t: [0, 0, 0, 0] for t in TYPES}           # gold, pred, exact, overlap
    for (name, text, ann_text), doc in zip(articles, docs):
        ann = Annotation(doc=Document(id=name, path=name, text=text, published=Published()), nlp_doc=doc,
                         sentences=[], entities=[], timexes=[], anchor=None)
        pred = predicted_spans(text, extract_quotes(ann, None, nominal=True, cue_model=model))
        gold = read_gold(ann_text)
        for t in TYPES:
            g = {sp for sp in (_strip(text, *x) for x in gold[t]) if sp[1] > sp[0]}
            ex, ov = _match(g, pred[t])
            c = counts[t]
            c[0] += len(g); c[1] += len(pred[t]); c[2] += ex; c[3] += ov
    return {t: {"exact": _prf(c[2], c[1], c[0])["f1"], "overlap": _prf(c[3], c[1], c[0])["f1"]}
            for t, c in counts.items()}


def to_model(clf, threshold: float) -> CueModel:
    return CueModel(weights=clf.coef_[0].astype(np.float32), bias=float(clf.intercept_[0]), threshold=threshold)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("train", type=Path)
    ap.add_argument("--docbin", type=Path)
    args = ap.parse_args()
    if args.train.name != "train":
        sys.exit("train on the PolNeAR train split only")
    articles, docs = parse(args.train, args.docbin)
    write_preps(prep_rates(articles, docs), DATA_DIR / "quotes" / "cue_preps.yaml")
    load_cues.cache_clear()
    lex = load_cues()
    per_doc = [examples(t, a, d, lex) for (_, t, a), d in zip(articles, docs)]
    fold = [i % HOLDOUT_EVERY == 0 for i in range(len(articles))]
    rows = [r for (rs, _), h in zip(per_doc, fold) if not h for r in rs]
    labels = [y for (_, ys), h in zip(per_doc, fold) if not h for y in ys]
    print(f"{len(rows)} candidates, {sum(labels)} cues in the fit part", file=sys.stderr)
    clf = fit(rows, labels)
    held = [(a, d) for a, d, h in zip(articles, docs, fold) if h]
    best = None
    for th in (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6):
        r = end_to_end([a for a, _ in held], [d for _, d in held], to_model(clf, th))
        score = sum(r[t]["exact"] for t in TYPES)
        print(f"threshold {th}: {r}", file=sys.stderr)
        if best is None or score > best[0]:
            best = (score, th)
    rows = [r for rs, _ in per_doc for r in rs]
    labels = [y for _, ys in per_doc for y in ys]
    clf = fit(rows, labels)
    w = clf.coef_[0].astype(np.float16)
    out = DATA_DIR / "quotes" / CUE_MODEL
    np.savez_compressed(out, weights=w, bias=np.float32(clf.intercept_[0]), threshold=np.float32(best[1]),
                        source=np.array("PolNeAR train split (Newell, Margolin & Ruths 2018), "
                                        "scripts/train_quote_cues.py"))
    print(f"threshold {best[1]}; {int((w != 0).sum())} nonzero weights -> {out} "
          f"({out.stat().st_size // 1024} KiB)", file=sys.stderr)


if __name__ == "__main__":
    main()

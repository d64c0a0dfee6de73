"""Train the learned event-location linker: logistic regression over the candidates of
``sitrep.extract.place.location_candidates`` (features of the parse path, the NER label, the rule
walk's verdict), on Halterman (2019) event_location records.

    .venv/bin/python scripts/train_event_location.py --data ../shared/data/events/event_location/labeled_text_dev.json

Reports two-fold cross-validation (train on one half, score token P/R/F1 on the other, both ways) for the
rules alone and for the model, then trains on all records and writes
``sitrep/data/events/event_location_model.json`` (feature weights; a few KB) only when the model beats the
rules in both folds. Pure numpy; no download.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitrep.eval.event_location import _char_span, _token_ids, _tokens, load_records, pipeline  # noqa: E402
from sitrep.extract.place import event_location_spans, location_candidates  # noqa: E402

OUT = ROOT / "sitrep" / "data" / "events" / "event_location_model.json"


def featurize(records, nlp):
    """Per record: (token spans, gold token ids, rule prediction, [(span, features, label)])."""
    rows = []
    for r, doc in zip(records, nlp.pipe((r["text"] for r in records), batch_size=64)):
        verb = next((s for s in r["spans"] if s.get("label") == "VERB"), None)
        if verb is None:
            continue
        vs, ve = _char_span(r, verb)
        span = doc.char_span(vs, ve, alignment_mode="expand")
        toks = _tokens(r)
        gold = _token_ids([_char_span(r, s) for s in r["spans"] if s.get("label") == "LOCATION"], toks)
        if span is None or len(span) == 0:
            rows.append((toks, gold, [], []))
            continue
        tok = next((t for t in span if t.pos_ in ("VERB", "AUX")), span.root)
        cands = [(sp, f, bool(_token_ids([sp], toks) & gold)) for sp, f in location_candidates(tok)]
        rows.append((toks, gold, event_location_spans(tok), cands))
    return rows


def train(rows, names, l2=1.0, epochs=1500, lr=1.0):
    index = {n: i for i, n in enumerate(names)}
    X, y = [], []
    for _, _, _, cands in rows:
        for _, f, lab in cands:
            v = np.zeros(len(names))
            for k, val in f.items():
                if k in index:
                    v[index[k]] = val
            X.append(v)
            y.append(float(lab))
    X, y = np.array(X), np.array(y)
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(epochs):
        z = X @ w + b
        p = 1 / (1 + np.exp(-np.clip(z, -30, 30)))
        g = p - y
        w -= lr * (X.T @ g / len(y) + l2 * w / len(y))
        b -= lr * g.mean()
    return {n: float(w[i]) for i, n in enumerate(names)}, float(b)


def score(rows, weights=None, bias=0.0, threshold=0.5):
    tp = fp = fn = 0
    for toks, gold, rule, cands in rows:
        if weights is None:
            pred = rule
        else:
            pred = []
            for sp, f, _ in cands:
                z = bias + sum(weights.get(k, 0.0) * v for k, v in f.items())
                if 1 / (1 + np.exp(-np.clip(z, -30, 30))) >= threshold:
                    pred.append(sp)
        p = _token_ids(pred, toks)
        tp += len(p & gold); fp += len(p - gold); fn += len(gold - p)
    pr = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    return {"p": round(pr, 4), "r": round(rc, 4), "f1": round(2 * pr * rc / (pr + rc) if pr + rc else 0.0, 4)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True, type=Path)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    records = load_records(args.data)
    if args.limit:
        records = records[:args.limit]
    rows = featurize(records, pipeline())
    names = sorted({k for _, _, _, c in rows for _, f, _ in c for k in f})
    half = len(rows) // 2
    folds = [(rows[:half], rows[half:]), (rows[half:], rows[:half])]
    cv = []
    for k, (tr, te) in enumerate(folds):
        w, b = train(tr, names)
        # threshold chosen on the training half only
        best_t = max((0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6), key=lambda t: score(tr, w, b, t)["f1"])
        res = {"fold": k, "rules": score(te), "model": score(te, w, b, best_t), "threshold": best_t}
        print(json.dumps(res), file=sys.stderr)
        cv.append(res)
    better = all(r["model"]["f1"] > r["rules"]["f1"] for r in cv)
    w, b = train(rows, names)
    t = max((0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6), key=lambda t: score(rows, w, b, t)["f1"])
    if not better:
        print("model does not beat the rules in both folds; nothing written", file=sys.stderr)
        return
    model = {"about": "logistic regression over sitrep.extract.place.location_candidates features; "
                      "trained by scripts/train_event_location.py on Halterman (2019) event_location "
                      "(ahalterman/event_location, MIT) development records",
             "n_records": len(rows), "threshold": t, "bias": b,
             "weights": {k: round(v, 5) for k, v in w.items() if abs(v) > 1e-6}, "cv": cv}
    args.out.write_text(json.dumps(model, indent=1), encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()

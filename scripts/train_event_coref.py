"""Train the event-pair model of ``sitrep.fuse.pairs`` on ECB+ and write ``sitrep/data/fuse/event_pairs.json``.

    .venv/bin/python scripts/train_event_coref.py --data ../shared/data/coref/ecbplus [--cv 5]

Trains on the standard ECB+ training topics (Cybulska & Vossen 2015: topics 1-35 less the development topics
2, 5, 12, 18, 21, 23, 34, 35), so that ``sitrep eval coref`` can score the shipped model on the development
topics it never saw; the held-out test topics 36-45 are not in ../shared. With ``--cv K`` it first reports
K-fold cross-validation over all topics 1-35 (the same figure as ``sitrep eval coref --cv K``).

The file holds boosted decision trees over the named pair features, the linkage threshold tuned on the
training topics, and the lemma-pair prior (pairs seen in two or more training topics, counted per topic).
Pure numpy; no download.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitrep.eval import coref as C  # noqa: E402
from sitrep.fuse import pairs as P  # noqa: E402


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=P.MODEL_FILE)
    ap.add_argument("--cv", type=int, default=0, help="report K-fold cross-validation over topics first")
    ap.add_argument("--all-topics", action="store_true", help="train on every topic present (then "
                    "`sitrep eval coref` has no unseen topic left: use --cv there)")
    args = ap.parse_args(argv)
    t0 = time.time()
    docs = C.read_ecbplus(args.data)
    if not args.all_topics:
        docs = [d for d in docs if d.topic not in C.DEV_TOPICS and d.topic not in C.TEST_TOPICS]
    parsed = C.parse(docs)
    corpus = C.Corpus.build(docs, parsed)
    gold = [m for d in docs for m in d.mentions]
    if args.cv:
        run = C.cross_validate(corpus, {"gold": gold}, args.cv)
        s = C.conll(C.gold_clusters(gold), run["answers"]["gold"])
        print(f"{args.cv}-fold CV over the training topics: CoNLL {s['conll_f1']:.4f} (MUC {s['muc_f1']:.4f}, "
              f"B3 {s['b3_f1']:.4f}, CEAF-e {s['ceafe_f1']:.4f}); thresholds {run['thresholds']}")
    model, prior = C.train_learned(corpus, gold)
    print(f"trained on topics {model.meta['trained_on_topics']}: {len(model.trees)} trees, "
          f"threshold {model.threshold}, {len(prior.pairs)} lemma pairs; {time.time() - t0:.0f} s")
    print("feature importance:", {k: round(v, 2) for k, v in model.importance().items()})
    raw = {"about": "Event-pair coreference model (sitrep.fuse.pairs), trained by scripts/train_event_coref.py "
                    "on ECB+ (Cybulska & Vossen 2014; annotations CC BY 3.0): lemma-pair counts and tree weights only, "
                    "no text.",
           "model": model.to_json(), "prior": prior.to_json()}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(raw, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()

"""Train the learned event-location linker (``sitrep.extract.place``): two stages of gradient-boosted trees
(numpy, ``sitrep.kb.trees``) over the candidate names of the event's sentence, on Halterman (2019)
event_location records (ahalterman/event_location, MIT).

    .venv/bin/python scripts/train_event_location.py \\
        --data ../shared/data/events/event_location/labeled_text_dev.json [--cv 5]

Only the *tune* part of ``sitrep.eval.split`` (keyed by the record's text) is used for training; the
held-out part is only scored. With ``--cv K`` it first reports K-fold cross-validation on the tune part and
the tune->held-out figure, and writes them into the model's metadata. Writes
``sitrep/data/events/event_location_model.npz`` (a few hundred KB).

Records of the annotation round ``Masdar_RA`` are left out of training, not out of scoring
(``sitrep.eval.event_location.EXCLUDED_SOURCES`` says why).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitrep.eval.event_location import (
    LinkerParams,
    cross_validate,
    examples,
    featurize,
    format_table,
    linker_predictions,
    load_records,
    pipeline,
    score_parts,
    train_linker,
)
from sitrep.kb.placemodel import MODEL_PATH


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True, type=Path)
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--cv", type=int, default=0, help="K-fold cross-validation on the tune part first; the "
                    "threshold is then the one with the best cross-validated F1 unless --threshold is given")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--threshold", type=float, default=None)
    args = ap.parse_args()
    t0 = time.time()
    records = load_records(args.data)[:args.limit]
    exs, skipped = examples(records)
    rows = featurize(exs, pipeline())
    print(f"{len(rows)} records parsed ({dict(skipped)} skipped) in {time.time() - t0:.0f}s", file=sys.stderr)
    params = LinkerParams() if args.threshold is None else LinkerParams(threshold=args.threshold)
    meta = {"about": "event-location linker: two stages of boosted trees over sitrep.extract.place "
                     "candidate features; trained by scripts/train_event_location.py on the tune part of "
                     "Halterman (2019) event_location (ahalterman/event_location, MIT) development records",
            "trained_on": "tune part (sitrep.eval.split by record text)"}
    tune = [r for r in rows if r.example.part == "tune"]
    if args.cv:
        cv = cross_validate(rows, args.cv, params, progress=lambda m: print(m, file=sys.stderr))
        by = cv["by_threshold"]
        if args.threshold is None:           # chosen on the tune part's cross-validation alone
            best = max(by, key=lambda t: by[t]["cv_tune"]["f1"])
            params = replace(params, threshold=float(best))
            cv.update(threshold=float(best), cv_tune=by[best]["cv_tune"], heldout=by[best]["heldout"])
        meta["cv"] = {k: cv[k] for k in ("k", "threshold", "cv_tune", "heldout")}
        print(json.dumps(by, indent=1), file=sys.stderr)
        print(format_table({"n": len(rows), "cv": cv, "linker": "trees"}), file=sys.stderr)
        linker = cv["linker"]                # trained on the whole tune part: the one to ship
        info = {**linker.meta, **meta}
        info["params"] = {**info["params"], "threshold": params.threshold}
        linker = replace(linker, threshold=params.threshold, meta=info)
    else:
        linker = train_linker(tune, params, meta)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    linker.save(args.out)
    parts = score_parts(rows, linker_predictions(rows, linker))
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB) in {time.time() - t0:.0f}s; "
          f"tune F1 {parts['tune']['f1']:.3f} (its training data), held-out F1 {parts['heldout']['f1']:.3f}",
          file=sys.stderr)


if __name__ == "__main__":
    main()

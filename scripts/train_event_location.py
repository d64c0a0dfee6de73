"""Train the learned event-location linker (``sitrep.extract.place``): two stages of gradient-boosted trees
(numpy, ``sitrep.kb.trees``) over the candidate names of the event's sentence, on Halterman (2019)
event_location records (ahalterman/event_location, MIT).

    .venv/bin/python scripts/train_event_location.py \\
        --data ../shared/data/events/event_location/labeled_text_dev.json [--cv 5]

Only the *tune* part of ``sitrep.eval.split`` (keyed by the record's text) is used for training; the
held-out part is only scored. With ``--cv K`` it first reports K-fold cross-validation on the tune part and
the tune->held-out figure, and writes them into the model's metadata. Writes
``sitrep/data/events/event_location_model.npz`` (a few hundred KB).

Records of the source ``Masdar_RA`` are left out of training (they are still scored): that annotation
round marks a place on 11% of its records against 42-86% for every other source, and on 9% of its
"killed" sentences, so most of its events that do name a place ("killed in the city of X") are labelled
as having none; learning from it would teach the linker to drop the places of Syrian-war reports.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitrep.eval.event_location import (  # noqa: E402
    LinkerParams, cross_validate, examples, featurize, format_table, linker_predictions, load_records,
    pipeline, score_parts, train_linker,
)
from sitrep.kb.placemodel import MODEL_PATH  # noqa: E402

EXCLUDED_SOURCES = ("Masdar_RA",)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True, type=Path)
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--cv", type=int, default=0, help="K-fold cross-validation on the tune part first")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--threshold", type=float, default=LinkerParams().threshold)
    args = ap.parse_args()
    t0 = time.time()
    records = load_records(args.data)[:args.limit]
    exs, skipped = examples(records)
    rows = featurize(exs, pipeline())
    print(f"{len(rows)} records parsed ({dict(skipped)} skipped) in {time.time() - t0:.0f}s", file=sys.stderr)
    params = LinkerParams(threshold=args.threshold, exclude_sources=EXCLUDED_SOURCES)
    meta = {"about": "event-location linker: two stages of boosted trees over sitrep.extract.place "
                     "candidate features; trained by scripts/train_event_location.py on the tune part of "
                     "Halterman (2019) event_location (ahalterman/event_location, MIT) development records",
            "trained_on": "tune part (sitrep.eval.split by record text)"}
    if args.cv:
        cv = cross_validate(rows, args.cv, params, progress=lambda m: print(m, file=sys.stderr))
        meta["cv"] = {k: cv[k] for k in ("k", "threshold", "cv_tune", "heldout")}
        print(json.dumps(cv["by_threshold"], indent=1), file=sys.stderr)
        print(format_table({"n": len(rows), "cv": cv, "linker": "trees"}), file=sys.stderr)
    linker = train_linker([r for r in rows if r.example.part == "tune"], params, meta)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    linker.save(args.out)
    parts = score_parts(rows, linker_predictions(rows, linker))
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB) in {time.time() - t0:.0f}s; "
          f"trained on tune: tune F1 {parts['tune']['f1']:.3f} (fitted), held-out F1 {parts['heldout']['f1']:.3f}",
          file=sys.stderr)


if __name__ == "__main__":
    main()

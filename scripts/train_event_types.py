"""Train the learned event types (``sitrep.extract.types``) and write ``sitrep/data/events/type_model.npz``.

    .venv/bin/python scripts/train_event_types.py [--shared ../shared] [--cache /tmp/type_texts.jsonl]

Training sets, read from ``../shared`` at run time (``sitrep.eval.type_training`` says how each is
labelled): all PLOVER gold-standard development records, the tune part of ConfliBERT's CAMEO sentences
(five-way classes; its held-out part, by ``sitrep.eval.split``, is scored below and never trained on), the
text anchors of the GVA gold (tune-part documents only) and of the seed gold, and every other lexicon
candidate of these texts at a small weight. The model is a multinomial logistic regression over hashed
features, fitted with numpy/scipy (L-BFGS; no scikit-learn needed), twice: the first model labels the
ConfliBERT sentences whose lexicon type contradicts their class, the second is the one written.

Reports the held-out ConfliBERT class accuracy of the lexicon and of the model. The crossed PLOVER figure
(types learned on one half of the records, scored on the other) is ``sitrep eval plover --halves``.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitrep.eval import type_training as tt  # noqa: E402

OUT = ROOT / "sitrep" / "data" / "events" / "type_model.npz"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--cache", type=Path, default=None,
                    help="JSON lines of analysed texts (features only): read when present, else written")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)

    t0 = time.time()
    if args.cache and args.cache.is_file():
        texts = tt.load(args.cache)
    else:
        texts = tt.collect(**tt.shared_sets(args.shared))
        if args.cache:
            tt.dump(texts, args.cache)
    print(f"{len(texts)} texts analysed ({time.time() - t0:.0f}s)", file=sys.stderr)

    from sitrep.kb.ontology import Ontology
    onto = Ontology.load()
    train = [t for t in texts if not tt.held_out(t)]
    model, counts = tt.train_model(train, onto)
    print(f"trained on {sum(counts.values())} examples: {dict(sorted(counts.items()))} "
          f"({len(model.ids)} weighted features, {time.time() - t0:.0f}s)", file=sys.stderr)

    held = [t for t in texts if t.source == "conflibert" and tt.held_out(t)]
    if held:
        for name, m in (("lexicon", None), ("model", model)):
            acc = tt.conflibert_accuracy(held, args.shared / "data/events/conflibert/cameo_class_train.tsv", m)
            print(f"ConfliBERT held-out class accuracy, {name}: {acc:.3f} (n={len(held)})")
    if not args.no_write:
        model.save(args.out)
        print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`sitrep eval event-location`: where did the marked event happen?

Data: Halterman (2019) event_location records (JSON list, or JSON lines): ``text``, ``tokens`` and
``spans`` with one VERB span (the event) and zero or more LOCATION spans (where it happened).
For each record we parse the text with the pipeline's spaCy model, take the token at the VERB span and
ask the extractor's own location linker (``sitrep.extract.place.linked_location_spans``: the rule walk,
re-scored by the shipped model when there is one) for its place spans. Scoring is token level over the record's own tokens, micro-averaged over all records (records
without a gold location count too: every predicted token there is a false positive), as in Halterman
(2019): precision = |pred ∩ gold| / |pred|, recall = |pred ∩ gold| / |gold|.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from sitrep.config import Config


def load_records(path: Path) -> list[dict]:
    """Records from a JSON list or JSON lines file; a clear error otherwise."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"event-location data not found: {path}")
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
        records = data if isinstance(data, list) else [data]
    except json.JSONDecodeError:
        records = [json.loads(line) for line in text.splitlines() if line.strip()]
    out = []
    for r in records:
        if not isinstance(r, dict) or "text" not in r or "spans" not in r:
            raise ValueError(f"{path}: record without 'text' and 'spans'")
        out.append(r)
    return out


def pipeline(config: Config | None = None):
    """The spaCy pipeline the annotate stage uses (with our entity patterns when the kb has them)."""
    from sitrep.annotate import Annotator
    config = config or Config()
    try:
        return Annotator(config).pipeline_for("en")
    except (ImportError, AttributeError, NotImplementedError, FileNotFoundError) as exc:
        print(f"entity patterns unavailable ({exc}); plain spaCy model", file=sys.stderr)
        return Annotator(config, with_patterns=False).pipeline_for("en")


def _tokens(record: dict) -> list[tuple[int, int]]:
    toks = record.get("tokens")
    if toks:
        return [(t["start"], t["end"]) for t in toks]
    import re
    return [(m.start(), m.end()) for m in re.finditer(r"\w+|[^\w\s]", record["text"])]


def _token_ids(spans: list[tuple[int, int]], toks: list[tuple[int, int]]) -> set[int]:
    return {i for i, (s, e) in enumerate(toks) for (a, b) in spans if s < b and a < e}


def _char_span(record: dict, span: dict) -> tuple[int, int]:
    """A span's character offsets, from its token indices when it has them: in part of the records the
    character offsets are token indices (e.g. start=end=5), while token_start/token_end are right."""
    toks = record.get("tokens")
    ts, te = span.get("token_start"), span.get("token_end")
    if toks and ts is not None and te is not None and 0 <= ts <= te < len(toks):
        return toks[ts]["start"], toks[te]["end"]
    return span["start"], span["end"]


def predict(doc, verb_start: int, verb_end: int) -> list[tuple[int, int]]:
    """Location spans for the event whose trigger covers [verb_start, verb_end) in a parsed doc."""
    from sitrep.extract.place import linked_location_spans
    span = doc.char_span(verb_start, verb_end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return []
    tok = next((t for t in span if t.pos_ in ("VERB", "AUX")), span.root)
    return linked_location_spans(tok)


def evaluate(data: Path, config: Config | None = None, limit: int | None = None,
             predictions_out: Path | None = None) -> dict:
    records = load_records(data)
    if limit:
        records = records[:limit]
    nlp = pipeline(config)
    tp = fp = fn = 0
    halves = [[0, 0, 0], [0, 0, 0]]
    preds_out = []
    n_with_gold = 0
    texts = (r["text"] for r in records)
    for k, (r, doc) in enumerate(zip(records, nlp.pipe(texts, batch_size=64))):
        verb = next((s for s in r["spans"] if s.get("label") == "VERB"), None)
        if verb is None:
            continue
        gold_spans = [_char_span(r, s) for s in r["spans"] if s.get("label") == "LOCATION"]
        n_with_gold += bool(gold_spans)
        try:
            pred_spans = predict(doc, *_char_span(r, verb))
        except Exception as exc:     # one bad record must not stop the evaluation
            print(f"record {k}: {exc}", file=sys.stderr)
            pred_spans = []
        toks = _tokens(r)
        g = _token_ids(gold_spans, toks)
        p = _token_ids(pred_spans, toks)
        a, b, c = len(p & g), len(p - g), len(g - p)
        tp, fp, fn = tp + a, fp + b, fn + c
        h = halves[0 if k < len(records) // 2 else 1]
        h[0] += a; h[1] += b; h[2] += c
        if predictions_out:
            preds_out.append({"i": k, "verb": list(_char_span(r, verb)),
                              "pred": [list(s) for s in pred_spans], "gold": [list(s) for s in gold_spans]})
    if predictions_out:
        with open(predictions_out, "w", encoding="utf-8") as fh:
            for row in preds_out:
                fh.write(json.dumps(row) + "\n")

    def prf(a, b, c):
        p = a / (a + b) if a + b else 0.0
        r_ = a / (a + c) if a + c else 0.0
        return {"p": round(p, 4), "r": round(r_, 4), "f1": round(2 * p * r_ / (p + r_) if p + r_ else 0.0, 4)}

    res = prf(tp, fp, fn)
    from sitrep.extract.place import load_location_model
    model = load_location_model()
    res["linker"] = "rules+model" if model else "rules"
    if model:   # scores on the file the model was trained on are optimistic: report its cross-validation
        res["model_cv"] = model.get("cv")
    res.update({"n": len(records), "n_with_location": n_with_gold, "tokens": {"tp": tp, "fp": fp, "fn": fn},
                "first_half": prf(*halves[0]), "second_half": prf(*halves[1])})
    return res


def format_table(result: dict) -> str:
    lines = [f"event location (token level, {result.get('n', '?')} records, "
             f"{result.get('n_with_location', '?')} with a location)",
             f"{'':14}{'P':>8}{'R':>8}{'F1':>8}"]
    for name, key in (("all", None), ("first half", "first_half"), ("second half", "second_half")):
        row = result if key is None else result.get(key)
        if row:
            lines.append(f"{name:14}{row['p']:8.3f}{row['r']:8.3f}{row['f1']:8.3f}")
    for fold in result.get("model_cv") or []:
        lines.append(f"model CV fold {fold['fold']}: rules F1 {fold['rules']['f1']:.3f} -> "
                     f"model F1 {fold['model']['f1']:.3f} (held-out half)")
    return "\n".join(lines)

"""`sitrep eval geo`: geoparsing scored on EUPEG-format data.

Data: a corpus folder of plain-text documents named 0..N-1 and a gold file with one line per document, each
toponym ``name,,surface,,lat,,lon,,start,,end`` (EUPEG adds further fields, ignored) joined by ``||``.
Metrics (standard in the geoparsing literature, Gritta et al. 2018; EUPEG, Wang & Hu 2019):
- toponyms: P/R/F1 of recognition, a prediction matching a gold toponym when their spans overlap (one-to-one);
- acc_161 and mean_km: over matched toponyms, the share within 161 km (100 miles) and the mean error;
- end_to_end: P/R/F1 where a prediction counts only when it overlaps a gold toponym and lies within 161 km.
Predictions can be written in the gold's own line format and scored again with ``score_files``.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sitrep.kb.gazetteer import haversine_km

KM = 161.0


@dataclass(frozen=True)
class Toponym:
    name: str
    surface: str
    lat: float
    lon: float
    start: int
    end: int


def _km(a: Toponym, b: Toponym) -> float:
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def parse_line(line: str) -> list[Toponym]:
    """One document's toponyms; entries without coordinates are left out (as EUPEG does)."""
    out = []
    for item in line.rstrip("\n").split("||"):
        if len(item) <= 1:
            continue
        f = item.split(",,")
        if len(f) < 6:
            raise ValueError(f"bad geo entry (need name,,surface,,lat,,lon,,start,,end): {item[:80]!r}")
        if not f[2] or not f[3] or f[2].lower() == "null" or f[3].lower() == "null":
            continue
        out.append(Toponym(f[0], f[1], float(f[2]), float(f[3]), int(f[4]), int(f[5])))
    return out


def format_line(tops: list[Toponym]) -> str:
    def clean(s: str) -> str:
        return s.replace("||", " ").replace(",,", ",").replace("\n", " ")
    return "".join(f"{clean(t.name)},,{clean(t.surface)},,{t.lat:.5f},,{t.lon:.5f},,{t.start},,{t.end}||"
                   for t in tops)


def _overlaps(a: Toponym, b: Toponym) -> bool:
    return a.start < b.end and b.start < a.end


def score(gold: list[list[Toponym]], pred: list[list[Toponym]]) -> dict:
    """Scores for aligned per-document lists of gold and predicted toponyms."""
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} documents, predictions {len(pred)}")
    n_gold = sum(len(g) for g in gold)
    n_pred = sum(len(p) for p in pred)
    tp = 0
    errors: list[float] = []
    e2e = 0
    for gs, ps in zip(gold, pred):
        # recognition: one-to-one, each gold takes the first unused overlapping prediction
        used: set[int] = set()
        for g in gs:
            for i, p in enumerate(ps):
                if i not in used and _overlaps(g, p):
                    used.add(i)
                    tp += 1
                    errors.append(_km(g, p))
                    break
        # end to end: one-to-one, each gold takes an unused overlapping prediction within 161 km
        used = set()
        for g in gs:
            for i, p in enumerate(ps):
                if i not in used and _overlaps(g, p) and _km(g, p) <= KM:
                    used.add(i)
                    e2e += 1
                    break

    def prf(hit: int) -> dict:
        p = hit / n_pred if n_pred else 0.0
        r = hit / n_gold if n_gold else 0.0
        return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}

    return {
        "documents": len(gold), "gold": n_gold, "pred": n_pred,
        "toponyms": prf(tp),
        "acc_161": sum(e <= KM for e in errors) / len(errors) if errors else 0.0,
        "mean_km": sum(errors) / len(errors) if errors else 0.0,
        "median_km": sorted(errors)[len(errors) // 2] if errors else 0.0,
        "end_to_end": prf(e2e),
    }


def read_lines(path: Path) -> list[list[Toponym]]:
    with open(path, encoding="utf-8") as f:
        return [parse_line(line) for line in f]


def score_files(gold: Path, predictions: Path) -> dict:
    """Score a predictions file in the gold line format (e.g. EUPEG's archived geoparser outputs)."""
    return score(read_lines(gold), read_lines(predictions))


def predict(text: str, kb, annotator) -> list[Toponym]:
    from sitrep.resolve.places import geoparse

    out = []
    for m in geoparse(text, kb, annotator):
        if m.place is None or m.place.lat is None or m.place.lon is None:
            continue
        out.append(Toponym(m.place.name, m.text, m.place.lat, m.place.lon, m.start, m.end))
    return out


def evaluate(corpus: Path, gold: Path, predictions_out: Path | None = None, config=None) -> dict:
    """Geoparse every document of ``corpus`` and score against ``gold``."""
    from sitrep.annotate import Annotator
    from sitrep.config import Config
    from sitrep.kb import KnowledgeBase

    corpus, gold = Path(corpus), Path(gold)
    if not corpus.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {corpus}")
    gold_docs = read_lines(gold)
    config = config or Config()
    kb = KnowledgeBase.load(config)
    annotator = Annotator(config)
    preds: list[list[Toponym]] = []
    t0 = time.time()
    for i in range(len(gold_docs)):
        path = corpus / str(i)
        try:
            text = path.read_text(encoding="utf-8")
            preds.append(predict(text, kb, annotator))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            print(f"geo: document {i}: {exc}", file=sys.stderr)
            preds.append([])
    result = score(gold_docs, preds)
    result["seconds"] = round(time.time() - t0, 1)
    if predictions_out:
        Path(predictions_out).write_text("".join(format_line(p) + "\n" for p in preds), encoding="utf-8")
    return result


def format_table(result: dict) -> str:
    t, e = result["toponyms"], result["end_to_end"]
    rows = [
        f"documents {result.get('documents', '?')}   gold toponyms {result.get('gold', '?')}   "
        f"predicted {result.get('pred', '?')}",
        f"{'':22}{'P':>8}{'R':>8}{'F1':>8}",
        f"{'toponyms (overlap)':22}{t['p']:8.3f}{t['r']:8.3f}{t['f1']:8.3f}",
        f"{'end-to-end @161 km':22}{e['p']:8.3f}{e['r']:8.3f}{e['f1']:8.3f}",
        f"accuracy@161 km {result['acc_161']:.3f}   mean error {result['mean_km']:.0f} km   "
        f"median {result.get('median_km', 0):.0f} km",
    ]
    return "\n".join(rows)

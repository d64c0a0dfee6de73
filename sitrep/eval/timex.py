"""`sitrep eval timex`: the time-expression tagger scored with the TempEval-3 definitions.

Gold: TimeML ``.tml`` files (TempEval-3 TBAQ) or MEANTIME CAT ``.xml`` files (token-based; their text is
rebuilt by joining tokens with spaces). The document creation time (functionInDocument="CREATION_TIME")
is the anchor. Scoring follows the TE3 scorer (UzZaman et al. 2013, ``evaluate_entities.py``):
strict match = identical extent, relaxed match = overlapping extent; precision over system expressions,
recall over gold ones; attribute F1 = relaxed F1 x attribute accuracy, the accuracy being counted over
gold expressions that some system expression overlaps.

The tagger runs in TimeML mode here: ranges split into their parts and adjectival durations ("a two-day
visit") marked, as the TimeML guidelines and these corpora do; sitrep's own output keeps both off.
"""
from __future__ import annotations

import html
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from sitrep.annotate.timex import tag


@dataclass
class GoldTimex:
    start: int
    end: int
    type: str
    value: str


@dataclass
class GoldDoc:
    name: str
    text: str
    dct: str | None
    timexes: list[GoldTimex]


_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>")
_ATTR = re.compile(r'([A-Za-z_:]+)\s*=\s*"([^"]*)"')


def read_tml(path: Path) -> GoldDoc:
    """Text of <TEXT> with tags removed and entities unescaped; TIMEX3 offsets into that text."""
    raw = path.read_text(encoding="utf-8")
    dct = None
    for m in re.finditer(r"<TIMEX3([^>]*)>", raw):
        attrs = dict(_ATTR.findall(m.group(1)))
        if attrs.get("functionInDocument") == "CREATION_TIME":
            dct = attrs.get("value", "")[:10] or None
            break
    s = raw.find("<TEXT>")
    e = raw.find("</TEXT>")
    if s < 0 or e < 0:
        raise ValueError(f"{path}: no <TEXT> element")
    body = raw[s + len("<TEXT>"):e]
    out: list[str] = []
    pos = 0
    n = 0
    stack: list[tuple[int, dict]] = []
    timexes: list[GoldTimex] = []
    for m in _TAG.finditer(body):
        chunk = html.unescape(body[pos:m.start()])
        out.append(chunk)
        n += len(chunk)
        pos = m.end()
        closing, name, attrs, selfclose = m.group(1), m.group(2), m.group(3), m.group(4)
        if name != "TIMEX3":
            continue
        if closing:
            if stack:
                st, a = stack.pop()
                timexes.append(GoldTimex(st, n, a.get("type", ""), a.get("value", "")))
        elif not selfclose:
            stack.append((n, dict(_ATTR.findall(attrs))))
    out.append(html.unescape(body[pos:]))
    return GoldDoc(path.name, "".join(out), dct, timexes)


MEANTIME_LAST_SENTENCE = 5   # observed extent of the TIMEX3/SIGNAL/VALUE layer in every MEANTIME file


def _meantime_dct(value: str) -> str | None:
    """MEANTIME writes some creation times as DD-MM-YYYY."""
    if re.fullmatch(r"\d{4}-\d\d-\d\d.*", value):
        return value[:10]
    m = re.fullmatch(r"(\d\d)-(\d\d)-(\d{4})", value)
    return f"{m.group(3)}-{m.group(2)}-{m.group(1)}" if m else None


def read_meantime(path: Path) -> GoldDoc:
    """A MEANTIME CAT file: tokens joined by spaces, sentences by newlines; TIMEX3 over token anchors.

    MEANTIME's document-level layer (time expressions included) covers only the title (sentence 0), the
    dateline (1) and the first sentences (2-5) of each article; later sentences carry only cross-document
    entity links. So the text stops after sentence ``MEANTIME_LAST_SENTENCE``. The dateline (the creation
    time, anchored to tokens) is scored like any other expression.
    """
    import xml.etree.ElementTree as ET

    root = ET.parse(path).getroot()
    last = MEANTIME_LAST_SENTENCE
    parts: list[str] = []
    offs: dict[str, tuple[int, int]] = {}
    n = 0
    prev_sent = None
    for tok in root.iter("token"):
        sent = tok.get("sentence")
        if int(sent or 0) > last:
            break
        if parts:
            sep = "\n" if sent != prev_sent else " "
            parts.append(sep)
            n += 1
        t = tok.text or ""
        offs[tok.get("t_id")] = (n, n + len(t))
        parts.append(t)
        n += len(t)
        prev_sent = sent
    dct = None
    timexes: list[GoldTimex] = []
    for tx in root.iter("TIMEX3"):
        value = tx.get("value") or ""
        if tx.get("functionInDocument") == "CREATION_TIME":
            dct = _meantime_dct(value)
            value = dct or value
        ids = [a.get("t_id") for a in tx.findall("token_anchor")]
        ids = [i for i in ids if i in offs]
        if not ids:
            continue
        timexes.append(GoldTimex(min(offs[i][0] for i in ids), max(offs[i][1] for i in ids),
                                 tx.get("type", ""), value))
    return GoldDoc(path.name, "".join(parts), dct, timexes)


def load_gold(data: Path) -> list[GoldDoc]:
    data = Path(data)
    if not data.exists():
        raise FileNotFoundError(f"no such data path: {data}")
    files = [data] if data.is_file() else sorted(p for p in data.rglob("*") if p.suffix in (".tml", ".xml"))
    docs = []
    for f in files:
        try:
            if f.suffix == ".tml":
                docs.append(read_tml(f))
            else:
                head = f.read_text(encoding="utf-8", errors="replace")[:2000]
                if "<token" in head:
                    docs.append(read_meantime(f))
        except Exception as e:  # one bad file never stops the evaluation
            print(f"skipping {f}: {e}", file=sys.stderr)
    return docs


def _prf(tp_p: int, n_pred: int, tp_r: int, n_gold: int) -> dict:
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_r / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f}


def score(docs: list[tuple[list[GoldTimex], list]]) -> dict:
    """TE3 scores from (gold, predicted) pairs per document; predictions need start, end, type, value."""
    n_gold = n_pred = 0
    strict_p = strict_r = relax_p = relax_r = type_ok = value_ok = 0
    for gold, pred in docs:
        n_gold += len(gold)
        n_pred += len(pred)
        for g in gold:
            over = [p for p in pred if p.start < g.end and g.start < p.end]
            if not over:
                continue
            relax_r += 1
            if any(p.start == g.start and p.end == g.end for p in over):
                strict_r += 1
            best = max(over, key=lambda p: (min(p.end, g.end) - max(p.start, g.start), -p.start))
            type_ok += best.type == g.type
            value_ok += best.value == g.value
        for p in pred:
            over = [g for g in gold if p.start < g.end and g.start < p.end]
            if over:
                relax_p += 1
                if any(p.start == g.start and p.end == g.end for g in over):
                    strict_p += 1
    strict = _prf(strict_p, n_pred, strict_r, n_gold)
    relaxed = _prf(relax_p, n_pred, relax_r, n_gold)
    acc_v = value_ok / relax_r if relax_r else 0.0
    acc_t = type_ok / relax_r if relax_r else 0.0
    return {"gold": n_gold, "pred": n_pred, "strict": strict, "relaxed": relaxed,
            "value_f1": relaxed["f1"] * acc_v, "type_f1": relaxed["f1"] * acc_t,
            "value_accuracy": acc_v, "type_accuracy": acc_t}


def evaluate(data: Path, predictions_out: Path | None = None) -> dict:
    """Tag every document under ``data`` and score against its TIMEX3 annotation (TE3 definitions)."""
    docs = load_gold(Path(data))
    pairs = []
    lines = []
    for d in docs:
        try:
            pred = tag(d.text, d.dct, split_ranges=True, adjectival_durations=True)
        except Exception as e:  # noqa: BLE001 - one document never stops the run
            print(f"tagging failed on {d.name}: {e}", file=sys.stderr)
            pred = []
        pairs.append((d.timexes, pred))
        for p in pred:
            lines.append(json.dumps({"doc": d.name, "start": p.start, "end": p.end, "type": p.type,
                                     "value": p.value}))
    result = score(pairs)
    result["documents"] = len(docs)
    if predictions_out is not None:
        Path(predictions_out).write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")
    return result


def format_table(result: dict) -> str:
    rows = [f"time expressions: {result.get('documents', '?')} documents, gold {result['gold']}, "
            f"predicted {result['pred']}",
            f"{'':10}{'P':>8}{'R':>8}{'F1':>8}"]
    for k in ("strict", "relaxed"):
        r = result[k]
        rows.append(f"{k:10}{r['p']:8.3f}{r['r']:8.3f}{r['f1']:8.3f}")
    rows.append(f"value F1 {result['value_f1']:.3f}   type F1 {result['type_f1']:.3f}")
    return "\n".join(rows)

"""`sitrep eval quotes`: attribution spans against PolNeAR (Newell, Margolin & Ruths 2018).

PolNeAR marks each attribution as three span types: source (the speaker's noun phrase, appositives
included), cue (the attributing verb or phrase, with auxiliaries, "in a statement", a colon) and content
(the reported clause; for direct quotes the quoted text WITH its quote marks). A content may be split
around its cue ("“A,” said X. “B.”"): PolNeAR annotations are a token tag sequence, so, like the tagging
systems we compare with (CofeNet), we score each contiguous labelled span separately.

Units: the set of gold spans of a type per document (brat ``T`` lines labelled Source/Cue/Content, each
fragment of a discontinuous span one unit) and the set of predicted spans of that type, whitespace
trimmed, duplicates removed. exact: same start and end; overlap: one-to-one greedy matching of spans that
share at least one character. P = matched / predicted, R = matched / gold, F1 their harmonic mean,
micro-averaged over documents. Articles annotated by several annotators (the agreement articles) are
scored against the alphabetically first annotator only, so every article counts once.
"""
from __future__ import annotations

import logging
import re
import sys
import time
from pathlib import Path

from sitrep.config import Config
from sitrep.records import Annotation, Document, Published

log = logging.getLogger(__name__)
TYPES = ("source", "cue", "content")
_LABELS = {"Source": "source", "Cue": "cue", "Content": "content"}
_OPEN = ("“", '"', "''", "«")
_CLOSE = ("”", '"', "''", "»")


def read_gold(ann_text: str) -> dict[str, set[tuple[int, int]]]:
    """Spans per type from one brat .ann file (fragments of discontinuous spans separately)."""
    gold: dict[str, set[tuple[int, int]]] = {t: set() for t in TYPES}
    for line in ann_text.splitlines():
        parts = line.split("\t")
        if len(parts) < 2 or not parts[0].startswith("T"):
            continue
        label, _, offsets = parts[1].partition(" ")
        if label not in _LABELS:
            continue
        for frag in offsets.split(";"):
            try:
                s, e = (int(x) for x in frag.split())
            except ValueError:
                raise ValueError(f"bad brat offsets {frag!r} in line {line!r}") from None
            gold[_LABELS[label]].add((s, e))
    return gold


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _with_marks(text: str, s: int, e: int) -> tuple[int, int]:
    """Our direct-quote content excludes the marks; PolNeAR's includes them (and punctuation inside)."""
    for m in _OPEN:
        if text[max(0, s - len(m)):s] == m:
            s -= len(m)
            break
    tail = re.match(r"[,.!?]?(”|\"|''|»)", text[e:e + 4])
    if tail:
        e += tail.end()
    return s, e


def predicted_spans(text: str, quotes) -> dict[str, set[tuple[int, int]]]:
    pred: dict[str, set[tuple[int, int]]] = {t: set() for t in TYPES}
    for q in quotes:
        if q.source_span:
            pred["source"].add(_strip(text, *q.source_span))
        if q.cue_span:
            pred["cue"].add(_strip(text, *q.cue_span))
        s, e = (q.start, q.end)
        if q.kind == "direct":
            s, e = _with_marks(text, s, e)
        # a multi-paragraph quote is one span per paragraph in PolNeAR
        pos = s
        for piece in text[s:e].split("\n"):
            ps, pe = _strip(text, pos, pos + len(piece))
            if pe > ps:
                pred["content"].add((ps, pe))
            pos += len(piece) + 1
    return {k: {sp for sp in v if sp[1] > sp[0]} for k, v in pred.items()}


def _match(gold: set, pred: set) -> tuple[int, int]:
    """(exact matches, overlap matches with one-to-one greedy pairing)."""
    exact = len(gold & pred)
    used: set = set()
    overlap = 0
    for p in sorted(pred):
        best = None
        for g in sorted(gold):
            if g in used or g[0] >= p[1] or p[0] >= g[1]:
                continue
            ov = min(g[1], p[1]) - max(g[0], p[0])
            if best is None or ov > best[0]:
                best = (ov, g)
        if best is not None:
            used.add(best[1])
            overlap += 1
    return exact, overlap


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}


def load_split(data: Path, limit: int | None = None) -> list[tuple[str, str, str]]:
    """(article name, text, .ann text) per article of a PolNeAR split folder."""
    data = Path(data)
    if not (data / "text").is_dir() or not (data / "attributions").is_dir():
        raise FileNotFoundError(f"{data} is not a PolNeAR split folder (needs text/ and attributions/)")
    by_article: dict[str, Path] = {}
    for ann in sorted((data / "attributions").glob("*.ann")):
        base = re.sub(r"_[0-9a-f]{4}$", "", ann.stem)
        by_article.setdefault(base, ann)            # alphabetically first annotator
    out = []
    for base, ann in sorted(by_article.items()):
        txt = data / "text" / f"{base}.txt"
        if not txt.exists():
            log.warning("no text for %s", base)
            continue
        out.append((base, txt.read_text(encoding="utf-8"), ann.read_text(encoding="utf-8")))
        if limit is not None and len(out) >= limit:
            break
    return out


def evaluate(data: Path, config: Config | None = None, limit: int | None = None,
             nominal: bool = True) -> dict:
    """Score extract_quotes on a PolNeAR split folder (``.../data/dev``). ``nominal`` (default on, as
    PolNeAR annotates them) counts noun objects of cue verbs as contents ("criticized the plan")."""
    from sitrep.annotate.nlp import load_pipeline
    from sitrep.extract.quotes import extract_quotes

    config = config or Config()
    articles = load_split(data, limit)
    nlp = load_pipeline(config.spacy_model, False)     # US political news: our conflict patterns add nothing
    t0 = time.time()
    counts = {t: {"gold": 0, "pred": 0, "exact": 0, "overlap": 0} for t in TYPES}
    kinds: dict[str, int] = {}
    errors = 0
    texts = [t for _, t, _ in articles]
    for (name, text, ann_text), nlp_doc in zip(articles, nlp.pipe(texts, batch_size=config.batch_size)):
        gold = read_gold(ann_text)
        doc = Document(id=name, path=name, text=text, published=Published())
        ann = Annotation(doc=doc, nlp_doc=nlp_doc, sentences=[(s.start_char, s.end_char) for s in nlp_doc.sents],
                         entities=[], timexes=[], anchor=None)
        try:
            quotes = extract_quotes(ann, None, nominal=nominal)
        except Exception as exc:                    # one bad article must not sink the run
            log.error("%s: %s", name, exc)
            errors += 1
            quotes = []
        for q in quotes:
            kinds[q.kind] = kinds.get(q.kind, 0) + 1
        pred = predicted_spans(text, quotes)
        for t in TYPES:
            g = {_strip(text, *sp) for sp in gold[t]}
            g = {sp for sp in g if sp[1] > sp[0]}
            ex, ov = _match(g, pred[t])
            c = counts[t]
            c["gold"] += len(g); c["pred"] += len(pred[t]); c["exact"] += ex; c["overlap"] += ov
    result: dict = {}
    for t in TYPES:
        c = counts[t]
        result[t] = {"exact": _prf(c["exact"], c["pred"], c["gold"]),
                     "overlap": _prf(c["overlap"], c["pred"], c["gold"]),
                     "gold": c["gold"], "pred": c["pred"]}
    result["documents"] = len(articles)
    result["nominal_contents"] = nominal
    result["kinds"] = kinds
    result["errors"] = errors
    result["seconds"] = round(time.time() - t0, 1)
    print(f"quotes eval: {len(articles)} articles in {result['seconds']} s", file=sys.stderr)
    return result


def format_table(result: dict) -> str:
    lines = [f"PolNeAR attribution spans ({result.get('documents', '?')} articles)",
             f"{'span':<8} {'gold':>6} {'pred':>6}   {'exact P':>7} {'R':>6} {'F1':>6}   "
             f"{'overlap P':>9} {'R':>6} {'F1':>6}"]
    for t in TYPES:
        r = result[t]
        ex, ov = r["exact"], r["overlap"]
        lines.append(f"{t:<8} {r.get('gold', ''):>6} {r.get('pred', ''):>6}   {ex['p']:>7.3f} {ex['r']:>6.3f} "
                     f"{ex['f1']:>6.3f}   {ov['p']:>9.3f} {ov['r']:>6.3f} {ov['f1']:>6.3f}")
    return "\n".join(lines)

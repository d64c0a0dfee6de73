"""`sitrep eval event-location`: where did the marked event happen?

Data: Halterman (2019) event_location records (JSON list, or JSON lines): ``text``, ``tokens`` and
``spans`` with one VERB span (the event) and zero or more LOCATION spans (where it happened). Records that
mark no event (no ``spans`` key, as in the adjudicated file, or no VERB span) cannot be scored: they are
skipped and counted (``skipped``), never an error.

For each record we parse the text with the pipeline's spaCy model, take the token at the VERB span and ask
the extractor's own linker (``sitrep.extract.place``: the candidate names of the sentence scored by the
shipped two-stage tree model; the rule walk when none is shipped) for its place spans. Scoring is token
level over the record's own tokens, micro-averaged over all records (records without a gold location count
too: every predicted token there is a false positive), as in Halterman (2019): precision = |pred ∩ gold| /
|pred|, recall = |pred ∩ gold| / |gold|. Figures are given on all records and on the two parts of
``sitrep.eval.split`` keyed by the record's text (a sentence marked for several verbs stays in one part).

``cv=K`` adds the figures that hold: K-fold cross-validation by a hash of the text on the tune part (the
linker trained on K-1 folds scores the last), and the linker trained on the whole tune part scored on the
held-out part - the way the shipped model is trained (``scripts/train_event_location.py``).
"""
from __future__ import annotations

import hashlib
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from sitrep.config import Config
from sitrep.eval.split import PARTS, part_of
from sitrep.kb.trees import TreeParams, fit_trees


# ---------------------------------------------------------------------------------------------- records
def load_records(path: Path) -> list[dict]:
    """Records from a JSON list or JSON lines file; a clear error when there is no such file."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"event-location data not found: {path}")
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
        records = data if isinstance(data, list) else [data]
    except json.JSONDecodeError:
        records = [json.loads(line) for line in text.splitlines() if line.strip()]
    return [r for r in records if isinstance(r, dict)]


@dataclass(frozen=True)
class Example:
    """One scorable record: its split key and part, its own tokens (character spans), the event's verb
    and the gold place spans (characters)."""
    key: str
    part: str
    text: str
    tokens: tuple[tuple[int, int], ...]
    verb: tuple[int, int]
    gold: tuple[tuple[int, int], ...]
    source: str = ""


def _tokens(record: dict) -> list[tuple[int, int]]:
    toks = record.get("tokens")
    if toks:
        return [(t["start"], t["end"]) for t in toks]
    return [(m.start(), m.end()) for m in re.finditer(r"\w+|[^\w\s]", record["text"])]


def _token_ids(spans, toks) -> set[int]:
    return {i for i, (s, e) in enumerate(toks) for (a, b) in spans if s < b and a < e}


def _char_span(record: dict, span: dict) -> tuple[int, int]:
    """A span's character offsets, from its token indices when it has them: in part of the records the
    character offsets are token indices (e.g. start=end=5), while token_start/token_end are right."""
    toks = record.get("tokens")
    ts, te = span.get("token_start"), span.get("token_end")
    if toks and ts is not None and te is not None and 0 <= ts <= te < len(toks):
        return toks[ts]["start"], toks[te]["end"]
    return span["start"], span["end"]


def examples(records: list[dict]) -> tuple[list[Example], Counter]:
    """The scorable records, and how many were skipped for what: ``no text``, ``no spans`` (a record that
    marks nothing, as in the adjudicated file) and ``no verb`` (spans, but no event)."""
    out, skipped = [], Counter()
    for r in records:
        text = r.get("text")
        if not isinstance(text, str) or not text.strip():
            skipped["no text"] += 1
            continue
        spans = r.get("spans")
        if not spans:
            skipped["no spans"] += 1
            continue
        verb = next((s for s in spans if s.get("label") == "VERB"), None)
        if verb is None:
            skipped["no verb"] += 1
            continue
        out.append(Example(key=text, part=part_of(text), text=text, tokens=tuple(_tokens(r)),
                           verb=_char_span(r, verb),
                           gold=tuple(_char_span(r, s) for s in spans if s.get("label") == "LOCATION"),
                           source=str(r.get("source") or "")))
    return out, skipped


def pipeline(config: Config | None = None):
    """The spaCy pipeline the annotate stage uses (with our entity patterns when the kb has them)."""
    from sitrep.annotate import Annotator
    config = config or Config()
    try:
        return Annotator(config).pipeline_for("en")
    except (ImportError, AttributeError, NotImplementedError, FileNotFoundError) as exc:
        print(f"entity patterns unavailable ({exc}); plain spaCy model", file=sys.stderr)
        return Annotator(config, with_patterns=False).pipeline_for("en")


def verb_token(doc, verb: tuple[int, int]):
    """The token of the event's verb in a parsed doc (the verb of a multi-token span), or None."""
    span = doc.char_span(verb[0], verb[1], alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return next((t for t in span if t.pos_ in ("VERB", "AUX")), span.root)


# ---------------------------------------------------------------------------------------------- rows
@dataclass
class Row:
    """An example with its parse read out once: the candidate names and their features, the token ids
    each candidate covers, the gold token ids and the rule walk's spans."""
    example: Example
    cset: object                         # sitrep.extract.place.CandidateSet (None: no verb token)
    cand_tokens: list[set[int]] = field(default_factory=list)
    gold_tokens: set[int] = field(default_factory=set)
    rule: list[tuple[int, int]] = field(default_factory=list)

    @property
    def labels(self) -> list[int]:
        return [int(bool(t & self.gold_tokens)) for t in self.cand_tokens]


def featurize(exs: list[Example], nlp, batch_size: int = 64, docs=None) -> list[Row]:
    """Parse every example (or take its parse from ``docs``) and read out its candidates."""
    from sitrep.extract.place import event_location_spans, location_candidates
    rows = []
    docs = docs if docs is not None else nlp.pipe((e.text for e in exs), batch_size=batch_size)
    for ex, doc in zip(exs, docs):
        gold = _token_ids(ex.gold, ex.tokens)
        tok = verb_token(doc, ex.verb)
        if tok is None:
            rows.append(Row(ex, None, [], gold, []))
            continue
        try:
            cset = location_candidates(tok)
            rule = event_location_spans(tok)
        except Exception as exc:     # noqa: BLE001 - one bad record must not stop the evaluation
            print(f"record {ex.key[:40]!r}: {exc}", file=sys.stderr)
            rows.append(Row(ex, None, [], gold, []))
            continue
        rows.append(Row(ex, cset, [_token_ids([sp], ex.tokens) for sp in cset.spans], gold, rule))
    return rows


# ---------------------------------------------------------------------------------------------- scores
def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
            "tp": tp, "fp": fp, "fn": fn}


def counts(row: Row, pred_spans) -> tuple[int, int, int]:
    p = _token_ids(pred_spans, row.example.tokens)
    g = row.gold_tokens
    return len(p & g), len(p - g), len(g - p)


def score_parts(rows: list[Row], preds: list[list[tuple[int, int]]]) -> dict:
    """Token P/R/F1 on all rows and on each part."""
    tot = {k: [0, 0, 0] for k in ("all",) + PARTS}
    for row, pred in zip(rows, preds):
        c = counts(row, pred)
        for k in ("all", row.example.part):
            tot[k] = [a + b for a, b in zip(tot[k], c)]
    return {k: prf(*v) for k, v in tot.items()}


def linker_predictions(rows: list[Row], linker) -> list[list[tuple[int, int]]]:
    """Place spans of each row by a linker (None: the rule walk)."""
    from sitrep.extract.place import linker_scores
    out = []
    for row in rows:
        if row.cset is None:
            out.append([])
        elif linker is None:
            out.append(row.rule)
        else:
            p = linker_scores(row.cset, linker)
            out.append([sp for sp, q in zip(row.cset.spans, p) if q >= linker.threshold])
    return out


# ---------------------------------------------------------------------------------------------- training
# Left out of training, never out of scoring: the annotation round "Masdar_RA" marks a place on 11% of
# its records against 42-86% for every other source, and on 9% of its "killed" sentences, so most of its
# events that do name a place ("killed in the city of X") are labelled as having none; learning from it
# would teach the linker to drop the places of Syrian-war reports.
EXCLUDED_SOURCES = ("Masdar_RA",)
STAGE1 = TreeParams(n_trees=300, depth=5, learning_rate=0.05, min_leaf=10, subsample=0.8)
STAGE2 = TreeParams(n_trees=150, depth=3, learning_rate=0.05, min_leaf=20, subsample=0.8)


@dataclass(frozen=True)
class LinkerParams:
    """How the linker is trained. ``min_count``: a feature seen on fewer candidates is dropped;
    ``inner_folds``: the folds that give the first stage's out-of-fold scores the second stage learns
    from; ``exclude_sources``: record sources left out of training (never out of scoring);
    ``vector_components``: principal axes kept of each of the candidate's token vectors."""
    stage1: TreeParams = STAGE1
    stage2: TreeParams = STAGE2
    stacked: bool = True
    inner_folds: int = 3
    min_count: int = 20
    threshold: float = 0.4
    exclude_sources: tuple[str, ...] = EXCLUDED_SOURCES
    vector_components: int = 16           # principal axes kept per token vector (0: no token vectors)


def fold_of(key: str, k: int, salt: str = "cv") -> int:
    """A stable fold in [0, k) from a hash of the key (the same on every machine)."""
    return int(hashlib.sha256(f"{salt}:{key}".encode()).hexdigest()[:8], 16) % k


def vocabulary(rows: list[Row], min_count: int) -> tuple[str, ...]:
    c = Counter(n for r in rows if r.cset is not None for f in r.cset.features for n in f)
    return tuple(sorted(n for n, v in c.items() if v >= min_count))


def _matrix(rows: list[Row], linker) -> tuple[np.ndarray, np.ndarray]:
    rows = [r for r in rows if r.cset is not None and r.cset.spans]
    X = np.concatenate([linker.vectors(r.cset.features, r.cset.vectors) for r in rows]) if rows else \
        np.zeros((0, len(linker.names)), dtype=np.float32)
    y = np.array([lab for r in rows for lab in r.labels], dtype=np.float64)
    return X, y


def _projection(rows: list[Row], components: int) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Mean and block-diagonal projection of the candidates' token vectors: for each token (name, word
    before, trigger) its first ``components`` principal axes."""
    V = [r.cset.vectors for r in rows if r.cset is not None and r.cset.vectors is not None]
    if not components or not V:
        return None, None
    V = np.concatenate(V).astype(np.float64)
    center = V.mean(axis=0)
    width = V.shape[1] // 3
    proj = np.zeros((V.shape[1], 3 * components))
    for b in range(3):
        block = V[:, b * width:(b + 1) * width] - center[b * width:(b + 1) * width]
        axes = np.linalg.svd(block, full_matrices=False)[2][:components]
        proj[b * width:(b + 1) * width, b * components:(b + 1) * components] = axes.T
    return center.astype(np.float32), proj.astype(np.float32)


def _stacked(rows: list[Row], p1: np.ndarray) -> np.ndarray:
    from sitrep.extract.place import stack_features
    parts, i = [], 0
    for r in rows:
        if r.cset is None:
            continue
        n = len(r.cset.spans)
        parts.append(stack_features(r.cset, p1[i:i + n]))
        i += n
    return np.concatenate(parts) if parts else np.zeros((0, 0), dtype=np.float32)


def train_linker(rows: list[Row], params: LinkerParams = LinkerParams(), meta: dict | None = None):
    """The two-stage linker trained on ``rows``: the first stage on all of them, the second on the first
    stage's out-of-fold scores (``inner_folds``), so that it learns from scores like those it will see."""
    from sitrep.extract.place import STACK_FEATURES
    from sitrep.kb.placemodel import PlaceLinker
    rows = [r for r in rows if r.cset is not None and r.example.source not in params.exclude_sources]
    names = vocabulary(rows, params.min_count)
    center, projection = _projection(rows, params.vector_components)
    shell = PlaceLinker(names, None, None, params.threshold, center=center, projection=projection)
    X, y = _matrix(rows, shell)
    s1 = fit_trees(X, y, params.stage1)
    s2, n_stack = None, 0
    if params.stacked:
        oof = np.zeros(len(y))
        starts = np.cumsum([0] + [len(r.cset.spans) for r in rows])       # (rows with no candidate: 0)
        for f in range(params.inner_folds):
            inner = np.array([fold_of(r.example.key, params.inner_folds, "inner") == f for r in rows])
            mask = np.repeat(inner, np.diff(starts))
            m = fit_trees(X[~mask], y[~mask], params.stage1)
            oof[mask] = m.predict(X[mask])
        S = _stacked(rows, oof)
        s2 = fit_trees(np.hstack([X, S]), y, params.stage2)
        n_stack = len(STACK_FEATURES)
    info = {"n_records": len(rows), "n_candidates": len(y), "params": _params_dict(params)}
    info.update(meta or {})
    return replace(shell, stage1=s1, stage2=s2, n_stack=n_stack, meta=info)


def _params_dict(params: LinkerParams) -> dict:
    from dataclasses import asdict
    d = asdict(params)
    d["exclude_sources"] = list(params.exclude_sources)
    return d


def cross_validate(rows: list[Row], k: int = 5, params: LinkerParams = LinkerParams(),
                   thresholds=(0.3, 0.35, 0.4, 0.45, 0.5), progress=None) -> dict:
    """K-fold cross-validation on the tune rows (folds by a hash of the text), and the linker trained on
    all tune rows scored on the held-out rows: token P/R/F1 at ``params.threshold`` and at each of
    ``thresholds`` (so the threshold can be chosen on the tune part alone); ``linker``: the one trained
    on all tune rows."""
    tune = [r for r in rows if r.example.part == "tune"]
    held = [r for r in rows if r.example.part == "heldout"]
    scores: dict[int, np.ndarray] = {}
    for f in range(k):
        train = [r for r in tune if fold_of(r.example.key, k) != f]
        test = [r for r in tune if fold_of(r.example.key, k) == f]
        linker = train_linker(train, params)
        for r in test:
            scores[id(r)] = _row_scores(r, linker)
        if progress:
            progress(f"fold {f + 1}/{k}")
    linker = train_linker(tune, params)
    for r in held:
        scores[id(r)] = _row_scores(r, linker)

    def at(rs, t):
        tot = [0, 0, 0]
        for r in rs:
            pred = [sp for sp, q in zip(r.cset.spans, scores[id(r)]) if q >= t] if r.cset is not None else []
            tot = [a + b for a, b in zip(tot, counts(r, pred))]
        return prf(*tot)
    return {"k": k, "threshold": params.threshold, "cv_tune": at(tune, params.threshold),
            "heldout": at(held, params.threshold),
            "by_threshold": {str(t): {"cv_tune": at(tune, t), "heldout": at(held, t)} for t in thresholds},
            "params": _params_dict(params), "linker": linker}


def _row_scores(row: Row, linker) -> np.ndarray:
    from sitrep.extract.place import linker_scores
    return linker_scores(row.cset, linker) if row.cset is not None else np.zeros(0)


# ---------------------------------------------------------------------------------------------- command
def evaluate(data: Path, config: Config | None = None, limit: int | None = None, cv: int | None = None,
             predictions_out: Path | None = None, params: LinkerParams | None = None) -> dict:
    """Scores of the shipped linker on every scorable record (all, tune, held-out), and with ``cv`` the
    cross-validated figures of a linker trained as the shipped one is."""
    from sitrep.kb.placemodel import load_place_linker
    records = load_records(data)
    if limit:
        records = records[:limit]
    exs, skipped = examples(records)
    rows = featurize(exs, pipeline(config))
    linker = load_place_linker()
    preds = linker_predictions(rows, linker)
    parts = score_parts(rows, preds)
    res = dict(parts["all"])
    res.update({"tune": parts["tune"], "heldout": parts["heldout"], "n": len(exs), "n_records": len(records),
                "n_with_location": sum(bool(e.gold) for e in exs), "skipped": dict(sorted(skipped.items())),
                "linker": "trees" if linker is not None else "rules"})
    if linker is not None:
        res["model"] = {k: linker.meta.get(k) for k in ("trained_on", "n_records", "cv") if k in linker.meta}
    if cv:
        if params is None:
            params = _shipped_params(linker)
        res["cv"] = cross_validate(rows, cv, params,
                                   progress=lambda m: print(f"cross-validation: {m}", file=sys.stderr))
        del res["cv"]["linker"]
    if predictions_out:
        with open(predictions_out, "w", encoding="utf-8") as fh:
            fh.writelines(_prediction_line(row, pred) for row, pred in zip(rows, preds))
    return res


def _prediction_line(row: Row, pred) -> str:
    ex = row.example
    return json.dumps({"text": ex.text, "verb": list(ex.verb), "part": ex.part, "pred": [list(s) for s in pred],
                       "gold": [list(s) for s in ex.gold]}) + "\n"


def _shipped_params(linker) -> LinkerParams:
    """The training parameters of the shipped linker (its metadata), else the defaults."""
    d = (linker.meta.get("params") if linker is not None else None) or {}
    if not d:
        return LinkerParams()
    return LinkerParams(stage1=TreeParams(**d["stage1"]), stage2=TreeParams(**d["stage2"]),
                        stacked=d["stacked"], inner_folds=d["inner_folds"], min_count=d["min_count"],
                        threshold=d["threshold"], exclude_sources=tuple(d["exclude_sources"]),
                        vector_components=d.get("vector_components", 0))


def format_table(result: dict) -> str:
    sk = result.get("skipped") or {}
    head = (f"event location (token level, {result.get('n', '?')} records scored, "
            f"{result.get('n_with_location', '?')} with a location; linker: {result.get('linker', '?')})")
    lines = [head]
    if sk:
        lines.append("skipped: " + ", ".join(f"{v} {k}" for k, v in sk.items()))
    lines.append(f"{'':22}{'P':>8}{'R':>8}{'F1':>8}")
    rows = [("all (shipped model)", result), ("tune", result.get("tune")), ("heldout", result.get("heldout"))]
    cv = result.get("cv")
    if cv:
        rows += [(f"CV {cv['k']}-fold on tune", cv["cv_tune"]), ("trained tune->heldout", cv["heldout"])]
    for name, row in rows:
        if row and "p" in row:
            lines.append(f"{name:22}{row['p']:8.3f}{row['r']:8.3f}{row['f1']:8.3f}")
    if cv:
        lines.append(f"threshold {cv['threshold']}; by threshold (CV tune F1 / held-out F1): " + ", ".join(
            f"{t}: {v['cv_tune']['f1']:.3f}/{v['heldout']['f1']:.3f}" for t, v in cv["by_threshold"].items()))
    return "\n".join(lines)

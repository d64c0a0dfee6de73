"""`sitrep eval plover`: event type, actors, location and casualties on PLOVER gold-standard records.

Each gold record is one sentence with one event (older type names are mapped: DEMAND->REQUEST,
DISAPPROVE/INVESTIGATE->ACCUSE, FIGHT->ASSAULT). We run annotate -> extract -> resolve on the sentence
and compare ONE predicted event: the highest-ranked mention (``rank_events``: the trigger nearest the
root of the parse, i.e. the main clause's event, then the earliest). PLOVER codes statements of intent
as AGREE (cooperative) or THREATEN (coercive) and refusals as REJECT, so a planned/hypothetical
prediction is coded with ``Ontology.intent_type`` and a denied intention of a cooperative type as
REJECT before comparing. No event = wrong (counts against recall of the gold type).

Metrics: type accuracy; macro-F1 over the 16 types (types without gold records and without
predictions are left out of the mean, as in sklearn's default labels); source/target country accuracy
over records whose gold actor has a code (right when any predicted actor of that role has it); sector
accuracy over gold source/target actors with a sector; location accuracy (predicted place text contains
or is contained in the gold name) and dead/injured accuracy (gold value within the predicted range),
each over the records that give them.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from sitrep.config import Config
from sitrep.records import Annotation, Document, Published


SHIPPED = "shipped"          # evaluate with the model shipped in sitrep/data/events


def load_records(path: Path) -> list[dict]:
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"PLOVER data not found: {path}")
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        r = json.loads(line)
        if "text" not in r or "event" not in r:
            raise ValueError(f"{path}:{n}: record without 'text' and 'event'")
        out.append(r)
    return out


def _annotator(config: Config):
    from sitrep.annotate import Annotator
    ann = Annotator(config)
    try:
        ann.pipeline_for("en")
    except (ImportError, AttributeError, NotImplementedError, FileNotFoundError) as exc:
        print(f"entity patterns unavailable ({exc}); plain spaCy model", file=sys.stderr)
        ann = Annotator(config, with_patterns=False)
    return ann


def code_of(type_: str, status: str | None, ontology) -> str:
    """The PLOVER type a coder gives a mention of ``type_`` with ``status`` (intent -> AGREE/THREATEN,
    refused cooperative intent -> REJECT).

    Example: ("AID", "planned") -> AGREE; ("ASSAULT", "planned") -> THREATEN; ("AID", "denied") -> REJECT."""
    t = ontology.canonical(type_)
    if status in ("planned", "hypothetical"):
        return ontology.intent_type(t)
    if status == "denied" and ontology.intent_type(t) == "AGREE" and t not in ("REJECT",):
        return "REJECT"
    return t


def plover_code(event, ontology) -> str:
    """The PLOVER type a coder gives this mention (``code_of`` its type and status)."""
    return code_of(event.type, event.status, ontology)


def predict_record(text: str, annotator, kb):
    """Annotate, extract and resolve one sentence; returns (annotation, ranked events)."""
    from sitrep.extract.events import extract_events, rank_events
    from sitrep.records import Extraction
    doc = Document(id="plover", path="plover", text=text, published=Published())
    ann: Annotation = annotator.annotate(doc)
    events = extract_events(ann, kb)
    try:
        from sitrep.resolve import resolve_document
        events = resolve_document(ann, Extraction(doc_id=doc.id, events=events), kb).events
    except Exception as exc:     # resolve is another stage; an error there must not stop the scoring
        print(f"resolve failed: {exc}", file=sys.stderr)
    return ann, rank_events(events, ann)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(data: Path, config: Config | None = None, predictions_out: Path | None = None,
             type_model=SHIPPED, lexicon: str = "full") -> dict:
    """Score the pipeline on every record of ``data``; ``type_model``: the shipped model by default, a
    ``TypeModel``, or None for the lexicon alone; ``lexicon``: which word lists type (``Ontology.with_lexicon``:
    full, triggers, cameo)."""
    from sitrep.kb import KnowledgeBase
    config = config or Config()
    kb = KnowledgeBase.load(config)
    if lexicon != "full":
        kb.ontology = kb.ontology.with_lexicon(lexicon)
    if type_model is not SHIPPED:
        kb.ontology = kb.ontology.with_type_model(type_model)
    return score_records(load_records(data), kb, _annotator(config), predictions_out)


def score_records(records: list[dict], kb, annotator, predictions_out: Path | None = None) -> dict:
    """Type, actor, place and count scores of the pipeline (``kb``'s model) on gold records."""
    onto = kb.ontology
    gold_types, pred_types = [], []
    acc = {k: [0, 0] for k in ("source_country", "target_country", "sector", "location", "dead", "injured")}
    rows = []
    for r in records:
        gold = onto.canonical(r["event"])
        text = r["text"].strip().strip("{}").strip()
        try:
            ann, events = predict_record(text, annotator, kb)
        except Exception as exc:
            print(f"{r.get('id')}: {exc}", file=sys.stderr)
            events = []
        ev = events[0] if events else None
        pred = plover_code(ev, onto) if ev else None
        gold_types.append(gold)
        pred_types.append(pred)
        for role, key in (("source", "source_country"), ("target", "target_country")):
            codes = [a.get("code") for a in (r.get(role) or []) if a.get("code")]
            if codes:
                got = {a.country for a in (ev.actors if ev else []) if a.role == role and a.country}
                acc[key][1] += 1
                acc[key][0] += bool(got & set(codes))
        for role in ("source", "target"):
            for a in r.get(role) or []:
                if a.get("sector"):
                    got = {x.sector for x in (ev.actors if ev else []) if x.role == role and x.sector}
                    acc["sector"][1] += 1
                    acc["sector"][0] += a["sector"] in got
        if r.get("location") and r["location"].get("name"):
            name = r["location"]["name"].lower()
            got = (ev.location_text or "").lower() if ev else ""
            acc["location"][1] += 1
            acc["location"][0] += bool(got) and (got in name or name in got)
        for field, kind in (("dead", "killed"), ("injured", "injured")):
            if r.get(field):
                try:
                    val = int(str(r[field]).replace(",", ""))
                except ValueError:
                    continue
                c = ev.counts.get(kind) if ev else None
                acc[field][1] += 1
                acc[field][0] += c is not None and c.min <= val <= c.max
        rows.append({"id": r.get("id"), "gold": gold, "pred": pred,
                     "trigger": ev.trigger if ev else None, "status": ev.status if ev else None})
    if predictions_out:
        with open(predictions_out, "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row) + "\n")
    n = len(records)
    per_type = {}
    gold_n = Counter(gold_types)
    pred_n = Counter(p for p in pred_types if p)
    tp = Counter(g for g, p in zip(gold_types, pred_types) if g == p)
    for t in onto.types:
        if not gold_n[t] and not pred_n[t]:
            continue
        p = tp[t] / pred_n[t] if pred_n[t] else 0.0
        rc = tp[t] / gold_n[t] if gold_n[t] else 0.0
        per_type[t] = {"p": round(p, 4), "r": round(rc, 4), "f1": round(_f1(p, rc), 4), "n": gold_n[t]}
    macro = sum(v["f1"] for v in per_type.values()) / len(per_type) if per_type else 0.0
    ratio = lambda k: round(acc[k][0] / acc[k][1], 4) if acc[k][1] else None   # noqa: E731
    return {
        "n": n,
        "type_accuracy": round(sum(tp.values()) / n, 4) if n else 0.0,
        "macro_f1": round(macro, 4),
        "per_type": per_type,
        "source_country_accuracy": ratio("source_country"),
        "target_country_accuracy": ratio("target_country"),
        "sector_accuracy": ratio("sector"),
        "location_accuracy": ratio("location"),
        "dead_accuracy": ratio("dead"),
        "injured_accuracy": ratio("injured"),
        "abstained": sum(1 for p in pred_types if p is None),
        "support": {k: v[1] for k, v in acc.items()},
        "selection": "highest-ranked mention (main clause), PLOVER intent coding",
    }


def format_table(result: dict) -> str:
    lines = [f"PLOVER event types: n={result['n']}  accuracy={result['type_accuracy']:.3f}  "
             f"macro-F1={result['macro_f1']:.3f}  abstained={result.get('abstained', 0)}",
             f"{'type':12}{'P':>7}{'R':>7}{'F1':>7}{'n':>5}"]
    for t, v in result["per_type"].items():
        lines.append(f"{t:12}{v['p']:7.3f}{v['r']:7.3f}{v['f1']:7.3f}{v['n']:5d}")
    for k in ("source_country_accuracy", "target_country_accuracy", "sector_accuracy", "location_accuracy",
              "dead_accuracy", "injured_accuracy"):
        v = result.get(k)
        lines.append(f"{k:26}{'-' if v is None else f'{v:.3f}'}")
    return "\n".join(lines)


def default_shared(data: Path) -> Path | None:
    """The ``shared`` folder a PLOVER file sits in (``shared/data/events/plover/FILE``), if any."""
    p = Path(data).resolve()
    return p.parents[3] if len(p.parents) > 3 and (p.parents[3] / "data").is_dir() else None


def evaluate_halves(data: Path, shared: Path | None = None, config: Config | None = None,
                    lexicon: str = "full") -> dict:
    """Types learned on one half of the records and scored on the other, both ways.

    The halves are fixed by a hash of the record id (``type_training.half_of``). Each model is trained by
    the shipped recipe (``type_training.train_model``) on the other half plus the same other sets as the
    shipped model (those found under ``shared``: ConfliBERT's tune part, the GVA tune-part and seed
    anchors); the lexicon alone is scored on the same halves for comparison. ``lexicon`` picks the word
    lists that find and type candidates (``Ontology.with_lexicon``): ``full`` (triggers.yaml, CAMEO as
    fallback), ``triggers`` or ``cameo``. triggers.yaml was written while reading all of these records, so
    only ``cameo`` (a lexicon compiled by others on other news) gives a held-out estimate."""
    from sitrep.eval import type_training as tt
    from sitrep.kb import KnowledgeBase
    config = config or Config()
    records = load_records(data)
    sets = {k: v for k, v in (tt.shared_sets(shared) if shared else {}).items() if k != "plover"}
    texts = tt.collect(plover=Path(data), config=config, lexicon=lexicon, **sets)
    other = [t for t in texts if t.source != "plover" and not tt.held_out(t)]
    annotator = _annotator(config)
    kb = KnowledgeBase.load(config)
    onto = kb.ontology.with_lexicon(lexicon)
    out = {"halves": [], "other_sets": sorted({t.source for t in other}), "lexicon": lexicon}
    for h in (0, 1):
        train = [t for t in texts if t.source == "plover" and tt.half_of(t.key) != h] + other
        model, counts = tt.train_model(train, onto)
        recs = [r for r in records if tt.half_of(r["id"]) == h]
        row = {"half": h, "n": len(recs), "train_examples": counts}
        for name, m in (("model", model), ("lexicon", None)):
            kb_m = KnowledgeBase.load(config)
            kb_m.ontology = onto.with_type_model(m)
            row[name] = score_records(recs, kb_m, annotator)
        out["halves"].append(row)
    for name in ("model", "lexicon"):
        out[f"{name}_mean_macro_f1"] = round(sum(r[name]["macro_f1"] for r in out["halves"]) / 2, 4)
        out[f"{name}_mean_accuracy"] = round(sum(r[name]["type_accuracy"] for r in out["halves"]) / 2, 4)
    return out


def format_halves(result: dict) -> str:
    lines = ["PLOVER types learned on one half of the records, scored on the other "
             f"(lexicon: {result.get('lexicon', 'full')}; other training sets: "
             f"{', '.join(result['other_sets']) or 'none'})",
             f"{'':14}{'n':>4}{'model F1':>10}{'acc':>7}{'lexicon F1':>12}{'acc':>7}"]
    for r in result["halves"]:
        m, lx = r["model"], r["lexicon"]
        lines.append(f"{'scored on ' + str(r['half']):14}{r['n']:4d}{m['macro_f1']:10.3f}{m['type_accuracy']:7.3f}"
                     f"{lx['macro_f1']:12.3f}{lx['type_accuracy']:7.3f}")
    lines.append(f"{'mean':14}{'':4}{result['model_mean_macro_f1']:10.3f}{result['model_mean_accuracy']:7.3f}"
                 f"{result['lexicon_mean_macro_f1']:12.3f}{result['lexicon_mean_accuracy']:7.3f}")
    types = sorted({t for r in result["halves"] for t in r["model"]["per_type"]},
                   key=lambda t: list(result["halves"][0]["model"]["per_type"]).index(t)
                   if t in result["halves"][0]["model"]["per_type"] else 99)
    lines.append(f"{'type F1':14}" + "".join(f"{'half ' + str(r['half']) + ' model':>14}{'lexicon':>9}"
                                            for r in result["halves"]))
    for t in types:
        cells = ""
        for r in result["halves"]:
            m = r["model"]["per_type"].get(t)
            lx = r["lexicon"]["per_type"].get(t)
            cells += f"{m['f1'] if m else float('nan'):14.3f}{lx['f1'] if lx else float('nan'):9.3f}"
        lines.append(f"{t:14}{cells}")
    return "\n".join(lines)

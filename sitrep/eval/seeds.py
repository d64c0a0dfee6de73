"""`sitrep eval seeds`: run the pipeline on the seed reports and score it exactly as the gold file's
header says (documents, must/credit events, incidents, figures, quotes, must_not lines)."""
from __future__ import annotations

import re
import tempfile
from datetime import date, timedelta
from pathlib import Path

import yaml

from sitrep.config import Config
from sitrep.kb.gazetteer import haversine_km
from sitrep.records import Document, Extraction, Incident

STOPWORDS = set("""a an the and or of to in on at for by with from that this these those is are was
were be been has have had it its as but not no we our you they he she his her their them there will would
can could should may might must than then so if into out up about over after before while which who whom
what when where how all any both each few more most other some such only own same too very just""".split())


def _iso(value) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _overlaps(a_start: str, a_end: str, b_start: str, b_end: str) -> bool:
    return a_start <= b_end and b_start <= a_end


def content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9']+", text.lower()) if w not in STOPWORDS and len(w) > 1}


def _doc_name(doc: Document) -> str:
    return Path(doc.path.split("#")[0]).name


# ------------------------------------------------------------------------------ matching
def event_matches(gold: dict, incident: Incident, doc_id: str, check_date: bool = True) -> bool:
    """The gold header's rule for one gold event and one exported incident."""
    if not any(m.doc == doc_id for m in incident.mentions):
        return False
    if incident.type not in gold["type"]:
        return False
    if check_date and "date" in gold:
        d = gold["date"]
        if incident.date is None or not _overlaps(incident.date.start, incident.date.end,
                                                  _iso(d["start"]), _iso(d["end"])):
            return False
    if "lat" in gold:
        loc = incident.location
        if loc is None or loc.lat is None or \
                haversine_km(loc.lat, loc.lon, gold["lat"], gold["lon"]) > gold.get("within_km", 50):
            return False
    countries = {a.country for a in incident.actors}
    if any(c not in countries for c in gold.get("actors", [])):
        return False
    if "status" in gold and incident.status != gold["status"] and not any(
            m.doc == doc_id and m.status == gold["status"] for m in incident.mentions):
        # a gold event is one report's reading: a summit `planned` in an early report stays planned
        # for that report even when a later report makes the fused incident `reported`
        return False
    for kind, (lo, hi) in (gold.get("counts") or {}).items():
        c = incident.counts.get(kind)
        if c is None or not (c.min <= hi and lo <= c.max):
            return False
    return True


def _figure_found(gold: dict, figures: list, doc_id: str) -> bool:
    lo, hi = gold["value"]
    for f in figures:
        if not any(m.doc == doc_id for m in f.mentions):
            continue
        if f.what == gold["what"] and f.min <= hi and lo <= f.max:
            return True
    return False


def _quote_found(gold: dict, quotes: list, doc_id: str) -> bool:
    want = content_words(gold["content"])
    for q in quotes:
        if q.doc != doc_id:
            continue
        name = f"{q.speaker.name or ''} {q.speaker.text or ''}".lower()
        speaker_ok = gold["speaker"].lower() in name or (
            gold.get("country") and q.speaker.country == gold["country"])
        if speaker_ok and len(want & content_words(q.content)) >= len(want) / 2:
            return True
    return False


# ------------------------------------------------------------------------------ must_not lines
def check_must_not(line: str, docs_by_name: dict[str, Document], incidents: list[Incident],
                   extractions: dict[str, Extraction], gold_events: list[dict]) -> bool | None:
    """True when the wrong output named by the line is absent; None when the line is not understood."""
    m = re.match(r"(\S+\.txt) published (\d{4}-\d{2}-\d{2})", line)
    if m:
        doc = docs_by_name.get(m.group(1))
        return doc is None or doc.published.date != m.group(2)
    m = re.match(r"an incident of type (\w+) with status (\w+) whose only mentions come from (\S+\.txt)", line)
    if m:
        doc = docs_by_name.get(m.group(3))
        if doc is None:
            return True
        return not any(i.type == m.group(1) and i.status == m.group(2)
                       and {x.doc for x in i.mentions} == {doc.id} for i in incidents)
    m = re.match(r"a date normalised from (.+)", line)
    if m:
        phrases = [p.lower() for p in re.findall(r"'([^']+)'", m.group(1))]
        for x in extractions.values():
            for t in x.timexes:
                text = t.text.lower()
                if any(p in text or text in p for p in phrases if len(text) > 1):
                    if t.type in ("DATE", "TIME") and t.interval is not None:
                        return False
        return True
    m = re.match(r"the photo credit '\(?([^')]+)\)?' taken as the outlet of (\S+\.txt)", line)
    if m:
        doc = docs_by_name.get(m.group(2))
        return doc is None or (doc.outlet or "").lower() != m.group(1).lower()
    m = re.match(r"an event dated to the publication date when the text gives its own date", line)
    if m:
        for g in gold_events:
            doc = docs_by_name.get(g["doc"])
            if doc is None or doc.published.date is None or "date" not in g:
                continue
            if _overlaps(doc.published.date, doc.published.date, _iso(g["date"]["start"]),
                         _iso(g["date"]["end"])):
                continue      # the gold date includes the publication date: nothing to check
            for inc in incidents:
                if event_matches(g, inc, doc.id, check_date=False) and inc.date and \
                        inc.date.basis == "publication" and inc.date.start == doc.published.date:
                    return False
        return True
    return None


# ------------------------------------------------------------------------------ the score
def score(gold: dict, documents: list[Document], incidents: list[Incident],
          extractions: list[Extraction], figures: list, quotes: list) -> dict:
    docs_by_name = {_doc_name(d): d for d in documents}
    by_doc = {x.doc_id: x for x in extractions}

    date_right, doc_rows = 0, []
    for name, g in (gold.get("documents") or {}).items():
        doc = docs_by_name.get(name)
        gp = g.get("published", {})
        ok = False
        if doc is not None:
            if gp.get("status") == "stated":
                ok = doc.published.status == "stated" and doc.published.date == _iso(gp["date"])
            elif gp.get("status") == "unknown":
                lo, hi = (_iso(x) for x in gp.get("estimate_within", ["0000", "0000"]))
                ok = doc.published.status == "unknown" or (
                    doc.published.status == "estimated" and doc.published.date is not None
                    and lo <= doc.published.date <= hi)
        date_right += ok
        doc_rows.append({"doc": name, "date_right": ok,
                         "published": doc.published.date if doc else None,
                         "status": doc.published.status if doc else None})

    event_rows, found_ids = [], set()
    must_found = must = credit_found = credit = 0
    for g in gold.get("events") or []:
        doc = docs_by_name.get(g["doc"])
        hit = doc is not None and any(event_matches(g, i, doc.id) for i in incidents)
        if hit:
            found_ids.add(g["id"])
        if g.get("must"):
            must += 1
            must_found += hit
        else:
            credit += 1
            credit_found += hit
        event_rows.append({"id": g["id"], "must": bool(g.get("must")), "found": hit})

    gold_by_id = {g["id"]: g for g in gold.get("events") or []}
    merged = 0
    for x in gold.get("incidents") or []:
        members = [gold_by_id[e] for e in x["events"] if e in gold_by_id]
        merged += any(all(_matches_ignoring_status(m, inc, docs_by_name) for m in members)
                      for inc in incidents)

    fig_found = sum(_figure_found(g, figures, docs_by_name[g["doc"]].id)
                    for g in gold.get("figures") or [] if g["doc"] in docs_by_name)
    quote_found = sum(_quote_found(g, quotes, docs_by_name[g["doc"]].id)
                      for g in gold.get("quotes") or [] if g["doc"] in docs_by_name)

    must_not_rows = []
    for line in gold.get("must_not") or []:
        passed = check_must_not(line, docs_by_name, incidents, by_doc, gold.get("events") or [])
        must_not_rows.append({"line": line, "passed": passed})

    return {
        "documents": {"date_right": date_right, "of": len(gold.get("documents") or {})},
        "events": {"must_found": must_found, "must": must, "credit_found": credit_found,
                   "credit": credit},
        "incidents": {"merged": merged, "of": len(gold.get("incidents") or [])},
        "figures": {"found": fig_found, "of": len(gold.get("figures") or [])},
        "quotes": {"found": quote_found, "of": len(gold.get("quotes") or [])},
        "must_not": {"passed": sum(1 for r in must_not_rows if r["passed"]),
                     "of": len(must_not_rows)},
        "output_incidents": len(incidents),
        "detail": {"documents": doc_rows, "events": event_rows, "must_not": must_not_rows},
    }


def _matches_ignoring_status(gold: dict, inc: Incident, docs_by_name) -> bool:
    """Inside a merged incident a member's own status is its mention's status, not the incident's."""
    doc = docs_by_name.get(gold["doc"])
    if doc is None:
        return False
    relaxed = {k: v for k, v in gold.items() if k != "status"}
    if not event_matches(relaxed, inc, doc.id):
        return False
    if "status" in gold:
        return any(m.doc == doc.id and m.status == gold["status"] for m in inc.mentions)
    return True


def score_store(gold: dict, config: Config) -> dict:
    """Score what a run left in the store named by ``config`` against the gold."""
    from sitrep.pipeline import stored_records
    from sitrep.store import open_store

    store = open_store(config)
    try:
        extractions = store.extractions()
        records = stored_records(store, extractions)
    finally:
        store.close()
    return score(gold, records["documents"], records["incidents"], extractions,
                 records["figures"], records["quotes"])


def evaluate(gold: Path, seeds: Path, db: Path | None = None, config: Config | None = None) -> dict:
    from sitrep.pipeline import run

    gold_data = yaml.safe_load(Path(gold).read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        cfg = (config or Config()).with_(db=Path(db) if db else Path(tmp) / "seeds.db", out=None)
        run([seeds], cfg)
        return score_store(gold_data, cfg)


def format_table(result: dict) -> str:
    lines = ["seed gold", "---------"]
    for key, (a, b) in {"documents (date right)": ("documents", ("date_right", "of")),
                        "incidents merged": ("incidents", ("merged", "of")),
                        "figures found": ("figures", ("found", "of")),
                        "quotes found": ("quotes", ("found", "of")),
                        "must_not passed": ("must_not", ("passed", "of"))}.items():
        section = result[a]
        lines.append(f"{key:<26}{section[b[0]]:>4} / {section[b[1]]}")
    ev = result["events"]
    lines.append(f"{'must events found':<26}{ev['must_found']:>4} / {ev['must']}")
    lines.append(f"{'credit events found':<26}{ev['credit_found']:>4} / {ev['credit']}")
    lines.append(f"{'output incidents':<26}{result['output_incidents']:>4}")
    missed = [r["id"] for r in result["detail"]["events"] if not r["found"]]
    if missed:
        lines.append("not found: " + ", ".join(missed))
    failed = [r["line"] for r in result["detail"]["must_not"] if not r["passed"]]
    for line in failed:
        lines.append(f"must_not failed or unchecked: {line}")
    return "\n".join(lines)

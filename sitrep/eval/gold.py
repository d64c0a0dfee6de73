"""`sitrep eval gold` (and its case `sitrep eval seeds`): run the pipeline on a folder of reports and score
it against a gold file in the seeds format exactly as that file's header says (documents, must/credit
events, incidents merged, figures, quotes, must_not lines), plus blobs (output incidents that hold two gold
happenings) and, for every missed must event, which check failed. Every figure is given for the whole set
and for its tune and held-out parts (``sitrep.eval.split``: by a hash of the gold happening's id)."""
from __future__ import annotations

import re
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

import yaml

from sitrep.config import Config
from sitrep.eval.split import PARTS, part_of
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
def failed_checks(gold: dict, incident: Incident, doc_id: str, check_date: bool = True) -> list[str]:
    """The gold header's rule for one gold event and one exported incident: the names of the checks the
    incident fails (empty when it matches). Named for people: ``type``, ``date``, ``place``,
    ``actor:SYR``, ``status``, ``counts.killed`` (``counts.killed=missing`` when the incident has none)."""
    if not any(m.doc == doc_id for m in incident.mentions):
        return ["doc"]
    failed = []
    if incident.type not in gold["type"]:
        failed.append("type")
    if check_date and "date" in gold:
        d = gold["date"]
        if incident.date is None:
            failed.append("date=missing")
        elif not _overlaps(incident.date.start, incident.date.end, _iso(d["start"]), _iso(d["end"])):
            failed.append("date")
    if "lat" in gold:
        loc = incident.location
        if loc is None or loc.lat is None:
            failed.append("place=missing")
        elif haversine_km(loc.lat, loc.lon, gold["lat"], gold["lon"]) > gold.get("within_km", 50):
            failed.append("place")
    countries = {a.country for a in incident.actors}
    failed.extend(f"actor:{c}" for c in gold.get("actors", []) if c not in countries)
    if "status" in gold and incident.status != gold["status"] and not any(
            m.doc == doc_id and m.status == gold["status"] for m in incident.mentions):
        # a gold event is one report's reading: a summit `planned` in an early report stays planned
        # for that report even when a later report makes the fused incident `reported`
        failed.append("status")
    for kind, (lo, hi) in (gold.get("counts") or {}).items():
        c = incident.counts.get(kind)
        if c is None:
            failed.append(f"counts.{kind}=missing")
        elif not (c.min <= hi and lo <= c.max):
            failed.append(f"counts.{kind}")
    return failed


def event_matches(gold: dict, incident: Incident, doc_id: str, check_date: bool = True) -> bool:
    """Whether one exported incident matches one gold event by the gold header's rule."""
    return not failed_checks(gold, incident, doc_id, check_date)


def miss_reasons(gold: dict, incidents: list[Incident], doc_id: str) -> list[str]:
    """Why a gold event was not found: the failed checks of the incident of its document that comes
    closest (fewest failures; a right type first), or ``no incident`` when its document has none."""
    best = None
    for inc in incidents:
        failed = failed_checks(gold, inc, doc_id)
        if failed == ["doc"]:
            continue
        key = ("type" in failed, len(failed))
        if best is None or key < best[0]:
            best = (key, failed)
    return best[1] if best else ["no incident"]


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
def happening_of(gold: dict) -> dict[str, str]:
    """Gold event id -> the happening it reports: its gold incident's id, or its own id when alone."""
    out = {g["id"]: g["id"] for g in gold.get("events") or []}
    for x in gold.get("incidents") or []:
        for e in x["events"]:
            out[e] = x["id"]
    return out


def heldout_documents(gold: dict) -> set[str]:
    """File names of the documents that report a held-out happening (never read them while tuning)."""
    hap = happening_of(gold)
    return {g["doc"] for g in gold.get("events") or [] if part_of(hap[g["id"]]) == "heldout"}


def _event_scores(gold: dict, docs_by_name: dict, incidents: list[Incident]) -> tuple[list[dict], dict]:
    """One row per gold event (found, must, part, miss reasons) and, per output incident id, the
    happenings whose events it matches."""
    hap = happening_of(gold)
    by_doc: dict[str, list[Incident]] = {}
    for inc in incidents:
        for d in {m.doc for m in inc.mentions}:
            by_doc.setdefault(d, []).append(inc)
    rows: list[dict] = []
    held: dict[str, set[str]] = {}
    for g in gold.get("events") or []:
        doc = docs_by_name.get(g["doc"])
        own = by_doc.get(doc.id, []) if doc is not None else []
        hits = [inc for inc in own if event_matches(g, inc, doc.id)]
        for inc in hits:
            held.setdefault(inc.id, set()).add(hap[g["id"]])
        row = {"id": g["id"], "doc": g["doc"], "must": bool(g.get("must")), "found": bool(hits),
               "part": part_of(hap[g["id"]])}
        if not hits:
            row["why"] = miss_reasons(g, own, doc.id) if doc is not None else ["no document"]
        rows.append(row)
    return rows, held


def _part_summary(rows: list[dict], merged_rows: list[dict], held: dict, part: str | None) -> dict:
    """Must/credit recall, incidents merged and blobs over one part (None: all)."""
    rows = [r for r in rows if part is None or r["part"] == part]
    merged_rows = [r for r in merged_rows if part is None or r["part"] == part]
    must = [r for r in rows if r["must"]]
    credit = [r for r in rows if not r["must"]]
    happenings = {r["id"] for r in rows}
    holding = [h for h in held.values() if part is None or any(part_of(x) == part for x in h)]
    blobs = sum(1 for h in holding if len(h) >= 2)
    out = {
        "events": {"must_found": sum(r["found"] for r in must), "must": len(must),
                   "credit_found": sum(r["found"] for r in credit), "credit": len(credit)},
        "incidents": {"merged": sum(r["merged"] for r in merged_rows), "of": len(merged_rows)},
        "blobs": {"blobs": blobs, "holding_gold": len(holding)},
        "gold_events": len(happenings),
    }
    out["must_recall"] = round(out["events"]["must_found"] / len(must), 4) if must else None
    out["merged_share"] = round(out["incidents"]["merged"] / len(merged_rows), 4) if merged_rows else None
    out["blob_share"] = round(blobs / len(holding), 4) if holding else None
    return out


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

    event_rows, held = _event_scores(gold, docs_by_name, incidents)
    gold_by_id = {g["id"]: g for g in gold.get("events") or []}
    merged_rows = []
    for x in gold.get("incidents") or []:
        members = [gold_by_id[e] for e in x["events"] if e in gold_by_id]
        merged_rows.append({"id": x["id"], "part": part_of(x["id"]),
                            "merged": any(all(_matches_ignoring_status(m, inc, docs_by_name) for m in members)
                                          for inc in incidents)})

    fig_found = sum(_figure_found(g, figures, docs_by_name[g["doc"]].id)
                    for g in gold.get("figures") or [] if g["doc"] in docs_by_name)
    quote_found = sum(_quote_found(g, quotes, docs_by_name[g["doc"]].id)
                      for g in gold.get("quotes") or [] if g["doc"] in docs_by_name)

    must_not_rows = []
    for line in gold.get("must_not") or []:
        passed = check_must_not(line, docs_by_name, incidents, by_doc, gold.get("events") or [])
        must_not_rows.append({"line": line, "passed": passed})

    overall = _part_summary(event_rows, merged_rows, held, None)
    reasons = Counter(why for r in event_rows if r["must"] and not r["found"] for why in r["why"])
    return {
        "documents": {"date_right": date_right, "of": len(gold.get("documents") or {})},
        "events": overall["events"],
        "incidents": overall["incidents"],
        "blobs": overall["blobs"],
        "must_recall": overall["must_recall"],
        "merged_share": overall["merged_share"],
        "blob_share": overall["blob_share"],
        "figures": {"found": fig_found, "of": len(gold.get("figures") or [])},
        "quotes": {"found": quote_found, "of": len(gold.get("quotes") or [])},
        "must_not": {"passed": sum(1 for r in must_not_rows if r["passed"]),
                     "of": len(must_not_rows)},
        "output_incidents": len(incidents),
        "parts": {p: _part_summary(event_rows, merged_rows, held, p) for p in PARTS},
        "miss_reasons": dict(reasons.most_common()),
        "detail": {"documents": doc_rows, "events": event_rows, "must_not": must_not_rows,
                   "incidents": merged_rows},
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


def evaluate(gold: Path, docs: Path, db: Path | None = None, config: Config | None = None) -> dict:
    """Run the pipeline on ``docs`` (into ``db``, or a temporary store) and score it against ``gold``."""
    from sitrep.pipeline import run

    gold_data = yaml.safe_load(Path(gold).read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        cfg = (config or Config()).with_(db=Path(db) if db else Path(tmp) / "gold.db", out=None)
        run([docs], cfg)
        return score_store(gold_data, cfg)


def _ratio(a: int, b: int) -> str:
    return f"{a:>4} / {b:<4} {a / b:6.3f}" if b else f"{a:>4} / {b:<4}"


def format_table(result: dict) -> str:
    parts = result.get("parts", {})
    lines = [f"{'gold':<26}{'all':<18}" + "".join(f"{p:<18}" for p in parts),
             "-" * (26 + 18 * (1 + len(parts)))]

    def row(label: str, get) -> None:
        cells = [get(result)] + [get(v) for v in parts.values()]
        lines.append(f"{label:<26}" + "".join(f"{_ratio(*c):<18}" for c in cells))

    row("must events found", lambda r: (r["events"]["must_found"], r["events"]["must"]))
    row("credit events found", lambda r: (r["events"]["credit_found"], r["events"]["credit"]))
    row("incidents merged", lambda r: (r["incidents"]["merged"], r["incidents"]["of"]))
    row("blobs", lambda r: (r["blobs"]["blobs"], r["blobs"]["holding_gold"]))
    for key, (a, b) in {"documents (date right)": ("documents", ("date_right", "of")),
                        "figures found": ("figures", ("found", "of")),
                        "quotes found": ("quotes", ("found", "of")),
                        "must_not passed": ("must_not", ("passed", "of"))}.items():
        section = result[a]
        if section[b[1]]:
            lines.append(f"{key:<26}{_ratio(section[b[0]], section[b[1]])}")
    lines.append(f"{'output incidents':<26}{result['output_incidents']:>4}")
    if result.get("miss_reasons"):
        lines.append("why must events were missed (failed checks of the closest incident of their report):")
        lines.extend(f"  {n:>4}  {why}" for why, n in list(result["miss_reasons"].items())[:12])
    missed = [r["id"] for r in result["detail"]["events"] if not r["found"] and r["must"]]
    if missed and len(missed) <= 30:
        lines.append("not found: " + ", ".join(missed))
    failed = [r["line"] for r in result["detail"]["must_not"] if not r["passed"]]
    for line in failed:
        lines.append(f"must_not failed or unchecked: {line}")
    return "\n".join(lines)

"""`sitrep eval fa-kes`: does a run find the happening each FA-KES article reports, on the right day and in
the right governorate?

FA-KES (Abu Salem et al. 2019) labels every article with the day and Syrian governorate of the event it
reports. The run reads the article's title and body only (no publication date: the pipeline estimates it
from the text), as a user feeding the articles would. Per article, over the incidents holding a mention from it:

- ``date``: some incident's interval, of day or week precision, contains the labelled day;
- ``governorate``: some incident lies in the labelled governorate (its place, or the governorate that
  holds the place's point, by the OCHA admin-1 polygons);
- ``both``: one incident satisfies both.

Each figure is given for all articles and for the tune and held-out parts (by a hash of ``unit_id``).
The label "damascus" covers the Damascus and Rural Damascus governorates (the dataset names no other
governorate for the Ghouta and the capital's countryside).
"""
from __future__ import annotations

import csv
import json
import tempfile
from datetime import date
from pathlib import Path

from sitrep.config import Config
from sitrep.eval.split import PARTS, part_of
from sitrep.records import Incident

# FA-KES location label -> OCHA admin-1 P-codes (UN OCHA COD-AB Syria, 2020)
GOVERNORATES = {
    "aleppo": {"SY02"}, "damascus": {"SY01", "SY03"}, "idlib": {"SY07"}, "deir ezzor": {"SY09"},
    "raqqa": {"SY11"}, "homs": {"SY04"}, "hasakeh": {"SY08"}, "hama": {"SY05"}, "daraa": {"SY12"},
    "lattakia": {"SY06"}, "quneitra": {"SY14"}, "tartous": {"SY10"}, "sweida": {"SY13"},
}
DAY_OR_WEEK = frozenset({"day", "week"})


def read_articles(path: Path) -> list[dict]:
    """The rows of a FA-KES CSV: unit_id, title, text, labelled day (ISO) and governorate label."""
    csv.field_size_limit(10 ** 9)
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            m, d, y = (int(x) for x in row["date"].split("/"))
            out.append({"id": row["unit_id"], "title": row["article_title"], "text": row["article_content"],
                        "day": date(y, m, d).isoformat(), "governorate": row["location"].strip().lower()})
    return out


def _governorate(incident: Incident, gazetteer) -> str | None:
    """OCHA admin-1 P-code of the incident's place, or None when unknown or outside Syria."""
    loc = incident.location
    if loc is None or loc.lat is None or loc.lon is None or loc.country not in (None, "SYR"):
        return None
    unit = gazetteer.admin_containing(loc.lat, loc.lon, 1)
    return unit.get("pcode") if unit else None


def score(articles: list[dict], doc_of: dict[str, str], incidents: list[Incident], gazetteer) -> dict:
    by_doc: dict[str, list[Incident]] = {}
    for inc in incidents:
        for d in {m.doc for m in inc.mentions}:
            by_doc.setdefault(d, []).append(inc)
    rows = []
    for a in articles:
        own = by_doc.get(doc_of.get(a["id"], ""), [])
        want = GOVERNORATES.get(a["governorate"], set())
        day_ok = [i.date is not None and i.date.precision in DAY_OR_WEEK and i.date.start <= a["day"] <= i.date.end
                  for i in own]
        gov_ok = [_governorate(i, gazetteer) in want for i in own]
        rows.append({"id": a["id"], "part": part_of(a["id"]), "date": any(day_ok), "governorate": any(gov_ok),
                     "both": any(x and y for x, y in zip(day_ok, gov_ok)), "incidents": len(own)})

    def summary(part: str | None) -> dict:
        sel = [r for r in rows if part is None or r["part"] == part]
        n = len(sel)
        return {"n": n, **{k: round(sum(r[k] for r in sel) / n, 4) if n else None
                           for k in ("date", "governorate", "both")}}

    return {**summary(None), "parts": {p: summary(p) for p in PARTS}, "detail": rows}


def evaluate(data: Path, db: Path | None = None, config: Config | None = None) -> dict:
    """Write the articles as JSON Lines (title and body only), run the pipeline, score the incidents."""
    from sitrep.kb import KnowledgeBase
    from sitrep.pipeline import run
    from sitrep.store import open_store

    articles = read_articles(Path(data))
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "fa_kes.jsonl"
        with open(src, "w", encoding="utf-8") as fh:
            for a in articles:
                fh.write(json.dumps({"id": a["id"], "title": a["title"], "text": a["text"]}, ensure_ascii=False) + "\n")
        cfg = (config or Config()).with_(db=Path(db) if db else Path(tmp) / "fa_kes.db", out=None)
        run([src], cfg)
        store = open_store(cfg)
        try:
            documents, incidents = store.documents(), store.incidents()
        finally:
            store.close()
    # documents read from line n of the file are named "fa_kes.jsonl#n"
    line_of = {i + 1: a["id"] for i, a in enumerate(articles)}
    doc_of: dict[str, str] = {}
    for d in documents:
        _, _, n = d.path.rpartition("#")
        if n.isdigit() and int(n) in line_of:
            doc_of[line_of[int(n)]] = d.duplicate_of or d.id
    kb = KnowledgeBase.load(config or Config())
    return score(articles, doc_of, incidents, kb.places)


def format_table(result: dict) -> str:
    lines = [f"{'FA-KES':<14}{'n':>6}{'date':>8}{'gov.':>8}{'both':>8}"]
    for name, r in [("all", result)] + list(result["parts"].items()):
        lines.append(f"{name:<14}{r['n']:>6}" + "".join(
            f"{r[k]:8.3f}" if r[k] is not None else f"{'-':>8}" for k in ("date", "governorate", "both")))
    return "\n".join(lines)

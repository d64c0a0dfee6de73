"""Exports: JSON Lines exactly per ``docs/schema.md``, ACLED CSV (all 31 columns), and GeoJSON for QGIS."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from sitrep.config import PIPELINE_VERSION
from sitrep.records import Actor, DateInterval, Document, Figure, Incident, Mention, Place, Quote, Violation

from . import acled as _acled
from .admin import AdminAreas

SCHEMA = "sitrep/1"
ACLED_COLUMNS = _acled.table().all_columns       # ACLED's 31 columns, then sitrep_id and sitrep_link
FORMATS = ("jsonl", "csv", "geojson")


# --------------------------------------------------------------------------- schema records
def _interval(d: DateInterval | None, basis: bool = True) -> dict | None:
    if d is None:
        return None
    out = {"start": d.start, "end": d.end, "precision": d.precision}
    if basis:
        out["basis"] = d.basis
    return out


def _place(p: Place | None) -> dict | None:
    if p is None:
        return None
    out = {"name": p.name, "country": p.country, "admin1": p.admin1, "lat": p.lat, "lon": p.lon,
           "precision": p.precision, "gazetteer_id": p.gazetteer_id}
    if p.basis:
        out["basis"] = p.basis
    return out


def _actor(a: Actor | None, role: bool = True) -> dict | None:
    if a is None:
        return None
    out = {"name": a.name, "text": a.text, "country": a.country, "sector": a.sector}
    if role:
        out["role"] = a.role
    return out


def _mention(m: Mention) -> dict:
    return {"doc": m.doc, "outlet": m.outlet, "published": m.published, "sentence": m.sentence,
            "start": m.start, "end": m.end, "status": m.status}


def _count(c) -> dict:
    return {"value": c.value, "min": c.min, "max": c.max, "qualifier": c.qualifier}


def document_record(d: Document) -> dict:
    p = d.published
    return {"id": d.id, "path": d.path, "title": d.title, "author": d.author, "outlet": d.outlet,
            "published": {"date": p.date, "precision": p.precision, "status": p.status, "evidence": p.evidence},
            "language": d.language, "duplicate_of": d.duplicate_of, "text": d.text}


def event_record(i: Incident) -> dict:
    return {"id": i.id, "type": i.type, "mode": i.mode, "status": i.status, "date": _interval(i.date),
            "location": _place(i.location), "actors": [_actor(a) for a in i.actors],
            "counts": {k: _count(c) for k, c in i.counts.items()},
            "mentions": [_mention(m) for m in i.mentions], "sources": i.sources,
            "disagreements": [{"field": d.field, "values": d.values} for d in i.disagreements]}


def figure_record(f: Figure) -> dict:
    out = {"id": f.id, "what": f.what, "value": f.value, "min": f.min, "max": f.max, "qualifier": f.qualifier,
           "period": _interval(f.period, basis=False), "location": _place(f.location),
           "attributed_to": _actor(f.attributed_to, role=False), "mentions": [_mention(m) for m in f.mentions]}
    if f.disagreements:                 # an added field (the schema allows additions)
        out["disagreements"] = [{"field": d.field, "values": d.values} for d in f.disagreements]
    return out


def quote_record(q: Quote) -> dict:
    return {"id": q.id, "speaker": _actor(q.speaker, role=False), "kind": q.kind, "cue": q.cue,
            "content": q.content, "doc": q.doc, "start": q.start, "end": q.end, "date": q.date}


def violation_record(v: Violation) -> dict:
    return {"agreement": v.agreement, "clause": v.clause, "event": v.event, "party": _actor(v.party),
            "zone": v.zone, "status": v.status, "reason": v.reason}


def _write_jsonl(path: Path, rows: Iterable[dict]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


# --------------------------------------------------------------------------- ACLED CSV
def acled_row(i: Incident, areas: AdminAreas | None = None, link_base: str | None = None) -> dict:
    """One incident as an ACLED row (see ``sitrep/present/acled.py`` and ``docs/acled.md``)."""
    return _acled.acled_row(i, areas if areas is not None else default_areas(), link_base)


acled_types = _acled.acled_types


@lru_cache(maxsize=1)
def default_areas() -> AdminAreas:
    """Admin areas from the shipped gazetteer (loaded once per process)."""
    try:
        from sitrep.kb.gazetteer import Gazetteer
        return AdminAreas(Gazetteer.load())
    except Exception:  # noqa: BLE001 - without the gazetteer, places keep the admin1 they carry
        return AdminAreas()


# --------------------------------------------------------------------------- GeoJSON
def geo_feature(i: Incident, areas: AdminAreas) -> dict:
    """An incident as a GeoJSON Feature with flat properties (QGIS): a point for a located place, the
    admin area's outline for a country- or province-level one, null geometry when neither is known."""
    loc = i.location
    key = areas.area_key(loc)
    geom = areas.geometry(key) if key else None
    if geom is None and loc is not None and loc.lat is not None and loc.lon is not None and (
            key is None or key.startswith("point:")):
        geom = {"type": "Point", "coordinates": [loc.lon, loc.lat]}
    admin1, admin2, admin3 = areas.names(loc)
    props: dict[str, Any] = {
        "id": i.id, "type": i.type, "mode": i.mode, "status": i.status,
        "date_start": i.date.start if i.date else None, "date_end": i.date.end if i.date else None,
        "date_precision": i.date.precision if i.date else None,
        "place": loc.name if loc else None, "admin1": admin1, "admin2": admin2, "admin3": admin3,
        "country": loc.country if loc else None, "geo_precision": loc.precision if loc else None,
        "area": areas.area_name(key) if key and geom and geom.get("type") != "Point" else None,
        "actors": "; ".join(f"{a.name or a.text} ({a.role})" if a.role else (a.name or a.text)
                            for a in i.actors),
        "sources": i.sources, "mentions": len(i.mentions),
        "outlets": "; ".join(sorted({m.outlet for m in i.mentions if m.outlet}, key=str.casefold)),
        "disagreements": ", ".join(d.field for d in i.disagreements),
    }
    for k, c in sorted(i.counts.items()):
        props[k] = c.value
    return {"type": "Feature", "id": i.id, "geometry": geom, "properties": props}


def geojson(incidents: Iterable[Incident], areas: AdminAreas | None = None) -> tuple[dict, dict]:
    """(located, unlocated): FeatureCollections of incidents with a geometry, and of those without one
    (kept apart: GIS tools choke on null geometries)."""
    areas = areas if areas is not None else default_areas()
    located, unlocated = [], []
    for i in incidents:
        f = geo_feature(i, areas)
        (located if f["geometry"] else unlocated).append(f)
    return ({"type": "FeatureCollection", "features": located},
            {"type": "FeatureCollection", "features": unlocated})


# --------------------------------------------------------------------------- entry point
def write_exports(out_dir: Path, *, documents: list[Document], incidents: list[Incident],
                  figures: list[Figure] = (), quotes: list[Quote] = (), violations: list[Violation] = (),
                  fmt: str = "jsonl", meta: dict | None = None) -> list[Path]:
    """Write one export format into ``out_dir`` and return the files written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if fmt == "jsonl":
        head = {"schema": SCHEMA, "generated": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "pipeline_version": PIPELINE_VERSION, "documents": len(documents), "events": len(incidents),
                "figures": len(figures), "quotes": len(quotes), "violations": len(violations)}
        head.update({k: v for k, v in (meta or {}).items() if k not in ("schema", "documents", "events")})
        p = out_dir / "meta.json"
        p.write_text(json.dumps(head, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
        written.append(p)
        written.append(_write_jsonl(out_dir / "documents.jsonl", map(document_record, documents)))
        written.append(_write_jsonl(out_dir / "events.jsonl", map(event_record, incidents)))
        written.append(_write_jsonl(out_dir / "figures.jsonl", map(figure_record, figures)))
        written.append(_write_jsonl(out_dir / "quotes.jsonl", map(quote_record, quotes)))
        if violations:
            written.append(_write_jsonl(out_dir / "violations.jsonl", map(violation_record, violations)))
    elif fmt == "csv":
        p = out_dir / "events.csv"
        with p.open("w", encoding="utf-8", newline="") as fh:
            _acled.write_acled_csv(fh, incidents, default_areas())
        written.append(p)
    else:
        located, unlocated = geojson(incidents)
        p = out_dir / "events.geojson"
        p.write_text(json.dumps(located, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(p)
        if unlocated["features"]:
            p = out_dir / "events_unlocated.geojson"
            p.write_text(json.dumps(unlocated, ensure_ascii=False) + "\n", encoding="utf-8")
            written.append(p)
    return written

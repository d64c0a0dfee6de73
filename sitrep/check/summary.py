"""Compliance data for the report: zones as GeoJSON, violations, counts, and required acts."""
from __future__ import annotations

from collections import Counter
from datetime import date

from sitrep.check.agreement import Agreement, Clause
from sitrep.check.checker import IN, OUT, Judge, judge_time, violation_to_dict
from sitrep.check.geometry import shape_to_geojson
from sitrep.records import Incident, Violation

# Simplification tolerance for the map (degrees, ~200 m): zones are drawn, not tested, from this.
MAP_TOLERANCE = 0.002


def zones_geojson(agreement: Agreement) -> dict:
    """A WGS84 FeatureCollection of the zones (and named points) for the report map."""
    feats = []
    for z in agreement.zones.values():
        feats.append({"type": "Feature", "geometry": shape_to_geojson(z.geom.simplify(MAP_TOLERANCE)),
                      "properties": {"name": z.name, "kind": z.kind, "description": z.description,
                                     "approximation": z.approximation, "feature": "zone"}})
    for p in agreement.points:
        feats.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                      "properties": {"name": p.name, "kind": p.kind, "feature": "point",
                                     "held_by": p.held_by.name if p.held_by else None, "source": p.source}})
    return {"type": "FeatureCollection", "features": feats}


def party_label(a) -> str:
    """How a perpetrator is counted: canonical name, else country and sector, else the words used."""
    if a is None:
        return "unknown"
    if a.name:
        return a.name
    if a.country:
        return " ".join(x for x in (a.country, a.sector) if x)
    return a.text or "unknown"


def _side(v: Violation, agreement: Agreement) -> str:
    clause = next((c for c in agreement.clauses if c.id == v.clause), None)
    if clause is None or v.party is None:
        return "unknown"
    return next((s for s in clause.by if agreement.sides[s].covers(v.party)), "unknown")


def _week(inc: Incident | None) -> str | None:
    if inc is None or inc.date is None or not inc.date.start:
        return None
    try:
        y, w, _ = date.fromisoformat(inc.date.start[:10]).isocalendar()
    except ValueError:
        return None
    return f"{y}-W{w:02d}"


def _required(clause: Clause, incidents: list[Incident], agreement: Agreement, judge: Judge) -> list[dict]:
    rows = []
    for exp in clause.expected:
        reported, uncertain = [], []
        for inc in incidents:
            if inc.status != "reported" or judge.kind(inc, clause).status == OUT:
                continue
            if not all(any(m.matches(a) for a in inc.actors) for m in clause.with_):
                continue
            t = judge_time(inc.date, exp.start, exp.end, agreement.tz).status
            p = judge.place(inc.location, clause.zones).status
            if OUT in (t, p):
                continue
            (reported if t == IN and p == IN else uncertain).append(inc.id)
        rows.append({"clause": clause.id, "expected": exp.description, "expected_id": exp.id,
                     "from": exp.start.isoformat(), "until": exp.end.isoformat() if exp.end else None,
                     "reported": reported, "possible": uncertain, "missing": not reported})
    return rows


def summarize(violations: list[Violation], incidents: list[Incident], agreement: Agreement) -> dict:
    """Everything the report shows about one agreement. ``counts`` count confirmed violations
    (status violation) by party (canonical name, else country and sector), side, zone, clause and ISO
    week; ``counts.by_status`` counts both kinds."""
    by_id = {i.id: i for i in incidents}
    mine = [v for v in violations if v.agreement == agreement.name]
    rows = []
    for v in mine:
        d = violation_to_dict(v)
        inc = by_id.get(v.event)
        if inc is not None:
            d["date"] = {"start": inc.date.start, "end": inc.date.end} if inc.date else None
            d["type"], d["mode"] = inc.type, inc.mode
            d["place"] = inc.location.name if inc.location else None
            if inc.location and inc.location.lat is not None:
                d["lat"], d["lon"] = inc.location.lat, inc.location.lon
        rows.append(d)
    confirmed = [v for v in mine if v.status == "violation"]
    counts = {
        "by_party": dict(Counter(party_label(v.party) for v in confirmed)),
        "by_side": dict(Counter(_side(v, agreement) for v in confirmed)),
        "by_zone": dict(Counter(v.zone or "anywhere" for v in confirmed)),
        "by_clause": dict(Counter(v.clause for v in confirmed)),
        "by_week": dict(sorted(Counter(w for w in (_week(by_id.get(v.event)) for v in confirmed) if w).items())),
        "by_status": dict(Counter(v.status for v in mine)),
        "events": {"violation": len({v.event for v in confirmed}),
                   "possible": len({v.event for v in mine if v.status == "possible"})},
    }
    judge = Judge(agreement)
    required = [r for c in agreement.clauses if c.kind == "required"
                for r in _required(c, incidents, agreement, judge)]
    return {
        "name": agreement.name,
        "signed": agreement.signed.isoformat(),
        "effective_from": agreement.effective_from.isoformat(),
        "effective_until": agreement.effective_until.isoformat() if agreement.effective_until else None,
        "parties": [p.name for p in agreement.parties],
        "sources": agreement.sources,
        "clauses": [{"id": c.id, "kind": c.kind, "text": c.text, "types": list(c.types),
                     "zones": list(c.zones), "from": c.start.isoformat(),
                     "until": c.end.isoformat() if c.end else None, "source": c.source}
                    for c in agreement.clauses],
        "zones": zones_geojson(agreement),
        "violations": rows,
        "counts": counts,
        "required": required,
    }



def format_table(summary: dict) -> str:
    """A plain-text digest of ``summarize``'s output for the terminal (``sitrep check``)."""
    c = summary["counts"]
    lines = [f"{summary['name']}: {c['events']['violation']} incidents in violation, "
             f"{c['events']['possible']} possible"]
    for key in ("by_clause", "by_party", "by_zone", "by_week"):
        if c[key]:
            lines.append(f"  {key[3:]:<7} " + ", ".join(f"{k} {n}" for k, n in c[key].items()))
    for v in summary["violations"]:
        party = (v["party"] or {}).get("name") or (v["party"] or {}).get("text") or "?"
        when = (v.get("date") or {}).get("start", "")
        lines.append(f"  {v['status']:<9} {v['clause']:<18} {when:<10} {party[:28]:<28} {v['reason'][:110]}")
    for r in summary["required"]:
        state = "MISSING" if r["missing"] else "reported " + ", ".join(r["reported"])
        lines.append(f"  required  {r['clause']:<18} {r['expected'][:60]}: {state}")
    return "\n".join(lines)

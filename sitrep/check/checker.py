"""Checking incidents against an agreement's clauses.

An incident violates a prohibited clause when its type, its perpetrator (through the sides the clause
binds), its place and its time all fall inside the clause; it is a *possible* violation when one of them
is too imprecise to decide (a province for a 6 km corridor, a day that straddles the minute the ceasefire
began, an unnamed perpetrator), and nothing when any of them is outside. Each attribution of the
perpetrator (different outlets naming different parties) is judged and reported on its own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from shapely import ops
from shapely.geometry.base import BaseGeometry

from sitrep.check.agreement import Agreement, Clause, Side
from sitrep.check.geometry import classify, geojson_to_shape, uncertainty_table
from sitrep.records import Actor, DateInterval, Incident, Place, Violation

IN, OUT, MAYBE = "inside", "outside", "possible"


@dataclass(frozen=True)
class Verdict:
    status: str                            # inside | outside | possible
    reason: str


# --------------------------------------------------------------------------------------- time
def _instant(value: str, tz, end: bool) -> tuple[datetime, bool]:
    """A date or date-time string as a tz-aware instant; bare dates are local days (end: next midnight).
    Returns (instant, has_time)."""
    v = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        d = date.fromisoformat(v)
        return datetime.combine(d + timedelta(days=1 if end else 0), time(0, 0), tz), False
    t = datetime.fromisoformat(v.replace("Z", "+00:00"))
    return (t if t.tzinfo else t.replace(tzinfo=tz)), True


def incident_span(d: DateInterval, tz) -> tuple[datetime, datetime, bool]:
    """[start, end) of an incident's date in the agreement's time zone; an exact time gives start == end."""
    s, s_time = _instant(d.start, tz, end=False)
    e, e_time = _instant(d.end or d.start, tz, end=True)
    return s, e, s_time and e_time and s == e


def judge_time(d: DateInterval | None, start: datetime, end: datetime | None, tz) -> Verdict:
    window = f"{_fmt(start)} – {_fmt(end) if end else 'open-ended'}"
    if d is None or not d.start:
        return Verdict(MAYBE, "no date reported")
    try:
        s, e, instant = incident_span(d, tz)
    except ValueError:
        return Verdict(MAYBE, f"unreadable date {d.start!r}..{d.end!r}")
    shown = d.start if (d.end in (None, d.start)) else f"{d.start}..{d.end}"
    if instant:
        inside = s >= start and (end is None or s < end)
        return Verdict(IN if inside else OUT,
                       f"time {_fmt(s.astimezone(tz))} is {'within' if inside else 'outside'} {window}")
    if e <= start or (end is not None and s >= end):
        return Verdict(OUT, f"date {shown} is outside {window}")
    if s >= start and (end is None or e <= end):
        return Verdict(IN, f"date {shown} is within {window}")
    return Verdict(MAYBE, f"date {shown} ({d.precision}) straddles {window}, too imprecise to decide")


def _fmt(t: datetime) -> str:
    off = t.strftime("%z")
    return t.strftime("%Y-%m-%d %H:%M") + (f" {off[:3]}:{off[3:]}" if off else "")


# --------------------------------------------------------------------------------------- place
class Regions:
    """Uncertainty regions of places in an agreement's metric projection (per check run caches)."""

    def __init__(self, agreement: Agreement, places=None):
        self.a = agreement
        self.places = places if places is not None else agreement.places
        self.radius = uncertainty_table()
        self._admin: dict[int, dict[str, dict]] = {}
        self._metric: dict[str, BaseGeometry] = {}      # admin polygons in metres, by description

    def _units(self, level: int) -> dict[str, dict]:
        if level not in self._admin:
            feats = list(self.places.admin_units(level)) if self.places is not None else []
            self._admin[level] = {str(f["properties"].get("pcode")): f for f in feats}
        return self._admin[level]

    def admin_polygon(self, place: Place) -> tuple[BaseGeometry, str] | None:
        """The admin polygon a place denotes: its own P-code, else (for provinces) the governorate."""
        if self.places is None:
            return None
        m = re.fullmatch(r"ocha:(SY\d{2,6})", place.gazetteer_id or "")
        if m:
            code = m.group(1)
            f = self._units({4: 1, 6: 2, 8: 3}.get(len(code), 0)).get(code)
            if f:
                return geojson_to_shape(f["geometry"]), f"admin polygon {code}"
        if place.precision != "province":
            return None
        code = None
        if place.lat is not None and place.lon is not None:
            hit = None
            try:
                hit = self.places.admin_containing(place.lat, place.lon, 1)
            except (AttributeError, ValueError, LookupError):
                hit = None
            code = _pcode(hit)
        if code is None and place.admin1:
            want = place.admin1.casefold()
            for c, f in self._units(1).items():
                p = f["properties"]
                if want in {c.casefold(), str(p.get("name_en", "")).casefold(),
                            *(str(x).casefold() for x in p.get("alt_en") or [])}:
                    code = c
                    break
        f = self._units(1).get(code) if code else None
        if f:
            return geojson_to_shape(f["geometry"]), f"governorate polygon {code}"
        return None

    def region(self, place: Place) -> tuple[BaseGeometry, str] | None:
        """(metric region, description) or None when the place cannot be located at all."""
        label = place.name or place.gazetteer_id or "place"
        poly = self.admin_polygon(place)
        if poly is not None:
            if poly[1] not in self._metric:
                self._metric[poly[1]] = self.a.projection.to_m(poly[0])
            return self._metric[poly[1]], f"{label} ({place.precision}, {poly[1]})"
        if place.precision == "route" and self.places is not None:
            names = [place.name]
            if place.gazetteer_id:
                known = self.places.get(place.gazetteer_id)
                names.append(known.name if known is not None else None)
            pts = next((r for r in (self.places.route(n) for n in names if n) if r), None)
            if pts:
                w = self.radius["route_halfwidth"]
                line = self.a.projection.line(list(pts))
                return line.buffer(w * 1000, quad_segs=16), f"{label} (anywhere on the route, ±{w:g} km)"
        if place.lat is None or place.lon is None:
            return None
        r_km = self.radius.get(place.precision, self.radius.get("town", 3.0))
        pt = self.a.projection.point(place.lat, place.lon)
        return pt.buffer(r_km * 1000, quad_segs=32), f"{label} ({place.precision}, ±{r_km:g} km)"


def _pcode(hit) -> str | None:
    if hit is None:
        return None
    if isinstance(hit, dict):
        props = hit.get("properties", hit)
        return props.get("pcode")
    for attr in ("pcode", "gazetteer_id", "id"):
        v = getattr(hit, attr, None)
        if isinstance(v, str):
            return v.split(":", 1)[-1]
    return None


class Judge:
    """The time, place, mode and party tests of one agreement, shared by check and summarize."""

    def __init__(self, agreement: Agreement, places=None):
        self.a = agreement
        self.regions = Regions(agreement, places)
        self._zone_cache: dict[tuple[str, ...], BaseGeometry] = {}
        self._regions: dict[tuple, tuple[BaseGeometry, str] | None] = {}

    def zone_geom(self, names: tuple[str, ...]) -> BaseGeometry:
        if names not in self._zone_cache:
            self._zone_cache[names] = ops.unary_union([self.a.zones[n].geom_m for n in names])
        return self._zone_cache[names]

    def place(self, loc: Place | None, names: tuple[str, ...]) -> Verdict:
        if not names:
            return Verdict(IN, "the clause applies everywhere")
        zone = " + ".join(names)
        if loc is None:
            return Verdict(MAYBE, f"no place reported, cannot tell whether it was in {zone}")
        key = (loc.name, loc.lat, loc.lon, loc.precision, loc.gazetteer_id, loc.admin1)
        if key not in self._regions:
            self._regions[key] = self.regions.region(loc)
        reg = self._regions[key]
        if reg is None:
            return Verdict(MAYBE, f"place {loc.name!r} has no coordinates, cannot tell whether it was in {zone}")
        c = classify(reg[0], self.zone_geom(names), f"place {reg[1]}", zone)
        return Verdict(c.status, c.detail)

    @staticmethod
    def kind(inc: Incident, clause: Clause) -> Verdict:
        if inc.type not in clause.types:
            return Verdict(OUT, f"type {inc.type} not covered")
        if clause.modes is None:
            return Verdict(IN, f"{inc.type}{'/' + inc.mode if inc.mode else ''}")
        if not inc.mode:
            return Verdict(MAYBE, f"{inc.type} of unreported mode (clause covers {', '.join(clause.modes)})")
        if inc.mode in clause.modes:
            return Verdict(IN, f"{inc.type}/{inc.mode}")
        return Verdict(OUT, f"mode {inc.mode} not covered")


# --------------------------------------------------------------------------------------- parties
@dataclass
class Attribution:
    actor: Actor
    outlets: list[str]


def attributions(inc: Incident) -> list[Attribution]:
    """Each perpetrator the reports name, with the outlets that name it when fusion recorded a
    disagreement about ``actors.source``."""
    sources = [a for a in inc.actors if a.role == "source"] or [a for a in inc.actors if a.role is None]
    out = [Attribution(a, []) for a in sources]

    def key(a: Actor) -> set[str]:
        return {x.casefold() for x in (a.name, a.text, a.actor_id) if x}

    for dis in inc.disagreements or []:
        if dis.field not in ("actors", "actors.source") and not dis.field.startswith("actors.source."):
            continue
        for v in dis.values:
            val = v.get("value")
            if isinstance(val, dict):
                cand = Actor(**{k: val.get(k) for k in ("name", "text", "country", "sector", "role", "actor_id")
                                if k in val} | {"text": val.get("text") or val.get("name") or ""})
            elif isinstance(val, str) and val:
                cand = Actor(name=val, text=val)
            else:
                continue
            if cand.role == "target":
                continue
            outlet = v.get("outlet") or v.get("doc")
            hit = next((at for at in out if key(at.actor) & key(cand)), None)
            if hit is None:
                hit = Attribution(cand, [])
                out.append(hit)
            if outlet and outlet not in hit.outlets:
                hit.outlets.append(outlet)
    return out


def _actor_label(a: Actor) -> str:
    who = a.name or a.text or "unnamed actor"
    tags = " ".join(x for x in (a.country, a.sector) if x)
    return f"{who} ({tags})" if tags else who


def _bound_sides(a: Actor, clause: Clause, sides: dict[str, Side]) -> list[Side]:
    return [sides[s] for s in clause.by if sides[s].covers(a)]


# --------------------------------------------------------------------------------------- check
def check(incidents: list[Incident], agreement: Agreement, kb=None) -> list[Violation]:
    """Every (prohibited clause, incident, attribution) that is a violation or a possible one."""
    places = None
    if kb is not None:
        try:
            places = kb.places
        except (AttributeError, ImportError):
            places = None
    judge = Judge(agreement, places)
    found: list[Violation] = []
    for inc in incidents:
        if inc.status != "reported":
            continue
        for clause in agreement.clauses:
            if clause.kind != "prohibited":
                continue
            found.extend(_check_one(inc, clause, agreement, judge))
    return found


def _check_one(inc: Incident, clause: Clause, agreement: Agreement, judge: Judge) -> list[Violation]:
    kind = judge.kind(inc, clause)
    if kind.status == OUT:
        return []
    when = judge_time(inc.date, clause.start, clause.end, agreement.tz)
    if when.status == OUT:
        return []
    where = judge.place(inc.location, clause.zones)
    if where.status == OUT:
        return []
    zone = " + ".join(clause.zones) or None
    common = [kind, when, where]
    out: list[Violation] = []
    atts = attributions(inc)
    if not atts:
        out.append(_violation(agreement, clause, inc, None, zone, common,
                              Verdict(MAYBE, "no perpetrator reported")))
        return out
    named = [at for at in atts if at.actor.name or at.actor.country or at.actor.actor_id]
    if named:       # an unidentified "aircraft" beside a named perpetrator adds nothing to judge
        atts = named
    for at in atts:
        a = at.actor
        said = f" according to {', '.join(at.outlets)}" if at.outlets else ""
        if not (a.name or a.country or a.actor_id):
            party = Verdict(MAYBE, f"perpetrator {a.text!r} unidentified{said}")
        else:
            bound = _bound_sides(a, clause, agreement.sides)
            if not bound:
                continue
            s = bound[0]
            g = f", answered for by {s.guarantor.name}" if s.guarantor is not None else ""
            party = Verdict(IN, f"by {_actor_label(a)}{said}, bound as side '{s.name}'{g}")
        out.append(_violation(agreement, clause, inc, a, zone, common, party))
    return out


def _violation(agreement, clause, inc, actor, zone, common: list[Verdict], party: Verdict) -> Violation:
    verdicts = [common[0], party, common[1], common[2]]
    status = "violation" if all(v.status == IN for v in verdicts) else "possible"
    unsure = [v.reason for v in verdicts if v.status == MAYBE]
    sure = [v.reason for v in verdicts if v.status == IN]
    reason = "; ".join(unsure + sure) if status == "possible" else "; ".join(sure)
    return Violation(agreement=agreement.name, clause=clause.id, event=inc.id, party=actor, zone=zone,
                     status=status, reason=reason)


def violation_to_dict(v: Violation) -> dict:
    """A violation as one line of violations.jsonl (schema: agreements)."""
    party = None
    if v.party is not None:
        party = {k: getattr(v.party, k) for k in ("name", "text", "country", "sector", "role")}
    return {"agreement": v.agreement, "clause": v.clause, "event": v.event, "party": party, "zone": v.zone,
            "status": v.status, "reason": v.reason}

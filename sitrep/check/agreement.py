"""Agreement files (YAML): load, validate with errors that name the file and the field, build zones.

The format is documented in ``sitrep/data/agreements/README.md``. Every fact (dates, depths, places)
lives in the YAML file with its source; this module only knows the general shapes of terms.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from shapely import ops
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from sitrep.check.geometry import LocalProjection, geojson_to_shape, side_of, substring_between
from sitrep.records import Actor, Place

PLOVER_TYPES = ("AGREE CONSULT SUPPORT CONCEDE COOPERATE AID RETREAT REQUEST ACCUSE REJECT THREATEN "
                "PROTEST SANCTION MOBILIZE COERCE ASSAULT").split()
ZONE_KINDS = ("buffer", "polygon", "admin", "side", "union", "intersection", "difference")
TOP_KEYS = {"name", "signed", "timezone", "parties", "effective_from", "effective_until", "sides", "zones",
            "clauses", "points", "sources", "centre", "notes"}
CLAUSE_KEYS = {"id", "kind", "text", "types", "modes", "by", "with", "zone", "from", "until", "expected",
               "source", "note"}
MATCH_KEYS = {"actor", "country", "sector"}
SIDES = ("north", "south", "east", "west")


class AgreementError(ValueError):
    """An agreement file that cannot be used, with the file and field at fault."""


# --------------------------------------------------------------------------------------- records
@dataclass
class Matcher:
    """Which actors a binding covers: every key given must match (lists mean any of them)."""
    actor_names: tuple[str, ...] = ()      # canonical names / ids (case-insensitive)
    countries: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()          # "none" matches an actor with no sector (a state by name)

    def matches(self, a: Actor) -> bool:
        if self.actor_names:
            keys = {(a.name or "").casefold(), (a.actor_id or "").casefold(), (a.text or "").casefold()}
            if not keys & {n.casefold() for n in self.actor_names}:
                return False
        if self.countries and (a.country or "") not in self.countries:
            return False
        if self.sectors and (a.sector or "none") not in self.sectors:
            return False
        return True

    def describe(self) -> str:
        bits = list(self.actor_names) + ["/".join(self.countries)] * bool(self.countries) + \
            ["/".join(self.sectors)] * bool(self.sectors)
        return " ".join(bits)


@dataclass
class Side:
    """A side to the conflict that a clause binds, and the party (guarantor) answering for it."""
    name: str
    guarantor: Actor | None
    binds: list[Matcher]
    excludes: list[Matcher] = field(default_factory=list)

    def covers(self, a: Actor) -> bool:
        return any(m.matches(a) for m in self.binds) and not any(m.matches(a) for m in self.excludes)


@dataclass
class Zone:
    name: str
    kind: str
    geom_m: BaseGeometry                   # metric (the agreement's local projection)
    geom: BaseGeometry                     # WGS84 lon/lat, for maps
    description: str = ""
    approximation: str = ""                # how a boundary that was never published is approximated
    line_m: LineString | None = None       # the route of a buffer zone


@dataclass
class NamedPoint:
    name: str
    held_by: Actor | None
    lat: float
    lon: float
    kind: str = "observation post"
    source: str = ""


@dataclass
class Expected:
    """One event a required clause expects (e.g. the first joint patrol within a week of a date)."""
    id: str
    description: str
    start: datetime
    end: datetime | None


@dataclass
class Clause:
    id: str
    kind: str                              # prohibited | required
    text: str
    types: tuple[str, ...]
    modes: tuple[str, ...] | None
    by: tuple[str, ...]                    # side names (prohibited)
    with_: list[Matcher]                   # actors that must all take part (required)
    zones: tuple[str, ...]                 # empty: anywhere
    start: datetime
    end: datetime | None
    expected: list[Expected] = field(default_factory=list)
    source: str = ""


@dataclass
class Agreement:
    name: str
    signed: date
    parties: list[Actor]
    effective_from: datetime
    effective_until: datetime | None
    zones: dict[str, Zone]
    clauses: list[Clause]
    points: list[NamedPoint]
    sources: list[str]
    sides: dict[str, Side] = field(default_factory=dict)
    tz: tzinfo = timezone.utc
    projection: LocalProjection = field(default_factory=lambda: LocalProjection(0.0, 0.0))
    path: str = ""
    places: Any = field(default=None, repr=False, compare=False)   # the gazetteer the zones came from


# --------------------------------------------------------------------------------------- loading
def load_agreement(path: Path, kb) -> Agreement:
    """Read and validate an agreement file; zones are built with the knowledge base's gazetteer."""
    path = Path(path)
    label = path.name
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise AgreementError(f"{label}: cannot read: {e}") from e
    return build_agreement(spec, kb, label=label, path=str(path))


def build_agreement(spec: Any, kb, label: str = "<agreement>", path: str = "") -> Agreement:
    """The Agreement described by an already-parsed YAML mapping."""
    b = _Builder(label, kb)
    return b.build(spec, path)


class _Builder:
    def __init__(self, label: str, kb):
        self.label = label
        self.kb = kb
        self._places = None
        self._registry = None
        self._admin: dict[int, list[dict]] = {}

    # ---- errors and primitive fields
    def err(self, where: str, msg: str) -> AgreementError:
        return AgreementError(f"{self.label}: {where}: {msg}")

    def need(self, m: dict, key: str, where: str):
        if key not in m or m[key] is None:
            raise self.err(f"{where}.{key}" if where else key, "required")
        return m[key]

    def mapping(self, v, where: str) -> dict:
        if not isinstance(v, dict):
            raise self.err(where, f"expected a mapping, got {type(v).__name__}")
        return v

    def strings(self, v, where: str) -> tuple[str, ...]:
        if isinstance(v, str):
            return (v,)
        if isinstance(v, list) and all(isinstance(x, str) for x in v):
            return tuple(v)
        raise self.err(where, "expected a string or a list of strings")

    def keys(self, m: dict, allowed: set, where: str) -> None:
        extra = sorted(set(m) - allowed)
        if extra:
            raise self.err(f"{where}.{extra[0]}" if where else extra[0],
                           f"unknown key (allowed: {', '.join(sorted(allowed))})")

    def when(self, v, where: str, tz: tzinfo | None, end_of_day: bool = False) -> datetime:
        """A tz-aware date-time; a bare date means local midnight (the next one for ``end_of_day``)."""
        if isinstance(v, str):
            try:
                v = datetime.fromisoformat(v.replace("Z", "+00:00")) if "T" in v or " " in v.strip() \
                    else date.fromisoformat(v)
            except ValueError:
                raise self.err(where, f"not an ISO 8601 date or date-time: {v!r}") from None
        if isinstance(v, datetime):
            if v.tzinfo is None:
                if tz is None:
                    raise self.err(where, "date-time without a time zone (add +HH:MM or a top-level "
                                          "`timezone:`)")
                v = v.replace(tzinfo=tz)
            return v
        if isinstance(v, date):
            if tz is None:
                raise self.err(where, "a bare date needs a top-level `timezone:`")
            return datetime.combine(v + timedelta(days=1 if end_of_day else 0), time(0, 0), tz)
        raise self.err(where, f"expected a date or date-time, got {v!r}")

    # ---- knowledge base access
    @property
    def places(self):
        if self._places is None:
            try:
                self._places = self.kb.places
            except (AttributeError, ImportError) as e:
                raise self.err("zones", f"no gazetteer available to build zones ({e})") from e
        return self._places

    def registry(self):
        if self._registry is None:
            try:
                self._registry = self.kb.actors if self.kb is not None else False
            except (AttributeError, ImportError):
                self._registry = False
        return self._registry or None

    def actor(self, text: str, when: date, where: str, country: str | None = None,
              sector: str | None = None) -> Actor:
        reg = self.registry()
        found = None
        if reg is not None:
            try:
                found = reg.resolve(text, when.isoformat())
            except (KeyError, LookupError, ValueError):
                found = None
        if found is not None and (found.name or found.actor_id):
            if country and found.country and found.country != country:
                raise self.err(where, f"{text!r} resolves to {found.name} of {found.country}, "
                                      f"not {country}")
            return found
        if not country:
            raise self.err(where, f"unknown actor {text!r} (not in the registry; give `country:`)")
        return Actor(name=text, text=text, country=country, sector=sector)

    def admin_units(self, level: int) -> list[dict]:
        if level not in self._admin:
            self._admin[level] = list(self.places.admin_units(level))
        return self._admin[level]

    # ---- the whole file
    def build(self, spec, path: str) -> Agreement:
        spec = self.mapping(spec, "top level")
        self.keys(spec, TOP_KEYS, "")
        name = self.need(spec, "name", "")
        if not isinstance(name, str) or not name.strip():
            raise self.err("name", "expected a non-empty string")
        tz = None
        if spec.get("timezone"):
            try:
                tz = ZoneInfo(str(spec["timezone"]))
            except (ZoneInfoNotFoundError, ValueError):
                raise self.err("timezone", f"unknown IANA time zone {spec['timezone']!r}") from None
        signed = self.need(spec, "signed", "")
        if isinstance(signed, str):
            try:
                signed = date.fromisoformat(signed)
            except ValueError:
                raise self.err("signed", f"not an ISO date: {signed!r}") from None
        if isinstance(signed, datetime):
            signed = signed.date()
        if not isinstance(signed, date):
            raise self.err("signed", "expected a date")
        start = self.when(self.need(spec, "effective_from", ""), "effective_from", tz)
        tz = tz or start.tzinfo
        until = spec.get("effective_until")
        until = self.when(until, "effective_until", tz, end_of_day=True) if until is not None else None
        if until is not None and until <= start:
            raise self.err("effective_until", "is not after effective_from")

        parties_spec = self.need(spec, "parties", "")
        if not isinstance(parties_spec, list) or not parties_spec:
            raise self.err("parties", "expected a non-empty list")
        parties = [self.party(p, signed, f"parties[{i}]") for i, p in enumerate(parties_spec)]

        sides = {}
        for sname, s in (self.mapping(spec.get("sides") or {}, "sides")).items():
            sides[sname] = self.side(sname, s, signed, f"sides.{sname}")

        self.projection = self.projection_for(spec)
        zones: dict[str, Zone] = {}
        zspec = self.mapping(spec.get("zones") or {}, "zones")
        for zname in zspec:
            self.zone(zname, zspec, zones, set())

        points = [self.point(p, signed, f"points[{i}]") for i, p in enumerate(spec.get("points") or [])]

        clauses_spec = self.need(spec, "clauses", "")
        if not isinstance(clauses_spec, list) or not clauses_spec:
            raise self.err("clauses", "expected a non-empty list")
        clauses = []
        for i, c in enumerate(clauses_spec):
            clauses.append(self.clause(c, f"clauses[{i}]", zones, sides, start, until, tz, signed))
        ids = [c.id for c in clauses]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise self.err("clauses", f"duplicate clause id {sorted(dup)[0]!r}")
        sources = list(self.strings(spec.get("sources") or [], "sources"))
        return Agreement(name=name.strip(), signed=signed, parties=parties, effective_from=start,
                         effective_until=until, zones=zones, clauses=clauses, points=points,
                         sources=sources, sides=sides, tz=tz, projection=self.projection, path=path,
                         places=self._places)

    def party(self, p, signed: date, where: str) -> Actor:
        if isinstance(p, str):
            return self.actor(p, signed, where)
        p = self.mapping(p, where)
        self.keys(p, {"actor", "country", "sector"}, where)
        return self.actor(str(self.need(p, "actor", where)), signed, where, p.get("country"), p.get("sector"))

    def matcher(self, m, signed: date, where: str) -> Matcher:
        m = self.mapping(m, where)
        self.keys(m, MATCH_KEYS, where)
        if not m:
            raise self.err(where, f"empty matcher (give one of {', '.join(sorted(MATCH_KEYS))})")
        names: tuple[str, ...] = ()
        if "actor" in m:
            names_l = []
            for t in self.strings(m["actor"], f"{where}.actor"):
                names_l.append(t)
                reg = self.registry()
                if reg is not None:
                    try:
                        a = reg.resolve(t, signed.isoformat())
                    except (KeyError, LookupError, ValueError):
                        a = None
                    if a is not None:
                        names_l += [x for x in (a.name, a.actor_id) if x]
            names = tuple(dict.fromkeys(names_l))
        countries = self.strings(m["country"], f"{where}.country") if "country" in m else ()
        for c in countries:
            if not re.fullmatch(r"[A-Z]{3}", c):
                raise self.err(f"{where}.country", f"{c!r} is not an ISO 3166 alpha-3 code")
        sectors = self.strings(m["sector"], f"{where}.sector") if "sector" in m else ()
        return Matcher(names, countries, sectors)

    def side(self, name: str, s, signed: date, where: str) -> Side:
        s = self.mapping(s, where)
        self.keys(s, {"guarantor", "binds", "excludes", "note"}, where)
        binds = self.need(s, "binds", where)
        if not isinstance(binds, list) or not binds:
            raise self.err(f"{where}.binds", "expected a non-empty list of matchers")
        g = s.get("guarantor")
        guarantor = self.party(g, signed, f"{where}.guarantor") if g else None
        return Side(name, guarantor, [self.matcher(m, signed, f"{where}.binds[{i}]") for i, m in enumerate(binds)],
                    [self.matcher(m, signed, f"{where}.excludes[{i}]")
                     for i, m in enumerate(s.get("excludes") or [])])

    # ---- geometry
    def projection_for(self, spec: dict) -> LocalProjection:
        c = spec.get("centre")
        if c is None:
            return self._rough_centre(spec)
        if not (isinstance(c, list) and len(c) == 2 and all(isinstance(x, (int, float)) for x in c)):
            raise self.err("centre", "expected [lat, lon]")
        return LocalProjection(float(c[0]), float(c[1]))

    def _rough_centre(self, spec: dict) -> LocalProjection:
        """Centre of the projection: mean of the coordinates the zones name (any point of the area will do:
        a Transverse Mercator's scale error 300 km off its centre is ~0.1%)."""
        pts: list[tuple[float, float]] = []
        for z in (spec.get("zones") or {}).values():
            if not isinstance(z, dict):
                continue
            if isinstance(z.get("buffer"), dict):
                b = z["buffer"]
                if isinstance(b.get("line"), list):
                    pts += [tuple(p) for p in b["line"] if isinstance(p, list) and len(p) == 2]
                elif isinstance(b.get("route"), str):
                    try:
                        pts += list(self.places.route(b["route"]) or [])
                    except AttributeError:
                        pass
            if isinstance(z.get("admin"), list):
                try:
                    c = self.admin_geom(z["admin"], "").centroid
                    pts.append((c.y, c.x))
                except AgreementError:  # reported with its field when the zone is built
                    pass
            if isinstance(z.get("polygon"), dict):
                try:
                    c = geojson_to_shape(z["polygon"]).centroid
                    pts.append((c.y, c.x))
                except Exception:  # validated properly when the zone is built
                    pass
        for p in spec.get("points") or []:
            if isinstance(p, dict) and "lat" in p and "lon" in p:
                pts.append((float(p["lat"]), float(p["lon"])))
        if not pts:      # no usable zone: the zone's own error is raised when it is built
            return LocalProjection(0.0, 0.0)
        lat = sum(p[0] for p in pts) / len(pts)
        lon = sum(p[1] for p in pts) / len(pts)
        return LocalProjection(round(lat, 2), round(lon, 2))

    def place_point(self, ref, where: str, near: LineString | None = None) -> Point:
        """A metric point for a place given as an id ("ocha:C3908"), a name, or {lat, lon}."""
        proj = self.projection
        if isinstance(ref, dict):
            if "lat" in ref and "lon" in ref:
                return proj.point(float(ref["lat"]), float(ref["lon"]))
            ref = ref.get("place") or ref.get("name")
        if not isinstance(ref, str):
            raise self.err(where, "expected a place id, a name or {lat, lon}")
        cands: list[Place] = []
        if re.fullmatch(r"[a-z]+:\S+", ref):
            p = self.places.get(ref)
            if p is not None:
                cands = [p]
        if not cands:
            cands = [p for p in (self.places.candidates(ref) or []) if p.lat is not None]
        if not cands:
            raise self.err(where, f"place {ref!r} not found in the gazetteer")
        pts = [proj.point(p.lat, p.lon) for p in cands if p.lat is not None]
        if not pts:
            raise self.err(where, f"place {ref!r} has no coordinates")
        if near is not None:
            pts.sort(key=lambda q: q.distance(near))
        return pts[0]

    def route_line(self, b: dict, where: str) -> LineString:
        proj = self.projection
        if "line" in b:
            line = b["line"]
            if not (isinstance(line, list) and len(line) >= 2 and
                    all(isinstance(p, list) and len(p) == 2 for p in line)):
                raise self.err(f"{where}.line", "expected a list of at least two [lat, lon]")
            full = proj.line([(float(a), float(o)) for a, o in line])
        elif "route" in b:
            pts = self.places.route(str(b["route"]))
            if not pts:
                raise self.err(f"{where}.route", f"unknown route {b['route']!r} in the gazetteer")
            full = proj.line(list(pts))
        else:
            raise self.err(where, "give `route:` (a road in the gazetteer) or `line:` ([lat, lon] list)")
        a = self.place_point(b["from"], f"{where}.from", full) if b.get("from") is not None else None
        z = self.place_point(b["to"], f"{where}.to", full) if b.get("to") is not None else None
        if a is None and z is None:
            return full
        try:
            return substring_between(full, a, z)
        except ValueError as e:
            raise self.err(where, str(e)) from None

    def admin_geom(self, units, where: str) -> BaseGeometry:
        if not isinstance(units, list) or not units:
            raise self.err(where, "expected a list of admin units (P-codes or {name, level})")
        geoms = []
        for i, u in enumerate(units):
            w = f"{where}[{i}]"
            if isinstance(u, str) and re.fullmatch(r"[A-Z]{2}\d{2,6}", u):
                level = {4: 1, 6: 2, 8: 3}.get(len(u))
                if level is None:
                    raise self.err(w, f"{u!r} is not an admin1-3 P-code")
                hits = [f for f in self.admin_units(level) if f["properties"].get("pcode") == u]
            else:
                if isinstance(u, str):
                    u = {"name": u}
                u = self.mapping(u, w)
                name = str(self.need(u, "name", w)).casefold()
                levels = [int(u["level"])] if "level" in u else [1, 2, 3]
                hits = [f for lv in levels for f in self.admin_units(lv)
                        if name == str(f["properties"].get("name_en", "")).casefold()
                        or name in {str(x).casefold() for x in f["properties"].get("alt_en") or []}]
                if len(hits) > 1:
                    codes = ", ".join(f["properties"].get("pcode", "?") for f in hits)
                    raise self.err(w, f"{u['name']!r} is ambiguous ({codes}); use the P-code")
            if not hits:
                raise self.err(w, f"unknown admin unit {u!r}")
            geoms.append(geojson_to_shape(hits[0]["geometry"]))
        return ops.unary_union(geoms)

    def zone(self, name: str, zspec: dict, done: dict[str, Zone], stack: set[str]) -> Zone:
        if name in done:
            return done[name]
        if name not in zspec:
            raise self.err("zones", f"unknown zone {name!r} (known: {', '.join(zspec)})")
        if name in stack:
            raise self.err(f"zones.{name}", "refers to itself")
        stack = stack | {name}
        where = f"zones.{name}"
        z = self.mapping(zspec[name], where)
        kinds = [k for k in ZONE_KINDS if k in z]
        if len(kinds) != 1:
            raise self.err(where, f"give exactly one of {', '.join(ZONE_KINDS)}")
        kind = kinds[0]
        self.keys(z, {kind, "description", "approximation", "source"}, where)
        proj, body, w = self.projection, z[kind], f"{where}.{kind}"
        line = None

        def ref(n, wh):
            if not isinstance(n, str) or n not in zspec:
                raise self.err(wh, f"unknown zone {n!r} (known: {', '.join(zspec)})")
            return self.zone(n, zspec, done, stack).geom_m

        if kind == "buffer":
            body = self.mapping(body, w)
            self.keys(body, {"route", "line", "from", "to", "km"}, w)
            km = self.need(body, "km", w)
            if not isinstance(km, (int, float)) or km <= 0:
                raise self.err(f"{w}.km", "expected a positive number of km")
            line = self.route_line(body, w)
            geom_m = line.buffer(float(km) * 1000, cap_style="flat", quad_segs=16)
        elif kind == "polygon":
            try:
                g = geojson_to_shape(self.mapping(body, w))
            except Exception as e:
                raise self.err(w, f"not a GeoJSON geometry ({e})") from None
            if g.geom_type not in ("Polygon", "MultiPolygon") or not g.is_valid:
                raise self.err(w, "expected a valid GeoJSON Polygon or MultiPolygon (lon, lat order)")
            geom_m = proj.to_m(g)
        elif kind == "admin":
            geom_m = proj.to_m(self.admin_geom(body, w))
        elif kind == "side":
            body = self.mapping(body, w)
            self.keys(body, {"of", "route", "line", "from", "to", "side"}, w)
            s = self.need(body, "side", w)
            if s not in SIDES:
                raise self.err(f"{w}.side", f"expected one of {', '.join(SIDES)}")
            base = ref(self.need(body, "of", w), f"{w}.of")
            line = self.route_line(body, w)
            geom_m = side_of(base, line, s)
        else:  # union | intersection | difference
            names = self.strings(body, w)
            if len(names) < 2 and kind != "union":
                raise self.err(w, "expected at least two zone names")
            parts = [ref(n, f"{w}[{i}]") for i, n in enumerate(names)]
            if kind == "union":
                geom_m = ops.unary_union(parts)
            elif kind == "intersection":
                geom_m = parts[0]
                for p in parts[1:]:
                    geom_m = geom_m.intersection(p)
            else:
                geom_m = parts[0].difference(ops.unary_union(parts[1:]))
        if geom_m.is_empty:
            raise self.err(where, "the zone is empty")
        zone = Zone(name, kind, geom_m, proj.to_wgs(geom_m), str(z.get("description") or ""),
                    str(z.get("approximation") or ""), line)
        done[name] = zone
        return zone

    def point(self, p, signed: date, where: str) -> NamedPoint:
        p = self.mapping(p, where)
        self.keys(p, {"name", "held_by", "place", "lat", "lon", "kind", "source"}, where)
        name = str(self.need(p, "name", where))
        if "lat" in p and "lon" in p:
            lat, lon = float(p["lat"]), float(p["lon"])
        else:
            pt = self.projection.to_wgs(self.place_point(self.need(p, "place", where), f"{where}.place"))
            lat, lon = pt.y, pt.x
        held = p.get("held_by")
        return NamedPoint(name, self.party(held, signed, f"{where}.held_by") if held else None,
                          lat, lon, str(p.get("kind") or "observation post"), str(p.get("source") or ""))

    def clause(self, c, where, zones, sides, start, until, tz, signed) -> Clause:
        c = self.mapping(c, where)
        self.keys(c, CLAUSE_KEYS, where)
        cid = str(self.need(c, "id", where))
        kind = self.need(c, "kind", where)
        if kind not in ("prohibited", "required"):
            raise self.err(f"{where}.kind", f"expected prohibited or required, got {kind!r}")
        types = self.strings(self.need(c, "types", where), f"{where}.types")
        for t in types:
            if t not in PLOVER_TYPES:
                raise self.err(f"{where}.types", f"{t!r} is not a PLOVER type ({' '.join(PLOVER_TYPES)})")
        modes = self.strings(c["modes"], f"{where}.modes") if c.get("modes") else None
        zone_names = self.strings(c["zone"], f"{where}.zone") if c.get("zone") else ()
        for z in zone_names:
            if z not in zones:
                raise self.err(f"{where}.zone", f"unknown zone {z!r} (known: {', '.join(zones)})")
        by: tuple[str, ...] = ()
        with_: list[Matcher] = []
        if kind == "prohibited":
            by = self.strings(self.need(c, "by", where), f"{where}.by")
            for s in by:
                if s not in sides:
                    raise self.err(f"{where}.by", f"unknown side {s!r} (known: {', '.join(sides)})")
        else:
            with_ = [self.matcher(m, signed, f"{where}.with[{i}]") for i, m in enumerate(c.get("with") or [])]
        cstart = self.when(c["from"], f"{where}.from", tz) if c.get("from") is not None else start
        cend = self.when(c["until"], f"{where}.until", tz, end_of_day=True) if c.get("until") is not None \
            else until
        if cend is not None and cend <= cstart:
            raise self.err(f"{where}.until", "is not after the clause's start")
        expected = []
        if kind == "required":
            for i, e in enumerate(c.get("expected") or [{"id": cid}]):
                w = f"{where}.expected[{i}]"
                e = self.mapping(e, w)
                self.keys(e, {"id", "description", "from", "until"}, w)
                es = self.when(e["from"], f"{w}.from", tz) if e.get("from") is not None else cstart
                ee = self.when(e["until"], f"{w}.until", tz, end_of_day=True) if e.get("until") is not None \
                    else cend
                expected.append(Expected(str(e.get("id") or f"{cid}-{i + 1}"),
                                         str(e.get("description") or c.get("text") or cid), es, ee))
        return Clause(cid, kind, str(c.get("text") or ""), types, modes, by, with_, zone_names, cstart, cend,
                      expected, str(c.get("source") or ""))

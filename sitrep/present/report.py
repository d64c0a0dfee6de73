"""The situation report: one self-contained, offline HTML file (assets inlined, all article text escaped)."""
from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import jinja2

from sitrep.config import Config
from sitrep.records import Document, Figure, Incident, Quote, Violation

from . import basemap

HERE = Path(__file__).parent
ASSETS = HERE / "assets"
TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True,
                              undefined=jinja2.StrictUndefined)


@lru_cache(maxsize=1)
def palette() -> dict[str, str]:
    return {k: v for k, v in json.loads((ASSETS / "palette.json").read_text()).items() if not k.startswith("_note")}


def colour(type_: str) -> str:
    p = palette()
    return p.get(type_, p["_other"])


def _ordinal(s: str | None) -> int | None:
    try:
        return date.fromisoformat(s[:10]).toordinal() if s else None
    except ValueError:
        return None


# --------------------------------------------------------------------------- corpus
def suspicious_dates(documents: list[Document], incidents: list[Incident]) -> dict[str, str]:
    """Documents whose publication date comes before something they report as already done: either the
    date is wrong (a copy date, a day-first misreading) or the event date is. Document id -> reason."""
    pub = {d.id: d.published.date for d in documents if d.published.date}
    out: dict[str, str] = {}
    for i in incidents:
        if i.date is None:
            continue
        for m in i.mentions:
            p = pub.get(m.doc)
            if m.status == "reported" and p and p < i.date.start and m.doc not in out:
                out[m.doc] = f"reports {i.type} on {i.date.start} as done, but is dated {p}"
    return out


def corpus_summary(documents: list[Document], suspicious: dict[str, str] | None = None) -> dict:
    """Counts, outlets, publication range and the documents whose dates need a second look."""
    suspicious = suspicious or {}
    outlets = Counter(d.outlet for d in documents if d.outlet)
    dated = sorted(d.published.date for d in documents if d.published.date)
    flagged = []
    for d in documents:
        why = []
        if not d.published.date:
            why.append("undated")
        elif d.published.status == "estimated":
            why.append("date estimated")
        if d.id in suspicious:
            why.append("date suspicious")
        if d.duplicate_of:
            why.append("copy")
        if why:
            flagged.append((d, why))
    return {"n": len(documents), "outlets": outlets.most_common(), "first": dated[0] if dated else None,
            "last": dated[-1] if dated else None, "flagged": flagged,
            "undated": sum(1 for d in documents if not d.published.date), "suspicious": suspicious,
            "sorted": sorted(documents, key=lambda d: (d.published.date is None, d.published.date or "", d.id))}


# --------------------------------------------------------------------------- timeline
@dataclass
class TimelineItem:
    incident: Incident
    x: float
    w: float
    y: float
    lane: str


def timeline(incidents: list[Incident], width: float = 1180.0, focus_start: str | None = None) -> dict:
    """Lanes per type; a dot for a day, a bar for a vaguer interval; month or year ticks.

    ``focus_start`` (about half a year before the first report) keeps old background events from squeezing
    the story into a corner: incidents that end before it are counted, not drawn; longer ones are clipped.
    """
    dated = [(i, _ordinal(i.date.start), _ordinal(i.date.end)) for i in incidents if i.date]
    dated = [(i, a, b) for i, a, b in dated if a is not None and b is not None]
    focus = _ordinal(focus_start)
    earlier = 0
    if focus is not None and any(b >= focus for _, _, b in dated):
        earlier = sum(1 for _, _, b in dated if b < focus)
        dated = [(i, max(a, focus), b) for i, a, b in dated if b >= focus]
    if not dated:
        return {"marks": [], "lanes": [], "ticks": [], "width": width, "height": 40, "undated": len(incidents),
                "earlier": earlier}
    lo, hi = min(a for _, a, _ in dated), max(b for _, _, b in dated)
    lo, hi = lo - 2, hi + 2
    left, right = 110.0, width - 10
    sx = lambda d: left + (d - lo) / max(1, hi - lo) * (right - left)   # noqa: E731
    order = [t for t in palette() if t != "_other"]
    lanes = sorted({i.type for i, _, _ in dated}, key=lambda t: order.index(t) if t in order else 99)
    lane_h = 22.0
    items = []
    for i, a, b in dated:
        y = 18 + lanes.index(i.type) * lane_h + lane_h / 2
        items.append(TimelineItem(i, sx(a), max(0.0, sx(b + 1) - sx(a)), y, i.type))
    span_days = hi - lo
    ticks = []
    d0, d1 = date.fromordinal(lo), date.fromordinal(hi)
    step = 1 if span_days <= 400 else 3 if span_days <= 1200 else 12
    y, m = d0.year, d0.month
    if step > 1:
        m = 1 if step == 12 else ((m - 1) // step) * step + 1
    while (y, m) <= (d1.year, d1.month):
        o = date(y, m, 1).toordinal()
        if lo <= o <= hi:
            fmt = "%Y" if step == 12 else ("%b %Y" if m <= step or not ticks else "%b")
            ticks.append((sx(o), date(y, m, 1).strftime(fmt)))
        m += step
        while m > 12:
            y, m = y + 1, m - 12
    if span_days <= 45:     # short stories: day ticks every few days
        ticks = [(sx(o), date.fromordinal(o).strftime("%d %b")) for o in range(lo, hi + 1, max(1, span_days // 10))]
    height = 18 + len(lanes) * lane_h + 24
    return {"marks": items, "lanes": [(t, 18 + k * lane_h + lane_h / 2) for k, t in enumerate(lanes)],
            "ticks": ticks, "width": width, "height": height, "axis_y": height - 20, "left": left,
            "undated": len(incidents) - len(dated) - earlier, "earlier": earlier}


def _focus_start(first_published: str | None, days: int = 183) -> str | None:
    o = _ordinal(first_published)
    return date.fromordinal(o - days).isoformat() if o is not None else None


# --------------------------------------------------------------------------- map
def _admin_features(features) -> list[dict]:
    if features is not None:
        return list(features)
    try:   # the gazetteer's file, read directly: loading the whole gazetteer costs seconds
        from sitrep.kb import gazetteer
        path = gazetteer.PLACES_DIR / "ocha_admin.geojson"
        feats = json.loads(path.read_text(encoding="utf-8"))["features"]
        return [f for f in feats if (f.get("properties") or {}).get("level") == 1]
    except Exception:  # noqa: BLE001 - no admin boundaries shipped: the country outlines still draw
        return []


def _any_inside(features: list[dict], points: list[tuple[float, float]]) -> bool:
    """Whether any point lies in the features' bounding box (cheap relevance test for admin outlines)."""
    xs = [p[0] for f in features for r in basemap.geometry_rings(f.get("geometry") or {}) for p in r]
    ys = [p[1] for f in features for r in basemap.geometry_rings(f.get("geometry") or {}) for p in r]
    if not xs:
        return False
    return any(min(xs) <= x <= max(xs) and min(ys) <= y <= max(ys) for x, y in points)


CORE_KM = 800          # a story's theatre: places this close to its median place frame the map
CORE_SHARE = 0.6       # ...when at least this share of the places lie there


def _core(points: list[tuple[float, float]], min_points: int = 10) -> list[tuple[float, float]]:
    """Frame the theatre of the story so a summit in a far capital does not shrink it to a dot: the
    places near the median place when most places are there, else the middle 90% in each axis.
    Markers outside the frame are counted and said under the map."""
    from sitrep.kb.gazetteer import haversine_km

    if len(points) < 3:
        return points
    xs, ys = sorted(p[0] for p in points), sorted(p[1] for p in points)
    mx, my = xs[len(xs) // 2], ys[len(ys) // 2]
    near = [p for p in points if haversine_km(p[1], p[0], my, mx) <= CORE_KM]
    if len(near) >= CORE_SHARE * len(points):
        return near
    if len(points) < min_points:
        return points
    k = len(points) // 20
    x0, x1, y0, y1 = xs[k], xs[-1 - k], ys[k], ys[-1 - k]
    return [p for p in points if x0 <= p[0] <= x1 and y0 <= p[1] <= y1]


def incident_map(incidents: list[Incident], compliance: dict | None, admin_features=None,
                 tile_url: str | None = None) -> dict:
    located = [i for i in incidents if i.location and i.location.lat is not None and i.location.lon is not None]
    zones = [f for a in (compliance or {}).get("agreements", []) for f in ((a.get("zones") or {}).get("features") or [])]
    pts = _core([(i.location.lon, i.location.lat) for i in located])
    for f in zones:
        pts.extend((p[0], p[1]) for r in basemap.geometry_rings(f.get("geometry") or {}) for p in r[:: max(1, len(r) // 8)])
    view = basemap.view_for(pts)
    # admin units are drawn when they matter: an incident lies in their country, or the view is regional
    admin_feats = _admin_features(admin_features)
    relevant = (view.east - view.west) < 25 or _any_inside(admin_feats, [(i.location.lon, i.location.lat) for i in located])
    admin = basemap.feature_paths(admin_feats, view) if relevant else []
    by_spot: dict[tuple[float, float], int] = defaultdict(int)
    markers = []
    outside = 0
    for i in located:
        x, y = view.xy(i.location.lon, i.location.lat)
        if not (0 <= x <= view.width and 0 <= y <= view.height):
            outside += 1
        k = by_spot[(round(x), round(y))]
        by_spot[(round(x), round(y))] += 1
        # several incidents at one place fan out on a small spiral, so each stays clickable
        ang, rad = k * 2.4, 0 if k == 0 else 4 + 1.5 * k
        markers.append({"incident": i, "x": x + rad * math.cos(ang), "y": y + rad * math.sin(ang),
                        "r": 4 + min(6, i.sources)})
    violated = {v.get("event") for a in (compliance or {}).get("agreements", []) for v in a.get("violations", [])}
    return {"width": view.width, "height": view.height, "countries": basemap.country_paths(view), "admin": admin,
            "zones": basemap.feature_paths(zones, view), "markers": markers, "unlocated": len(incidents) - len(located), "outside": outside,
            "tiles": basemap.tiles(view, tile_url) if tile_url else [],
            "violated": violated, "bbox": [view.west, view.south, view.east, view.north]}


# --------------------------------------------------------------------------- the page
def _incident_text(i: Incident) -> str:
    parts = [i.type, i.mode or "", i.location.name if i.location else ""]
    parts += [a.name or a.text for a in i.actors] + [m.outlet or "" for m in i.mentions]
    return " ".join(p for p in parts if p)


def _quotes_by_speaker(quotes: list[Quote]) -> list[tuple[str, list[Quote]]]:
    groups: dict[str, list[Quote]] = defaultdict(list)
    for q in quotes:
        groups[q.speaker.name or q.speaker.text or "unknown"].append(q)
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0].casefold()))


def _coverage(incidents: list[Incident], documents: list[Document]) -> dict:
    outlets = sorted({m.outlet or "(unknown outlet)" for i in incidents for m in i.mentions},
                     key=lambda o: (o == "(unknown outlet)", o.casefold()))
    shown = sorted(incidents, key=lambda i: (-i.sources, -len(i.mentions), i.date.start if i.date else "9"))[:60]
    hits = {(m.outlet or "(unknown outlet)", i.id) for i in shown for m in i.mentions}
    return {"outlets": outlets, "incidents": shown, "hits": hits, "total": len(incidents)}


def party_name(party) -> str:
    """A violation's party as text, whether given as a name, a dict or an Actor."""
    if party is None:
        return ""
    if isinstance(party, str):
        return party
    if isinstance(party, dict):
        return party.get("name") or party.get("text") or ""
    return getattr(party, "name", None) or getattr(party, "text", "") or ""


def render_report(*, documents, incidents, figures, quotes, violations=(), compliance=None, errors=(),
                  config: Config | None = None, admin_features=None, title: str = "Situation report") -> str:
    config = config or Config()
    documents, incidents = list(documents), list(incidents)
    docs = {d.id: d for d in documents}
    corpus = corpus_summary(documents, suspicious_dates(documents, incidents))
    outlets_in_incidents = {m.outlet for i in incidents for m in i.mentions if m.outlet}
    dates = sorted(i.date.start for i in incidents if i.date) + sorted(i.date.end for i in incidents if i.date)
    types = Counter(i.type for i in incidents)
    order = [t for t in palette() if t != "_other"]
    html = _env().get_template("report.html.j2").render(
        title=title, config=config, documents=documents, docs=docs, incidents=incidents, figures=list(figures),
        quotes_by_speaker=_quotes_by_speaker(list(quotes)), n_quotes=len(list(quotes)), violations=list(violations),
        compliance=compliance, errors=list(errors), corpus=corpus, n_outlets=len(corpus["outlets"]) or len(outlets_in_incidents),
        first_date=min(dates) if dates else None, last_date=max(dates) if dates else None,
        types=sorted(types.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99),
        colour=colour, party_name=party_name, timeline=timeline(incidents, focus_start=_focus_start(corpus["first"])), map=incident_map(incidents, compliance, admin_features, TILE_URL if config.online_tiles else None),
        coverage=_coverage(incidents, documents), incident_text=_incident_text,
        n_disagree=sum(1 for i in incidents if i.disagreements),
        brief=sorted(incidents, key=lambda i: (-i.sources, -len(i.mentions), i.date.start if i.date else "9", i.id))[:12],
        css=(ASSETS / "style.css").read_text(encoding="utf-8"), js=(ASSETS / "report.js").read_text(encoding="utf-8"),
        tile_url=TILE_URL if config.online_tiles else None,
    )
    return with_csp(html, "data:" + (" https://tile.openstreetmap.org" if config.online_tiles else ""))


CSP_MARK = "SITREP-CSP"              # stands in the templates' policy meta tag until the page is rendered


def _sha256(text: str) -> str:
    import base64
    import hashlib

    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def with_csp(html: str, img_src: str = "data:") -> str:
    """The page with a strict Content-Security-Policy in place of ``CSP_MARK``: nothing loads from anywhere
    (default-src 'none'), and the page's own inline script and styles run only by their SHA-256 hashes,
    so no script that found its way into the page (all text is escaped; this is the second wall) can run.
    Style attributes are allowed by hash too ('unsafe-hashes'); script changes styles through the CSSOM,
    which CSP does not restrict."""
    from html import unescape

    body = html.replace(CSP_MARK, "")
    scripts = re.findall(r"<script>(.*?)</script>", body, flags=re.S)
    styles = re.findall(r"<style>(.*?)</style>", body, flags=re.S)
    attributes = sorted({_sha256(unescape(v)) for v in re.findall(r'\sstyle="([^"]*)"', body)})
    script_src = " ".join(sorted({_sha256(s) for s in scripts})) or "'none'"
    style_src = " ".join(sorted({_sha256(s) for s in styles}) + (["'unsafe-hashes'", *attributes] if attributes else []))
    policy = (f"default-src 'none'; script-src {script_src}; style-src {style_src or chr(39) + 'none' + chr(39)}; "
              f"img-src {img_src}; base-uri 'none'; form-action 'none'")
    return html.replace(CSP_MARK, policy, 1)


def write_report(path: Path, *, documents, incidents, figures=(), quotes=(), violations=(), compliance=None,
                 errors=(), config: Config | None = None, admin_features=None) -> Path:
    """Write report.html (one file, no network needed) and return its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(documents=documents, incidents=incidents, figures=figures, quotes=quotes,
                                  violations=violations, compliance=compliance, errors=errors, config=config,
                                  admin_features=admin_features), encoding="utf-8")
    return path


def write_index(path: Path, documents) -> Path:
    """A plain HTML index of the documents (usable before extraction exists)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    html = _env().get_template("index.html.j2").render(documents=list(documents), corpus=corpus_summary(list(documents)),
                                                       css=(ASSETS / "style.css").read_text(encoding="utf-8"))
    path.write_text(with_csp(html), encoding="utf-8")
    return path

"""The situation report: one self-contained, offline HTML file (assets inlined, all article text escaped)."""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from datetime import date
from functools import lru_cache
from pathlib import Path

import jinja2

from sitrep.config import Config
from sitrep.records import Document, Incident, Quote


HERE = Path(__file__).parent
ASSETS = HERE / "assets"
SERVE_STATIC = HERE.parent / "serve" / "static"        # Leaflet and the views the workbench shares
TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True,
                              undefined=jinja2.StrictUndefined)


@lru_cache(maxsize=1)
def palette() -> dict[str, str]:
    return {k: v for k, v in json.loads((ASSETS / "palette.json").read_text()).items() if not k.startswith("_note")}


def plural(n: int, word: str, words: str | None = None) -> str:
    """'1 figure', '2 figures'."""
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


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


# --------------------------------------------------------------------------- histogram timeline and map data
DAY_BINS_UP_TO = 120          # days: a view this short is binned by day, else by ISO week, else by month
WEEK_BINS_UP_TO = 4 * 366


def bin_unit(first: str | None, last: str | None) -> str:
    """day, week or month: the finest unit that keeps a span readable as a histogram."""
    a, b = _ordinal(first), _ordinal(last)
    days = (b - a) if a is not None and b is not None else 0
    return "day" if days <= DAY_BINS_UP_TO else "week" if days <= WEEK_BINS_UP_TO else "month"


def bin_of(day: str, unit: str) -> str:
    """The first day of the bin a YYYY-MM-DD day falls in (ISO weeks start on Monday)."""
    if unit == "day":
        return day[:10]
    if unit == "month":
        return day[:7] + "-01"
    o = _ordinal(day)
    d = date.fromordinal(o)
    return date.fromordinal(o - d.weekday()).isoformat()


def histogram(incidents: list[Incident], focus_start: str | None = None) -> dict:
    """Counts per bin and type (by start day). Incidents that end before ``focus_start`` (background long
    before the reports) are counted apart, not drawn, so they do not stretch the axis over decades."""
    dated = [i for i in incidents if i.date and _ordinal(i.date.start) is not None]
    earlier = 0
    if focus_start and any(i.date.end >= focus_start for i in dated):
        earlier = sum(1 for i in dated if i.date.end < focus_start)
        dated = [i for i in dated if i.date.end >= focus_start]
    starts = sorted(max(i.date.start, focus_start or "") for i in dated)
    unit = bin_unit(starts[0], starts[-1]) if starts else "week"
    bins: dict[str, dict[str, int]] = defaultdict(dict)
    for i in dated:
        b = bin_of(max(i.date.start, focus_start or ""), unit)
        bins[b][i.type] = bins[b].get(i.type, 0) + 1
    order = [t for t in palette() if t != "_other"]
    types = sorted({t for c in bins.values() for t in c}, key=lambda t: (order.index(t) if t in order else 99, t))
    return {"unit": unit, "bins": [[b, bins[b]] for b in sorted(bins)], "types": types,
            "colours": {t: colour(t) for t in types}, "undated": len(incidents) - len(dated) - earlier,
            "earlier": earlier}


def map_data(incidents: list[Incident], compliance: dict | None, areas) -> dict:
    """Points, areas (country- and province-level places, with the ids they hold), places listed apart and
    the unlocated count, as the workbench's /api/map gives them; violations from the compliance summary."""
    status: dict[str, str] = {}
    for a in (compliance or {}).get("agreements", []):
        for v in a.get("violations", []) or []:
            if v.get("status") == "violation" or status.get(v.get("event")) != "violation":
                status[v.get("event")] = v.get("status")
    points, area, apart, unlocated = [], {}, {}, 0
    for i in incidents:
        loc = i.location
        key = areas.area_key(loc)
        comp = status.get(i.id, "")
        if key and key.startswith(("ocha:", "country:")) and areas.geometry(key):
            a = area.setdefault(key, {"key": key, "name": areas.area_name(key), "n": 0, "v": 0, "types": {},
                                      "ids": [], "geometry": areas.geometry(key)})
            a["n"] += 1
            a["v"] += comp == "violation"
            a["types"][i.type] = a["types"].get(i.type, 0) + 1
            a["ids"].append(i.id)
        elif key:
            apart.setdefault(key, {"name": loc.name, "n": 0})["n"] += 1
        elif loc is not None and loc.lat is not None and loc.lon is not None:
            points.append([i.id, round(loc.lat, 5), round(loc.lon, 5), i.type,
                           2 if comp == "violation" else 1 if comp else 0, loc.name,
                           i.date.start if i.date else None])
        else:
            unlocated += 1
    types = {p[3] for p in points} | {t for a in area.values() for t in a["types"]}
    return {"points": points, "frame": frame([(p[2], p[1]) for p in points]), "areas": sorted(area.values(), key=lambda a: -a["n"]),
            "apart": sorted(apart.values(), key=lambda a: -a["n"]), "unlocated": unlocated,
            "colours": {t: colour(t) for t in sorted(types)}}


def frame(points: list[tuple[float, float]], margin: float = 0.15) -> list[float] | None:
    """[west, south, east, north] around the theatre of the story (``_core``): a summit in a far capital
    does not shrink the map to a dot; its marker is still there when one zooms out."""
    core = _core(points)
    if not core:
        return None
    w, e = min(p[0] for p in core), max(p[0] for p in core)
    s_, n = min(p[1] for p in core), max(p[1] for p in core)
    dx, dy = max(e - w, 0.5) * margin, max(n - s_, 0.5) * margin
    return [round(w - dx, 4), round(s_ - dy, 4), round(e + dx, 4), round(n + dy, 4)]


def basemap_data(incidents: list[Incident]) -> dict:
    """Country outlines (1:50m near the incidents, 1:110m elsewhere) and country labels."""
    from sitrep.kb.gazetteer import PLACES_DIR, _tsv

    from .admin import basemap_geojson

    pts = [(i.location.lon, i.location.lat) for i in incidents
           if i.location and i.location.lat is not None and i.location.lon is not None]
    box = (min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts)) \
        if pts else None
    labels = [{"name": r["name"], "lat": float(r["lat"]), "lon": float(r["lon"]), "pop": int(r["population"] or 0)}
              for r in _tsv(PLACES_DIR / "world_countries.tsv")]
    return {"countries": basemap_geojson(box, margin=6.0), "labels": labels}


def views_json(incidents: list[Incident], compliance: dict | None, hist: dict, tile_url: str | None,
               admin_features=None) -> str:
    """The data the report's timeline and map draw from, as JSON safe inside a <script> element."""
    from .export import default_areas

    admin = [{"type": "Feature", "properties": {"name": (f.get("properties") or {}).get("name_en") or
                                                (f.get("properties") or {}).get("name") or ""},
              "geometry": f.get("geometry")} for f in _admin_features(admin_features)]
    zones = [{"type": "Feature", "properties": {"name": str((f.get("properties") or {}).get("name") or "")},
              "geometry": f.get("geometry")}
             for a in (compliance or {}).get("agreements", []) for f in ((a.get("zones") or {}).get("features") or [])]
    data = {"timeline": hist, "map": map_data(incidents, compliance, default_areas()),
            "base": basemap_data(incidents), "admin": {"type": "FeatureCollection", "features": admin},
            "zones": {"type": "FeatureCollection", "features": zones}, "tiles": tile_url}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # nothing in the data may close the script element or open a comment
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# --------------------------------------------------------------------------- the page
def _incident_text(i: Incident) -> str:
    """What the report's search box matches: names as written and folded (case, accents, scripts), the
    place's admin areas in both gazetteers' spellings (GeoNames "Idlib", OCHA "Idleb"), and the id."""
    from sitrep.store.search import fold

    from .export import default_areas

    loc = i.location
    parts = [i.mode or "", loc.name if loc else "", (loc.admin1 or "") if loc else ""]     # (id, type: own attributes)
    parts += [n or "" for n in default_areas().names(loc)]
    parts += [a.name or a.text for a in i.actors] + [a.text for a in i.actors] + [m.outlet or "" for m in i.mentions]
    parts = list(dict.fromkeys(p for p in parts if p))
    return " ".join(parts + [fold(p) for p in parts if fold(p) != p.lower()])


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
    hist = histogram(incidents, _focus_start(corpus["first"]))
    html = _env().get_template("report.html.j2").render(
        title=title, config=config, documents=documents, docs=docs, incidents=incidents, figures=list(figures),
        quotes_by_speaker=_quotes_by_speaker(list(quotes)), n_quotes=len(list(quotes)), violations=list(violations),
        compliance=compliance, errors=list(errors), corpus=corpus, n_outlets=len(corpus["outlets"]) or len(outlets_in_incidents),
        first_date=min(dates) if dates else None, last_date=max(dates) if dates else None,
        types=sorted(types.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99),
        colour=colour, party_name=party_name, plural=plural,
        views=views_json(incidents, compliance, hist, TILE_URL if config.online_tiles else None, admin_features),
        undated=hist["undated"], earlier=hist["earlier"],
        vendor_css=_inline_css(SERVE_STATIC / "vendor" / "leaflet" / "leaflet.css"),
        vendor_js=(SERVE_STATIC / "vendor" / "leaflet" / "leaflet.js").read_text(encoding="utf-8"),
        views_js=(SERVE_STATIC / "views.js").read_text(encoding="utf-8"),
        palette_css="\n".join(f".sw-{t.lower()},.bg-{t.lower()}{{background:{c}}}" for t, c in palette().items()
                               if not t.startswith("_")),
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


def _inline_css(path: Path) -> str:
    """A stylesheet for inlining into the one-file report: its image references (Leaflet's default marker and
    layer icons, which the report never shows) removed, so nothing is fetched beside the file."""
    return re.sub(r"url\((['\"]?)images/[^)]*\)", "none", path.read_text(encoding="utf-8"))


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

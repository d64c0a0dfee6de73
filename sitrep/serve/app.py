"""`sitrep serve`: the analyst's workbench, a local web app over the store (Starlette + Jinja templates).

Pages: ``/incidents`` (filters, counts, timeline, map, paged sortable table), ``/incidents/ID``,
``/documents/ID``; downloads of the filtered view: ``/incidents.csv`` (ACLED columns), ``.geojson``,
``.jsonl``; data for the page's scripts under ``/api/``. Everything is served from the package: a strict
Content-Security-Policy forbids any other origin and any inline script, and article text is escaped.
"""
from __future__ import annotations

import io
import json
import logging
import threading
import time
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from sitrep.present import acled
from sitrep.present.admin import AdminAreas, basemap_geojson, country_name
from sitrep.present.export import event_record, geo_feature
from sitrep.present.report import colour, palette
from sitrep.records import Document, Incident
from sitrep.store import search
from sitrep.store.sqlite import SQLiteStore

from . import indexer, params
from .highlight import excerpt, highlight

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {"content-security-policy": CSP, "x-content-type-options": "nosniff",
                    "referrer-policy": "no-referrer", "x-frame-options": "DENY"}
DAY_BINS_UP_TO = 120          # days: a view this short is binned by day, else by week (or month)
WEEK_BINS_UP_TO = 4 * 366
CHUNK = 250                   # incidents per piece of a streamed download


class SecurityHeaders:
    """ASGI middleware adding the CSP and friends to every response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.decode().lower() not in SECURITY_HEADERS]
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message = dict(message, headers=headers)
            await send(message)
        await self.app(scope, receive, send_with_headers)


@dataclass
class Workbench:
    """The store and what the pages need from the knowledge base (read-only after start)."""
    store: SQLiteStore
    expander: object | None
    areas: AdminAreas

    @classmethod
    def open(cls, db: Path, expander=None, areas: AdminAreas | None = None, kb: bool = True) -> "Workbench":
        """Open the store and bring its search index up to date. With ``kb`` the shipped gazetteer and
        actor registry give aliases and admin names (a few seconds to load)."""
        if kb and (expander is None or areas is None):
            from .aliases import default_expander

            try:
                expander = expander or default_expander()
                areas = areas or AdminAreas(expander.gazetteer)
            except Exception as exc:  # noqa: BLE001 - the workbench still serves, with plain folding only
                log.warning("knowledge base not loaded (%s): search without aliases, admin names as stored", exc)
        wb = cls(SQLiteStore(db), expander, areas or AdminAreas())
        indexer.ensure_index(wb.store, wb.areas)
        return wb

    @property
    def db(self):
        return self.store.db

    @cached_property
    def choices(self) -> search.Choices:
        return search.choices(self.db)

    def view(self, request: Request) -> params.View:
        qp = request.query_params
        return params.parse({k: qp.getlist(k) for k in qp.keys()}, self.expander,
                            {c: n for c, n in self.choices.countries})


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.globals.update(colour=colour, country_name=country_name, plural=plural)
    env.filters["thousands"] = lambda n: "" if n is None else f"{n:,}"
    return env


def plural(n: int, word: str, words: str | None = None) -> str:
    """'1 incident', '2 incidents' (and '1 figure', '2 figures')."""
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def create_app(db: Path | str, expander=None, areas: AdminAreas | None = None, kb: bool = True) -> Starlette:
    wb = Workbench.open(Path(db), expander, areas, kb)
    env = _env()

    def page(name: str, http_status: int = 200, **ctx) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(**ctx), status_code=http_status)

    def error(request: Request, status: int, message: str) -> Response:
        if request.url.path.startswith("/api/") or request.url.path.endswith((".csv", ".geojson", ".jsonl")):
            return JSONResponse({"error": message}, status_code=status)
        return page("error.html.j2", status, title="Error", message=message, status=status)

    def guarded(handler):
        """Run a page handler: parameter errors become 400 pages, and the response says how long it took
        (Server-Timing: wall time and this thread's CPU time, which other processes do not inflate)."""
        async def run(request: Request):
            t0, c0 = time.perf_counter(), time.thread_time()
            try:
                resp = handler(request)
            except params.ParamError as exc:
                resp = error(request, 400, str(exc))
            resp.headers["server-timing"] = (f"app;dur={(time.perf_counter() - t0) * 1000:.1f}, "
                                             f"cpu;dur={(time.thread_time() - c0) * 1000:.1f}")
            return resp
        return run

    # ------------------------------------------------------------------ incidents
    def incidents(request: Request):
        view = wb.view(request)
        result = search.search(wb.db, view.filter, view.sort, view.desc, view.per_page, view.offset)
        pages = max(1, -(-result.total // view.per_page))
        if view.page > pages and result.total:
            raise params.ParamError("page", str(view.page), f"there {'is' if pages == 1 else 'are'} "
                                    f"{plural(pages, 'page')}")
        type_counts = dict(search.facet(wb.db, view.filter, "type"))
        lo, hi, undated = search.span(wb.db, view.filter)
        resp = page("incidents.html.j2", title="Incidents", view=view, result=result, pages=pages,
                    types=_ordered_types(type_counts, wb.choices.types), type_counts=type_counts,
                    outlets=search.outlet_counts(wb.db, view.filter),
                    countries=wb.choices.countries, modes=wb.choices.modes, compliance=params.COMPLIANCE,
                    statuses=params.STATUSES, sorts=search.SORTS, first=lo, last=hi, undated=undated,
                    total_all=wb.db.execute("SELECT count(*) FROM incident_index").fetchone()[0])
        return resp

    def _download_ids(request: Request) -> list[str]:
        view = wb.view(request)
        return search.ids(wb.db, view.filter, view.sort, view.desc)

    def _records(ids: list[str]):
        for k in range(0, len(ids), CHUNK):
            yield from wb.store.incidents_by_ids(ids[k:k + CHUNK])

    def download_csv(request: Request):
        ids = _download_ids(request)
        base = str(request.base_url).rstrip("/")

        def rows():
            columns = acled.table().all_columns
            buf = io.StringIO()
            acled.write_csv(buf, columns, [])
            yield buf.getvalue()
            for k in range(0, len(ids), CHUNK):
                buf = io.StringIO()
                w = acled.csv.writer(buf)
                for inc in wb.store.incidents_by_ids(ids[k:k + CHUNK]):
                    row = acled.acled_row(inc, wb.areas, base)
                    w.writerow([acled.safe_cell(row.get(c)) for c in columns])
                yield buf.getvalue()
        return StreamingResponse(rows(), media_type="text/csv; charset=utf-8",
                                 headers={"content-disposition": 'attachment; filename="incidents.csv"'})

    def download_geojson(request: Request):
        ids = _download_ids(request)
        feats, unlocated = [], []
        for inc in _records(ids):
            f = geo_feature(inc, wb.areas)
            if f["geometry"]:
                feats.append(f)
            else:
                unlocated.append(inc.id)
        # features without a geometry are left out and named in a foreign member (RFC 7946 §6.1)
        body = {"type": "FeatureCollection", "features": feats, "unlocated": unlocated}
        return Response(json.dumps(body, ensure_ascii=False), media_type="application/geo+json",
                        headers={"content-disposition": 'attachment; filename="incidents.geojson"'})

    def download_jsonl(request: Request):
        ids = _download_ids(request)

        def lines():
            for k in range(0, len(ids), CHUNK):
                yield "".join(json.dumps(event_record(inc), ensure_ascii=False) + "\n"
                              for inc in wb.store.incidents_by_ids(ids[k:k + CHUNK]))
        return StreamingResponse(lines(), media_type="application/x-ndjson; charset=utf-8",
                                 headers={"content-disposition": 'attachment; filename="incidents.jsonl"'})

    # ------------------------------------------------------------------ one incident, one document
    def incident(request: Request):
        inc = wb.store.incident(request.path_params["id"])
        if inc is None:
            return error(request, 404, f"no incident {request.path_params['id']!r}")
        if inc.id != request.path_params["id"]:
            return RedirectResponse(f"/incidents/{inc.id}", status_code=307)
        docs = {m.doc: wb.store.document(m.doc) for m in inc.mentions}
        extractions = {d: wb.store.extraction(d) for d in docs}
        quotes = [q for x in extractions.values() if x for q in x.quotes]
        figures = [f for x in extractions.values() if x for f in x.figures]
        admin = wb.areas.names(inc.location)
        sources = []
        for n, m in enumerate(inc.mentions):
            d = docs.get(m.doc)
            sources.append({"mention": m, "doc": d, "n": n,
                            "excerpt": excerpt(d.text, m.sentence, m.start, m.end) if d else None,
                            "url": _original_url(d)})
        return page("incident.html.j2", title=f"{inc.type} {inc.id}", inc=inc, sources=sources, admin=admin,
                    quotes=quotes, figures=figures, violations=wb.store.violations_of(inc.id),
                    acled_type=acled.acled_types(inc.type, inc.mode),
                    area=wb.areas.area_name(wb.areas.area_key(inc.location)))

    def document(request: Request):
        d = wb.store.document(request.path_params["id"])
        if d is None or not d.id.startswith(request.path_params["id"]):
            return error(request, 404, f"no document {request.path_params['id']!r}")
        if d.id != request.path_params["id"]:
            return RedirectResponse(f"/documents/{d.id}", status_code=307)
        x = wb.store.extraction(d.id)
        incidents = _incidents_of(wb, d.id)
        return page("document.html.j2", title=d.title or d.id, doc=d, text=highlight(d, x, incidents),
                    extraction=x, incidents=incidents, url=_original_url(d))

    # ------------------------------------------------------------------ data for the scripts
    def api_timeline(request: Request):
        view = wb.view(request)
        lo, hi, undated = search.span(wb.db, view.filter)
        days = (date.fromisoformat(hi) - date.fromisoformat(lo)).days if lo and hi else 0
        unit = "day" if days <= DAY_BINS_UP_TO else "week" if days <= WEEK_BINS_UP_TO else "month"
        bins: dict[str, dict[str, int]] = {}
        for b, t, n in search.histogram(wb.db, view.filter, unit):
            bins.setdefault(b, {})[t] = n
        types = [t for t in palette() if t != "_other" and any(t in c for c in bins.values())]
        types += sorted({t for c in bins.values() for t in c} - set(types))
        return JSONResponse({"unit": unit, "first": lo, "last": hi, "undated": undated,
                             "bins": [[b, c] for b, c in sorted(bins.items())], "types": types,
                             "colours": {t: colour(t) for t in types}})

    def api_map(request: Request):
        view = wb.view(request)
        points, areas, apart = [], {}, {}
        unlocated = 0
        for i, lat, lon, t, comp, prec, key, place, day in search.points(wb.db, view.filter):
            if key and key.startswith(("ocha:", "country:")):
                a = areas.setdefault(key, {"key": key, "name": wb.areas.area_name(key), "n": 0, "v": 0,
                                           "types": {}})
                a["n"] += 1
                a["v"] += comp == "violation"
                a["types"][t] = a["types"].get(t, 0) + 1
            elif key:                    # a province with no shape: listed apart, never drawn as a point
                apart.setdefault(key, {"name": place, "n": 0})["n"] += 1
            elif lat is not None and lon is not None:
                points.append([i, round(lat, 4), round(lon, 4), t, 2 if comp == "violation" else
                               1 if comp == "possible" else 0, place, day])
            else:
                unlocated += 1
        for a in areas.values():
            a["geometry"] = wb.areas.geometry(a["key"])
        from sitrep.present.report import frame

        body = {"frame": frame([(p[2], p[1]) for p in points]),
                "areas": sorted(areas.values(), key=lambda a: -a["n"]),
                "apart": sorted(apart.values(), key=lambda a: -a["n"]), "unlocated": unlocated,
                "colours": {t: colour(t) for t in {p[3] for p in points} |
                            {t for a in areas.values() for t in a["types"]}}}
        # points travel packed: type and place as indexes into lists (10,000 points: 0.4 MB, not 0.7)
        types = sorted({p[3] for p in points})
        places = sorted({p[5] or "" for p in points})
        ti, pi = {t: k for k, t in enumerate(types)}, {n: k for k, n in enumerate(places)}
        body["packed"] = {"types": types, "places": places,
                          "points": [[p[0], p[1], p[2], ti[p[3]], p[4], pi[p[5] or ""], p[6]] for p in points]}
        return Response(json.dumps(body, ensure_ascii=False, separators=(",", ":")), media_type="application/json")

    basemap_cache: dict[str, bytes] = {}
    basemap_lock = threading.Lock()

    def basemap_bytes() -> bytes:
        with basemap_lock:
            if "countries" not in basemap_cache:
                from sitrep.kb.gazetteer import PLACES_DIR, _tsv

                labels = [{"name": r["name"], "lat": float(r["lat"]), "lon": float(r["lon"]),
                           "pop": int(r["population"] or 0)} for r in _tsv(PLACES_DIR / "world_countries.tsv")]
                box = wb.db.execute("SELECT min(lon), min(lat), max(lon), max(lat) FROM incident_index").fetchone()
                gj = basemap_geojson(tuple(box) if box[0] is not None else None, margin=4.0)
                basemap_cache["countries"] = json.dumps({"countries": gj, "labels": labels},
                                                        separators=(",", ":")).encode()
            return basemap_cache["countries"]

    def api_basemap(request: Request):
        return Response(basemap_bytes(), media_type="application/json", headers={"cache-control": "max-age=86400"})

    def warm() -> None:
        """Build what the first map request would otherwise wait for (basemap, area shapes, admin names)."""
        basemap_bytes()
        for key in {k for (k,) in wb.db.execute("SELECT DISTINCT area FROM incident_index WHERE area IS NOT NULL")}:
            wb.areas.geometry(key)

    threading.Thread(target=warm, name="sitrep-warm", daemon=True).start()

    def api_admin(request: Request):
        level = request.query_params.get("level", "1")
        if level not in ("1", "2", "3"):
            raise params.ParamError("level", level, "choose from 1, 2, 3")
        key = f"admin{level}"
        if key not in basemap_cache:
            gaz = getattr(wb.areas, "gazetteer", None)
            feats = []
            for f in (gaz.admin_units(int(level)) if gaz is not None else []):
                p = f["properties"]
                feats.append({"type": "Feature", "properties": {"name": p["name_en"], "pcode": p["pcode"]},
                              "geometry": f["geometry"]})
            basemap_cache[key] = json.dumps({"type": "FeatureCollection", "features": feats},
                                            separators=(",", ":")).encode()
        return Response(basemap_cache[key], media_type="application/geo+json",
                        headers={"cache-control": "max-age=86400"})

    css = "\n".join(f".sw.sw-{t.lower()}, .bg-{t.lower()} {{ background: {c}; }}" for t, c in palette().items()
                    if not t.startswith("_")) + f"\n.bg-other {{ background: {palette()['_other']}; }}\n"

    async def palette_css(request: Request):
        return Response(css, media_type="text/css", headers={"cache-control": "max-age=3600"})

    async def home(request: Request):
        return RedirectResponse("/incidents", status_code=307)

    async def not_found(request: Request, exc):
        return error(request, getattr(exc, "status_code", 404), "no such page")

    routes = [
        Route("/", home),
        Route("/palette.css", palette_css),
        Route("/incidents", guarded(incidents)),
        Route("/incidents.csv", guarded(download_csv)),
        Route("/incidents.geojson", guarded(download_geojson)),
        Route("/incidents.jsonl", guarded(download_jsonl)),
        Route("/incidents/{id}", guarded(incident)),
        Route("/documents/{id}", guarded(document)),
        Route("/api/timeline", guarded(api_timeline)),
        Route("/api/map", guarded(api_map)),
        Route("/api/basemap", guarded(api_basemap)),
        Route("/api/admin", guarded(api_admin)),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    middleware = [Middleware(SecurityHeaders), Middleware(GZipMiddleware, minimum_size=2048, compresslevel=5)]
    app = Starlette(routes=routes, middleware=middleware,
                    exception_handlers={404: not_found, 405: not_found})
    app.state.workbench = wb
    return app


def _ordered_types(counts: dict[str, int], known: list[str]) -> list[str]:
    order = [t for t in palette() if t != "_other"]
    return sorted(set(counts) | set(known), key=lambda t: (order.index(t) if t in order else 99, t))


def _original_url(d: Document | None) -> str | None:
    """The article's own address: the URL the input gave, or a path that is one."""
    if d is None:
        return None
    for u in (d.url, d.path):
        if u and u.split("#")[0].lower().startswith(("http://", "https://")):
            return u
    return None


def _incidents_of(wb: Workbench, doc_id: str) -> list[Incident]:
    """Incidents that cite a document (the index has no per-document column; the JSON does)."""
    pattern = f'%"doc": "{doc_id}"%'
    rows = wb.db.execute("SELECT id FROM incidents WHERE record LIKE ? ORDER BY date_start, id", (pattern,))
    return wb.store.incidents_by_ids([r[0] for r in rows])


"""Read-side search over stored incidents: the index table and FTS5 table of schema version 2.

The workbench (`sitrep serve`), `sitrep events` and the downloads all filter through here, so a filter
means the same thing everywhere. Text is *folded* before it is indexed and before it is searched: case,
accents and scripts are reduced to lower-case ASCII (``Erdoğan`` and ``Erdogan`` meet; Arabic script is
transliterated), so the FTS5 tokenizer only splits words. Aliases ("Idlib" for "Idleb") are not known
here: the caller expands a term into its variants (``sitrep/serve/aliases.py`` does it with the knowledge
base) and passes one group of variants per term; a row matches a group when it holds any variant.
"""
from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field, fields
from functools import lru_cache

INDEX_COLUMNS = ("id", "type", "mode", "status", "date_start", "date_end", "date_precision", "week",
                 "place", "admin1", "admin2", "admin3", "country", "country_name", "lat", "lon",
                 "geo_precision", "area", "sources", "mentions", "disagree", "disagree_fields",
                 "killed", "killed_max", "actors", "outlets", "first_published", "last_published",
                 "compliance", "sentence")
FTS_COLUMNS = ("names", "places", "actors", "outlets", "text")
# what a table may be sorted on: URL name -> SQL expression (NULLs last whatever the direction)
SORTS = {"date": "date_start", "type": "type", "place": "place", "country": "country_name",
         "sources": "sources", "killed": "killed", "id": "id", "reported": "last_published",
         "mentions": "mentions"}
_NONWORD = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=65536)
def fold(text: str | None) -> str:
    """Lower-case ASCII words: 'Erdoğan' -> 'erdogan', 'Hay'at Tahrir al-Sham' -> 'hayat tahrir al sham',
    'إدلب' -> 'idlb' (anyascii's transliteration). Apostrophes join, other punctuation splits."""
    if not text:
        return ""
    from anyascii import anyascii

    s = unicodedata.normalize("NFKC", text)
    s = anyascii(s).lower().replace("'", "").replace("`", "")
    return _NONWORD.sub(" ", s).strip()


@dataclass
class IndexRow:
    """One incident as the index holds it (filter and sort columns, display columns, folded text)."""
    id: str
    type: str
    mode: str | None = None
    status: str = "reported"
    date_start: str | None = None
    date_end: str | None = None
    date_precision: str | None = None
    week: str | None = None                 # Monday of date_start's ISO week
    place: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    country: str | None = None              # ISO alpha-3
    country_name: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: str | None = None
    area: str | None = None                 # admin area key for country/province-level places
    sources: int = 1
    mentions: int = 1
    disagree: int = 0
    disagree_fields: str = ""
    killed: int | None = None
    killed_max: int | None = None
    actors: str = ""
    outlets: str = ""                       # "|Outlet A|Outlet B|" (exact filtering with LIKE)
    first_published: str | None = None
    last_published: str | None = None
    compliance: str = ""                    # violation | possible | "" (the strongest finding)
    sentence: str = ""
    # folded text for FTS5 (not stored as columns)
    fts_names: str = ""
    fts_places: str = ""
    fts_actors: str = ""
    fts_outlets: str = ""
    fts_text: str = ""


def index_fingerprint(db: sqlite3.Connection) -> str | None:
    row = db.execute("SELECT value FROM state WHERE key='search_fingerprint'").fetchone()
    return row[0] if row else None


def replace_index(db: sqlite3.Connection, rows: list[IndexRow], fingerprint: str) -> None:
    """Replace the whole index in one transaction."""
    cols = ", ".join(INDEX_COLUMNS)
    marks = ", ".join("?" for _ in INDEX_COLUMNS)
    try:
        db.execute("BEGIN")
        db.execute("DELETE FROM incident_index")
        db.execute("INSERT INTO incident_fts(incident_fts) VALUES ('delete-all')")
        for n, r in enumerate(rows, 1):
            db.execute(f"INSERT INTO incident_index (rowid, {cols}) VALUES (?, {marks})",
                       (n, *(getattr(r, c) for c in INDEX_COLUMNS)))
            db.execute("INSERT INTO incident_fts (rowid, names, places, actors, outlets, text) "
                       "VALUES (?,?,?,?,?,?)", (n, r.fts_names, r.fts_places, r.fts_actors, r.fts_outlets,
                                                r.fts_text))
        db.execute("INSERT OR REPLACE INTO state VALUES ('search_fingerprint', ?)", (fingerprint,))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


# --------------------------------------------------------------------------- filters
@dataclass(frozen=True)
class Filter:
    """A filtered view of the incidents. Text filters are groups of variants: every group must match,
    any variant of a group may (variants are folded phrases; a trailing '*' makes a prefix)."""
    q: tuple[tuple[str, ...], ...] = ()
    actor: tuple[tuple[str, ...], ...] = ()
    place: tuple[tuple[str, ...], ...] = ()
    types: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()         # ISO alpha-3
    since: str | None = None                # incidents ending on or after
    until: str | None = None                # incidents starting on or before
    outlet: str | None = None
    min_sources: int | None = None
    disagree: bool | None = None
    compliance: str | None = None           # violation | possible | any | none
    status: str | None = None               # reported | planned | ...
    ids: tuple[str, ...] = ()

    def without(self, name: str) -> "Filter":
        """The same filter less one field (facet counts of a field ignore its own filter)."""
        f = {x.name: getattr(self, x.name) for x in fields(self)}
        f[name] = type(self).__dataclass_fields__[name].default
        return Filter(**f)


def _phrase(variant: str) -> str:
    prefix = variant.endswith("*")
    words = fold(variant.rstrip("*")).split()
    if not words:
        return ""
    return '"' + " ".join(words) + '"' + ("*" if prefix else "")


def _match(groups: tuple[tuple[str, ...], ...], columns: tuple[str, ...] | None) -> str | None:
    parts = []
    for group in groups:
        alts = sorted({p for p in (_phrase(v) for v in group) if p})
        if not alts:
            continue
        expr = "(" + " OR ".join(alts) + ")"
        if columns:
            expr = "{" + " ".join(columns) + "} : " + expr
        parts.append(expr)
    return " AND ".join(parts) if parts else None


def where(f: Filter) -> tuple[str, list]:
    """SQL condition over ``incident_index`` (aliased i) and its parameters."""
    cond: list[str] = []
    args: list = []
    for groups, cols in ((f.q, None), (f.actor, ("actors",)), (f.place, ("places",))):
        m = _match(groups, cols)
        if m:
            cond.append("i.rowid IN (SELECT rowid FROM incident_fts WHERE incident_fts MATCH ?)")
            args.append(m)
    for col, values in (("type", f.types), ("mode", f.modes), ("country", f.countries), ("id", f.ids)):
        if values:
            cond.append(f"i.{col} IN ({', '.join('?' for _ in values)})")
            args.extend(values)
    if f.since:
        cond.append("i.date_end >= ?")
        args.append(f.since)
    if f.until:
        cond.append("i.date_start <= ?")
        args.append(f.until)
    if f.outlet:
        cond.append("lower(i.outlets) LIKE ? ESCAPE '\\'")
        esc = f.outlet.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        args.append(f"%|{esc}|%")
    if f.min_sources:
        cond.append("i.sources >= ?")
        args.append(int(f.min_sources))
    if f.disagree is not None:
        cond.append("i.disagree > 0" if f.disagree else "i.disagree = 0")
    if f.compliance == "any":
        cond.append("i.compliance != ''")
    elif f.compliance == "none":
        cond.append("i.compliance = ''")
    elif f.compliance:
        cond.append("i.compliance = ?")
        args.append(f.compliance)
    if f.status:
        cond.append("i.status = ?")
        args.append(f.status)
    return (" AND ".join(cond) or "1"), args


@dataclass
class Page:
    rows: list[dict]
    total: int
    offset: int
    limit: int


def _rows(cur) -> list[dict]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur]


def search(db: sqlite3.Connection, f: Filter, sort: str = "date", desc: bool = False,
           limit: int = 50, offset: int = 0) -> Page:
    """One page of the filtered incidents, sorted (ties by date, then id: a stable order)."""
    cond, args = where(f)
    total = db.execute(f"SELECT count(*) FROM incident_index i WHERE {cond}", args).fetchone()[0]
    order = _order(sort, desc)
    cur = db.execute(f"SELECT i.* FROM incident_index i WHERE {cond} ORDER BY {order} LIMIT ? OFFSET ?",
                     [*args, int(limit), int(offset)])
    return Page(_rows(cur), total, offset, limit)


def _order(sort: str, desc: bool) -> str:
    col = SORTS.get(sort, "date_start")
    d = "DESC" if desc else "ASC"
    return f"i.{col} IS NULL, i.{col} {d}, i.date_start IS NULL, i.date_start {d}, i.id"


def ids(db: sqlite3.Connection, f: Filter, sort: str = "date", desc: bool = False) -> list[str]:
    cond, args = where(f)
    return [r[0] for r in db.execute(
        f"SELECT i.id FROM incident_index i WHERE {cond} ORDER BY {_order(sort, desc)}", args)]


def facet(db: sqlite3.Connection, f: Filter, column: str, limit: int = 200) -> list[tuple[str, int]]:
    """Counts per value of ``column`` under the filter (less that column's own filter)."""
    own = {"type": "types", "mode": "modes", "country": "countries", "compliance": "compliance"}
    if column not in INDEX_COLUMNS:
        raise ValueError(column)
    cond, args = where(f.without(own[column]) if column in own else f)
    cur = db.execute(f"SELECT i.{column}, count(*) AS n FROM incident_index i WHERE {cond} "
                     f"GROUP BY i.{column} ORDER BY n DESC, i.{column} LIMIT ?", [*args, limit])
    return [(v, n) for v, n in cur]


def outlet_counts(db: sqlite3.Connection, f: Filter, limit: int = 200) -> list[tuple[str, int]]:
    """Outlets with how many filtered incidents each reported (the outlet filter itself left out)."""
    cond, args = where(f.without("outlet"))
    counts: dict[str, int] = {}
    for (outlets,) in db.execute(f"SELECT i.outlets FROM incident_index i WHERE {cond}", args):
        for o in (outlets or "").strip("|").split("|"):
            if o:
                counts[o] = counts.get(o, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))[:limit]


def histogram(db: sqlite3.Connection, f: Filter, unit: str = "week") -> list[tuple[str, str, int]]:
    """(bin start, type, count) for dated incidents: bins are ISO weeks (their Monday) or days."""
    col = "i.week" if unit == "week" else "i.date_start"
    cond, args = where(f)
    cur = db.execute(f"SELECT {col}, i.type, count(*) FROM incident_index i WHERE {cond} AND {col} IS NOT NULL "
                     f"GROUP BY {col}, i.type ORDER BY {col}, i.type", args)
    return [(b, t, n) for b, t, n in cur]


def span(db: sqlite3.Connection, f: Filter) -> tuple[str | None, str | None, int]:
    """First start, last start and the number of undated incidents under the filter."""
    cond, args = where(f)
    lo, hi, undated = db.execute(
        f"SELECT min(i.date_start), max(i.date_start), sum(i.date_start IS NULL) FROM incident_index i "
        f"WHERE {cond}", args).fetchone()
    return lo, hi, int(undated or 0)


def points(db: sqlite3.Connection, f: Filter) -> list[tuple]:
    """(id, lat, lon, type, compliance, geo_precision, area, place, date_start) of the filtered incidents."""
    cond, args = where(f)
    return list(db.execute(
        f"SELECT i.id, i.lat, i.lon, i.type, i.compliance, i.geo_precision, i.area, i.place, i.date_start "
        f"FROM incident_index i WHERE {cond} ORDER BY i.rowid", args))


@dataclass
class Choices:
    """The values a filter can take in this store (for forms and for CLI errors)."""
    types: list[str] = field(default_factory=list)
    modes: list[str] = field(default_factory=list)
    countries: list[tuple[str, str]] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)


def choices(db: sqlite3.Connection) -> Choices:
    q = lambda col: [r[0] for r in db.execute(  # noqa: E731
        f"SELECT DISTINCT {col} FROM incident_index WHERE {col} IS NOT NULL ORDER BY {col}")]
    return Choices(q("type"), q("mode"), list(db.execute(
        "SELECT DISTINCT country, country_name FROM incident_index WHERE country IS NOT NULL "
        "ORDER BY country_name")), q("status"))

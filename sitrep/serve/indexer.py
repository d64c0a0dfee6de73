"""Build the search index (``sitrep/store/search.py``) from the stored incidents, when they changed.

Each incident becomes one row of filter/sort columns and five folded text fields: ``names`` (everything
named: type, mode, places, admin areas, country, actors, outlets), ``places`` (the place and the areas that
contain it, so a province finds its towns), ``actors``, ``outlets`` and ``text`` (the source sentences).
"""
from __future__ import annotations

import hashlib
import logging
import time
from datetime import date, timedelta

from sitrep.present.admin import AdminAreas, country_name
from sitrep.records import Incident, Violation
from sitrep.store import search

log = logging.getLogger(__name__)
INDEX_VERSION = "1"          # bump when the rows built here change


def week_of(day: str | None) -> str | None:
    """Monday of the ISO week of a YYYY-MM-DD day."""
    try:
        d = date.fromisoformat(day[:10]) if day else None
    except ValueError:
        return None
    return (d - timedelta(days=d.weekday())).isoformat() if d else None


def _strongest(statuses: list[str]) -> str:
    return "violation" if "violation" in statuses else "possible" if statuses else ""


def index_row(i: Incident, areas: AdminAreas, compliance: str = "") -> search.IndexRow:
    loc = i.location
    admin1, admin2, admin3 = areas.names(loc)
    key = areas.area_key(loc)
    cname = country_name(loc.country) if loc and loc.country else None
    actor_names = [a.name or a.text for a in i.actors]
    actor_words = [w for a in i.actors for w in (a.name, a.text, a.country, country_name(a.country)) if w]
    outlets = sorted({m.outlet for m in i.mentions if m.outlet}, key=str.casefold)
    published = sorted(m.published for m in i.mentions if m.published)
    killed = i.counts.get("killed")
    place_words = [w for w in (loc.name if loc else None, loc.admin1 if loc else None, admin1, admin2, admin3,
                               cname, loc.country if loc else None) if w]
    fold = search.fold
    return search.IndexRow(
        id=i.id, type=i.type, mode=i.mode, status=i.status,
        date_start=i.date.start if i.date else None, date_end=i.date.end if i.date else None,
        date_precision=i.date.precision if i.date else None, week=week_of(i.date.start if i.date else None),
        place=loc.name if loc else None, admin1=admin1, admin2=admin2, admin3=admin3,
        country=loc.country if loc else None, country_name=cname,
        lat=loc.lat if loc else None, lon=loc.lon if loc else None,
        geo_precision=loc.precision if loc else None, area=key,
        sources=i.sources, mentions=len(i.mentions), disagree=len(i.disagreements),
        disagree_fields=", ".join(d.field for d in i.disagreements),
        killed=killed.min if killed else None, killed_max=killed.max if killed else None,
        actors="; ".join(dict.fromkeys(f"{n} ({a.role})" if a.role else n
                                       for n, a in zip(actor_names, i.actors))),
        outlets="|" + "|".join(outlets) + "|" if outlets else "",
        first_published=published[0] if published else None, last_published=published[-1] if published else None,
        compliance=compliance, sentence=" ".join((i.mentions[0].sentence if i.mentions else "").split()),
        fts_names=" | ".join(fold(w) for w in [i.type, i.mode or "", *place_words, *actor_words, *outlets] if w),
        fts_places=" | ".join(fold(w) for w in place_words),
        fts_actors=" | ".join(fold(w) for w in actor_words),
        fts_outlets=" | ".join(fold(o) for o in outlets),
        fts_text=" | ".join(fold(m.sentence) for m in i.mentions),
    )


def fingerprint(store) -> str:
    """What the index was built from: the incidents' and violations' fingerprints and the index version."""
    n_viol = store.db.execute("SELECT count(*), group_concat(event || status, ',') FROM "
                              "(SELECT event, status FROM violations ORDER BY agreement, event, status)").fetchone()
    digest = hashlib.sha1(repr((INDEX_VERSION, store.incidents_fingerprint(),
                                store.db.execute("SELECT count(*) FROM incidents").fetchone()[0],
                                n_viol)).encode()).hexdigest()
    return digest[:16]


def ensure_index(store, areas: AdminAreas) -> bool:
    """Rebuild the index when the incidents or violations changed; True when it was rebuilt."""
    fp = fingerprint(store)
    if search.index_fingerprint(store.db) == fp:
        return False
    t0 = time.perf_counter()
    incidents = store.incidents()
    rows = build_rows(incidents, store.violations(), areas)
    search.replace_index(store.db, rows, fp)
    log.info("search index: %d incidents indexed in %.2f s", len(rows), time.perf_counter() - t0)
    return True


def build_rows(incidents: list[Incident], violations: list[Violation], areas: AdminAreas) -> list[search.IndexRow]:
    found: dict[str, list[str]] = {}
    for v in violations:
        found.setdefault(v.event, []).append(v.status)
    return [index_row(i, areas, _strongest(found.get(i.id, []))) for i in incidents]

"""Incidents as ACLED rows: all 31 columns of ACLED's export, in its order, plus our id and a link.

Event types come through the ontology's PLOVER -> ACLED table (``sitrep/data/events/plover.yaml``); disorder
types, actor (inter) codes, regions and precisions through ``sitrep/data/present/acled.yaml``; admin names
through ``AdminAreas`` so the CSV names places as every other export does. ``docs/acled.md`` documents each
column. Every CSV cell we write goes through ``safe_cell`` (OWASP CSV injection).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from typing import IO, Iterable

import yaml

from sitrep.config import DATA_DIR
from sitrep.records import Actor, Incident

from .admin import AdminAreas, countries_table, country_name

TABLE_FILE = DATA_DIR / "present" / "acled.yaml"
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def safe_cell(value):
    """A CSV cell that a spreadsheet will not run: text starting with = + - @ tab or CR gets a leading
    apostrophe (OWASP, "CSV Injection"); plain numbers ("-12.5") stay numbers."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    s = str(value)
    if s and s[0] in "=+-@\t\r" and not _NUMBER.fullmatch(s):
        return "'" + s
    return s


def write_csv(fh: IO[str], columns: list[str], rows: Iterable[dict]) -> None:
    """Header and rows, every cell neutralised."""
    w = csv.writer(fh)
    w.writerow([safe_cell(c) for c in columns])
    for row in rows:
        w.writerow([safe_cell(row.get(c)) for c in columns])


@dataclass(frozen=True)
class AcledTable:
    columns: tuple[str, ...]
    extra_columns: tuple[str, ...]
    disorder_type: dict
    disorder_sub_event: dict
    inter_by_sector: dict
    state_sectors: frozenset
    foreign_state: int
    inter_by_event_type: dict
    civilian_inter: int
    time_precision: dict
    geo_precision: dict
    region_of: dict

    @property
    def all_columns(self) -> list[str]:
        return [*self.columns, *self.extra_columns]


@lru_cache(maxsize=1)
def table() -> AcledTable:
    data = yaml.safe_load(TABLE_FILE.read_text(encoding="utf-8"))
    region_of = {iso3: region for region, codes in data["regions"].items() for iso3 in codes}
    return AcledTable(tuple(data["columns"]), tuple(data["extra_columns"]), data["disorder_type"],
                      data["disorder_sub_event"], data["inter_by_sector"], frozenset(data["state_sectors"]),
                      int(data["foreign_state"]), data["inter_by_event_type"], int(data["civilian_inter"]),
                      data["time_precision"], data["geo_precision"], region_of)


@lru_cache(maxsize=1)
def _ontology():
    try:
        from sitrep.kb.ontology import Ontology
        return Ontology.load()
    except Exception:  # noqa: BLE001 - the CSV still carries the PLOVER type when the table is missing
        return None


def acled_types(type_: str, mode: str | None) -> tuple[str, str]:
    """ACLED event_type and sub_event_type through the ontology's mapping table."""
    onto = _ontology()
    if onto is not None:
        try:
            ev, sub = onto.acled(type_, mode)
            return ev or "", sub or ""
        except (KeyError, ValueError):
            pass
    return type_, mode or ""


def disorder_type(event_type: str, sub_event_type: str) -> str:
    t = table()
    return t.disorder_sub_event.get(sub_event_type) or t.disorder_type.get(event_type, "")


def inter_code(actor: Actor, event_type: str, event_country: str | None, role: str) -> int | str:
    """ACLED's actor type: what a source does in a protest or riot, else its sector; a state's forces
    acting outside their own country are external forces (8). Unknown sector: blank."""
    t = table()
    if role == "source" and event_type in t.inter_by_event_type:
        return t.inter_by_event_type[event_type]
    if actor.sector in t.state_sectors and actor.country and event_country and actor.country != event_country:
        return t.foreign_state
    return t.inter_by_sector.get(actor.sector or "", "")


def interaction(inter1, inter2, actor2: bool = False) -> str:
    """Two-digit interaction code, lower code first; one actor alone: its code then 0. Blank when an actor's
    code is unknown (a second actor of unknown type is not 'no second actor')."""
    if inter1 != "" and inter2 != "":
        a, b = sorted((int(inter1), int(inter2)))
        return f"{a}{b}"
    if inter1 != "" and not actor2:
        return f"{inter1}0"
    return ""


def _names(actors: list[Actor]) -> list[Actor]:
    seen, out = set(), []
    for a in actors:
        n = a.name or a.text
        if n and n not in seen:
            seen.add(n)
            out.append(a)
    return out


def sides(i: Incident) -> tuple[list[Actor], list[Actor]]:
    """Actors on side 1 (sources) and side 2 (targets); actors with no role fill an empty side."""
    src = _names([a for a in i.actors if a.role == "source"])
    tgt = _names([a for a in i.actors if a.role == "target"])
    free = _names([a for a in i.actors if a.role not in ("source", "target")])
    if not src and free:
        src, free = free[:1], free[1:]
    if not tgt and free:
        tgt = free[:1]
    return src, tgt


def _timestamp(i: Incident) -> int | str:
    """Unix time of the latest report (midnight UTC of its publication day): when the record last changed."""
    days = sorted(m.published for m in i.mentions if m.published)
    if not days:
        return ""
    try:
        return int(datetime.fromisoformat(days[-1][:10]).replace(tzinfo=timezone.utc).timestamp())
    except ValueError:
        return ""


def _tags(i: Incident) -> str:
    tags = [f"sources={i.sources}"]
    if i.status != "reported":
        tags.append(f"status={i.status}")
    killed = i.counts.get("killed")
    if killed and (killed.min != killed.max or killed.qualifier != "exact"):
        tags.append(f"fatalities {killed.qualifier} {killed.value} (range {killed.min}-{killed.max})")
    if i.date and i.date.start != i.date.end:
        tags.append(f"dates {i.date.start} to {i.date.end}")
    if i.disagreements:
        tags.append("sources disagree on " + ", ".join(d.field for d in i.disagreements))
    return "; ".join(tags)


def acled_row(i: Incident, areas: AdminAreas | None = None, link_base: str | None = None) -> dict:
    """One incident as an ACLED row (plus sitrep_id and sitrep_link)."""
    t = table()
    ev, sub = acled_types(i.type, i.mode)
    loc = i.location
    iso3 = loc.country if loc else None
    src, tgt = sides(i)
    a1, a2 = (src[0] if src else None), (tgt[0] if tgt else None)
    inter1 = inter_code(a1, ev, iso3, "source") if a1 else ""
    inter2 = inter_code(a2, ev, iso3, "target") if a2 else ""
    admin1, admin2, admin3 = (areas or AdminAreas()).names(loc)
    killed = i.counts.get("killed")
    outlets = sorted({m.outlet for m in i.mentions if m.outlet}, key=str.casefold)
    notes = " ".join((i.mentions[0].sentence if i.mentions else "").split())
    civ = ev == "Violence against civilians" or (inter2 == t.civilian_inter and disorder_type(ev, sub) ==
                                                  "Political violence")
    country = countries_table().get(iso3 or "")
    return {
        "event_id_cnty": f"{iso3 or 'XXX'}-{i.id}",
        "event_date": i.date.start if i.date else "",
        "year": int(i.date.start[:4]) if i.date else "",
        "time_precision": t.time_precision.get(i.date.precision, 3) if i.date else "",
        "disorder_type": disorder_type(ev, sub), "event_type": ev, "sub_event_type": sub,
        "actor1": (a1.name or a1.text) if a1 else "",
        "assoc_actor_1": "; ".join(a.name or a.text for a in src[1:]), "inter1": inter1,
        "actor2": (a2.name or a2.text) if a2 else "",
        "assoc_actor_2": "; ".join(a.name or a.text for a in tgt[1:]), "inter2": inter2,
        "interaction": interaction(inter1, inter2, a2 is not None),
        "civilian_targeting": "Civilian targeting" if civ else "",
        "iso": country["isonumeric"] if country else "",
        "region": t.region_of.get(iso3 or "", ""),
        "country": country_name(iso3) or "",
        "admin1": admin1 or "", "admin2": admin2 or "", "admin3": admin3 or "",
        "location": loc.name if loc else "",
        "latitude": "" if not loc or loc.lat is None else round(loc.lat, 4),
        "longitude": "" if not loc or loc.lon is None else round(loc.lon, 4),
        "geo_precision": t.geo_precision.get(loc.precision, 3) if loc else "",
        "source": "; ".join(outlets), "source_scale": "",
        "notes": notes,
        "fatalities": killed.min if killed else 0,          # the lowest reported toll, as ACLED records
        "tags": _tags(i),
        "timestamp": _timestamp(i),
        "sitrep_id": i.id,
        "sitrep_link": f"{link_base.rstrip('/')}/incidents/{i.id}" if link_base else "",
    }


def write_acled_csv(fh: IO[str], incidents: Iterable[Incident], areas: AdminAreas | None = None,
                    link_base: str | None = None) -> None:
    areas = areas or AdminAreas()
    write_csv(fh, table().all_columns, (acled_row(i, areas, link_base) for i in incidents))

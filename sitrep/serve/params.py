"""The URL contract of the workbench, read into a search filter (also what `sitrep events` options mean).

``/incidents`` (and ``.csv``, ``.geojson``, ``.jsonl``) take: ``q`` (full text), ``type`` (PLOVER type;
repeatable or comma-separated), ``mode``, ``actor``, ``place`` (a province finds its towns), ``country``
(ISO alpha-3 or name), ``since`` / ``until`` (YYYY-MM-DD, YYYY-MM or YYYY), ``outlet``, ``sources`` (at
least this many outlets), ``disagree`` (yes | no), ``compliance`` (violation | possible | any | none),
``status`` (reported | planned | ...), ``sort`` (date, type, place, country, sources, killed, reported,
mentions, id; a leading '-' sorts descending), ``page`` and ``per_page``. Invalid values are errors that
list the valid ones; nothing is silently dropped.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Mapping, Sequence
from urllib.parse import urlencode

from sitrep.store.search import SORTS, Filter, fold

PARAMS = ("q", "type", "mode", "actor", "place", "country", "since", "until", "outlet", "sources", "disagree",
          "compliance", "status", "sort", "page", "per_page")
FILTER_PARAMS = PARAMS[:13]
COMPLIANCE = ("violation", "possible", "any", "none")
STATUSES = ("reported", "planned", "hypothetical", "denied")
PER_PAGE = 50
MAX_PER_PAGE = 500
_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


class ParamError(ValueError):
    """A parameter with a value it cannot take; the message lists the valid values."""

    def __init__(self, name: str, value: str, valid: str):
        super().__init__(f"{name}: {value!r} is not valid; {valid}")
        self.name, self.value, self.valid = name, value, valid


@lru_cache(maxsize=1)
def plover_types() -> tuple[str, ...]:
    from sitrep.kb.ontology import Ontology

    return tuple(Ontology.load().types)


def parse_date(name: str, value: str, end: bool = False) -> str:
    """YYYY-MM-DD, or YYYY-MM / YYYY as the first (or, for an end, the last) day of that period."""
    m = _DATE.fullmatch(value.strip())
    if m:
        y, mo, d = int(m.group(1)), m.group(2), m.group(3)
        try:
            if d:
                return f"{y:04d}-{int(mo):02d}-{int(d):02d}" if calendar.monthrange(y, int(mo))[1] >= int(d) >= 1 \
                    else _raise(name, value)
            if mo:
                last = calendar.monthrange(y, int(mo))[1]
                return f"{y:04d}-{int(mo):02d}-{last if end else 1:02d}"
            return f"{y:04d}-12-31" if end else f"{y:04d}-01-01"
        except (ValueError, calendar.IllegalMonthError):
            pass
    _raise(name, value)


def _raise(name: str, value: str):
    raise ParamError(name, value, "use a date as YYYY-MM-DD (or YYYY-MM, YYYY), e.g. 2020-03-05")


def _split(values: Sequence[str]) -> list[str]:
    return [v.strip() for x in values for v in str(x).split(",") if v.strip()]


@dataclass
class View:
    """A parsed request: the filter, the order, the page, and the raw parameters (to build links)."""
    filter: Filter
    sort: str = "date"
    desc: bool = False
    page: int = 1
    per_page: int = PER_PAGE
    params: dict[str, list[str]] = field(default_factory=dict)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def query(self, **changes) -> str:
        """This view's query string with some parameters changed (None removes one)."""
        p = {k: list(v) for k, v in self.params.items()}
        for k, v in changes.items():
            if v is None or v == "" or v == []:
                p.pop(k, None)
            else:
                p[k] = [str(x) for x in v] if isinstance(v, (list, tuple)) else [str(v)]
        items = [(k, v) for k in PARAMS for v in p.get(k, [])]
        return urlencode(items)

    def filter_query(self) -> str:
        """The filter parameters only (for downloads and the map and timeline data)."""
        return urlencode([(k, v) for k in FILTER_PARAMS for v in self.params.get(k, [])])


def parse(params: Mapping[str, Sequence[str]], expander=None, countries: Mapping[str, str] | None = None) -> View:
    """A view from query parameters (a mapping of name -> list of values). ``expander`` turns text terms
    into their variants (see ``aliases.py``); ``countries`` maps ISO3 -> name for the country filter."""
    raw = {k: [str(v) for v in params.get(k, []) if str(v).strip()] for k in PARAMS}
    raw = {k: v for k, v in raw.items() if v}
    one = lambda k: raw[k][-1].strip() if k in raw else None  # noqa: E731

    types = []
    for t in _split(raw.get("type", [])):
        canon = _canonical_type(t)
        if canon is None:
            raise ParamError("type", t, "choose from " + ", ".join(plover_types()))
        types.append(canon)
    q, actor, place = one("q"), one("actor"), one("place")
    text = expander.text if expander else _plain_text
    f = Filter(
        q=text(q) if q else (),
        actor=((expander.actor(actor) if expander else (actor,)),) if actor else (),
        place=((expander.place(place) if expander else (place,)),) if place else (),
        types=tuple(dict.fromkeys(types)),
        modes=tuple(_split(raw.get("mode", []))),
        countries=tuple(_country(c, countries or {}) for c in _split(raw.get("country", []))),
        since=parse_date("since", one("since")) if one("since") else None,
        until=parse_date("until", one("until"), end=True) if one("until") else None,
        outlet=one("outlet"),
        min_sources=_int("sources", one("sources"), 1) if one("sources") else None,
        disagree=_yes_no("disagree", one("disagree")) if one("disagree") else None,
        compliance=_choice("compliance", one("compliance"), COMPLIANCE) if one("compliance") else None,
        status=_choice("status", one("status"), STATUSES) if one("status") else None,
    )
    if f.since and f.until and f.since > f.until:
        raise ParamError("until", one("until"), f"it comes before since ({f.since})")
    sort = one("sort") or "date"
    desc = sort.startswith("-")
    if sort.lstrip("-") not in SORTS:
        raise ParamError("sort", sort, "choose from " + ", ".join(SORTS) + " (a leading '-' for descending)")
    per_page = min(MAX_PER_PAGE, _int("per_page", one("per_page"), 1)) if one("per_page") else PER_PAGE
    page = _int("page", one("page"), 1) if one("page") else 1
    return View(f, sort.lstrip("-"), desc, page, per_page, raw)


def _plain_text(q: str) -> tuple[tuple[str, ...], ...]:
    return tuple((w, w + "*") if len(w) >= 3 else (w,) for w in q.split())


def _canonical_type(t: str) -> str | None:
    from sitrep.kb.ontology import Ontology

    try:
        return Ontology.load().canonical(t)
    except ValueError:
        return None


def _country(value: str, countries: Mapping[str, str]) -> str:
    v = value.strip()
    if v.upper() in countries:
        return v.upper()
    for iso3, name in countries.items():
        if fold(name) == fold(v):
            return iso3
    if re.fullmatch(r"[A-Za-z]{3}", v):
        return v.upper()            # a country with no incidents yet: an empty result, not an error
    raise ParamError("country", value, "use an ISO 3166 alpha-3 code or a name: "
                     + ", ".join(f"{k} ({n})" for k, n in sorted(countries.items())))


def _int(name: str, value: str, minimum: int) -> int:
    try:
        n = int(value)
    except ValueError:
        n = minimum - 1
    if n < minimum:
        raise ParamError(name, value, f"use a whole number of at least {minimum}")
    return n


def _yes_no(name: str, value: str) -> bool:
    v = value.lower()
    if v in ("yes", "true", "1"):
        return True
    if v in ("no", "false", "0"):
        return False
    raise ParamError(name, value, "choose from yes, no")


def _choice(name: str, value: str, valid: Sequence[str]) -> str:
    if value.lower() in valid:
        return value.lower()
    raise ParamError(name, value, "choose from " + ", ".join(valid))

"""Greedy, blocked clustering of event mentions into incidents.

Mentions are taken narrowest date first, so a vague mention ("in February") joins an incident whose day
is already known instead of chaining two different days together. A mention joins a cluster only when it
agrees with *every* member (type family, date overlap with the cluster's common interval, places, actors):
complete linkage, so no chain of pairwise matches can merge clearly different days or places.

Blocking: clusters are indexed by (type family, day) for narrow intervals and by (type family, month) for
wide ones, each bucket split by place (a grid cell of fusion_km for towns, the country for vaguer places),
so each mention is compared with a handful of clusters and cost grows near-linearly with the corpus. The
index is exact: it returns every cluster the rules could accept (tested against the all-pairs search).
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sitrep.records import EventMention, Place

from .rules import (FusionRules, day_range, participants_conflict, place_key, places_agree, ranges_overlap,
                    share_actor)

NARROW_DAYS = 62                        # intervals up to this many days are indexed day by day


@dataclass
class Cluster:
    family: str
    members: list[EventMention] = field(default_factory=list)
    span: tuple[int, int] | None = None           # intersection of the members' intervals
    places: dict[str, Place] = field(default_factory=dict)
    modes: set[str] = field(default_factory=set)
    cells: set = field(default_factory=set)        # location blocking keys of the members (see _cell)


def _months(span: tuple[int, int]) -> list[tuple[int, int]]:
    a, b = date.fromordinal(span[0]), date.fromordinal(span[1])
    out, y, m = [], a.year, a.month
    while (y, m) <= (b.year, b.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


FINE = frozenset({"point", "town", "district"})


def _cell(place: Place | None, deg: float):
    """Location blocking key: a grid cell for a located town or point, the country for a vaguer place."""
    if place is None:
        return None
    if place.precision in FINE and place.lat is not None and place.lon is not None:
        return ("cell", math.floor(place.lat / deg), math.floor(place.lon / deg))
    return ("coarse", place.country)


def _query_cells(place: Place | None, deg: float, soft: bool) -> list | None:
    """The keys a mention must look in, or None for all: a town looks in the grid cells within reach (wider
    in longitude toward the poles), the coarse places of its country, and the clusters with no place."""
    key = _cell(place, deg)
    if soft or key is None or key[0] != "cell":
        return None
    reach = min(30, math.ceil(1 / max(0.05, math.cos(math.radians(min(89.0, abs(place.lat) + deg))))))
    cells = [("cell", key[1] + di, key[2] + dj) for di in (-1, 0, 1) for dj in range(-reach, reach + 1)]
    return cells + [("coarse", place.country), ("coarse", None), None]


class ClusterIndex:
    """Clusters with their blocking indexes."""

    def __init__(self, rules: FusionRules, km: float):
        self.rules, self.km = rules, km
        self.deg = max(0.01, km / 111.0)          # a grid cell is at least fusion_km tall
        self.clusters: list[Cluster] = []
        self.by_day: dict[tuple[str, int], dict[str | None, list[int]]] = defaultdict(lambda: defaultdict(list))
        self.by_month: dict[tuple[str, tuple[int, int]], dict[str | None, list[int]]] = defaultdict(
            lambda: defaultdict(list))
        self.wide: dict[tuple[str, tuple[int, int]], list[int]] = defaultdict(list)

    # ---------------------------------------------------------------- compatibility
    def compatible(self, c: Cluster, m: EventMention, span: tuple[int, int] | None) -> bool:
        rules = self.rules
        if any(x.doc == m.doc for x in c.members):
            return False          # one report's happenings were told apart by the report itself (within.py)
        if m.status not in rules.mergeable_status or any(x.status not in rules.mergeable_status for x in c.members[:1]):
            return False
        if c.span is not None and span is not None and not ranges_overlap(c.span, span):
            return False
        if m.type in rules.strict_modes and m.mode and any(x != m.mode for x in c.modes):
            return False
        loc = m.location
        places_ok = loc is None or all(places_agree(p, loc, self.km) for p in c.places.values())
        soft = m.type in rules.place_soft and all(x.type in rules.place_soft for x in c.members)
        if not places_ok and not soft:          # cheapest decisive test first
            return False
        if any(participants_conflict(x, m, rules) for x in c.members):
            return False
        shared = any(share_actor(x.actors, m.actors) for x in c.members)
        if not places_ok and not shared:
            return False
        # A vaguer report (a month, no date, no place) joins a precise incident only on positive evidence:
        # a shared named participant or a known place on both sides that agrees.
        vaguer = span is None or c.span is None or (span[1] - span[0]) > (c.span[1] - c.span[0])
        if vaguer and not shared and not (loc is not None and c.places and places_ok):
            return False
        return True

    def score(self, c: Cluster, m: EventMention, key: str | None) -> tuple:
        """Preference among compatible clusters: same type, same place, more reports, tighter date."""
        same_type = any(x.type == m.type for x in c.members)
        same_place = key is not None and key in c.places
        width = (c.span[1] - c.span[0]) if c.span else 10 ** 6
        return (same_type, same_place, len(c.members), -width)

    # ---------------------------------------------------------------- index upkeep
    def _register(self, i: int) -> None:
        c = self.clusters[i]
        if c.span is None:
            return
        cells = c.cells or {None}
        for mo in _months(c.span):
            for cell in cells:
                self.by_month[(c.family, mo)][cell].append(i)
        if c.span[1] - c.span[0] < NARROW_DAYS:
            for d in range(c.span[0], c.span[1] + 1):
                for cell in cells:
                    self.by_day[(c.family, d)][cell].append(i)
        else:
            for mo in _months(c.span):
                self.wide[(c.family, mo)].append(i)

    def candidates(self, family: str, span: tuple[int, int], cells: list | None) -> set[int]:
        """Clusters of the family whose interval may overlap ``span`` near ``cells`` (None: anywhere)."""
        def pick(bucket: dict) -> list[int]:
            if cells is None:
                return [i for ids in bucket.values() for i in ids]
            return [i for k in cells for i in bucket.get(k, ())]

        out: set[int] = set()
        if span[1] - span[0] < NARROW_DAYS:
            for d in range(span[0], span[1] + 1):
                b = self.by_day.get((family, d))
                if b:
                    out.update(pick(b))
            for mo in _months(span):
                out.update(self.wide.get((family, mo), ()))
        else:
            for mo in _months(span):
                b = self.by_month.get((family, mo))
                if b:
                    out.update(pick(b))
        return out

    def add(self, m: EventMention, span: tuple[int, int] | None, into: int | None) -> None:
        if into is None:
            self.clusters.append(Cluster(family=self.rules.family_of(m.type)))
            into = len(self.clusters) - 1
        c = self.clusters[into]
        old_span, old_cells = c.span, set(c.cells)
        c.members.append(m)
        if span is not None:
            c.span = span if c.span is None else (max(c.span[0], span[0]), min(c.span[1], span[1]))
        if m.location is not None:
            c.places.setdefault(place_key(m.location), m.location)
        c.cells.add(_cell(m.location, self.deg))
        if m.mode:
            c.modes.add(m.mode)
        # Spans only narrow and cells only grow; re-register when the keys changed (stale entries are
        # harmless: every candidate is re-checked against the cluster itself).
        if c.span != old_span or c.cells != old_cells:
            self._register(into)


def cluster_mentions(mentions: list[EventMention], rules: FusionRules, km: float) -> list[list[EventMention]]:
    """Group mentions into clusters (each one incident)."""
    index = ClusterIndex(rules, km)
    spans = {id(m): day_range(m.date) for m in mentions}
    dated = [m for m in mentions if spans[id(m)] is not None]
    undated = [m for m in mentions if spans[id(m)] is None]
    dated.sort(key=lambda m: (spans[id(m)][1] - spans[id(m)][0], m.published or "", m.doc, m.start, m.id))
    for m in dated:
        span = spans[id(m)]
        best, best_score = None, None
        key = place_key(m.location) if m.location is not None else None
        cells = _query_cells(m.location, index.deg, m.type in rules.place_soft)   # soft places look everywhere
        for i in sorted(index.candidates(rules.family_of(m.type), span, cells)):
            c = index.clusters[i]
            if index.compatible(c, m, span):
                s = index.score(c, m, key)
                if best_score is None or s > best_score:
                    best, best_score = i, s
        index.add(m, span, best)

    # Undated mentions join a dated incident only when exactly one fits: same type, a shared named actor,
    # agreeing place, and not reported before the incident began. Otherwise they stay on their own.
    by_actor: dict[tuple[str, str], set[int]] = defaultdict(set)
    for i, c in enumerate(index.clusters):
        for x in c.members:
            for a in x.actors:
                for k in _actor_keys(a):
                    by_actor[(x.type, k)].add(i)
    for m in sorted(undated, key=lambda m: (m.published or "", m.doc, m.start, m.id)):
        cands: set[int] = set()
        for a in m.actors:
            for k in _actor_keys(a):
                cands |= by_actor.get((m.type, k), set())
        fits = []
        pub = day_range_str(m.published)
        for i in sorted(cands):
            c = index.clusters[i]
            if c.span is None or (pub is not None and pub < c.span[0]):
                continue
            if index.compatible(c, m, None):
                fits.append(i)
        spans_of_fits = {index.clusters[i].span for i in fits}
        index.add(m, None, fits[0] if len(fits) >= 1 and len(spans_of_fits) == 1 else None)
    return [c.members for c in index.clusters]


def _actor_keys(a) -> list[str]:
    keys = []
    if a.actor_id:
        keys.append("id:" + a.actor_id)
    if a.name:
        keys.append("name:" + a.name.casefold())
    if a.country:
        keys.append("country:" + a.country)
    return keys


def day_range_str(s: str | None) -> int | None:
    if not s:
        return None
    try:
        return date.fromisoformat(s[:10]).toordinal()
    except ValueError:
        return None

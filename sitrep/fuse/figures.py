"""Figures about the same quantity and period from different outlets: one figure, with disagreements."""
from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import replace

from sitrep.records import Disagreement, Document, Figure

from .copies import copy_groups
from .rules import day_range, places_agree


def _published(f: Figure) -> str | None:
    return max((m.published for m in f.mentions if m.published), default=None)


MIN_PERIOD_OVERLAP = 0.5   # share of the two periods' union that both cover


def _same_period(a: Figure, b: Figure) -> bool:
    """Both periods unknown, or both known, starting in the same month and mostly the same days: a
    count for two weeks of December is not the count "since December" (a sub-period, not a rival)."""
    if a.period is None or b.period is None:
        return a.period is None and b.period is None
    ra, rb = day_range(a.period), day_range(b.period)
    if ra is None or rb is None or a.period.start[:7] != b.period.start[:7]:
        return False
    inter = min(ra[1], rb[1]) - max(ra[0], rb[0]) + 1
    union = max(ra[1], rb[1]) - min(ra[0], rb[0]) + 1
    return inter > 0 and inter / union >= MIN_PERIOD_OVERLAP


def compare_figures(figures: list[Figure], documents: list[Document], km: float = 25.0) -> list[Figure]:
    """Merge figures with the same ``what``, period and place reported by different sources.

    Two figures of one source (one document or its copies) are never merged: a report that gives two
    numbers for one quantity is giving two quantities. The merged figure keeps every mention and takes the
    latest report's value; where values differ, ``disagreements`` lists each value with outlet and date.
    """
    groups = copy_groups(documents)
    docs_of = lambda f: {groups.get(m.doc, m.doc) for m in f.mentions}   # noqa: E731
    buckets: dict[str, list[Figure]] = defaultdict(list)
    for f in sorted(figures, key=lambda f: (_published(f) or "", f.id)):
        buckets[f.what].append(f)
    out: list[Figure] = []
    for what, items in buckets.items():
        clusters: list[list[Figure]] = []
        for f in items:
            for c in clusters:
                if (all(_same_period(f, g) and places_agree(f.location, g.location, km) for g in c)
                        and not docs_of(f) & set().union(*(docs_of(g) for g in c))):
                    c.append(f)
                    break
            else:
                clusters.append([f])
        out.extend(_merge(c) for c in clusters)
    return sorted(out, key=lambda f: (f.what, f.period.start if f.period else "", f.id))


def _merge(c: list[Figure]) -> Figure:
    if len(c) == 1:
        return c[0]
    ordered = sorted(c, key=lambda f: (_published(f) is None, _published(f) or "", f.id))
    latest = max(c, key=lambda f: (_published(f) or "", f.value))
    mentions = [m for f in ordered for m in f.mentions]
    disagreements = []
    if len({(f.min, f.max) for f in c}) > 1:
        values = []
        for f in ordered:
            m = f.mentions[0] if f.mentions else None
            values.append({"value": f.value, "min": f.min, "max": f.max, "qualifier": f.qualifier,
                           "doc": m.doc if m else None, "outlet": m.outlet if m else None,
                           "published": m.published if m else None})
        disagreements.append(Disagreement(field="value", values=values))
    ident = "F" + hashlib.sha1("|".join(sorted(f.id for f in c)).encode()).hexdigest()[:16]
    return replace(latest, id=ident, mentions=mentions, disagreements=disagreements)

"""Cross-document event coreference: one incident per real happening, with the reports' disagreements.

``fuse`` clusters event mentions (see ``cluster.py`` for the rules) and turns each cluster into an
``Incident``: its type, date, place, actors and counts, every report's sentence, the number of independent
outlets, and the fields on which the reports differ. ``compare_figures`` does the same for figures.
"""
from __future__ import annotations

import hashlib
from collections import Counter

from sitrep.config import Config
from sitrep.records import Count, DateInterval, Document, EventMention, Incident, Mention

from sitrep.extract.counts import derive_counts

from .cluster import cluster_mentions
from .copies import copy_groups
from .within import group_report, linked_arrests, representative
from .disagree import incident_disagreements
from .figures import compare_figures
from .rules import load_rules, place_key

__all__ = ["fuse", "compare_figures", "copy_groups"]

_DATE_PRECISION = ["day", "week", "month", "season", "quarter", "year", "decade"]
_BASIS = ["explicit", "relative", "publication"]


def fuse(mentions: list[EventMention], documents: list[Document], config: Config | None = None) -> list[Incident]:
    """Merge event mentions from all documents into incidents (ordered by date, then id): first the
    mentions of each report into report events (``within.py``), then report events across reports."""
    config = config or Config()
    rules = load_rules()
    docs = {d.id: d for d in documents}
    by_doc: dict[str, list[EventMention]] = {}
    for m in mentions:
        by_doc.setdefault(m.doc, []).append(_with_doc_meta(m, docs.get(m.doc)))
    groups = copy_groups(documents)
    reps: list[EventMention] = []
    members_of: dict[str, list[EventMention]] = {}
    for doc_id in sorted(by_doc):
        report = group_report(by_doc[doc_id], rules, _title_end(docs.get(doc_id)))
        for g, rep in zip(report, linked_arrests([representative(g, rules) for g in report])):
            reps.append(rep)
            members_of[rep.id] = g.members
    incidents = [_incident(cluster, members_of, groups, rules)
                 for cluster in cluster_mentions(reps, rules, config.fusion_km)]
    incidents.sort(key=lambda i: (i.date.start if i.date else "9999", i.id))
    return incidents


def _title_end(doc: Document | None) -> int:
    """Where the headline ends when the text starts with it (the readers put the title first)."""
    if doc is None or not doc.title:
        return 0
    at = doc.text.find(doc.title.strip())
    return at + len(doc.title.strip()) if 0 <= at < 5 else 0


def _with_doc_meta(m: EventMention, doc: Document | None) -> EventMention:
    """Fill outlet and publication date from the document when the extractor left them empty."""
    if doc is None or (m.outlet and m.published):
        return m
    from dataclasses import replace
    return replace(m, outlet=m.outlet or doc.outlet, published=m.published or doc.published.date)


def _independent(reps: list[EventMention], groups: dict[str, str]) -> list[EventMention]:
    """One report event per independent source (copies and one outlet's reports count once): the earliest."""
    seen: set[str] = set()
    out = []
    for r in sorted(reps, key=lambda m: (m.published or "9999", m.doc, m.start, m.id)):
        key = groups.get(r.doc, r.doc)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def _incident(reps: list[EventMention], members_of: dict[str, list[EventMention]], groups: dict[str, str],
              rules) -> Incident:
    reps = sorted(reps, key=lambda m: (m.published or "9999", m.doc, m.start, m.id))
    members = sorted((m for r in reps for m in members_of.get(r.id, [r])),
                     key=lambda m: (m.published or "9999", m.doc, m.start, m.id))
    ident = hashlib.sha1("|".join(sorted(m.id for m in members)).encode()).hexdigest()[:16]
    types = Counter(r.type for r in reps)
    type_ = max(types, key=lambda t: (types[t], -[r.type for r in reps].index(t)))
    modes = Counter(r.mode for r in reps if r.mode and r.type == type_)
    mode = max(modes, key=lambda x: (modes[x], x)) if modes else None
    return Incident(
        id="E" + ident,
        type=type_,
        mode=mode,
        status=_status(reps, rules),
        date=_date(reps),
        location=_place(reps, rules),
        actors=_actors(reps),
        counts=_counts(reps, groups),
        mentions=[Mention(doc=m.doc, start=m.start, end=m.end, sentence=m.sentence, outlet=m.outlet,
                          published=m.published, status=m.status) for m in members],
        sources=len({groups.get(r.doc, r.doc) for r in reps}),
        disagreements=incident_disagreements(_independent(reps, groups)),
    )


def _status(members: list[EventMention], rules) -> str:
    """Reported when any report says it happened (a summit planned on Monday and reported held on Friday is
    reported; a later "long-planned" does not undo it); otherwise the latest report's status."""
    if any(m.status == "reported" for m in members):
        return "reported"
    top = max(members, key=lambda m: (m.published or "", -rules.status_priority.get(m.status, 99)))
    if top.published is None:       # no dates to order by: the firmest status wins
        top = min(members, key=lambda m: rules.status_priority.get(m.status, 99))
    return top.status


def _date(members: list[EventMention]) -> DateInterval | None:
    """The interval every report agrees on (their intersection), with the finest precision among them."""
    dated = [m.date for m in members if m.date is not None]
    if not dated:
        return None
    # reports dated only by their publication (the week up to it) say least; the earliest says most
    told = [d for d in dated if d.basis != "publication"]
    dated = told or [min(dated, key=lambda d: (d.end, d.start))]
    start = max(d.start for d in dated)
    end = min(d.end or d.start for d in dated)
    if start > end:                 # undated joins cannot produce this, but a bad interval might
        start, end = min(d.start for d in dated), max(d.end or d.start for d in dated)
    finest = min(dated, key=lambda d: (_rank(_DATE_PRECISION, d.precision), _rank(_BASIS, d.basis)))
    return DateInterval(start=start, end=end, precision=finest.precision, basis=finest.basis)


def _rank(order: list[str], x: str | None) -> int:
    return order.index(x) if x in order else len(order)


def _place(members: list[EventMention], rules):
    places = [m.location for m in members if m.location is not None]
    if not places:
        return None
    keys = Counter(place_key(p) for p in places)
    return min(places, key=lambda p: (rules.place_rank.get(p.precision, 99), -keys[place_key(p)],
                                      p.lat is None))


def _actors(members: list[EventMention]):
    seen, out = set(), []
    for m in members:
        for a in m.actors:
            key = (a.actor_id or (a.name or "").casefold() or a.text.casefold(), a.role)
            if key not in seen:
                seen.add(key)
                out.append(a)
    return out


def report_counts(members: list[EventMention]) -> dict[str, Count]:
    """What one report says of one happening: per kind the largest count among its sentences (the lead's
    total, not a later sentence about one victim), shot turned into injured (``derive_counts``)."""
    raw: dict[str, Count] = {}
    for m in members:
        if m.status != "reported":
            continue          # "planned to kill hundreds" counts nobody
        for kind, c in m.counts.items():
            if kind not in raw or c.value > raw[kind].value:
                raw[kind] = c
    return derive_counts(raw)


def _counts(members: list[EventMention], groups: dict[str, str]) -> dict[str, Count]:
    """Per kind: ``min``/``max`` over the independent reports, ``value`` from one report, never fields of
    different reports combined. A toll that rises over time takes the latest report's value; reports of the
    same day that conflict give the lowest (the conservative figure, as ACLED and UCDP code); ``basis`` says
    which rule chose it."""
    by_report: dict[str, list[EventMention]] = {}
    for m in members:
        by_report.setdefault(groups.get(m.doc, m.doc), []).append(m)
    reports = []
    for key in sorted(by_report):
        ms = by_report[key]
        reports.append((max((m.published or "") for m in ms), key, report_counts(ms)))
    out: dict[str, Count] = {}
    for kind in sorted({k for _, _, c in reports for k in c}):
        given = [(pub, key, c[kind]) for pub, key, c in reports if kind in c]
        if len(given) == 1:
            out[kind] = given[0][2]
            continue
        latest = max(pub for pub, _, _ in given)
        last_day = [c for pub, _, c in given if pub == latest]
        chosen = min(last_day, key=lambda c: (c.value, c.max))
        dated = len({pub for pub, _, _ in given}) > 1
        basis = ("latest report" if len(last_day) == 1 else f"lowest of {len(last_day)} latest reports") \
            if dated else f"lowest of {len(last_day)} reports"
        out[kind] = Count(value=chosen.value, min=min(c.min for _, _, c in given),
                          max=max(c.max for _, _, c in given), qualifier=chosen.qualifier, basis=basis)
    return out

"""The fields on which the reports of one incident differ, each value with its outlet and date."""
from __future__ import annotations

from sitrep.records import Disagreement, EventMention


def latest_first(members: list[EventMention]) -> list[EventMention]:
    return sorted(members, key=lambda m: (m.published or "", m.doc, m.start), reverse=True)


def _in_date_order(members: list[EventMention]) -> list[EventMention]:
    """Oldest report first, undated reports last: a rising toll reads as a sequence."""
    return sorted(members, key=lambda m: (m.published is None, m.published or "", m.doc, m.start))


def _entry(value, m: EventMention) -> dict:
    return {"value": value, "doc": m.doc, "outlet": m.outlet, "published": m.published}


LABELS = {"date": "date", "location": "place", "actors.source": "perpetrator", "actors.target": "target",
          "status": "status"}


def label_of(field: str) -> str:
    """The field as people say it: counts.killed -> killed, actors.source -> perpetrator."""
    return LABELS.get(field) or field.removeprefix("counts.")


def _field(name: str, members: list[EventMention], value_of) -> Disagreement | None:
    """A disagreement when at least two reports give a value and the values differ."""
    rows = [(value_of(m), m) for m in _in_date_order(members)]
    rows = [(v, m) for v, m in rows if v not in (None, "", [], ())]
    keys = {repr(v) for v, _ in rows}
    if len(keys) < 2:
        return None
    return Disagreement(field=name, values=[_entry(v, m) for v, m in rows], label=label_of(name))


def _date_value(m: EventMention):
    if m.date is None:
        return None
    return m.date.start if m.date.start == m.date.end else f"{m.date.start}/{m.date.end}"


def _place_value(m: EventMention):
    return m.location.name if m.location is not None else None


def _actors_value(role: str):
    def get(m: EventMention):
        names = sorted({a.name or a.text for a in m.actors if a.role == role and (a.name or a.text)})
        return names or None
    return get


def _count_value(kind: str):
    def get(m: EventMention):
        c = m.counts.get(kind)
        return None if c is None else c.value
    return get


def _date_conflicts(members: list[EventMention]) -> bool:
    """Dates differ only when one report's interval is not inside another's ("February" vs "27 February" agree)."""
    ivs = [(m.date.start, m.date.end) for m in members if m.date is not None]
    for a in ivs:
        for b in ivs:
            inside = b[0] <= a[0] and a[1] <= b[1]
            if not inside and not (a[0] <= b[0] and b[1] <= a[1]):
                return True
    return False


def _place_conflicts(members: list[EventMention]) -> bool:
    from .rules import contains, place_key
    places = [m.location for m in members if m.location is not None]
    for a in places:
        for b in places:
            if place_key(a) != place_key(b) and not (contains(a, b) or contains(b, a)):
                return True
    return False


def incident_disagreements(members: list[EventMention]) -> list[Disagreement]:
    """Counts, date, place, perpetrator/target and status, in that order, where the reports differ.

    A vaguer report that contains a precise one ("February" and "27 February", "Idlib province" and a town
    in it) is not a disagreement; a different day within the overlap, a different town or count is.
    """
    out: list[Disagreement] = []
    for kind in sorted({k for m in members for k in m.counts}):
        d = _field(f"counts.{kind}", members, _count_value(kind))
        if d:
            out.append(d)
    if _date_conflicts(members):
        d = _field("date", members, _date_value)
        if d:
            out.append(d)
    if _place_conflicts(members):
        d = _field("location", members, _place_value)
        if d:
            out.append(d)
    for role in ("source", "target"):
        d = _field(f"actors.{role}", members, _actors_value(role))
        if d:
            out.append(d)
    statuses = {m.status for m in members}
    if "denied" in statuses and len(statuses) > 1:
        d = _field("status", members, lambda m: m.status)
        if d:
            out.append(d)
    return out

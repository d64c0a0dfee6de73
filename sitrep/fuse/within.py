"""Within one report first: the lead and a later paragraph restating the same happening are one event.

A news report tells its main happening several times (headline, lead, details, quotes) and mentions other
happenings around it (an earlier attack, the arrest that followed). Before any cross-report step, the
mentions of one document are grouped into *report events*, one per happening the report tells:

- mentions of one type join when nothing tells them apart: dates that overlap (a mention dated only by the
  publication is undated here), places that agree, participants that do not conflict; statements, requests
  and meetings (types that are not retold physical happenings) join only with a shared participant;
- an undated mention joins the report's first event of its type (the lead's), else the nearest earlier one
  it agrees with: "the shooting" three paragraphs down is the one of the lead;
- each report event has one date (the most precise its mentions give), one place (the most precise), the
  report's counts (``report_counts``), all participants; and counts the report links to it: people arrested
  or charged in a report about one attack are that attack's arrests (``linked_arrests``).

The cross-report step (``cluster.py``) then clusters report events, never single sentences.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from sitrep.records import Count, DateInterval, EventMention

from sitrep.kb.gazetteer import haversine_km

from .rules import FusionRules, contains, day_range, participants_conflict, ranges_overlap, share_actor

DATE_PRECISION = ["day", "week", "month", "season", "quarter", "year", "decade"]


@dataclass
class ReportEvent:
    """One happening as one report tells it: its mentions, in text order."""
    members: list[EventMention] = field(default_factory=list)

    @property
    def lead(self) -> EventMention:
        return self.members[0]


def _own_date(m: EventMention) -> tuple[int, int] | None:
    """A mention's interval when the text gave it (not only the publication date)."""
    if m.date is None or m.date.basis == "publication":
        return None
    return day_range(m.date)


REPORT_WINDOW_DAYS = 7


def _report_window(m: EventMention) -> tuple[int, int] | None:
    """The days a report's undated "now" covers: the week up to its publication."""
    pub = day_range(DateInterval(m.published, m.published)) if m.published else None
    return (pub[0] - REPORT_WINDOW_DAYS, pub[1]) if pub else None


POINT_KM = 10.0     # an address or venue inside its town


def same_place(a, b) -> bool:
    """Within one report two places are one only when they are the same place or one holds the other:
    two different towns a few kilometres apart are two strikes ("Ariha" and "Sarja"), though across
    reports a place may be spelled or resolved differently (``places_agree``)."""
    if a is None or b is None or a is b:
        return True
    if a.gazetteer_id and a.gazetteer_id == b.gazetteer_id:
        return True
    if a.name and b.name and a.name.casefold() == b.name.casefold():
        return True
    if contains(a, b) or contains(b, a):
        return True
    if "point" in (a.precision, b.precision) and None not in (a.lat, a.lon, b.lat, b.lon):
        return haversine_km(a.lat, a.lon, b.lat, b.lon) <= POINT_KM
    return False


def _within(span: tuple[int, int], window: tuple[int, int] | None) -> bool:
    return window is None or (window[0] <= span[0] and span[1] <= window[1])


def _agrees(group: ReportEvent, m: EventMention, rules: FusionRules) -> bool:
    """Whether ``m`` tells the same happening as the group. Dates must overlap where both are given; an
    undated happening is the report's current one, so a dated mention joins it only with a recent date
    ("in 2010, nine people were shot" is not the headline's shooting). Physical happenings are retold
    without dates ("the shooting"); other acts (statements, requests, meetings) are each their own unless
    they share a participant and both are undated or both dated alike."""
    if m.status not in rules.mergeable_status or group.lead.status not in rules.mergeable_status:
        return False
    span = _own_date(m)
    undated_group = all(_own_date(x) is None for x in group.members)
    physical = m.type in rules.retold_types
    if not physical:
        if (span is None) != undated_group or not any(share_actor(x.actors, m.actors) for x in group.members):
            return False
    elif span is not None and undated_group and not _within(span, _report_window(m)):
        return False
    for x in group.members:
        other = _own_date(x)
        if span is not None and other is not None and not ranges_overlap(span, other):
            return False
        if not same_place(x.location, m.location):
            return False
        if x.mode != m.mode and {x.mode, m.mode} <= rules.distinct_modes:
            return False      # an air strike and a shelling told apart in one report are two attacks
        if participants_conflict(x, m, rules):
            return False      # different victims named sentence by sentence are one shooting's
    return True


def group_report(mentions: list[EventMention], rules: FusionRules, title_end: int = 0) -> list[ReportEvent]:
    """The report events of one document's mentions (all of one document), in text order. Mentions in the
    headline (text before ``title_end``) come last: a headline sums up the lead, so it joins the lead's event."""
    groups: list[ReportEvent] = []
    first_of_type: dict[str, ReportEvent] = {}
    ordered = sorted(mentions, key=lambda x: (x.start < title_end, x.start, x.id))
    for m in ordered:
        same_type = [g for g in groups if g.lead.type == m.type]
        into = None
        if _own_date(m) is None and m.type in first_of_type and _agrees(first_of_type[m.type], m, rules):
            into = first_of_type[m.type]
        if into is None:
            into = next((g for g in reversed(same_type) if _agrees(g, m, rules)), None)
        if into is None:
            into = ReportEvent()
            groups.append(into)
            first_of_type.setdefault(m.type, into)
        into.members.append(m)
    for g in groups:
        g.members.sort(key=lambda x: (x.start, x.id))
    return groups


# --------------------------------------------------------------------------- the report event's fields
def _rank(order: list[str], x: str | None) -> int:
    return order.index(x) if x in order else len(order)


def report_date(members: list[EventMention]) -> DateInterval | None:
    """The most precise interval the text gives (explicit before relative); the publication date only when
    nothing else dates it."""
    dated = [m.date for m in members if m.date is not None]
    own = [d for d in dated if d.basis != "publication"] or dated
    if not own:
        return None
    return min(own, key=lambda d: (_rank(DATE_PRECISION, d.precision), (day_range(d) or (0, 0))[1] -
                                   (day_range(d) or (0, 0))[0], d.basis != "explicit", d.start))


def report_place(members: list[EventMention], rules: FusionRules):
    places = [m.location for m in members if m.location is not None]
    if not places:
        return None
    return min(places, key=lambda p: rules.place_rank.get(p.precision, 99))   # first of the finest


def representative(group: ReportEvent, rules: FusionRules) -> EventMention:
    """One mention standing for the report event in the cross-report step: the lead's trigger and sentence,
    the group's date, place, counts, participants and firmest status."""
    from . import report_counts

    ms = group.members
    actors, seen = [], set()
    for m in ms:
        for a in m.actors:
            key = (a.actor_id or (a.name or "").casefold() or a.text.casefold(), a.role)
            if key not in seen:
                seen.add(key)
                actors.append(a)
    modes = [m.mode for m in ms if m.mode]
    status = "reported" if any(m.status == "reported" for m in ms) else group.lead.status
    return replace(group.lead, mode=modes[0] if modes else None, status=status, date=report_date(ms),
                   location=report_place(ms, rules), actors=actors, counts=report_counts(ms))


def _harm(r: EventMention) -> int:
    return sum(r.counts[k].value for k in ("killed", "injured") if k in r.counts)


def linked_arrests(reps: list[EventMention]) -> list[EventMention]:
    """People arrested or charged in a report of one attack are that attack's arrests: the report's main
    attack (most killed and injured; the first on a tie, so a headline restating it or a background
    shooting does not take them) takes the largest arrest count of the report's other events (dated on
    or after it) when it states none of its own (Gun Violence Archive and ACLED-style records count
    arrests with the incident)."""
    attacks = [r for r in reps if r.type == "ASSAULT"]
    if not attacks:
        return reps
    main = max(attacks, key=_harm)           # the report's attack with the most victims (first on a tie)
    if "arrested" in main.counts:
        return reps
    start = (day_range(main.date) or (0, 0))[0]
    found: list[Count] = [r.counts["arrested"] for r in reps if r is not main and "arrested" in r.counts
                          and r.type != "ASSAULT" and (day_range(r.date) or (start, start))[1] >= start]
    if not found:
        return reps
    best = max(found, key=lambda c: c.value)
    return [replace(r, counts={**r.counts, "arrested": best}) if r is main else r for r in reps]


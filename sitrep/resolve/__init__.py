"""Resolve: turn the spans that extraction picked into canonical actors, places and dates, using what
the whole document says (its country and province, names introduced earlier, its publication date)."""
from __future__ import annotations

import logging
from dataclasses import replace

from sitrep.records import Actor, Annotation, Extraction

log = logging.getLogger(__name__)


def _resolve_actor(actor: Actor, ann: Annotation, kb, by_span: dict) -> Actor:
    """Fill canonical name, country and sector; keep the text and role as extracted."""
    if actor.name is not None and actor.country is not None:
        return actor
    found = by_span.get((actor.start, actor.end)) if actor.start is not None else None
    if found is None:
        from sitrep.resolve.actors import resolve_actor
        found = resolve_actor(actor.text, ann, kb)
    if found is None:
        return actor
    return replace(actor, name=found.name, country=found.country, sector=found.sector,
                   actor_id=found.actor_id)


def resolve_document(ann: Annotation, extraction: Extraction, kb) -> Extraction:
    """Resolve every event, quote and figure of one document (pure: returns a new Extraction)."""
    from sitrep.resolve.actors import resolve_actor_mentions
    from sitrep.resolve.dates import event_date
    from sitrep.resolve.places import resolve_place, resolve_place_mentions

    actor_mentions = resolve_actor_mentions(ann, kb)
    place_mentions = resolve_place_mentions(ann, kb)
    actors_by_span = {(m.start, m.end): m.actor for m in actor_mentions if m.actor is not None}
    places_by_span = {(m.start, m.end): m.place for m in place_mentions if m.place is not None}

    events = []
    for ev in extraction.events:
        location = ev.location
        if location is None and ev.location_span is not None:
            location = places_by_span.get(tuple(ev.location_span))
            if location is None and ev.location_text:
                location = resolve_place(ev.location_text, ann, kb)
        ev = replace(ev,
                     actors=[_resolve_actor(a, ann, kb, actors_by_span) for a in ev.actors],
                     location=location,
                     outlet=ann.doc.outlet,
                     published=ann.doc.published.date)
        if ev.date is None:
            ev = replace(ev, date=event_date(ev, ann))
        events.append(ev)

    quotes = [replace(q, speaker=_resolve_actor(q.speaker, ann, kb, actors_by_span))
              for q in extraction.quotes]
    figures = [replace(f, attributed_to=_resolve_actor(f.attributed_to, ann, kb, actors_by_span))
               if f.attributed_to is not None else f for f in extraction.figures]
    return replace(extraction, events=events, quotes=quotes, figures=figures,
                   actors=actor_mentions, places=place_mentions, timexes=ann.timexes)

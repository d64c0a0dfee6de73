"""Resolve: turn the spans that extraction picked into canonical actors, places and dates, using what
the whole document says (its country and province, names introduced earlier, its publication date)."""
from __future__ import annotations

import logging
from dataclasses import replace
from functools import lru_cache

import yaml

from sitrep.records import Actor, Annotation, EventMention, Extraction

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


_WEEKDAYS_MONTHS = frozenset("""monday tuesday wednesday thursday friday saturday sunday january february march
april may june july august september october november december today yesterday""".split())


def _word(w: str) -> str:
    return w.lower().strip("’'\".,;:“”()").removesuffix("’s").removesuffix("'s")


def plausible_actor(actor: Actor, trig, sectors: dict | None = None) -> bool:
    """An actor is someone who can act: a resolved name or country, a named person or group, or a people
    noun ("gunmen", "Turkish soldiers") - never an abstract noun or an event ("the political process",
    "Russia's air raids", "Thursday's"), which the parse can put in a subject or object slot. A weapon that
    acts stands for the force using it ("government artillery shelled the town")."""
    words = [w for w in (actor.text or "").split() if _word(w)]
    if not words:
        return False
    head = _word(words[-1])
    # "government artillery shelled": a weapon noun that names a force (not "shells", a munition)
    force = (sectors or {}).get(head) == "MIL"
    if (head in trig.nouns or head.rstrip("s") in trig.nouns) and not (force and actor.role == "source") \
            or head in _WEEKDAYS_MONTHS:
        return False
    people = head in trig.count_nouns or head.rstrip("s") in trig.count_nouns
    if not (force or people) and any(head in words for cues in trig.mode_cues.values() for _, words in cues):
        return False          # a munition ("artillery shells", "rockets") is what was used, not who
    if actor.name or actor.country or actor.actor_id or actor.sector:
        return True
    if head in trig.count_nouns or head.rstrip("s") in trig.count_nouns:
        return True
    names = [w for w in words if w[:1].isupper() and _word(w) not in _WEEKDAYS_MONTHS]
    return len(names) == len(words) and len(words) <= 5        # a proper name ("Mecit Demir")


@lru_cache(maxsize=1)
def undated_types() -> frozenset[str]:
    """Physical event types: incidents even when only the publication date dates them."""
    return _undated_types()


@lru_cache(maxsize=1)
def _undated_types() -> frozenset[str]:
    from sitrep.config import DATA_DIR
    raw = yaml.safe_load((DATA_DIR / "events" / "triggers.yaml").read_text(encoding="utf-8")) or {}
    return frozenset(raw.get("reportable_undated_types") or ())


def reportable(ev: EventMention) -> bool:
    """Whether a mention belongs in the incident record an analyst reads (extraction keeps them all).

    It must have happened or be scheduled (not "could", not "did not"); it must have a known participant
    or casualty count (or, for a physical happening, a known place) to anchor it; and a stance-like type (support, requests, rejections, aid...)
    with no time expression in its sentence or paragraph - dated only by the publication date - and not
    told in the past tense is a standing position or background ("Moscow backs X"), not a happening."""
    if ev.status not in ("reported", "planned"):
        return False
    from sitrep.extract.modality import sense_rules
    if ev.type in sense_rules().stance_types and ev.tense == "present":
        return False          # "X supports Y": a standing position, not an act on a day
    physical = ev.type in _undated_types()
    known_party = any(a.name or a.country or a.actor_id for a in ev.actors)
    if not (known_party or ev.counts or (physical and ev.location is not None)):
        return False          # a request or a deal with nobody known behind it is no record
    undated = ev.date is None or ev.date.basis == "publication"
    # a past act reported without a date ("X said he would ask Y to ...") is dated by the report itself
    return not undated or physical or ev.tense == "past"


_LOCAL_PRECISIONS = frozenset({"point", "town", "district"})


def _is_place_span(actor: Actor, place_mentions) -> bool:
    """"shelled the town of Kafr Nabl": a town, village or district named in an actor slot is where the
    event happened, not a participant (a country or capital stays: "Turkey retaliated")."""
    if actor.actor_id is not None or actor.start is None:
        return False
    return any(p.start <= actor.start and actor.end <= p.end and p.place is not None
               and p.place.precision in _LOCAL_PRECISIONS for p in place_mentions)


def _with_place_country(actor: Actor, place) -> Actor:
    """An actor known only by its kind ("gunmen", "police", "government artillery", "civilians") acts where
    the event happened: it takes the country of the event's place, marked as inferred, so that a ceasefire's
    clauses can bind it. Named people and organisations keep what the registry says."""
    if actor.country is not None or actor.sector is None or actor.actor_id is not None or place is None \
            or not place.country:
        return actor
    return replace(actor, country=place.country, country_basis="place")


def _linked_attributions(events: list[EventMention]) -> list[EventMention]:
    """"Witnesses blamed government forces for the attack": whom a report's accusation names is a
    perpetrator of the report's first event of that type, attributed to the accuser (the accusation stays
    an event of its own); an actor known by kind takes that event's country."""
    out = list(events)
    for acc in events:
        if acc.type != "ACCUSE" or not acc.about or acc.status != "reported":
            continue
        at = next((i for i, e in enumerate(out) if e.type == acc.about and e.status == "reported"), None)
        if at is None:
            continue
        target = out[at]
        accuser = next((a.name or a.text for a in acc.actors if a.role == "source"), None)
        have = {(a.actor_id or a.name or a.text).casefold() for a in target.actors if a.role == "source"}
        named = [_with_place_country(replace(a, role="source", attributed_by=accuser), target.location)
                 for a in acc.actors if a.role == "target" and (a.actor_id or a.name or a.text).casefold() not in have]
        if named:
            out[at] = replace(target, actors=target.actors + named)
    return out


_ANAPHORIC_DETS = frozenset({"the", "this", "that", "these", "those"})


def _definite_noun(ev: EventMention, ann: Annotation) -> bool:
    """Whether the trigger is a noun introduced as known ("the meeting", "the officers' meeting")."""
    doc = ann.nlp_doc
    try:
        at = int(ev.id.rsplit(":", 1)[1])
    except (ValueError, IndexError):
        return False
    span = doc.char_span(at, at + len(ev.trigger), alignment_mode="expand") if doc is not None else None
    if span is None or len(span) == 0 or span.root.pos_ != "NOUN":
        return False
    return any((c.dep_ == "det" and c.lower_ in _ANAPHORIC_DETS) or c.dep_ == "poss"
               for c in span.root.children)


def _date_anaphora(events: list[EventMention], ann: Annotation) -> list[EventMention]:
    """"The meeting" with no date of its own is the meeting the report already told of: it takes the date
    of the nearest earlier mention of the same type that has one (a text-given date beats the
    publication fallback)."""
    out = []
    for i, ev in enumerate(events):
        if ev.date is not None and ev.date.basis == "publication" and _definite_noun(ev, ann):
            earlier = [e for e in out[:i] if e.type == ev.type and e.date is not None
                       and e.date.basis != "publication" and e.start < ev.start]
            if earlier:
                ev = replace(ev, date=replace(earlier[-1].date, basis="relative"))
        out.append(ev)
    return out


def resolve_document(ann: Annotation, extraction: Extraction, kb) -> Extraction:
    """Resolve every event, quote and figure of one document (pure: returns a new Extraction)."""
    from sitrep.resolve.actors import resolve_actor_mentions
    from sitrep.resolve.dates import event_date
    from sitrep.resolve.event_place import PlaceQuery, event_place
    from sitrep.resolve.places import document_places

    actor_mentions = resolve_actor_mentions(ann, kb)
    doc_places = document_places(ann, kb)
    place_mentions = doc_places.mentions
    actors_by_span = {(m.start, m.end): m.actor for m in actor_mentions if m.actor is not None}

    trig = kb.ontology.triggers()
    events = []
    for ev in extraction.events:
        location = ev.location or event_place(PlaceQuery(
            tuple(ev.location_span) if ev.location_span else None, ev.type in undated_types(), doc_places, ann, kb))
        ev = replace(ev,
                     actors=[_resolve_actor(a, ann, kb, actors_by_span) for a in ev.actors],
                     location=location,
                     outlet=ann.doc.outlet,
                     published=ann.doc.published.date)
        ev = replace(ev, actors=[_with_place_country(a, ev.location) for a in ev.actors
                                 if plausible_actor(a, trig, kb.actors.descriptions.sectors)
                                 and not _is_place_span(a, place_mentions)])
        if ev.date is None:
            ev = replace(ev, date=event_date(ev, ann, extraction.events))
        events.append(ev)

    events = _date_anaphora(_linked_attributions(events), ann)
    quotes = [replace(q, speaker=_resolve_actor(q.speaker, ann, kb, actors_by_span))
              for q in extraction.quotes]
    figures = [replace(f, attributed_to=_resolve_actor(f.attributed_to, ann, kb, actors_by_span))
               if f.attributed_to is not None else f for f in extraction.figures]
    return replace(extraction, events=events, quotes=quotes, figures=figures,
                   actors=actor_mentions, places=place_mentions, timexes=ann.timexes)

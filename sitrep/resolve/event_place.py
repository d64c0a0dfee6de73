"""An event's place, from the span extraction linked to it and the document's resolved places.

An ordered table of small named rules (as ``sitrep.fuse.rules``); the first that gives a place wins, then
a physical happening named only by its state or country is put in the document's main place when that
place lies inside it. Extraction picks the span; this module decides what place the span means:

- owned_place: a country's possessive owns the place named right after it ("in Syria's central Hama city");
- own_mention: the span is a place mention of the document ("shelled Saraqeb");
- mention_inside: the span holds place mentions ("a party at a lodge in Madisonville");
- address_in_town: a street address, block, venue or neighbourhood is in the document's town, never at a
  far namesake ("the 100 block of West Elm Street", "the Oakdale neighborhood", "a County Market grocery");
- name_alone: a span that can be a place name, resolved with the document's context; a person's name,
  a name inside an organisation's, a month or a common word is no place;
- main_place: a physical happening (attack, protest, deployment...) with no place of its own happened
  where the report is: the dateline's or lead's town, marked ``basis: document``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable

from sitrep.records import Annotation, Place
from sitrep.resolve.places import DocumentPlaces, common_words, person_tokens, resolve_in_context

_FINE = {"point": 0, "town": 1, "area": 2, "route": 2, "district": 3, "province": 4, "country": 5}


@dataclass(frozen=True)
class PlaceQuery:
    """What the rules see: the linked span (may be None), whether the event is physical, the document."""
    span: tuple[int, int] | None
    physical: bool
    doc: DocumentPlaces
    ann: Annotation
    kb: object

    @property
    def text(self) -> str:
        return self.ann.doc.text[self.span[0]:self.span[1]] if self.span else ""


_POSSESSIVE_END = re.compile(r"(?:['’]s|s['’]?)$")
# what may stand between a country's possessive and the place it owns: "Syria's central Hama city",
# "Syria's largest city of Aleppo", "Syrias northern province of Idlib"
_OWNED_GAP = re.compile(r"^[\s,]*(?:(?:the|a|an|its|of|[a-z][\w-]*)\s+){0,4}$")


def _country_possessive(text: str, gaz) -> str | None:
    """The country a possessive names ("Syria's", or "Syrias" where the apostrophe was lost in copying),
    when the word itself is no place name ("Wales", "Honduras" stay)."""
    t = text.strip()
    m = _POSSESSIVE_END.search(t)
    if m is None or any(c.entry.kind == "country" for c in gaz.candidate_entries(t, False)):
        return None
    stem = t[:m.start()]
    return next((c.entry.country for c in gaz.candidate_entries(stem, False)
                 if c.entry.kind == "country" and c.match in ("name", "alias")), None)


def owned_place(q: PlaceQuery) -> Place | None:
    """"a blast in Syria's central Hama city": a country's possessive the linker took for the place owns
    the place named right after it, which is where the event was (the country alone says less)."""
    if q.span is None:
        return None
    country = _country_possessive(q.text, q.kb.places)
    if country is None:
        return None
    end = q.span[1]
    for m in q.doc.mentions:
        if m.start < end or m.place is None:
            continue
        if m.place.country == country and m.place.precision != "country" \
                and _OWNED_GAP.match(q.ann.doc.text[end:m.start]):
            return m.place
        break
    return None


def own_mention(q: PlaceQuery) -> Place | None:
    """"Rockets hit Saraqeb": the span is a resolved place mention."""
    if q.span is None:
        return None
    for m in q.doc.mentions:
        if (m.start, m.end) == tuple(q.span):
            return m.place
    return None


def mention_inside(q: PlaceQuery) -> Place | None:
    """"a shooting at the Elks Lodge in Madisonville": the finest place mentioned inside the span."""
    if q.span is None:
        return None
    inside = q.doc.inside(*q.span)
    if not inside:
        return None
    return min(inside, key=lambda m: (_FINE.get(m.place.precision, 9), -m.start)).place


def address_in_town(q: PlaceQuery) -> Place | None:
    """"the 6100 block of South Elm Avenue", "the Fernwood neighborhood", "a County Market grocery": a
    place inside the document's town, which stands for it (``basis: context``)."""
    if q.span is None or q.doc.main is None:
        return None
    p = q.kb.places.cues.patterns
    t = q.text.strip().rstrip(".,;")
    if p["address"].search(t) or p["street_end"].search(t) or p["neighbourhood_end"].search(t) \
            or p["venue_end"].search(t):
        return replace(q.doc.main, basis="context")
    return None


_ACRONYM = re.compile(r"^[A-Z]{1,3}$")


def can_be_place_name(q: PlaceQuery) -> bool:
    """Whether a span can be read as a place name at all: not a person's name or a word of one, not part
    of an organisation's name ("Hayyat" of "Hayyat Tahrir al-Sham", "Washington" of "Washington Post"), not a
    month, weekday or common word, not a bare acronym ("IS"), and capitalised."""
    t = q.text.strip()
    if not t or not t[:1].isupper() or t.lower() in common_words():
        return False
    a, b = q.span
    gaz = q.kb.places
    for e in q.ann.entities:
        if e.end <= a or b <= e.start:
            continue
        if e.label == "PERSON" and not _places_only(e.text, gaz):
            return False                 # ... but "Tartous Homs" cut as one person is two towns
        if e.label in ("ORG", "NORP") and not (a <= e.start and e.end <= b) and (
                gaz.cues.patterns["org_word"].search(e.text) or not _large(t, gaz)):
            return False                 # inside "Hayyat Tahrir al-Sham", "the Washington Post"
    if t in person_tokens(q.ann.entities, gaz) or gaz.is_demonym(t):
        return False
    if _ACRONYM.match(t):
        return any(c.entry.kind == "country" for c in gaz.candidate_entries(t, False))
    return True


_EDGE = re.compile(r"^[\s\-–—'’\"“”(]+|[\s\-–—'’\"“”),.;:]+$")


def _large(name: str, gaz) -> bool:
    """A country, a first-level division or a city of 100,000 people by its own name: such a name inside
    a badly cut organisation name ("Daraa countryside Aleppo Damascus") is still the place."""
    return any(c.match == "name" and (c.entry.kind == "country" or c.entry.feature == "A.ADM1"
                                      or (c.entry.kind in ("city", "ocha") and c.entry.population >= 100_000))
               for c in gaz.candidate_entries(name, False))


def _places_only(text: str, gaz) -> bool:
    """Whether a name the model took for a person's is two or more large places side by side."""
    words = re.findall(r"[A-Z][\w'’-]+", text)
    return len(words) >= 2 and all(_large(w, gaz) for w in words)


def name_alone(q: PlaceQuery) -> Place | None:
    """"Jadida" as the linker cut it: resolved against the document's places when it can be a name
    (stray punctuation at its edges aside: "-Tabqa" cut out of "al-Tabqa")."""
    if q.span is None:
        return None
    a, b = q.span
    lead = _EDGE.match(q.text)
    trail = _EDGE.search(q.text[lead.end() if lead else 0:])
    a2 = a + (lead.end() if lead else 0)
    b2 = a2 + (trail.start() if trail else b - a2)
    if b2 <= a2:
        return None
    q = replace(q, span=(a2, b2))
    if not can_be_place_name(q):
        return None
    return resolve_in_context((a2, b2, q.text), q.doc, q.kb)


def main_place(q: PlaceQuery) -> Place | None:
    """"Two men were shot on Sunday" in a report from Gary: the document's main place (``basis: document``)."""
    if not q.physical or q.doc.main is None:
        return None
    return replace(q.doc.main, basis="document")


RULES: list[tuple[str, Callable[[PlaceQuery], Place | None]]] = [
    ("owned_place", owned_place),
    ("own_mention", own_mention),
    ("mention_inside", mention_inside),
    ("address_in_town", address_in_town),
    ("name_alone", name_alone),
    ("main_place", main_place),
]


def _inside(main: Place, div: Place, kb) -> bool:
    """Whether the main place lies in a state or country place (by country and first-level division)."""
    if main.country is None or main.country != div.country:
        return False
    if div.precision == "country":
        return True
    return div.precision == "province" and div.admin1 is not None and div.admin1 == main.admin1


def refine_division(place: Place | None, q: PlaceQuery) -> Place | None:
    """"found shot to death in northwest Indiana" in a report from Gary, Indiana: a physical happening named
    only by its state or country is at the document's main place when that place lies inside it."""
    main = q.doc.main
    if (place is None or main is None or not q.physical or place.precision not in ("province", "country")
            or not _inside(main, place, q.kb)):
        return place
    return replace(main, basis="document")


def event_place(q: PlaceQuery) -> Place | None:
    """The event's place by the first rule that gives one, refined to the main place when coarser."""
    for _name, rule in RULES:
        place = rule(q)
        if place is not None:
            return refine_division(place, q)
    return None

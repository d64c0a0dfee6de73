"""Typed records that flow between the stages.

Every stage takes and returns these; nothing else crosses a package boundary. Field names follow
``docs/schema.md`` (the export contract) so that exporting is a plain ``to_dict``.
"""
from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any


def to_dict(record: Any) -> dict:
    """A record as plain JSON-ready data (dataclasses nest)."""
    return asdict(record)


# --------------------------------------------------------------------------- ingest
@dataclass
class Published:
    """Publication date with how it was learned (schema: documents.published)."""
    date: str | None = None            # YYYY-MM-DD (first day of the period for month/year precision)
    precision: str = "day"             # day | month | year
    status: str = "unknown"            # stated | estimated | unknown
    evidence: str = ""                 # the text it was read from, or the reasoning for an estimate


@dataclass
class Document:
    """One article after reading and cleaning; every span elsewhere points into ``text``."""
    id: str                            # derived from the cleaned text (stable across runs)
    path: str                          # file path, URL or ``file.warc.gz#record``
    text: str
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    published: Published = field(default_factory=Published)
    language: str | None = None
    duplicate_of: str | None = None
    url: str | None = None
    evidence: dict[str, str] = field(default_factory=dict)   # field name -> where its value came from
    removed: list[str] = field(default_factory=list)         # clutter lines taken out of the body
    raw_hash: str = ""                 # hash of the raw input (re-ingesting the same bytes is a no-op)


@dataclass
class IngestError:
    """One input that could not be read; recorded, never fatal for the run."""
    path: str
    reason: str


# --------------------------------------------------------------------------- annotate
@dataclass
class DateInterval:
    """When something happened: an interval, never a made-up day (schema: events.date)."""
    start: str                         # YYYY-MM-DD
    end: str                           # YYYY-MM-DD
    precision: str = "day"             # day | week | month | season | quarter | year | decade
    basis: str = "explicit"            # explicit | relative | publication


@dataclass
class Timex:
    """A time expression with its TIMEX3 type and value, and the interval it denotes."""
    start: int
    end: int
    text: str
    type: str                          # DATE | TIME | DURATION | SET
    value: str                         # TIMEX3 value, e.g. 2020-03-05, 2020-W10, P6H, XXXX-03-05
    interval: DateInterval | None = None


@dataclass
class EntitySpan:
    """A named-entity or pattern match found while annotating (before resolution)."""
    start: int
    end: int
    text: str
    label: str                         # spaCy label (GPE, LOC, FAC, ORG, PERSON, NORP) or ACTOR/PLACE


@dataclass
class Annotation:
    """What the annotate stage knows about one document; lives in the worker, not in the store."""
    doc: Document
    nlp_doc: Any                       # the spaCy Doc (character offsets equal ``doc.text`` offsets)
    sentences: list[tuple[int, int]]
    entities: list[EntitySpan]
    timexes: list[Timex]
    anchor: str | None                 # publication date used to normalise relative times


# --------------------------------------------------------------------------- resolve
@dataclass
class Place:
    """A resolved place (schema: events.location)."""
    name: str
    country: str | None = None         # ISO 3166 alpha-3
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: str = "town"            # point | town | district | province | country | area | route
    gazetteer_id: str | None = None    # e.g. "geonames:170063", "ocha:C3970", "sitrep:jabal-al-zawiya"
    feature_class: str | None = None   # GeoNames feature class/code or our own (AREA, ROUTE)
    basis: str | None = None           # None: the event's own words; context: an address or venue in the
                                       # document's town; document: the document's main place stood in


@dataclass
class PlaceMention:
    start: int
    end: int
    text: str
    place: Place | None


@dataclass
class Actor:
    """A resolved actor as it appears in one record (schema: events.actors, quotes.speaker)."""
    name: str | None                   # canonical name, or None when only a description is known
    text: str                          # as written
    country: str | None = None         # ISO 3166 alpha-3
    sector: str | None = None          # PLOVER sector: GOV MIL REB CVL IGO NGO MED ...
    role: str | None = None            # source | target (events only)
    actor_id: str | None = None        # registry id
    start: int | None = None           # span of ``text`` in the document, when known
    end: int | None = None
    country_basis: str | None = None   # "place" when the country was inferred from the event's place
    attributed_by: str | None = None   # who named this actor as the perpetrator ("witnesses", an outlet)


@dataclass
class ActorMention:
    start: int
    end: int
    text: str
    actor: Actor | None


# --------------------------------------------------------------------------- extract
@dataclass
class Count:
    value: int
    min: int
    max: int
    qualifier: str = "exact"           # exact | at least | about | up to | more than | dozens | ...
    basis: str | None = None           # for a fused incident: which report's value (latest, lowest of N)


@dataclass
class Mention:
    """Provenance: the sentence one report gives for an item (schema: events.mentions)."""
    doc: str
    start: int
    end: int
    sentence: str
    outlet: str | None = None
    published: str | None = None
    status: str = "reported"


@dataclass
class EventMention:
    """One report's statement that something happened (before fusion)."""
    id: str
    doc: str
    type: str                          # PLOVER type
    mode: str | None
    status: str                        # reported | planned | hypothetical | denied
    trigger: str                       # the word that signalled it
    start: int                         # span of the trigger clause in doc.text
    end: int
    sentence: str
    sentence_start: int = 0
    date: DateInterval | None = None
    location: Place | None = None
    location_text: str | None = None
    location_span: tuple[int, int] | None = None   # set by extract, resolved to ``location`` by resolve
    time_span: tuple[int, int] | None = None       # the time expression extract linked to the event
    actors: list[Actor] = field(default_factory=list)
    counts: dict[str, Count] = field(default_factory=dict)
    outlet: str | None = None
    published: str | None = None
    tense: str | None = None           # past | present | future of the trigger's clause (None: non-finite)
    about: str | None = None           # a statement's subject event type ("blamed X for the attack": ASSAULT)


@dataclass
class Figure:
    """A quantity stated for a period or area rather than one incident (schema: figures.jsonl)."""
    id: str
    what: str                          # displaced | killed | violations | refugees | troops | ...
    value: int
    min: int
    max: int
    qualifier: str
    period: DateInterval | None = None
    location: Place | None = None
    attributed_to: Actor | None = None
    mentions: list[Mention] = field(default_factory=list)
    disagreements: list["Disagreement"] = field(default_factory=list)   # set by fuse.compare_figures


@dataclass
class Quote:
    """Who said what (schema: quotes.jsonl). Spans are character offsets into the document."""
    id: str
    speaker: Actor
    kind: str                          # direct | indirect | mixed
    cue: str
    content: str
    doc: str
    start: int                         # content span
    end: int
    date: str | None = None
    source_span: tuple[int, int] | None = None
    cue_span: tuple[int, int] | None = None
    source_text: str | None = None     # the source span as written ("he", "the source"); speaker.text
                                       # holds the named antecedent when coreference found one


@dataclass
class Extraction:
    """Everything the per-document stages produce for one document."""
    doc_id: str
    events: list[EventMention] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)


# --------------------------------------------------------------------------- fuse
@dataclass
class Disagreement:
    field: str                         # counts.killed | date | location | actors.source | ...
    values: list[dict]                 # [{"value", "doc", "outlet", "published"}], oldest report first
    label: str = ""                    # the field as people say it: killed, date, place, perpetrator ...


@dataclass
class Incident:
    """One real happening, with every report of it (schema: events.jsonl)."""
    id: str
    type: str
    mode: str | None
    status: str
    date: DateInterval | None
    location: Place | None
    actors: list[Actor]
    counts: dict[str, Count]
    mentions: list[Mention]
    sources: int
    disagreements: list[Disagreement] = field(default_factory=list)


# --------------------------------------------------------------------------- check
@dataclass
class Violation:
    agreement: str
    clause: str
    event: str                         # incident id
    party: Actor | None
    zone: str | None
    status: str                        # violation | possible
    reason: str


# --------------------------------------------------------------------------- (de)serialisation
def from_dict(cls, data):
    """Rebuild a record (nested records, lists, dicts, tuples) from ``to_dict`` output."""
    return _build(cls, data)


@lru_cache(maxsize=None)
def _fields_of(tp) -> tuple[tuple[str, object], ...]:
    """(name, type) of a record's fields; resolving type hints is slow, so once per class."""
    hints = typing.get_type_hints(tp)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(tp))


@lru_cache(maxsize=None)
def _shape(tp):
    """How to rebuild a value of type ``tp``: ("record"|"list"|"tuple"|"dict"|"union"|"plain", arg)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return ("union", args[0]) if len(args) == 1 else ("plain", None)
    if dataclasses.is_dataclass(tp):
        return "record", _fields_of(tp)
    if origin is list:
        return "list", typing.get_args(tp)[0]
    if origin is tuple:
        return "tuple", None
    if origin is dict:
        return "dict", typing.get_args(tp)[1]
    return "plain", None


def _build(tp, value):
    if value is None:
        return None
    kind, arg = _shape(tp)
    if kind == "union":
        return _build(arg, value)
    if kind == "record":
        return tp(**{name: _build(ftype, value[name]) for name, ftype in arg if name in value})
    if kind == "list":
        return [_build(arg, v) for v in value]
    if kind == "tuple":
        return tuple(value)
    if kind == "dict":
        return {k: _build(arg, v) for k, v in value.items()}
    return value

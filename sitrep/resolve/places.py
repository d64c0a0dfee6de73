"""Place resolution in document context.

A name alone rarely says which place it is (Alexandria: Egypt, Virginia or Louisiana?; Ariha: Idlib's town or
Jericho), and population is a poor guide for the small Syrian towns the reports are about (GeoNames gives
Sarmin population 0). So every distinct place name of a document is resolved jointly: each candidate gets a
prior (what kind of place, how large, how well the name matched) plus support from the rest of the document
(other names whose candidates share its country or first-level division, and candidates of other names
near it). Two rounds: the first with priors only, the second with the context of the first round's picks.

Demonyms ("Turkish") and organisation names are not places; "Idlib province" asks for the province and
"Idlib city" for the town.
"""
from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass

from sitrep.kb.gazetteer import Candidate, Entry, haversine_km, norm
from sitrep.records import Annotation, Document, Place, PlaceMention

PLACE_LABELS = {"GPE", "LOC", "FAC", "PLACE"}

# words around a name that say which level of place it is (general English, not domain data)
_ADMIN_SUFFIX = re.compile(r"\s+(province|governorate|region|countryside|state|oblast|prefecture|"
                           r"department|district|subdistrict|sub-district|area)$", re.I)
_TOWN_SUFFIX = re.compile(r"\s+(city|town|village)$", re.I)
_DIRECTION = re.compile(r"^(the\s+)?(north|south|east|west|central|northern|southern|eastern|western|"
                        r"north-?western|north-?eastern|south-?western|south-?eastern|northwest|northeast|"
                        r"southwest|southeast|rural|greater|downtown)\s+", re.I)
_AFTER_ADMIN = re.compile(r"^[\s’']*(s\s+)?(province|governorate|region|countryside|state)\b", re.I)
_AFTER_TOWN = re.compile(r"^\s+(city|town|village)\b", re.I)
_BEFORE_ADMIN = re.compile(r"\b(province|governorate|state|region)\s+of\s+(the\s+)?$", re.I)
_BEFORE_TOWN = re.compile(r"\b(city|town|village)\s+of\s+$", re.I)
_POSSESSIVE = re.compile(r"[’']s?$")

# weights of document context against the prior (share of the other names supporting the candidate's
# country / first-level division, and closeness to the other names' current picks)
W_COUNTRY, W_ADMIN1, W_NEAR = 1.5, 1.0, 1.0


@dataclass
class _Unit:
    """One distinct place name of a document, with its spans and candidates."""
    key: str
    lookup: str
    hint: str | None                # province | town | None
    spans: list[tuple[int, int, str]]
    cands: list[Candidate]
    priors: list[float]
    scores: list[float]
    best: int = -1


def _prior(c: Candidate, lookup: str, hint: str | None) -> float:
    """How likely the entry is meant, before context: larger places and higher levels first, exact
    names over alternate names over transliteration variants; a level word in the text decides."""
    e = c.entry
    size = 0.5 * math.log10(e.population + 1)
    if e.kind == "country":
        base = 1.0 + size
    elif e.kind == "admin1":
        base = size                      # population of its cities
    elif e.kind == "ocha_admin":         # districts and subdistricts are named after their main town
        base = 3.0 if e.feature == "A.ADM1" else 0.0
    elif e.kind == "ocha":
        base = 0.5 + size                # OCHA is the reference for Syrian communities
    elif e.kind == "city":
        base = size
    else:
        base = {"continent": 4.5, "admin2": 2.0, "area": 3.0, "route": 3.0, "user": 3.0}.get(e.kind, 1.0)
    if c.match == "alias":
        base -= 1.0
    elif c.match == "skeleton":
        ratio = difflib.SequenceMatcher(None, norm(lookup), norm(e.name)).ratio()
        base += -2.0 + 1.5 * ratio
    if hint == "province":
        if e.kind in ("admin1", "admin2", "ocha_admin"):
            base += 3.5
        if e.kind == "admin1" or (e.kind == "ocha_admin" and e.feature == "A.ADM1"):
            base += 1.0
    elif hint == "town":
        base += 1.5 if e.kind in ("city", "ocha", "user") else 0.0
    return base


def _close_skeletons(cands: list[Candidate], lookup: str) -> list[Candidate]:
    """Skeleton matches are transliteration variants only when the spellings stay close; when the name
    itself matches entries, only very close variants stay in."""
    has_exact = any(c.match != "skeleton" for c in cands)
    floor = 0.8 if has_exact else 0.75
    key = norm(lookup)
    return [c for c in cands if c.match != "skeleton"
            or difflib.SequenceMatcher(None, key, norm(c.entry.name)).ratio() >= floor]


def _prefer_towns(cands: list[Candidate], hint: str | None) -> list[Candidate]:
    """A province named after its capital (Moscow, Idlib, New York): the bare name means the town unless the
    text says province. Drop the division when a same-named town inside it is also a candidate."""
    if hint == "province":
        return cands
    towns = {(c.entry.cc, c.entry.admin1) for c in cands
             if c.entry.kind in ("city", "ocha") and c.match == "name"}
    out = [c for c in cands
           if not (c.entry.kind in ("admin1", "ocha_admin") and (c.entry.cc, c.entry.admin1) in towns
                   and c.match != "skeleton")]
    return out or cands


def _softmax(xs: list[float]) -> list[float]:
    m = max(xs)
    ex = [math.exp(x - m) for x in xs]
    s = sum(ex)
    return [x / s for x in ex]


def _clean(text: str, doc_text: str, start: int, end: int) -> tuple[str, str | None]:
    """The name to look up and a level hint from the words in and around the span."""
    t = _POSSESSIVE.sub("", text.strip()).strip()
    hint = None
    after = doc_text[end:end + 20]
    before = doc_text[max(0, start - 20):start]
    if _AFTER_ADMIN.match(after) or _BEFORE_ADMIN.search(before):
        hint = "province"
    elif _AFTER_TOWN.match(after) or _BEFORE_TOWN.search(before):
        hint = "town"
    return t, hint


def _lookup_forms(t: str) -> list[tuple[str, str | None]]:
    """Forms of a span to try, most specific first: as written, without a level word, without a direction."""
    forms = [(t, None)]
    m = _ADMIN_SUFFIX.search(t)
    if m:
        forms.append((t[:m.start()], "province"))
    m = _TOWN_SUFFIX.search(t)
    if m:
        forms.append((t[:m.start()], "town"))
    for f, h in list(forms):
        d = _DIRECTION.match(f)
        if d and f[d.end():]:
            forms.append((f[d.end():], h))
    return forms


def _units(spans: list[tuple[int, int, str]], doc_text: str, gaz) -> list[_Unit]:
    units: dict[str, _Unit] = {}
    for start, end, text in spans:
        t, hint = _clean(text, doc_text, start, end)
        if not t or gaz.is_demonym(t) or gaz.is_generic(t):
            continue
        cands: list[Candidate] = []
        lookup, form_hint = t, None
        for form, h in _lookup_forms(t):
            cands = gaz.candidate_entries(form)
            if cands:
                lookup, form_hint = form, h
                break
        if not cands:
            continue
        hint = hint or form_hint
        cands = _prefer_towns(_close_skeletons(cands, lookup), hint)
        if not cands:
            continue
        key = f"{norm(lookup)}|{hint}"
        u = units.get(key)
        if u is None:
            priors = [_prior(c, lookup, hint) for c in cands]
            u = units[key] = _Unit(key, lookup, hint, [], cands, priors, list(priors))
        u.spans.append((start, end, text))
    return list(units.values())


def _resolve_units(units: list[_Unit], rounds: int = 2) -> None:
    for u in units:
        u.best = max(range(len(u.cands)), key=lambda i: u.scores[i]) if u.cands else -1
    if len(units) < 2:
        return
    for _ in range(rounds):
        probs = [_softmax(u.scores) for u in units]
        country_votes: list[dict[str, float]] = []
        admin_votes: list[dict[tuple, float]] = []
        for u, p in zip(units, probs):
            cv: dict[str, float] = {}
            av: dict[tuple, float] = {}
            for c, pr in zip(u.cands, p):
                e = c.entry
                if e.country:
                    cv[e.country] = cv.get(e.country, 0.0) + pr
                a = _admin_key(e)
                if a:
                    av[a] = av.get(a, 0.0) + pr
            country_votes.append(cv)
            admin_votes.append(av)
        picks = [(u.cands[u.best].entry, max(p)) for u, p in zip(units, probs)]
        n_other = len(units) - 1
        for i, u in enumerate(units):
            new = []
            for c, prior in zip(u.cands, u.priors):
                e = c.entry
                cs = sum(v.get(e.country, 0.0) for j, v in enumerate(country_votes) if j != i) / n_other
                a = _admin_key(e)
                as_ = (sum(v.get(a, 0.0) for j, v in enumerate(admin_votes) if j != i) / n_other) if a else 0.0
                near = 0.0
                for j, (pe, conf) in enumerate(picks):
                    if j == i or pe.kind in ("country", "route"):
                        continue
                    d = haversine_km(e.lat, e.lon, pe.lat, pe.lon)
                    near = max(near, conf * math.exp(-d / 150.0))
                new.append(prior + W_COUNTRY * cs + W_ADMIN1 * as_ + W_NEAR * near)
            u.scores = new
        for u in units:
            u.best = max(range(len(u.cands)), key=lambda k: u.scores[k])


def _admin_key(e: Entry) -> tuple | None:
    if e.kind == "country":
        return None
    if e.kind in ("admin1",) or (e.kind == "ocha_admin" and e.feature == "A.ADM1"):
        return (e.cc, e.admin1 or e.name)
    return (e.cc, e.admin1) if e.admin1 else None


_DATELINE = re.compile(r"(?:^|[.!?:]\s+|\n|\d\s+)\s*([A-Z][A-Z'\-]{3,}(?: [A-Z][A-Z'\-]+){0,3})"
                       r"(?=,\s|\s+[-—–(])")
_STREET_WORDS = {"road", "rd", "street", "st", "avenue", "ave", "drive", "dr", "lane", "ln", "boulevard", "blvd",
                 "highway", "hwy", "pike", "way", "parkway", "pkwy", "court", "ct", "place", "pl", "circle",
                 "terrace", "trail", "turnpike", "expressway", "freeway", "bridge", "square"}
OTHER_LABELS = {"ORG", "PERSON", "PRODUCT", "WORK_OF_ART", "EVENT", "FAC"}


def _entity_spans(ann: Annotation, gaz) -> list[tuple[int, int, str]]:
    """Place spans: the NER's and the gazetteer patterns' place labels; the same name elsewhere in the
    document where the model labelled it otherwise or missed it (one sense per discourse), outside
    organisation names; and a capitalised dateline place at the start of the text."""
    text = ann.doc.text
    ents = sorted(ann.entities, key=lambda e: (e.start, -(e.end - e.start)))
    spans: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return not any(s < b and a < e for s, e in taken)

    place_texts = set()
    def known(t: str) -> bool:
        return any(gaz.candidate_entries(f) for f, _ in _lookup_forms(_POSSESSIVE.sub("", t.strip())))

    # one sense per discourse: a name the model calls a person more often than a place is a person
    votes: dict[str, int] = {}
    for ent in ents:
        if ent.label in ("GPE", "LOC", "FAC"):
            votes[ent.text] = votes.get(ent.text, 0) + 1
        elif ent.label == "PERSON":
            votes[ent.text] = votes.get(ent.text, 0) - 1
    persons = {t for t, v in votes.items() if v < 0}

    unknown = []
    for ent in ents:
        if ent.label in ("GPE", "LOC", "FAC") and ent.text in persons:
            continue
        if ent.label in PLACE_LABELS and not known(ent.text):
            unknown.append(ent)          # a named building, road or office: see below for the place it names
            continue
        if ent.label in PLACE_LABELS and free(ent.start, ent.end):
            taken.append((ent.start, ent.end))
            spans.append((ent.start, ent.end, ent.text))
            place_texts.add(ent.text)
    for m in _DATELINE.finditer(text):   # news datelines: "ROSWELL, N.M. —"
        a, b = m.span(1)
        if free(a, b) and any(c.entry.kind in ("city", "ocha", "admin1", "country")
                              for c in gaz.candidate_entries(m.group(1), False) if c.match == "name"):
            taken.append((a, b))
            spans.append((a, b, m.group(1)))
            place_texts.add(m.group(1).title())
    other = [(e.start, e.end) for e in ents if e.label not in PLACE_LABELS]
    for ent in ents:       # the same string labelled otherwise (e.g. a town tagged PERSON)
        if ent.label in OTHER_LABELS and ent.text in place_texts and free(ent.start, ent.end):
            taken.append((ent.start, ent.end))
            spans.append((ent.start, ent.end, ent.text))
    for name in place_texts:   # ... or not labelled at all
        if len(name) < 3 or not name[:1].isupper():
            continue
        for m in re.finditer(r"(?<![\w.])" + re.escape(name) + r"(?![\w])", text):
            a, b = m.span()
            if free(a, b) and not any(s < b and a < e for s, e in other):
                taken.append((a, b))
                spans.append((a, b, name))
    for ent in unknown:    # a facility named after its place ("the Henderson County Jail"): the place
        found = False
        for m in _CAPS.finditer(ent.text):
            words = m.group(0).split(" ")
            for n in range(len(words), 0, -1):          # longest leading name that is a place
                name = " ".join(words[:n])
                a = ent.start + m.start()
                b = a + len(name)
                rest = ent.text[b - ent.start:].split()
                if rest and rest[0].rstrip(".").lower() in _STREET_WORDS:
                    continue             # a street named after a place does not mean that place
                if b - ent.start < len(ent.text) and free(a, b) and any(
                        c.match == "name" and c.entry.kind in ("city", "admin1", "admin2", "country", "ocha")
                        for c in gaz.candidate_entries(name, False)):
                    taken.append((a, b))
                    spans.append((a, b, name))
                    found = True
                    break
            if found:
                break
    return sorted(spans)


def _resolve_spans(spans, doc_text: str, gaz, extra: tuple[int, int, str] | None = None):
    units = _units(spans + ([extra] if extra else []), doc_text, gaz)
    _resolve_units(units)
    return units


_CAPS = re.compile(r"\b[A-Z][a-z]+(?:[ -](?:[A-Z][a-z]+|of|on|upon))*(?:[ -][A-Z][a-z]+)?\b")
NEAR_KM = 30.0


def _nearby_names(ann: Annotation, gaz, spans, units) -> list[tuple[int, int, str]]:
    """Capitalised names the NER missed (or tagged as an organisation or product) that are the exact
    name of a town or county within NEAR_KM of a town-level place the document already names: local news
    lists neighbouring places the statistical model does not know."""
    from spacy.lang.en.stop_words import STOP_WORDS

    anchors = [(u.cands[u.best].entry.lat, u.cands[u.best].entry.lon) for u in units
               if u.best >= 0 and u.cands[u.best].entry.kind in ("city", "ocha", "admin2", "area")]
    if not anchors:
        return []
    text = ann.doc.text
    taken = [(a, b) for a, b, _ in spans]
    blocked = [(e.start, e.end, e.label) for e in ann.entities if e.label not in PLACE_LABELS]
    out = []
    for m in _CAPS.finditer(text):
        a, b = m.span()
        name = m.group(0)
        if any(s < b and a < e for s, e in taken) or name.lower() in STOP_WORDS or gaz.is_demonym(name):
            continue
        inside = [(s, e, lab) for s, e, lab in blocked if s < b and a < e]
        if any(lab in ("PERSON", "NORP") or not (s == a and e == b) for s, e, lab in inside):
            continue                     # part of a person's or an organisation's name
        cands = [c for c in gaz.candidate_entries(name, skeletons=False)
                 if c.match == "name" and c.entry.kind in ("city", "ocha", "admin2")]
        if any(haversine_km(c.entry.lat, c.entry.lon, la, lo) <= NEAR_KM for c in cands for la, lo in anchors):
            out.append((a, b, name))
            taken.append((a, b))
    return out


def resolve_place_mentions(ann: Annotation, kb) -> list[PlaceMention]:
    """Every place mention of the document, resolved jointly with its context."""
    gaz = kb.places
    spans = _entity_spans(ann, gaz)
    units = _resolve_spans(spans, ann.doc.text, gaz)
    extra = _nearby_names(ann, gaz, spans, units)
    if extra:
        units = _resolve_spans(sorted(spans + extra), ann.doc.text, gaz)
    out = []
    for u in units:
        place = u.cands[u.best].entry.place() if u.best >= 0 else None
        for start, end, text in u.spans:
            out.append(PlaceMention(start, end, text, place))
    return sorted(out, key=lambda m: m.start)


def resolve_place(text: str, ann: Annotation | None, kb) -> Place | None:
    """One span (e.g. an event's location) in the context of its document's other place names."""
    gaz = kb.places
    if ann is None:
        units = _resolve_spans([], text, gaz, (0, len(text), text))
        key_units = units
    else:
        pos = ann.doc.text.find(text)
        span = (pos, pos + len(text), text) if pos >= 0 else (0, 0, text)
        spans = [s for s in _entity_spans(ann, gaz) if not (s[0] < span[1] and span[0] < s[1])]
        units = _resolve_spans(spans, ann.doc.text if pos >= 0 else text, gaz, span)
        key_units = [u for u in units if any(s == span for s in u.spans)]
    for u in key_units:
        if u.best >= 0:
            return u.cands[u.best].entry.place()
    return None


def geoparse(text: str, kb, annotator) -> list[PlaceMention]:
    """Annotate a bare text and resolve its places (for evaluation)."""
    ann = annotator.annotate(Document(id="x", path="x", text=text))
    return resolve_place_mentions(ann, kb)

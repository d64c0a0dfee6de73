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

import calendar
import difflib
import math
import re
from dataclasses import dataclass
from functools import lru_cache

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
# "southern Idlib", "rural Damascus": a part of a region, so the province when the name is also one
_BEFORE_REGION = re.compile(r"\b(northern|southern|eastern|western|central|north-?western|north-?eastern|"
                            r"south-?western|south-?eastern|rural)\s+$", re.I)
_POSSESSIVE = re.compile(r"[’']s?$")

# weights of document context against the prior (share of the other names supporting the candidate's
# country / first-level division, and closeness to the other names' current picks)
W_COUNTRY, W_ADMIN1, W_NEAR = 1.5, 3.0, 1.0


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
        base = size + (0.5 if e.feature == "P.PPLC" else 0.0)    # "Washington" alone: the capital
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


# "Barrow, Jackson and Madison counties": each name of the list is a county
_LIST_OF_COUNTIES = re.compile(r"^(?:(?:,|,?\s+and|,?\s+or)\s+[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)?)*"
                               r"\s+(counties|parishes)\b")
_COUNTY_WORD = {"counties": "County", "parishes": "Parish"}
_COUNTY_LIST = re.compile(r"((?:[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)?(?:,\s+|,?\s+and\s+|,?\s+or\s+))+"
                          r"[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)?)\s+(counties|parishes)\b")


def _clean(text: str, doc_text: str, start: int, end: int) -> tuple[str, str | None]:
    """The name to look up and a level hint from the words in and around the span."""
    t = _POSSESSIVE.sub("", text.strip()).strip()
    hint = None
    after = doc_text[end:end + 20]
    before = doc_text[max(0, start - 20):start]
    if _LIST_OF_COUNTIES.match(doc_text[end:end + 120]):
        hint = "county"
    elif _AFTER_ADMIN.match(after) or _BEFORE_ADMIN.search(before) or _BEFORE_REGION.search(before):
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
        forms = _lookup_forms(t)
        if hint == "county":
            word = _COUNTY_WORD[_LIST_OF_COUNTIES.match(doc_text[end:end + 120]).group(1).lower()]
            forms = [(f"{t} {word}", "province"), *forms]
        for form, h in forms:
            cands = gaz.candidate_entries(form)
            if cands:
                lookup, form_hint = form, h
                break
        if not cands:
            continue
        hint = form_hint if hint == "county" else hint or form_hint
        cands = _prefer_towns(_close_skeletons(cands, lookup), hint)
        if not cands:
            continue
        key = f"{norm(lookup)}|{hint}"
        inside = [c for c in cands if any(_contains(w.entry, c.entry) for w in _within(doc_text, end, gaz))]
        if inside:                       # "Paris, Texas": the division named after it decides
            cands = inside
            key += "|" + ",".join(sorted({c.entry.gid for c in inside}))
        u = units.get(key)
        if u is None:
            priors = [_prior(c, lookup, hint) for c in cands]
            u = units[key] = _Unit(key, lookup, hint, [], cands, priors, list(priors))
        u.spans.append((start, end, text))
    return list(units.values())


def _contains(div: Entry, e: Entry) -> bool:
    """Whether a place lies in a country or first-level division (by codes)."""
    if div.kind == "country":
        return e.cc == div.cc and e.kind != "country"
    return e.cc == div.cc and e.admin1_code == div.admin1_code and e.kind not in ("country", "admin1")


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
                       r"(?=,\s|:\s|\s+[-—–(\x97])")
_STREET_WORDS = {"road", "rd", "street", "st", "avenue", "ave", "drive", "dr", "lane", "ln", "boulevard", "blvd",
                 "highway", "hwy", "pike", "way", "parkway", "pkwy", "court", "ct", "place", "pl", "circle",
                 "terrace", "trail", "turnpike", "expressway", "freeway", "bridge", "square"}
OTHER_LABELS = {"ORG", "PERSON", "PRODUCT", "WORK_OF_ART", "EVENT", "FAC"}


# syntax that makes a capitalised name a place whatever the NER says (general English): a locative
# preposition before it, or a word after it that only follows place names ("an Alexandria man")
_PLACE_BEFORE = re.compile(r"(?:^|[^\w])(?:in|near|outside|throughout|across|around|suburban|downtown|nearby|"
                           r"neighboring|neighbouring|north of|south of|east of|west of|\d+,? of)\s+(?:the\s+)?$",
                           re.I)
_PLACE_AFTER = re.compile(r"^(?:[’']s)?\s+(?:police|policemen|residents?|man|woman|men|women|boy|girl|teen|"
                          r"couple|area|native|natives|mayor|city\s+council|county|township|officials|"
                          r"firefighters|fire\s+department|neighborhood|neighborhoods|suburb|metro|hospitals|"
                          r"republican|democrat|home|homes|businesses|streets|roads|schools)\b", re.I)
# "a Gainesville restaurant": an article, the name, a common noun
_ARTICLE_BEFORE = re.compile(r"(?:^|[^\w])(?:a|an)\s+$", re.I)
_NOUN_AFTER = re.compile(r"^\s+[a-z][a-z-]+\b")
# weaker prepositions ("from", "to", "of"): enough only for larger places
_WEAK_BEFORE = re.compile(r"(?:^|[^\w])(?:from|to|of|at|over|into)\s+$", re.I)
WEAK_POP = 20000
_COMMA_NEXT = re.compile(r"^,\s+((?:[A-Z][\w.]*\.?)(?:\s+[A-Z][\w.]*){0,2})")
_PERSON_WORDS = re.compile(r"^(?:police|county|city|court|school|schools|department|commonwealth|council|"
                           r"province|governorate|district|region|countryside|town|village|"
                           r"university|college|hospital|church|road|street|avenue)\W*$", re.I)
# a name NER calls a person or organisation is taken as a place only when the gazetteer knows it as a
# town of at least this many people (or as a division or country) and the syntax says place
STRONG_POP = 1000


@lru_cache(maxsize=1)
def _common_words() -> frozenset:
    """English words that are also place names somewhere (May, Many, One): never a place alone."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset({m.lower() for m in [*calendar.month_name[1:], *calendar.day_name]} | set(STOP_WORDS))


def _within(text: str, end: int, gaz) -> list[Candidate]:
    """The division or country named right after a place (``Paris, Texas``, ``Tampa, Fla.``)."""
    m = _COMMA_NEXT.match(text[end:end + 40])
    if not m:
        return []
    words = m.group(1).split()
    for n in range(len(words), 0, -1):
        name = " ".join(words[:n])
        cands = [c for c in gaz.candidate_entries(name, False)
                 if c.entry.kind in ("admin1", "country") and c.match in ("name", "alias")]
        if cands:
            return cands
    return []


def _place_context(text: str, start: int, end: int, gaz, ents=(), label: str = "") -> bool:
    """Whether the words around a span say it is a place. The weaker cues (an article before and a noun
    after; from/to/of before a larger town) do not overrule a person or nationality label."""
    before = text[max(0, start - 25):start]
    if _PLACE_BEFORE.search(before) or _PLACE_AFTER.match(text[end:end + 30]) or _within(text, end, gaz):
        return True
    if label not in ("PERSON", "NORP"):
        if _ARTICLE_BEFORE.search(before) and _NOUN_AFTER.match(text[end:end + 30]):
            return True
        if _WEAK_BEFORE.search(before) and _strong(text[start:end], gaz, WEAK_POP):
            return True
    # "Steven Sachs of Alexandria": a person's name, then of, then the place
    return before.endswith(" of ") and any(e.label == "PERSON" and 0 <= start - 4 - e.end <= 1 for e in ents)


def _strong(name: str, gaz, population: int = STRONG_POP) -> bool:
    """The exact name of a town of some size, a division or a country."""
    if gaz.is_demonym(name) or gaz.is_generic(name) or len(name) < 3:
        return False
    return any(c.match == "name" and (c.entry.kind in ("admin1", "admin2", "country", "ocha", "ocha_admin")
                                      or (c.entry.kind == "city" and c.entry.population >= population))
               for c in gaz.candidate_entries(name, False))


# a title before a name makes it a person's ("coach Ripley", "Sen. Clinton")
_TITLE_BEFORE = re.compile(r"(?:^|[^\w])(?:[Cc]oach|Mr\.|Mrs\.|Ms\.|Dr\.|Sen\.|Rep\.|Gov\.|Gen\.|Lt\.|Sgt\.|"
                           r"Capt\.|Col\.|Det\.|[Oo]fficer|[Jj]udge|President|Pastor|Rev\.)\s+$")


def _major(name: str, gaz) -> bool:
    """A country or a national capital by its own name: such a name the model calls a person or
    organisation is the place standing for its government ("Tbilisi says")."""
    if gaz.is_demonym(name) or gaz.is_generic(name) or len(name) < 4:
        return False
    return any(c.match == "name" and (c.entry.kind == "country" or c.entry.feature == "P.PPLC")
               for c in gaz.candidate_entries(name, False))


# "Rep. Nick Rahall, D-W. Va.": party and state (or home town) of a US legislator
_PARTY_PLACE = re.compile(r"(?<![\w-])[DRI]-([A-Z][\w.]*(?: [A-Z][\w.]*)?)")


def _person_tokens(ents) -> set[str]:
    """Words of multi-word person names ("Blaine Corle"): alone they are the person, not a place."""
    out = set()
    for e in ents:
        if e.label != "PERSON":
            continue
        words = [w.strip(".,’'") for w in e.text.split()]
        if len(words) < 2 or any(_PERSON_WORDS.match(w) for w in words):
            continue
        out.update(w for w in words if w[:1].isupper())
    return out


_LIST_NEXT = re.compile(r"^(?:,\s+(?:and\s+|or\s+)?|\s+(?:and|or)\s+)([A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)?)")
_LIST_PREV = re.compile(r"([A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)?)(?:,\s+(?:and\s+|or\s+)?|,?\s+(?:and|or)\s+)$")


_LIST_END = re.compile(r"^(?:,\s+(?![\d(])|,?\s+(?:and|or)\s|\s+(?:counties|parishes)\b|[.;:)]|\s*$)")


def _coordinated(text: str, spans, taken, ents, person_words, gaz) -> list[tuple[int, int, str]]:
    """Names listed with a place ("Lovejoy, Jonesboro and Riverdale"; "Barrow, Jackson and Madison
    counties") are places too when the gazetteer knows them and they are not part of a person's name."""
    persons = [(e.start, e.end) for e in ents if e.label == "PERSON" and " " in e.text.strip()]
    out: list[tuple[int, int, str]] = []
    todo = list(spans)
    while todo:
        a, b, _ = todo.pop()
        found = []
        m = _LIST_NEXT.match(text[b:b + 60])
        if m:
            found.append((b + m.start(1), b + m.end(1), m.group(1)))
        m = _LIST_PREV.search(text[max(0, a - 60):a])
        if m:
            off = max(0, a - 60)
            found.append((off + m.start(1), off + m.end(1), m.group(1)))
        for s, e, name in found:
            name = _POSSESSIVE.sub("", name).rstrip(".") if not name.endswith(".") or len(name) > 4 else name
            e = s + len(name)
            if (not name or any(x < e and s < y for x, y in taken) or any(x < e and s < y for x, y in persons)
                    or name in person_words or name.lower() in _common_words()):
                continue
            if not _LIST_END.match(text[e:e + 20]):
                continue                 # "Boston, Wagner said": not a list
            county = _LIST_OF_COUNTIES.match(text[e:e + 120])
            if not (_strong(name, gaz) or (county and gaz.candidate_entries(
                    f"{name} {_COUNTY_WORD[county.group(1).lower()]}", False))):
                continue
            taken.append((s, e))
            out.append((s, e, name))
            todo.append((s, e, name))
    return out


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
    person_words = _person_tokens(ents)
    mentions: dict[str, int] = {}
    in_context: dict[str, int] = {}
    for ent in ents:
        if ent.label in PLACE_LABELS or (" " not in ent.text and ent.text in person_words):
            continue
        mentions[ent.text] = mentions.get(ent.text, 0) + 1
        if _place_context(text, ent.start, ent.end, gaz, ents, ent.label):
            in_context[ent.text] = in_context.get(ent.text, 0) + 1
    # a town the model calls a person or organisation, said in place syntax often enough
    by_syntax = {t for t, n in in_context.items() if 4 * n >= mentions[t] and _strong(t, gaz)}
    by_syntax |= {t for t in mentions if t not in person_words and _major(t, gaz)}
    # a name the model calls a person more often than a place is a person ...
    # ... and a surname of a person the document names in full ("David Hopkins" ... "Hopkins")
    persons = {t for t, v in votes.items() if (v < 0 or t in person_words) and t not in by_syntax
               and not (v > 0 and _major(t, gaz))}

    unknown = []
    for ent in ents:
        if ent.label in ("GPE", "LOC", "FAC") and (ent.text in persons
                                                  or _TITLE_BEFORE.search(text[max(0, ent.start - 12):ent.start])):
            continue
        if ent.label in PLACE_LABELS and not known(ent.text):
            unknown.append(ent)          # a named building, road or office: see below for the place it names
            continue
        if ent.label in PLACE_LABELS and free(ent.start, ent.end):
            taken.append((ent.start, ent.end))
            spans.append((ent.start, ent.end, ent.text))
            place_texts.add(ent.text)
    for m in _PARTY_PLACE.finditer(text):
        a, b = m.span(1)
        name = m.group(1).rstrip(",;")
        b = a + len(name)
        if free(a, b) and (gaz.candidate_entries(name, False) and (_strong(name, gaz) or any(
                c.entry.kind == "admin1" for c in gaz.candidate_entries(name, False)))):
            taken.append((a, b))
            spans.append((a, b, name))
    for m in _DATELINE.finditer(text):   # news datelines: "ROSWELL, N.M. —"
        a, b = m.span(1)
        if free(a, b) and any(c.entry.kind in ("city", "ocha", "admin1", "country")
                              for c in gaz.candidate_entries(m.group(1), False) if c.match == "name"):
            taken.append((a, b))
            spans.append((a, b, m.group(1)))
            place_texts.add(m.group(1).title())
    place_texts |= by_syntax
    other = [(e.start, e.end) for e in ents if e.label not in PLACE_LABELS]
    for ent in ents:       # the same string labelled otherwise (e.g. a town tagged PERSON)
        if (ent.label in OTHER_LABELS or (ent.label == "NORP" and ent.text in by_syntax)) \
                and ent.text in place_texts and free(ent.start, ent.end):
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
    ent_spans = [(e.start, e.end) for e in ents]
    for m in _CAPS.finditer(text):   # a town the model missed, in place syntax ("near Elbow Lake")
        a, b = m.span()
        name = m.group(0)
        if (free(a, b) and not any(s < b and a < e for s, e in ent_spans) and name not in person_words
                and name.lower() not in _common_words() and _strong(name, gaz)
                and _place_context(text, a, b, gaz, ents, "PERSON")):
            taken.append((a, b))
            spans.append((a, b, name))
    for m in _COUNTY_LIST.finditer(text):   # "Hitchcock and Hayes counties"
        word = _COUNTY_WORD[m.group(2).lower()]
        for n in re.finditer(r"[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)?", m.group(1)):
            a, b = m.start(1) + n.start(), m.start(1) + n.end()
            if free(a, b) and gaz.candidate_entries(f"{n.group(0)} {word}", False):
                taken.append((a, b))
                spans.append((a, b, n.group(0)))
    spans.extend(_coordinated(text, spans, taken, ents, person_words, gaz))
    for ent in unknown:    # a facility named after its place ("the Henderson County Jail"): the place
        found = False
        for m in _CAPS.finditer(ent.text):
            if ent.text[:m.start()].strip().lower() not in ("", "the"):
                break                    # "St. Patrick's Day": a name inside a longer name is not the place
            words = m.group(0).split(" ")
            for n in range(len(words), 0, -1):          # longest leading name that is a place
                name = " ".join(words[:n])
                a = ent.start + m.start()
                b = a + len(name)
                rest = ent.text[b - ent.start:].split()
                if rest and rest[0].rstrip(".").lower() in _STREET_WORDS:
                    continue             # a street named after a place does not mean that place
                if b - ent.start < len(ent.text) and free(a, b) and name not in person_words and any(
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

    said = {(a, b) for a, b, _ in spans}
    anchors = [(u.cands[u.best].entry.lat, u.cands[u.best].entry.lon) for u in units
               if u.best >= 0 and u.cands[u.best].entry.kind in ("city", "ocha", "admin2", "area")
               and any((a, b) in said for a, b, _ in u.spans)]
    person_words = _person_tokens(ann.entities)
    if not anchors:
        return []
    text = ann.doc.text
    taken = [(a, b) for a, b, _ in spans]
    blocked = [(e.start, e.end, e.label) for e in ann.entities if e.label not in PLACE_LABELS]
    out = []
    for m in _CAPS.finditer(text):
        a, b = m.span()
        name = m.group(0)
        if (any(s < b and a < e for s, e in taken) or name.lower() in STOP_WORDS or gaz.is_demonym(name)
                or name in person_words):
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


def _context_names(ann: Annotation, gaz, spans) -> list[tuple[int, int, str]]:
    """Names of countries, states and counties inside organisation names ("the Ohio Department of
    Health", "Laurel County Sheriff's Office"). They are not place mentions, but they say which state or
    county the document is about, so they vote in the resolution of the other names."""
    taken = [(a, b) for a, b, _ in spans]
    out = []
    for ent in ann.entities:
        if ent.label not in ("ORG", "FAC") or any(s < ent.end and ent.start < e for s, e in taken):
            continue
        for m in _CAPS.finditer(ent.text):
            words = m.group(0).split(" ")
            for n in range(len(words), 0, -1):
                name = " ".join(words[:n])
                if name == ent.text or gaz.is_demonym(name) or gaz.is_generic(name) or not any(
                        c.match in ("name", "alias") and c.entry.kind in ("admin1", "admin2", "country")
                        for c in gaz.candidate_entries(name, False)):
                    continue
                a = ent.start + m.start()
                out.append((a, a + len(name), name))
                break
    return out


def resolve_place_mentions(ann: Annotation, kb) -> list[PlaceMention]:
    """Every place mention of the document, resolved jointly with its context."""
    gaz = kb.places
    spans = _entity_spans(ann, gaz)
    context = _context_names(ann, gaz, spans)
    units = _resolve_spans(sorted(spans + context), ann.doc.text, gaz)
    extra = _nearby_names(ann, gaz, spans, units)
    if extra:
        units = _resolve_spans(sorted(spans + extra + context), ann.doc.text, gaz)
    hidden = set(context)
    out = []
    for u in units:
        place = u.cands[u.best].entry.place() if u.best >= 0 else None
        for start, end, text in u.spans:
            if (start, end, text) not in hidden:
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

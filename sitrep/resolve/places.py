"""Place resolution in document context.

A name alone rarely says which place it is (Alexandria: Egypt, Virginia or Louisiana?; Ariha: Idlib's town or
Jericho), and population is a poor guide for the small Syrian towns the reports are about (GeoNames gives
Sarmin population 0). So every distinct place name of a document is resolved jointly: each candidate gets a
prior (what kind of place, how large, how well the name matched) plus support from the rest of the document
(other names whose candidates share its country or first-level division, and candidates of other names
near it). The dateline ("KANSAS CITY, Mo. (AP) —") weighs most: it says where the report was filed. Two
rounds: the first with priors only, the second with the context of the first round's picks.

Local news names neighbourhoods the gazetteer does not hold ("Roseland" in a Chicago story): such a name,
with only far namesakes and none in the document's home division, may stand for the document's home town
(a ``local`` candidate that competes with the namesakes on the same terms).

Demonyms ("Turkish") and organisation names are not places; "Idlib province" asks for the province and
"Idlib city" for the town. The cue words come from ``sitrep/data/places/cues.yaml`` (``Gazetteer.cues``).
"""
from __future__ import annotations

import calendar
import difflib
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from sitrep.kb.gazetteer import Candidate, Entry, haversine_km, norm, skeleton
from sitrep.records import Annotation, Document, Place, PlaceMention
from sitrep.resolve.datelines import Dateline, dateline_candidates

PLACE_LABELS = {"GPE", "LOC", "FAC", "PLACE"}
OTHER_LABELS = {"ORG", "PERSON", "PRODUCT", "WORK_OF_ART", "EVENT", "FAC"}
_POSSESSIVE = re.compile(r"[’']s?$")

# weights of document context against the prior (share of the other names supporting the candidate's
# country / first-level division, and closeness to the other names' current picks)
W_COUNTRY, W_ADMIN1, W_NEAR = 1.5, 3.0, 1.0
# share of a name's vote that goes to every division holding a reading nearly as good as its best
W_REL = 0.5
# the dateline votes as this many names: the report says where it was filed; a bare one ("COLUMBUS --")
# less, as its own sense still hangs on the others
W_DATELINE, W_DATELINE_BARE = 3.0, 1.5
# a name said only inside organisation names ("the Hayward Police Department") votes as half a name
W_CONTEXT = 0.5
# a name's ``local`` candidate (a part of the home town): its prior, and the largest namesake it may beat
LOCAL_PRIOR, LOCAL_MAX_POP = 1.0, 100_000
# a name NER calls a person or organisation is taken as a place only when the gazetteer knows it as a
# town of at least this many people (or as a division or country) and the syntax says place
STRONG_POP = 1000
WEAK_POP = 20000
NEAR_KM = 30.0
# a city named inside an organisation's name says where the document is when it is this large
CONTEXT_CITY_POP = 100_000


class _Taken:
    """Character spans already given to a name, as a mask: a test costs the span's length, not the
    number of spans taken (a long report has thousands)."""

    def __init__(self, n: int, spans=()) -> None:
        self.mask = bytearray(n + 1)
        for a, b in spans:
            self.take(a, b)

    def free(self, a: int, b: int) -> bool:
        return self.mask.find(1, a, b) < 0

    def take(self, a: int, b: int) -> None:
        self.mask[a:b] = b"\x01" * (b - a)


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
    weight: float = 1.0
    qualified: bool = False         # a division after a comma decided its candidates ("Paris, Texas")
    venue: bool = False             # once said as a venue's name ("Mount Sinai Hospital"): no home place


def _prior(c: Candidate, lookup: str, hint: str | None) -> float:
    """How likely the entry is meant, before context: larger places and higher levels first, exact
    names over alternate names over transliteration variants; a level word in the text decides."""
    e = c.entry
    size = 0.5 * math.log10(e.population + 1)
    if c.match == "local":
        return LOCAL_PRIOR
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
        base = {"continent": 4.5, "region": 4.5, "admin2": 2.0, "area": 3.0, "route": 3.0, "user": 3.0}.get(e.kind, 1.0)
    if c.match == "alias":
        base -= 1.0
    elif c.match == "skeleton":
        base += -2.0 + 1.5 * _spelling_ratio(lookup, e.name)
    if hint == "province":
        if e.kind in ("admin1", "admin2", "ocha_admin"):
            base += 3.5
        if e.kind == "admin1" or (e.kind == "ocha_admin" and e.feature == "A.ADM1"):
            base += 1.0
    elif hint == "town":
        base += 1.5 if e.kind in ("city", "ocha", "user") else 0.0
    return base


_ARTICLE = re.compile(r"^(?:al|el|ar|as|ash|at|ad|az|an|ed|es|er|et|en|ez)\s+")


# English spellings of one Arabic long vowel or diphthong (ي, و): Jayrud / Jirud, Qalamoun / Qalamun,
# Mayadeen / Mayadin. Folded before spellings are compared, ordered longest first.
_VOWEL_SPELLINGS = (("ay", "i"), ("ai", "i"), ("ei", "i"), ("ey", "i"), ("ee", "i"), ("ie", "i"),
                    ("ou", "u"), ("oo", "u"), ("aa", "a"))


def _fold_vowels(s: str) -> str:
    for a, b in _VOWEL_SPELLINGS:
        s = s.replace(a, b)
    return s


def _spelling_ratio(a: str, b: str) -> float:
    """How close two spellings are, the Arabic article and the spelling of long vowels aside
    (Hasaka / Al-Hasakeh, Jayrud / Jirud)."""
    x, y = _ARTICLE.sub("", norm(a)), _ARTICLE.sub("", norm(b))
    return difflib.SequenceMatcher(None, _fold_vowels(x), _fold_vowels(y)).ratio()


def _close_skeletons(cands: list[Candidate], lookup: str) -> list[Candidate]:
    """Skeleton matches are transliteration variants only when the spellings stay close; when the name
    itself matches entries, only very close variants stay in."""
    has_exact = any(c.match != "skeleton" for c in cands)
    short = len(skeleton(lookup).replace(" ", "")) < 3       # "Raqa": two consonants say little
    floor = 0.8 if has_exact or short else 0.75
    return [c for c in cands if c.match != "skeleton" or _spelling_ratio(lookup, c.entry.name) >= floor]


def _prefer_towns(cands: list[Candidate], hint: str | None) -> list[Candidate]:
    """A province named after its capital (Moscow, Idlib, New York): the bare name means the town unless the
    text says province. Drop the division when a same-named town inside it is also a candidate."""
    if hint == "province":
        return cands
    towns = {(c.entry.cc, c.entry.admin1) for c in cands
             if c.entry.kind in ("city", "ocha") and c.match == "name"}
    # a transliteration variant ("Deir Ezzor") of a division and of its same-named capital: the capital too
    same = {(c.entry.cc, c.entry.admin1, norm(c.entry.name)) for c in cands
            if c.entry.kind in ("city", "ocha") and c.match == "skeleton"}
    out = [c for c in cands
           if not (c.entry.kind in ("admin1", "ocha_admin") and (
               ((c.entry.cc, c.entry.admin1) in towns and c.match != "skeleton")
               or (c.match == "skeleton" and (c.entry.cc, c.entry.admin1, norm(c.entry.name)) in same)))]
    return out or cands


def _named_after_town(cands: list[Candidate]) -> bool:
    """Whether a candidate division has a same-named town inside it (Idlib, Aleppo, Homs): "southern
    Idlib" is then a part of the province, where "central Toledo" is a part of the town."""
    named = [c for c in cands if c.match != "skeleton"]
    towns = {(c.entry.cc, c.entry.admin1) for c in named if c.entry.kind in ("city", "ocha")}
    return any(c.entry.kind in ("admin1", "ocha_admin") and (c.entry.cc, c.entry.admin1) in towns for c in named)


def _softmax(xs: list[float]) -> list[float]:
    m = max(xs)
    ex = [math.exp(x - m) for x in xs]
    s = sum(ex)
    return [x / s for x in ex]


@lru_cache(maxsize=4)
def _county_patterns(plurals: tuple[str, ...]) -> tuple[re.Pattern, re.Pattern]:
    """"Barrow, Jackson and Madison counties": each name of the list is a county (list end; whole list)."""
    alt = "|".join(plurals)
    end = re.compile(r"^(?:(?:,|,?\s+and|,?\s+or)\s+[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)?)*"
                     rf"\s+({alt})\b", re.I)
    whole = re.compile(r"((?:[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)?(?:,\s+|,?\s+and\s+|,?\s+or\s+))+"
                       rf"[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)?)\s+({alt})\b")
    return end, whole


def _counties(gaz) -> tuple[re.Pattern, re.Pattern]:
    return _county_patterns(tuple(sorted(gaz.cues.county_plurals)))


def _clean(text: str, doc_text: str, start: int, end: int, gaz) -> tuple[str, str | None]:
    """The name to look up and a level hint from the words in and around the span."""
    p = gaz.cues.patterns
    t = _POSSESSIVE.sub("", text.strip()).strip()
    hint = None
    after = doc_text[end:end + 20]
    before = doc_text[max(0, start - 20):start]
    if _counties(gaz)[0].match(doc_text[end:end + 120]):
        hint = "county"
    elif p["after_admin"].match(after) or p["before_admin"].search(before):
        hint = "province"
    elif p["before_region"].search(before):
        hint = "part"
    elif p["after_town"].match(after) or p["before_town"].search(before):
        hint = "town"
    return t, hint


def _lookup_forms(t: str, gaz) -> list[tuple[str, str | None]]:
    """Forms of a span to try, most specific first: as written, without a level word, without a direction."""
    p = gaz.cues.patterns
    forms = [(t, None)]
    m = p["admin_suffix"].search(t)
    if m:
        forms.append((t[:m.start()], "province"))
    m = p["town_suffix"].search(t)
    if m:
        forms.append((t[:m.start()], "town"))
    for f, h in list(forms):
        d = p["direction"].match(f)
        if d and f[d.end():]:
            forms.append((f[d.end():], h))
    return forms


def _units(spans: list[tuple[int, int, str]], doc_text: str, gaz, dateline: Dateline | None = None) -> list[_Unit]:
    units: dict[str, _Unit] = {}
    for start, end, text in spans:
        t, hint = _clean(text, doc_text, start, end, gaz)
        if t in gaz.postal_codes and not doc_text[max(0, start - 2):start].endswith(", "):
            continue                     # "Today in LA": Los Angeles or Louisiana; a postal code alone says neither
        if not t or gaz.is_demonym(t) or gaz.is_generic(t) or (not t.isupper() and (
                t.lower() in common_words() or (len(norm(t).replace(" ", "")) < 3 and not t.endswith(".")))):
            continue                     # "Has" in a headline's title case is a verb; "Al" is no name
        cands: list[Candidate] = []
        lookup, form_hint = t, None
        forms = _lookup_forms(t, gaz)
        if hint == "county":
            word = gaz.cues.county_plurals[_counties(gaz)[0].match(doc_text[end:end + 120]).group(1).lower()]
            forms = [(f"{t} {word}", "province"), *forms]
        for form, h in forms:
            cands = gaz.candidate_entries(form)
            if cands:
                lookup, form_hint = form, h
                break
        if not cands:
            continue
        hint = form_hint if hint == "county" else hint or form_hint
        if hint == "part":               # "southern Idlib": the province named after its town, if any
            hint = "province" if _named_after_town(cands) else None
        cands = _prefer_towns(_close_skeletons(cands, lookup), hint)
        if not cands:
            continue
        key = f"{norm(lookup)}|{hint}"
        at_dateline = dateline is not None and (start, end) == (dateline.start, dateline.end)
        divisions = _within(doc_text, end, gaz)
        inside = [c for c in cands if any(_contains(w.entry, c.entry) for w in divisions)]
        if inside:                       # "Paris, Texas": the division named after it decides
            cands = inside
            key += "|" + ",".join(sorted({c.entry.gid for c in inside}))
        if at_dateline:
            key += "|dateline"
            if not inside and norm(lookup) in gaz.cues.standalone:     # "MIAMI —": the AP's Miami
                us = [c for c in cands if c.entry.cc == "US" and c.entry.kind == "city" and c.match == "name"]
                if us:
                    cands = [max(us, key=lambda c: c.entry.population)]
                    inside = cands
        u = units.get(key)
        if u is None:
            priors = [_prior(c, lookup, hint) for c in cands]
            u = units[key] = _Unit(key, lookup, hint, [], cands, priors, list(priors),
                                   weight=(W_DATELINE if inside else W_DATELINE_BARE) if at_dateline else 1.0,
                                   qualified=bool(inside))
        u.spans.append((start, end, text))
        after = doc_text[end:end + 40]
        if after[:1].isspace() and after.strip()[:1].isupper() and gaz.cues.patterns["venue_after"].match(after):
            u.venue = True
    return _one_sense(list(units.values()))


def _one_sense(units: list[_Unit]) -> list[_Unit]:
    """One sense per discourse: a name the document once qualifies ("Columbus, Ga.") means that place
    wherever it stands alone in the same document."""
    sure: dict[str, set[str]] = {}
    for u in units:
        if u.qualified:
            sure.setdefault(norm(u.lookup), set()).update(c.entry.gid for c in u.cands)
    for u in units:
        gids = sure.get(norm(u.lookup))
        if u.qualified or not gids:
            continue
        keep = [i for i, c in enumerate(u.cands) if c.entry.gid in gids]
        if keep and len(keep) < len(u.cands):
            u.cands = [u.cands[i] for i in keep]
            u.priors = [u.priors[i] for i in keep]
            u.scores = [u.scores[i] for i in keep]
    return units


def _contains(div: Entry, e: Entry) -> bool:
    """Whether a place lies in a country or first-level division (by codes)."""
    if div.kind == "country":
        return e.cc == div.cc and e.kind != "country"
    return e.cc == div.cc and e.admin1_code == div.admin1_code and e.kind not in ("country", "admin1")


def _admin_key(e: Entry) -> tuple | None:
    if e.kind == "country":
        return None
    if e.kind in ("admin1",) or (e.kind == "ocha_admin" and e.feature == "A.ADM1"):
        return (e.cc, e.admin1 or e.name)
    return (e.cc, e.admin1) if e.admin1 else None


def _votes(units: list[_Unit], probs: list[list[float]]):
    """Per unit, its weighted votes for countries and first-level divisions, and the totals. A name votes
    half by how likely each reading is and half by whether the division has a reading nearly as good as
    its best: "Henry County" (a dozen equal namesakes) still says that a Paris beside it may be Tennessee's.
    A reading found only through a spelling variant votes with half its probability."""
    per_unit, tot_c, tot_a = [], {}, {}
    for u, p in zip(units, probs):
        cv: dict[str, float] = {}
        av: dict[tuple, float] = {}
        top = max(p) if p else 1.0
        rel_c: dict[str, float] = {}
        rel_a: dict[tuple, float] = {}
        for c, pr in zip(u.cands, p):
            e = c.entry
            exact = c.match == "name"          # a spelling variant's reading is a guess: half a vote
            share = (1 - W_REL) if exact else 0.5
            if e.country:
                cv[e.country] = cv.get(e.country, 0.0) + share * pr * u.weight
                if exact:
                    rel_c[e.country] = max(rel_c.get(e.country, 0.0), pr / top)
            a = _admin_key(e)
            if a:
                av[a] = av.get(a, 0.0) + share * pr * u.weight
                if exact:
                    rel_a[a] = max(rel_a.get(a, 0.0), pr / top)
        for k, r in rel_c.items():
            cv[k] += W_REL * r * u.weight
        for k, r in rel_a.items():
            av[k] += W_REL * r * u.weight
        for k, v in cv.items():
            tot_c[k] = tot_c.get(k, 0.0) + v
        for k, v in av.items():
            tot_a[k] = tot_a.get(k, 0.0) + v
        per_unit.append((cv, av))
    return per_unit, tot_c, tot_a


def _nearness(units: list[_Unit], probs: list[list[float]], group: list[str] | None = None) -> list[np.ndarray]:
    """Per unit and candidate: the closeness (exp(-km/150), times the pick's confidence) of the nearest
    current pick of another name (countries and roads are no points to be near)."""
    group = group or [str(i) for i in range(len(units))]
    pts = [(i, u.cands[u.best].entry, max(p)) for i, (u, p) in enumerate(zip(units, probs))
           if u.best >= 0 and u.cands[u.best].entry.kind not in ("country", "route")]
    if not pts:
        return [np.zeros(len(u.cands)) for u in units]
    idx = np.array([i for i, _, _ in pts])
    plat = np.radians([e.lat for _, e, _ in pts])
    plon = np.radians([e.lon for _, e, _ in pts])
    conf = np.array([c for _, _, c in pts])
    out = []
    for i, u in enumerate(units):
        lat = np.radians([c.entry.lat for c in u.cands])[:, None]
        lon = np.radians([c.entry.lon for c in u.cands])[:, None]
        a = np.sin((plat - lat) / 2) ** 2 + np.cos(lat) * np.cos(plat) * np.sin((plon - lon) / 2) ** 2
        d = 2 * 6371.0088 * np.arcsin(np.minimum(1.0, np.sqrt(a)))
        same = np.array([group[j] == group[i] for j in idx])
        w = np.where(same, 0.0, conf) * np.exp(-d / 150.0)
        out.append(w.max(axis=1))
    return out


def _rescore(units: list[_Unit], targets: list[int]) -> None:
    """One round: the target units' candidates scored by prior plus the support of the other names'
    current readings (one name under several hints is one voice: it does not support itself)."""
    group = [norm(u.lookup) for u in units]
    probs = [_softmax(u.scores) for u in units]
    votes, tot_c, tot_a = _votes(units, probs)
    own: dict[str, tuple[dict, dict, float]] = {}
    for g, u, (cv, av) in zip(group, units, votes):
        oc, oa, ow = own.get(g, ({}, {}, 0.0))
        for k, v in cv.items():
            oc[k] = oc.get(k, 0.0) + v
        for k, v in av.items():
            oa[k] = oa.get(k, 0.0) + v
        own[g] = (oc, oa, ow + u.weight)
    total_w = sum(u.weight for u in units)
    near = _nearness(units, probs, group)
    new_scores = {}
    for i in targets:
        u = units[i]
        cv, av, w = own[group[i]]
        others = total_w - w
        if others <= 0:
            continue
        new = []
        for k, (c, prior) in enumerate(zip(u.cands, u.priors)):
            e = c.entry
            cs = (tot_c.get(e.country, 0.0) - cv.get(e.country, 0.0)) / others if e.country else 0.0
            a = _admin_key(e)
            as_ = (tot_a.get(a, 0.0) - av.get(a, 0.0)) / others if a else 0.0
            new.append(prior + W_COUNTRY * cs + W_ADMIN1 * as_ + W_NEAR * float(near[i][k]))
        new_scores[i] = new
    for i, sc in new_scores.items():
        units[i].scores = sc
        units[i].best = max(range(len(sc)), key=lambda k: sc[k])


def _resolve_units(units: list[_Unit], rounds: int = 2) -> None:
    for u in units:
        u.best = max(range(len(u.cands)), key=lambda i: u.scores[i]) if u.cands else -1
    if len(units) < 2:
        return
    for _ in range(rounds):
        _rescore(units, list(range(len(units))))


# --------------------------------------------------------------------------- the home town
def _town_level(e: Entry) -> bool:
    return e.kind in ("city", "ocha", "user") or e.precision == "town"


def _country_shares(units: list[_Unit]) -> dict[str, float]:
    """Each country's share of the document's names (their current picks, by weight)."""
    tot: dict[str, float] = {}
    for u in units:
        if u.best >= 0 and u.cands[u.best].entry.country:
            c = u.cands[u.best].entry.country
            tot[c] = tot.get(c, 0.0) + u.weight * len(u.spans)
    n = sum(tot.values()) or 1.0
    return {k: v / n for k, v in tot.items()}


def _admin_shares(units: list[_Unit]) -> dict[tuple, float]:
    """Each first-level division's share of the document's names (their current picks, by weight)."""
    tot: dict[tuple, float] = {}
    for u in units:
        a = _admin_key(u.cands[u.best].entry) if u.best >= 0 else None
        if a:
            tot[a] = tot.get(a, 0.0) + u.weight * len(u.spans)
    n = sum(tot.values()) or 1.0
    return {k: v / n for k, v in tot.items()}


def _anchor(units: list[_Unit]) -> _Unit | None:
    """The document's home place: the dateline's town, else the place the document leans on most (its
    mentions under every spelling, the headline and lead counting double, times the confidence of its
    pick and the shares of the document's names in its country and its state or province); a town before
    a district before a province."""
    shares, admin = _country_shares(units), _admin_shares(units)
    weight: dict[str, float] = {}
    best_unit: dict[str, _Unit] = {}
    for u in units:
        if u.best < 0 or u.cands[u.best].match == "local" or u.venue:
            continue
        e = u.cands[u.best].entry
        level = 1.0 if _town_level(e) else 0.7 if e.precision in ("district", "area") else \
            0.5 if e.precision == "province" else 0.0
        if level == 1.0 and u.weight > 1.0:
            return u
        conf = 2.0 * _margin(u) - 1.0           # a tie between namesakes says nothing
        share = shares.get(e.country or "", 0.0)
        if share < 0.3 or level == 0.0:
            continue
        size = (1.0 + math.log10(e.population + 1)) / 6.0 if e.kind == "city" else 1.0
        w = level * conf * share * (0.5 + admin.get(_admin_key(e), 0.0)) * size * u.weight * sum(
            2.0 if a < 600 else 1.0 for a, _, _ in u.spans)
        weight[e.gid] = weight.get(e.gid, 0.0) + w
        if e.gid not in best_unit or len(u.spans) > len(best_unit[e.gid].spans):
            best_unit[e.gid] = u
    if not weight:
        return None
    return best_unit[max(sorted(weight), key=lambda g: weight[g])]


def _unsupported(u: _Unit, units: list[_Unit]) -> bool:
    """A far namesake: a smallish town (or one matched only by an alternate spelling) in a country no
    other name of the document is in, while most of the other names share one country ("Kobani" as a
    Tanzanian town's alternate name in a Syrian report). Such a name is left unresolved, not put abroad."""
    if u.best < 0:
        return False
    c = u.cands[u.best]
    e = c.entry
    if e.kind not in ("city", "ocha") or c.match == "local" or u.qualified:
        return False
    if e.population >= LOCAL_MAX_POP and c.match == "name":
        return False
    shares = _country_shares([x for x in units if x is not u])
    return shares.get(e.country or "", 0.0) == 0.0 and max(shares.values(), default=0.0) >= 0.5


def _add_local_candidates(units: list[_Unit], anchor: _Unit) -> bool:
    """Give each name that has only far, smallish namesakes outside the home town's division a ``local``
    candidate: the home town itself (a neighbourhood the gazetteer does not hold)."""
    home = anchor.cands[anchor.best].entry
    added = False
    for u in units:
        if u is anchor or u.qualified or u.hint == "province" or not u.cands:
            continue
        es = [c.entry for c in u.cands]
        if any(e.kind != "city" or e.population >= LOCAL_MAX_POP for e in es):
            continue
        if any((e.cc, e.admin1_code) == (home.cc, home.admin1_code)
               or haversine_km(e.lat, e.lon, home.lat, home.lon) <= NEAR_KM for e in es):
            continue
        c = Candidate(home, "local")
        u.cands.append(c)
        u.priors.append(_prior(c, u.lookup, u.hint))
        u.scores.append(u.priors[-1])
        added = True
    return added


# --------------------------------------------------------------------------- finding the names
@lru_cache(maxsize=1)
def common_words() -> frozenset:
    """English words that are also place names somewhere (May, Many, One): never a place alone."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset({m.lower() for m in [*calendar.month_name[1:], *calendar.day_name]} | set(STOP_WORDS))


_COMMA_NEXT = re.compile(r"^,\s+((?:[A-Z][\w.]*\.?)(?:\s+[A-Z][\w.]*){0,2})")


def _within(text: str, end: int, gaz) -> list[Candidate]:
    """The division or country named right after a place (``Paris, Texas``, ``Tampa, Fla.``, ``Toledo, OH``)."""
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
        gid = gaz.cues.region_codes.get(name) or gaz.cues.region_codes.get(name.rstrip(".,"))
        e = gaz.entry(gid) if gid else None
        if e is not None:
            return [Candidate(e, "alias")]
    return []


def _place_context(text: str, start: int, end: int, gaz, persons_end: set[int], label: str = "") -> bool:
    """Whether the words around a span say it is a place. The weaker cues (an article before and a noun
    after; from/to/of before a larger town) do not overrule a person or nationality label."""
    p = gaz.cues.patterns
    before = text[max(0, start - 25):start]
    if p["place_before"].search(before) or p["place_after"].match(text[end:end + 30]) or _within(text, end, gaz):
        return True
    if label not in ("PERSON", "NORP"):
        if _ARTICLE_BEFORE.search(before) and _NOUN_AFTER.match(text[end:end + 30]):
            return True
        if p["weak_before"].search(before) and strong(text[start:end], gaz, WEAK_POP):
            return True
    # "Steven Sachs of Alexandria": a person's name, then of, then the place
    return before.endswith(" of ") and any(start - 4 - k in persons_end for k in (0, 1))


# "a Gainesville restaurant": an article, the name, a common noun
_ARTICLE_BEFORE = re.compile(r"(?:^|[^\w])(?:a|an)\s+$", re.I)
_NOUN_AFTER = re.compile(r"^\s+[a-z][a-z-]+\b")


def strong(name: str, gaz, population: int = STRONG_POP) -> bool:
    """The exact name of a town of some size, a division or a country."""
    if gaz.is_demonym(name) or gaz.is_generic(name) or len(name) < 3:
        return False
    return any(c.match == "name" and (c.entry.kind in ("admin1", "admin2", "country", "ocha", "ocha_admin")
                                      or (c.entry.kind == "city" and c.entry.population >= population))
               for c in gaz.candidate_entries(name, False))


def _major(name: str, gaz) -> bool:
    """A country or a national capital by its own name: such a name the model calls a person or
    organisation is the place standing for its government ("Tbilisi says")."""
    if gaz.is_demonym(name) or gaz.is_generic(name) or len(name) < 4:
        return False
    return any(c.match == "name" and (c.entry.kind == "country" or c.entry.feature == "P.PPLC")
               for c in gaz.candidate_entries(name, False))


# "Rep. Nick Rahall, D-W. Va.": party and state (or home town) of a US legislator
_PARTY_PLACE = re.compile(r"(?<![\w-])[DRI]-([A-Z][\w.]*(?: [A-Z][\w.]*)?)")


def person_tokens(ents, gaz) -> set[str]:
    """Words of multi-word person names ("Blaine Corle"): alone they are the person, not a place."""
    out = set()
    not_person, org = gaz.cues.patterns["not_person"], gaz.cues.patterns["org_word"]
    for e in ents:
        words = [w.strip(".,’'") for w in e.text.split()]
        if e.label == "ORG" and 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words) \
                and not org.search(e.text) and not any(not_person.match(w) for w in words) \
                and not strong(words[-1], gaz):
            out.add(words[-1])           # "Korryn Gaines" mistaken for an organisation: a surname
            continue
        if e.label != "PERSON":
            continue
        if len(words) < 2 or any(not_person.match(w) for w in words):
            continue
        out.update(w for w in words if w[:1].isupper())
    return out


_LIST_NEXT = re.compile(r"^(?:,\s+(?:and\s+|or\s+)?|\s+(?:and|or)\s+)([A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)?)")
_LIST_PREV = re.compile(r"([A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)?)(?:,\s+(?:and\s+|or\s+)?|,?\s+(?:and|or)\s+)$")
_LIST_END = re.compile(r"^(?:,\s+(?![\d(])|,?\s+(?:and|or)\s|(?P<word>\s+[a-z]+\b)|[.;:)]|\s*$)")


def _coordinated(text: str, spans, taken: _Taken, persons: _Taken, person_words, gaz) -> list[tuple[int, int, str]]:
    """Names listed with a place ("Lovejoy, Jonesboro and Riverdale"; "Barrow, Jackson and Madison
    counties") are places too when the gazetteer knows them and they are not part of a person's name."""
    out: list[tuple[int, int, str]] = []
    county_end = _counties(gaz)[0]
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
            if (not name or not taken.free(s, e) or not persons.free(s, e)
                    or name in person_words or name.lower() in common_words()):
                continue
            end = _LIST_END.match(text[e:e + 20])
            if not end or (end.group("word") and not county_end.match(text[e:e + 120])):
                continue                 # "Boston, Wagner said": not a list
            county = county_end.match(text[e:e + 120])
            if not (strong(name, gaz) or (county and gaz.candidate_entries(
                    f"{name} {gaz.cues.county_plurals[county.group(1).lower()]}", False))):
                continue
            taken.take(s, e)
            out.append((s, e, name))
            todo.append((s, e, name))
    return out


def find_dateline(ann: Annotation, gaz) -> Dateline | None:
    """The report's dateline whose name the gazetteer knows as a town, division or country."""
    for d in dateline_candidates(ann.doc.text, gaz.cues.patterns["agency"]):
        if gaz.is_generic(d.name) or d.name.lower() in common_words():
            continue
        if any(c.entry.kind in ("city", "ocha", "admin1", "country", "ocha_admin", "user")
               for c in gaz.candidate_entries(d.name, False) if c.match in ("name", "alias")):
            return d
    return None


def _entity_spans(ann: Annotation, gaz, dateline: Dateline | None = None) -> list[tuple[int, int, str]]:
    """Place spans: the NER's and the gazetteer patterns' place labels; the same name elsewhere in the
    document where the model labelled it otherwise or missed it (one sense per discourse), outside
    organisation names; and the dateline's place."""
    text = ann.doc.text
    p = gaz.cues.patterns
    ents = sorted(ann.entities, key=lambda e: (e.start, -(e.end - e.start)))
    spans: list[tuple[int, int, str]] = []
    taken = _Taken(len(text))

    def add(a: int, b: int, name: str) -> None:
        taken.take(a, b)
        spans.append((a, b, name))

    place_texts = set()

    def known(t: str) -> bool:
        return any(gaz.candidate_entries(f) for f, _ in _lookup_forms(_POSSESSIVE.sub("", t.strip()), gaz))

    # one sense per discourse: a name the model calls a person more often than a place is a person
    votes: dict[str, int] = {}
    for ent in ents:
        if ent.label in ("GPE", "LOC", "FAC"):
            votes[ent.text] = votes.get(ent.text, 0) + 1
        elif ent.label == "PERSON":
            votes[ent.text] = votes.get(ent.text, 0) - 1
    person_words = person_tokens(ents, gaz)
    persons_end = {e.end for e in ents if e.label == "PERSON"}
    mentions: dict[str, int] = {}
    in_context: dict[str, int] = {}
    for ent in ents:
        if ent.label in PLACE_LABELS or (" " not in ent.text and ent.text in person_words):
            continue
        mentions[ent.text] = mentions.get(ent.text, 0) + 1
        if _place_context(text, ent.start, ent.end, gaz, persons_end, ent.label):
            in_context[ent.text] = in_context.get(ent.text, 0) + 1
    # a town the model calls a person or organisation, said in place syntax often enough
    by_syntax = {t for t, n in in_context.items() if 4 * n >= mentions[t] and strong(t, gaz)}
    by_syntax |= {t for t in mentions if t not in person_words and _major(t, gaz)}
    # a name the model calls a person more often than a place is a person ...
    # ... and a surname of a person the document names in full ("David Hopkins" ... "Hopkins")
    persons = {t for t, v in votes.items() if (v < 0 or t in person_words) and t not in by_syntax
               and not (v > 0 and _major(t, gaz))}

    if dateline is not None:             # news datelines: "ROSWELL, N.M. —"
        add(dateline.start, dateline.end, dateline.name)
        place_texts.add(dateline.name.title())
    unknown = []
    for ent in ents:
        if ent.label in ("GPE", "LOC", "FAC") and (ent.text in persons
                                                  or p["title_before"].search(text[max(0, ent.start - 12):ent.start])):
            continue
        if ent.label in PLACE_LABELS and not known(ent.text):
            unknown.append(ent)          # a named building, road or office: see below for the place it names
            continue
        if ent.label in PLACE_LABELS and taken.free(ent.start, ent.end):
            add(ent.start, ent.end, ent.text)
            place_texts.add(ent.text)
    for m in _PARTY_PLACE.finditer(text):
        a, b = m.span(1)
        name = m.group(1).rstrip(",;")
        b = a + len(name)
        if taken.free(a, b) and (gaz.candidate_entries(name, False) and (strong(name, gaz) or any(
                c.entry.kind == "admin1" for c in gaz.candidate_entries(name, False)))):
            add(a, b, name)
    place_texts |= by_syntax
    other = _Taken(len(text), [(e.start, e.end) for e in ents if e.label not in PLACE_LABELS])
    for ent in ents:       # the same string labelled otherwise (e.g. a town tagged PERSON)
        if (ent.label in OTHER_LABELS or (ent.label == "NORP" and ent.text in by_syntax)) \
                and ent.text in place_texts and taken.free(ent.start, ent.end):
            add(ent.start, ent.end, ent.text)
    names = sorted((n for n in place_texts if len(n) >= 3 and n[:1].isupper()), key=lambda n: (-len(n), n))
    if names:                # ... or not labelled at all (one pass for every name)
        again = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w])")
        for m in again.finditer(text):
            a, b = m.span()
            if taken.free(a, b) and other.free(a, b):
                add(a, b, m.group(0))
    ent_spans = _Taken(len(text), [(e.start, e.end) for e in ents])
    for m in _CAPS.finditer(text):   # a town the model missed, in place syntax ("near Elbow Lake")
        a, b = m.span()
        name = m.group(0)
        if (taken.free(a, b) and ent_spans.free(a, b) and name not in person_words
                and name.lower() not in common_words() and strong(name, gaz)
                and _place_context(text, a, b, gaz, persons_end, "PERSON")):
            add(a, b, name)
    for m in _counties(gaz)[1].finditer(text):   # "Hitchcock and Hayes counties"
        word = gaz.cues.county_plurals[m.group(2).lower()]
        for n in re.finditer(r"[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)?", m.group(1)):
            a, b = m.start(1) + n.start(), m.start(1) + n.end()
            if taken.free(a, b) and gaz.candidate_entries(f"{n.group(0)} {word}", False):
                add(a, b, n.group(0))
    for m in _COUNTRY_POSSESSIVE.finditer(text):   # "Syria's Homs", "Syrias Homs" (apostrophe lost)
        a, b = m.span(2)
        name = m.group(2)
        if taken.free(a, b) and any(c.entry.kind == "country" and c.match == "name"
                                    for c in gaz.candidate_entries(m.group(1), False)) \
                and any(c.match != "skeleton" or len(name) > 5 for c in gaz.candidate_entries(name)):
            add(a, b, name)
    persons_taken = _Taken(len(text), [(e.start, e.end) for e in ents if e.label == "PERSON" and " " in e.text.strip()])
    spans.extend(_coordinated(text, list(spans), taken, persons_taken, person_words, gaz))
    for ent in unknown:    # a facility named after its place ("the Henderson County Jail"): the place
        hit = _leading_place(ent, gaz, taken, person_words)
        if hit:
            add(*hit)
    at_dateline = (dateline.start, dateline.end) if dateline else None
    modifier = gaz.cues.patterns["modifier_after"]
    return sorted(s for s in spans if s[:2] == at_dateline or not (
        in_street(text, s[0], s[1], gaz) or modifier.match(text, s[1])))


_ORDINAL_STREET = re.compile(r"^\s+(?:\d+(?:st|nd|rd|th)\s+|[A-Z][a-z]+\s+){0,2}(\w+)\.?")


def in_street(text: str, a: int, b: int, gaz) -> bool:
    """Whether a name is part of a street address: after "the 5600 block of", "the corner of X and", or
    before a street word ("Northwest 17th Avenue", "Western Way")."""
    if gaz.cues.patterns["street_before"].search(text[max(0, a - 60):a]):
        return True
    m = _ORDINAL_STREET.match(text[b:b + 40])
    return bool(m and gaz.cues.patterns["street_end"].fullmatch(m.group(1)))


_COUNTRY_POSSESSIVE = re.compile(r"\b([A-Z][a-z]+)(?:[’']s|s)\s+([A-Z][\w’'-]+(?:[ -][A-Z][\w’'-]+)?)")
_POSSESSOR = re.compile(r"^([A-Z][\w.]*(?: [A-Z][\w.]*)?)(?:[’']s|s)\s+(?=[A-Z])")


def _leading_place(ent, gaz, taken: _Taken, person_words) -> tuple[int, int, str] | None:
    """The longest leading name of a facility's name that is a place, unless a street is named after it;
    after a country's possessive ("Syria's Homs", "Syrias Homs" where the apostrophe was lost), the name
    that follows it."""
    m = _POSSESSOR.match(ent.text)
    if m and any(c.entry.kind == "country" for c in gaz.candidate_entries(m.group(1), False)):
        rest = ent.text[m.end():]
        name = re.split(r"\s+(?=[a-z])", rest)[0].rstrip(" .,;:-")
        a = ent.start + m.end()
        if name and taken.free(a, a + len(name)) and gaz.candidate_entries(name):
            return a, a + len(name), name
    street = gaz.cues.patterns["street_end"]
    for m in _CAPS.finditer(ent.text):
        if ent.text[:m.start()].strip().lower() not in ("", "the"):
            return None                  # "St. Patrick's Day": a name inside a longer name is not the place
        words = m.group(0).split(" ")
        for n in range(len(words), 0, -1):          # longest leading name that is a place
            name = " ".join(words[:n])
            a = ent.start + m.start()
            b = a + len(name)
            rest = ent.text[b - ent.start:].split()
            if rest and street.fullmatch(rest[0]):
                continue                 # a street named after a place does not mean that place
            if b - ent.start < len(ent.text) and taken.free(a, b) and name not in person_words and any(
                    c.match == "name" and c.entry.kind in ("city", "admin1", "admin2", "country", "ocha")
                    for c in gaz.candidate_entries(name, False)):
                return a, b, name
        return None
    return None


_CAPS = re.compile(r"\b[A-Z][a-z]+(?:[ -](?:[A-Z][a-z]+|of|on|upon))*(?:[ -][A-Z][a-z]+)?\b")


def _nearby_names(ann: Annotation, gaz, spans, units) -> list[tuple[int, int, str]]:
    """Capitalised names the NER missed (or tagged as an organisation or product) that are the exact
    name of a town or county within NEAR_KM of a town-level place the document already names: local news
    lists neighbouring places the statistical model does not know."""
    from spacy.lang.en.stop_words import STOP_WORDS

    said = {(a, b) for a, b, _ in spans}
    anchors = [(u.cands[u.best].entry.lat, u.cands[u.best].entry.lon) for u in units
               if u.best >= 0 and u.cands[u.best].entry.kind in ("city", "ocha", "admin2", "area")
               and u.cands[u.best].match != "local" and any((a, b) in said for a, b, _ in u.spans)]
    if not anchors:
        return []
    person_words = person_tokens(ann.entities, gaz)
    text = ann.doc.text
    taken = _Taken(len(text), [(a, b) for a, b, _ in spans])
    exact = {(e.start, e.end) for e in ann.entities if e.label not in PLACE_LABELS}
    blocked = _Taken(len(text), [(e.start, e.end) for e in ann.entities
                                 if e.label in ("PERSON", "NORP")])
    other = _Taken(len(text), [(e.start, e.end) for e in ann.entities if e.label not in PLACE_LABELS])
    out = []
    for m in _CAPS.finditer(text):
        a, b = m.span()
        name = m.group(0)
        if (not taken.free(a, b) or name.lower() in STOP_WORDS or gaz.is_demonym(name)
                or name in person_words or not blocked.free(a, b)):
            continue
        if not other.free(a, b) and (a, b) not in exact:
            continue                     # part of an organisation's name
        cands = [c for c in gaz.candidate_entries(name, skeletons=False)
                 if c.match == "name" and c.entry.kind in ("city", "ocha", "admin2")]
        if any(haversine_km(c.entry.lat, c.entry.lon, la, lo) <= NEAR_KM for c in cands for la, lo in anchors):
            out.append((a, b, name))
            taken.take(a, b)
    return out


def _context_names(ann: Annotation, gaz, spans) -> list[tuple[int, int, str]]:
    """Names of countries, states, counties and large cities inside organisation names ("the Ohio Department
    of Health", "Laurel County Sheriff's Office", "the Chicago Police Department"). They are not place
    mentions, but they say which state or county the document is about, so they vote in the resolution
    of the other names."""
    taken = _Taken(len(ann.doc.text), [(a, b) for a, b, _ in spans])
    venue, org = gaz.cues.patterns["venue_end"], gaz.cues.patterns["org_word"]
    out = []
    for ent in ann.entities:
        if ent.label not in ("ORG", "FAC") or not taken.free(ent.start, ent.end):
            continue
        for m in _CAPS.finditer(ent.text):
            words = m.group(0).split(" ")
            for n in range(len(words), 0, -1):
                name = " ".join(words[:n])
                if name == ent.text or gaz.is_demonym(name) or gaz.is_generic(name):
                    continue
                rest = ent.text[m.start() + len(name):].strip(" '’s")
                # a town's name heading an organisation's ("the Newburgh Police Department")
                heads = bool(rest) and m.start() <= 4 and bool(org.search(rest) or venue.search(rest))
                if not any((c.match in ("name", "alias") and c.entry.kind in ("admin1", "admin2", "country"))
                           or (c.match == "name" and c.entry.kind == "city"
                               and c.entry.population >= (STRONG_POP if heads else CONTEXT_CITY_POP))
                           for c in gaz.candidate_entries(name, False)):
                    continue
                a = ent.start + m.start()
                out.append((a, a + len(name), name))
                break
    return out


# --------------------------------------------------------------------------- the document's places
@dataclass
class DocumentPlaces:
    """Every place mention of a document resolved jointly, the dateline, and the document's main place
    (the dateline's town, else the town it leans on most): what an event's place is read against."""
    mentions: list[PlaceMention]
    dateline: Dateline | None = None
    main: Place | None = None
    units: list = field(default_factory=list, repr=False)
    text: str = field(default="", repr=False)

    def inside(self, start: int, end: int) -> list[PlaceMention]:
        """The resolved mentions within a span, in order."""
        return [m for m in self.mentions if start <= m.start and m.end <= end and m.place is not None]


def _resolve(ann: Annotation, gaz, spans, context, dateline) -> list[_Unit]:
    units = _units(sorted(spans + context), ann.doc.text, gaz, dateline)
    hidden = set(context)
    for u in units:                      # a name only inside organisation names votes with half a voice
        if all(sp in hidden for sp in u.spans):
            u.weight = W_CONTEXT
    _resolve_units(units)
    anchor = _anchor(units)
    if anchor is not None and _sure_home(anchor) and _add_local_candidates(units, anchor):
        _resolve_units(units)
    return units


def _margin(u: _Unit) -> float:
    """How sure the pick is against the best reading in another first-level division (a logistic of the
    score gap): a common name (Richmond) decided by its context is sure even though it has dozens of
    namesakes, and a town is no rival of its own province."""
    best = u.cands[u.best].entry
    home = (best.cc, best.admin1 or best.name)
    rivals = [sc for c, sc in zip(u.cands, u.scores) if (c.entry.cc, c.entry.admin1 or c.entry.name) != home]
    if not rivals:                   # the town and its own province are one answer, not rivals
        return 1.0
    return 1.0 / (1.0 + math.exp(-(u.scores[u.best] - max(rivals))))


def _sure_home(u: _Unit) -> bool:
    """A home town sure enough to stand for the names it may absorb: the dateline's, or a town picked with
    high confidence."""
    e = u.cands[u.best].entry
    return _town_level(e) and (u.weight > 1.0 or _margin(u) >= 0.8)


def document_places(ann: Annotation, kb) -> DocumentPlaces:
    """Resolve every place mention of the document with its context; find its dateline and main place."""
    gaz = kb.places
    dateline = find_dateline(ann, gaz)
    spans = _entity_spans(ann, gaz, dateline)
    context = _context_names(ann, gaz, spans)
    units = _resolve(ann, gaz, spans, context, dateline)
    extra = _nearby_names(ann, gaz, spans, units)
    if extra:
        units = _resolve(ann, gaz, spans + extra, context, dateline)
    hidden = set(context)
    out = []
    for u in units:
        place = None if _unsupported(u, units) else _place_of(u)
        for start, end, text in u.spans:
            if (start, end, text) not in hidden:
                out.append(PlaceMention(start, end, text, place))
    anchor = _headline_town(ann, units) or _anchor(units)
    main = _place_of(anchor) if anchor is not None else None
    return DocumentPlaces(sorted(out, key=lambda m: m.start), dateline, main, units, ann.doc.text)


_CUT_NAME = re.compile(r"\b[A-Z][a-z]{0,2}\.\s*$")       # "Paul" out of "St. Paul": no name of its own
_TITLE_SUFFIX = re.compile(r"\s+[-|–—«:]\s+|\s*\|\s*")


def _headline_town(ann: Annotation, units: list[_Unit]) -> _Unit | None:
    """The one town the headline names, when it names exactly one: a headline says where the happening
    was ("Shooting at Kokomo bar sends 4 to hospital"), a dateline where the reporter or the station is
    ("INDIANAPOLIS, Ind. —" over a story from Kokomo). The outlet's own suffix ("- WTVM Columbus, GA News")
    is not the headline."""
    title = (ann.doc.title or "").strip()
    if not title or not ann.doc.text.startswith(title[:40]):
        return None
    cut = _TITLE_SUFFIX.search(title)
    end = cut.start() if cut else len(title)
    text = ann.doc.text
    found: dict[str, _Unit] = {}
    for u in units:
        if u.best < 0 or u.cands[u.best].match == "local":
            continue
        in_headline = any(b <= end and not _CUT_NAME.search(text[max(0, a - 8):a]) for a, b, _ in u.spans)
        if in_headline and not _unsupported(u, units):
            found.setdefault(u.cands[u.best].entry.gid, u)
    if len(found) != 1:
        return None
    u = next(iter(found.values()))
    return u if _town_level(u.cands[u.best].entry) else None


def _place_of(u: _Unit) -> Place | None:
    if u.best < 0:
        return None
    c = u.cands[u.best]
    return c.entry.place()


def resolve_place_mentions(ann: Annotation, kb) -> list[PlaceMention]:
    """Every place mention of the document, resolved jointly with its context."""
    return document_places(ann, kb).mentions


def resolve_in_context(span: tuple[int, int, str], doc: DocumentPlaces, kb) -> Place | None:
    """One span that is no place mention of the document (e.g. an event's location as the linker cut it),
    resolved against the document's resolved names: its candidates scored with the others' picks."""
    gaz = kb.places
    units = _units([span], doc.text or span[2], gaz)
    if not units:
        return None
    u = units[0]
    home = _anchor(doc.units) if doc.units else None
    if home is not None and _sure_home(home):
        _add_local_candidates([u], home)
    u.best = max(range(len(u.cands)), key=lambda k: u.scores[k])
    if doc.units:
        both = [*doc.units, u]
        _rescore(both, [len(both) - 1])
    if doc.units and _unsupported(u, [*doc.units, u]):
        return None
    return _place_of(u)


def resolve_place(text: str, ann: Annotation | None, kb) -> Place | None:
    """One span (e.g. an event's location) in the context of its document's other place names."""
    if ann is None:
        return resolve_in_context((0, len(text), text), DocumentPlaces([], text=text), kb)
    doc = document_places(ann, kb)
    pos = ann.doc.text.find(text)
    if pos >= 0:
        for m in doc.mentions:
            if (m.start, m.end) == (pos, pos + len(text)):
                return m.place
    span = (pos, pos + len(text), text) if pos >= 0 else (0, len(text), text)
    doc_text = ann.doc.text if pos >= 0 else text
    return resolve_in_context(span, DocumentPlaces(doc.mentions, doc.dateline, doc.main, doc.units, doc_text), kb)


def geoparse(text: str, kb, annotator) -> list[PlaceMention]:
    """Annotate a bare text and resolve its places (for evaluation)."""
    ann = annotator.annotate(Document(id="x", path="x", text=text))
    return resolve_place_mentions(ann, kb)

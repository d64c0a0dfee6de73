"""The actor registry: canonical actors with aliases, country, PLOVER sector and offices held, read
from YAML files in ``sitrep/data/actors/`` plus any files the user names (``Config.actor_files``).

Names are matched after folding case, diacritics, apostrophes, hyphens, dots and the Arabic article
("al-"/"el-"), so "Çavuşoğlu", "Cavusoglu" and "Hay'at Tahrir al-Sham" / "Hayat Tahrir Sham" meet.
Short acronyms ("US", "IS", "UN") match only in capitals, so the pronoun "us" is never the United States.
Descriptions ("Turkish troops", "the Turkish leader", "regime forces") are read with the word lists
in ``descriptions.yaml``; the code holds only the general rules that combine them.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from sitrep.config import DATA_DIR
from sitrep.records import Actor

ACTOR_DIR = DATA_DIR / "actors"
KINDS = {"person", "state", "organisation", "armed group", "igo", "ngo", "media"}
# kinds that name an institution whose members a following noun can describe ("UN military personnel")
INSTITUTION_KINDS = {"organisation", "armed group", "igo", "ngo", "media"}


class ActorDataError(ValueError):
    """A malformed actor file: says which file and entry."""


# --------------------------------------------------------------------------- records
@dataclass(frozen=True)
class Term:
    """One office held for a period (dates ISO, open end = still in office)."""
    office: str
    country: str | None = None         # ISO alpha-3, or None for an international office
    org: str | None = None             # registry id of the organisation (IGO offices: "UN", "EU")
    start: str | None = None
    end: str | None = None
    leader: bool = False               # this office is what "the <country> leader" means


@dataclass(frozen=True)
class DatedName:
    """A name an actor carried for a period ("Jabhat al-Nusra" 2012-2016 for what became HTS)."""
    name: str
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True)
class Period:
    """A span of time in which an actor had another sector or country than its default: the Taliban
    were rebels 2001-2021 and the government after; Sudan's Rapid Support Forces a state force until
    the war of April 2023 and a party against the state after it."""
    start: str | None = None
    end: str | None = None
    sector: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class ActorEntry:
    id: str
    name: str
    kind: str
    country: str | None
    sector: str | None
    aliases: tuple[str, ...]
    office: str | None = None
    start: str | None = None
    end: str | None = None
    terms: tuple[Term, ...] = ()
    names: tuple[DatedName, ...] = ()
    demonyms: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    parent: str | None = None          # id of a coalition/organisation it belongs to
    metonym: bool = False              # a word that stands for a government (capital, "the Kremlin")
    pattern: bool = True               # offer its names to the entity ruler
    source: str = ""                   # file it came from
    user: bool = False                 # from a user file (wins ties)
    periods: tuple[Period, ...] = ()   # dated sector/country changes
    lists: tuple[str, ...] = ()        # public lists the facts come from (UCDP, FTO, UN, EU, ACLED...)
    lookup_only: tuple[str, ...] = ()  # aliases never offered to the entity ruler ("PDF", "RSF")

    def sector_at(self, when: str | None) -> str | None:
        """The sector on ``when``: a dated period's, else the entry's own (also when there is no date)."""
        p = self._period(when, "sector")
        return p.sector if p is not None else self.sector

    def country_at(self, when: str | None) -> str | None:
        p = self._period(when, "country")
        return p.country if p is not None else self.country

    def _period(self, when: str | None, attr: str) -> "Period | None":
        if not when:                    # no date: the entry's own sector and country
            return None
        return next((p for p in self.periods if getattr(p, attr) is not None and _covers(p.start, p.end, when)), None)

    def name_at(self, when: str | None) -> str:
        """The name the actor carried on ``when`` (a dated former name), else its canonical name."""
        if when:
            for dn in self.names:
                if _covers(dn.start, dn.end, when):
                    return dn.name
        return self.name

    def active(self, when: str | None) -> bool:
        if not when:
            return self.end is None
        if self.terms:
            return any(_covers(t.start, t.end, when) for t in self.terms)
        return _covers(self.start, self.end, when)


def _covers(start: str | None, end: str | None, when: str) -> bool:
    """Is the day ``when`` inside [start, end]? Partial dates compare by their prefix."""
    w = when[:10]
    if start and w < start[:10]:
        return False
    if end and w[: len(end)] > end[:10]:
        return False
    return True


# --------------------------------------------------------------------------- normalising
_APOS = dict.fromkeys(map(ord, "'’‘`´ʼʻ′"), None)
_ARTICLES = {"al", "el"}


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Matching key: lower case, no diacritics/apostrophes/dots, hyphens as spaces, no Arabic article,
    no leading 'the'."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = t.replace("ı", "i").replace("ł", "l").replace("ø", "o").replace("đ", "d").replace("ß", "ss")
    t = t.translate(_APOS).replace(".", "").lower()
    t = re.sub(r"[^\w]+", " ", t).replace("_", " ")
    toks = [w for w in t.split() if w not in _ARTICLES]
    if len(toks) > 1 and toks[0] == "the":
        toks = toks[1:]
    return " ".join(toks)


def _acronym(text: str) -> str | None:
    """'U.S.' -> 'US', 'HTS' -> 'HTS', 'LeT' -> 'LeT'; None unless the name is a short acronym (all
    capitals, or a mixed-case one of up to four letters), which matches only as written."""
    t = re.sub(r"^[Tt]he\s+", "", text.strip()).replace(".", "").strip()
    if 1 < len(t) <= 3 and t.isalpha() and t.isupper():
        return t
    if 2 < len(t) <= 4 and t.isalpha() and sum(c.isupper() for c in t) >= 2 and not t.isupper():
        return t                         # "LeT", "JeM", "HuJI": written so, never as the word "let"
    return None


def _capitals_only(name: str) -> bool:
    """An acronym of four or more capitals ("LTTE", "MEND", "FARC"): it names the actor only when
    the text has capitals too, so the verb "mend" is never the Niger Delta movement."""
    t = name.replace(".", "").strip()
    return len(t) >= 4 and t.isalpha() and t.isupper()


def _pattern_worthy(name: str) -> bool:
    """Is a name distinctive enough for the entity ruler? Several words need a capital ("international
    coalition" is too generic); one word must be an acronym of three or more capitals ("HTS"; "IS" and
    "AA" are too ambiguous) or a capitalised name of four letters or more ("Hamas")."""
    if len(name.split()) > 1 or re.search(r"[^\w]", name):     # "al-Qaeda": the ruler tokenises it
        if len(name.split()) == 1 and not re.search(r"\w{3}", name):
            return False
        return any(c.isupper() for c in name)
    if name.replace(".", "").isupper():
        return len(name.replace(".", "")) >= 3
    if _acronym(name):                                          # "LeT", "JeM"
        return True
    return name[:1].isupper() and len(name) >= 4


def _capital_word(word: str | None) -> bool:
    letters = [c for c in word or "" if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def case_fits(span_words: list[str] | tuple[str, ...], name_words: list[str] | tuple[str, ...],
              before: str | None = None, after: str | None = None, sentence_start: bool = False) -> bool:
    """Does a span that the entity ruler matched case-blind carry the capitals of the name it matched?
    An acronym must be written as it is ("HTS", not "hts") and not sit in a line of capitals between two
    words in capitals (``before``/``after``: "FRIENDS WHO ARE" is a caption, not the WHO). Another name
    fits when it is written as the name is, or all in capitals (a headline: "ISLAMIC STATE"), or when at
    least one of its capitalised words keeps its capital: "Syrian air force" and "Turkish army" are the
    names "Syrian Air Force" and "Turkish Army", while "the national army" has no capital left and is
    no name. A capital that only opens a sentence ``sentence_start`` ("National army units ...") does
    not count."""
    if len(span_words) != len(name_words):
        return False
    name_letters = "".join(c for w in name_words for c in w if c.isalpha())
    span_letters = "".join(c for w in span_words for c in w if c.isalpha())
    if name_letters.isupper():
        return list(span_words) == list(name_words) and not (_capital_word(before) and _capital_word(after))
    if span_letters.isupper() and len(span_letters) > 3:
        return True
    if all(s == n or n.islower() or (len(n) <= 3 and n.istitle()) for s, n in zip(span_words, name_words)):
        return True
    kept = [i for i, (s, n) in enumerate(zip(span_words, name_words))
            if any(c.isupper() for c in n) and s == n and len(n) > 3]
    return len(name_words) > 1 and any(i > 0 or not sentence_start for i in kept)


def _strip_possessive(text: str) -> str:
    return re.sub(r"[’'`]s?$", "", text.strip())


# --------------------------------------------------------------------------- descriptions
@dataclass(frozen=True)
class Descriptions:
    determiners: frozenset[str]
    sectors: dict                      # folded word(s) -> sector
    former: frozenset[str]
    modifiers: dict                    # folded word(s) -> {"country", "sector"}
    offices: dict                      # folded word(s) -> office key
    usage: dict                        # preposition/verb lists for is_actor_use
    mention_excluded: frozenset[str] = frozenset()
    force_heads: frozenset[str] = frozenset()

    @classmethod
    def load(cls, path: Path) -> "Descriptions":
        raw = _read_yaml(path)
        sectors = {fold(w): s for s, words in (raw.get("sectors") or {}).items() for w in words}
        offices = {fold(w): o for o, words in (raw.get("offices") or {}).items() for w in words}
        mods = {fold(k): (v or {}) for k, v in (raw.get("modifiers") or {}).items()}
        return cls(frozenset(fold(w) for w in raw.get("determiners") or ()), sectors,
                   frozenset(fold(w) for w in raw.get("former") or ()), mods, offices,
                   raw.get("usage") or {},
                   frozenset(fold(w) for w in raw.get("mention_excluded") or ()),
                   frozenset(fold(w) for w in raw.get("force_heads") or ()))


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path) -> dict:
    try:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, yaml.YAMLError) as exc:
        raise ActorDataError(f"{path}: cannot read actor file: {exc}") from exc
    if not isinstance(data, dict):
        raise ActorDataError(f"{path}: expected a mapping with an 'actors' list")
    return data


def _tuple(value, path, eid, key) -> tuple:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list):
        raise ActorDataError(f"{path}: actor {eid!r}: {key} must be a list")
    return tuple(str(v) for v in value if v is not None)


def _date(v) -> str | None:
    return None if v is None else str(v)


def _entries_from(path: Path, user: bool) -> list[ActorEntry]:
    raw = _read_yaml(path)
    items = raw.get("actors")
    if not isinstance(items, list):
        raise ActorDataError(f"{path}: expected a top-level 'actors' list")
    out = []
    for i, it in enumerate(items):
        if not isinstance(it, dict) or not it.get("name"):
            raise ActorDataError(f"{path}: entry {i} has no name")
        eid = str(it.get("id") or it["name"])
        kind = it.get("kind", "organisation")
        if kind not in KINDS:
            raise ActorDataError(f"{path}: actor {eid!r}: kind {kind!r} not one of {sorted(KINDS)}")
        country = it.get("country")
        terms = []
        for t in it.get("terms") or ():
            if not isinstance(t, dict) or not t.get("office"):
                raise ActorDataError(f"{path}: actor {eid!r}: each term needs an office")
            terms.append(Term(office=fold(t["office"]), country=t.get("country", country), org=t.get("org"),
                              start=_date(t.get("start")), end=_date(t.get("end")),
                              leader=bool(t.get("leader", False))))
        names = tuple(DatedName(str(n["name"]), _date(n.get("start")), _date(n.get("end")))
                      for n in it.get("former_names") or () if isinstance(n, dict) and n.get("name"))
        periods = []
        for p in it.get("periods") or ():
            if not isinstance(p, dict) or not (p.get("sector") or p.get("country")):
                raise ActorDataError(f"{path}: actor {eid!r}: each period needs a sector or a country")
            periods.append(Period(_date(p.get("start")), _date(p.get("end")), p.get("sector"), p.get("country")))
        start, end = _date(it.get("start")), _date(it.get("end"))
        if terms and start is None and end is None:
            starts = [t.start for t in terms if t.start]
            start = min(starts) if starts else None
            end = None if any(t.end is None for t in terms) else max(t.end for t in terms)
        office = it.get("office") or (terms[-1].office if terms else None)
        out.append(ActorEntry(
            id=eid, name=str(it["name"]), kind=kind, country=country, sector=it.get("sector"),
            aliases=_tuple(it.get("aliases"), path, eid, "aliases"), office=office, start=start, end=end,
            terms=tuple(terms), names=names, demonyms=_tuple(it.get("demonyms"), path, eid, "demonyms"),
            people=_tuple(it.get("people"), path, eid, "people"), parent=it.get("parent"),
            metonym=bool(it.get("metonym", False)), pattern=bool(it.get("pattern", True)),
            source=Path(path).name, user=user, periods=tuple(periods),
            lists=_tuple(it.get("lists"), path, eid, "lists"),
            lookup_only=_tuple(it.get("lookup_only"), path, eid, "lookup_only")))
    return out


# --------------------------------------------------------------------------- registry
# offices that make their holder "the leader" of an organisation ("the Hezbollah leader")
_HEAD_OFFICES = {"leader", "secretary-general", "commander-in-chief"}
_WORD = re.compile(r"[\w.'’\-]+|\(|\)")
_COMPLEMENT = {"of", "in", "at", "from", "near", "to", "throughout", "across", "inside", "on", "for", "based",
               "loyal", "outside", "around", "within", "against", "with"}


@dataclass
class _Item:
    kind: str                          # modifier | office | sector | entry | former
    zone: str                          # possessor | head | complement
    pos: int
    value: object
    key: str = ""                      # the folded words matched


@dataclass
class ActorRegistry:
    entries: dict[str, ActorEntry]
    descriptions: Descriptions
    index: dict[str, list[tuple[str, str]]] = field(default_factory=dict)     # folded -> [(id, how)]
    acronyms: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # "US" -> [(id, how)]
    holders: dict[tuple[str, str], list[tuple[str, Term]]] = field(default_factory=dict)
    capitals: set[tuple[str, str]] = field(default_factory=set)              # (folded, id) of long acronyms

    # ----------------------------------------------------------------- loading
    @classmethod
    def load(cls, extra_files: tuple[Path, ...] = ()) -> "ActorRegistry":
        """Shipped files (every ``*.yaml`` in data/actors except descriptions.yaml) and then the user's."""
        return _load_cached(tuple(str(p) for p in extra_files))

    @classmethod
    def from_files(cls, files: list[Path], user_files: tuple[Path, ...] = (),
                   descriptions: Path = ACTOR_DIR / "descriptions.yaml") -> "ActorRegistry":
        entries: dict[str, ActorEntry] = {}
        for path, user in [(f, False) for f in files] + [(Path(f), True) for f in user_files]:
            if user and not Path(path).is_file():
                raise ActorDataError(f"{path}: actor file not found")
            for e in _entries_from(path, user):
                entries[e.id] = e          # a later file (the user's) replaces an entry with the same id
        reg = cls(entries, Descriptions.load(descriptions))
        reg._build()
        return reg

    def _add(self, name: str, eid: str, how: str) -> None:
        acr = _acronym(name)
        if acr:
            self.acronyms.setdefault(acr, []).append((eid, how))
            return
        key = fold(name)
        if key:
            self.index.setdefault(key, []).append((eid, how))
            if _capitals_only(name):
                self.capitals.add((key, eid))

    def _build(self) -> None:
        self._build_index()
        # an acronym the entry also lists in lower case ("Nato" beside "NATO") is not capitals-only
        self.capitals = {(key, eid) for key, eid in self.capitals
                         if not any(fold(n) == key and not _capitals_only(n) for n in self._names(eid))}

    def _names(self, eid: str) -> tuple[str, ...]:
        e = self.entries[eid]
        return (e.name, *e.aliases, *e.lookup_only, *(dn.name for dn in e.names), *e.demonyms, *e.people)

    def _build_index(self) -> None:
        for e in self.entries.values():
            self._add(e.name, e.id, "name")
            for a in (*e.aliases, *e.lookup_only):
                self._add(a, e.id, "alias")
            for dn in e.names:
                self._add(dn.name, e.id, "alias")
            for d in e.demonyms:
                self._add(d, e.id, "demonym")
            for p in e.people:
                self._add(p, e.id, "people")
            for t in e.terms:
                key = t.country or t.org
                if key:
                    self.holders.setdefault((key, t.office), []).append((e.id, t))

    # ----------------------------------------------------------------- lookup
    def _candidates(self, text: str) -> list[tuple[str, str]]:
        text = _strip_possessive(text)
        acr = _acronym(text)
        if acr:
            return self.acronyms.get(acr, [])
        key = fold(text)
        cands = self.index.get(key, [])
        if cands and not any(c.isupper() for c in text):   # "mend", "farc": not an acronym's capitals
            cands = [c for c in cands if (key, c[0]) not in self.capitals]
        return cands

    def _best(self, cands: list[tuple[str, str]], when: str | None) -> ActorEntry | None:
        if not cands:
            return None
        order = {"name": 0, "alias": 0, "people": 1, "demonym": 2}

        def rank(c):
            e = self.entries[c[0]]
            return (not e.user, not e.active(when), order.get(c[1], 3), e.metonym,
                    -(int((e.start or "0000")[:4])) if e.kind == "person" else 0)
        return self.entries[min(cands, key=rank)[0]]

    def lookup(self, text: str, when: str | None = None) -> ActorEntry | None:
        """The actor a name, alias or spelling variant stands for (the one active on ``when``)."""
        if not text or not text.strip():
            return None
        cands = self._candidates(text.strip())
        if " " not in text.strip() and not any(c.isupper() for c in text):
            # one-word names are written with capitals: "a male and a female" names no capital city (Male);
            # only an alias written in lower case in the registry matches a lower-case word
            key = fold(text.strip())
            cands = [c for c in cands if any(not any(ch.isupper() for ch in n) and fold(n) == key
                                             for n in self._names_of(c[0]))]
        return self._best(cands, when)

    def _names_of(self, entry_id: str) -> tuple[str, ...]:
        e = self.entries[entry_id]
        return (e.name, *e.aliases, *e.demonyms, *e.people)

    def holder(self, key: str, office: str, when: str | None) -> ActorEntry | None:
        """Who held ``office`` for ``key`` (country ISO3 or organisation id) on ``when``.
        ``office == 'leader'`` means whoever held an office marked as the leader's."""
        if not when:
            return None
        office = fold(office)
        pools = ([v for (k, _), v in self.holders.items() if k == key] if office == "leader"
                 else [self.holders.get((key, office), [])])
        found = [(eid, t) for pool in pools for eid, t in pool
                 if (office != "leader" or t.leader or t.office in _HEAD_OFFICES) and _covers(t.start, t.end, when)]
        if not found:
            return None
        # a user's entry first, then the latest to take office
        eid, _ = max(found, key=lambda f: (self.entries[f[0]].user, f[1].start or ""))
        return self.entries[eid]

    # ----------------------------------------------------------------- describe
    def _segment(self, text: str, when: str | None) -> list[_Item]:
        d = self.descriptions
        text = re.sub(r"\([^)]*\)|[{}\[\]\"“”]", " ", text)
        raw = [w.strip("-") for w in _WORD.findall(text)]
        toks = []
        for w in raw:                                   # split a possessive off its word
            m = re.match(r"^(.+?)[’']s?$", w)
            if m and (w.endswith("'s") or w.endswith("’s") or w.endswith("s'") or w.endswith("’")):
                toks += [m.group(1), "'s"]
            elif w and w not in ("(", ")"):
                toks.append(w)
        folded = [fold(t) if t != "'s" else "'s" for t in toks]
        i = 0
        while i < len(toks) and (folded[i] in d.determiners or folded[i].isdigit() or folded[i] in ("of", "")
                                 or re.fullmatch(r"[\d,.]+", toks[i])):
            i += 1
        items: list[_Item] = []
        zone = "head"
        if "'s" in folded[i:]:
            zone = "possessor"
        while i < len(toks):
            f = folded[i]
            if f == "'s":
                zone, i = "head", i + 1
                continue
            if not f:
                i += 1
                continue
            found = None
            for n in range(min(7, len(toks) - i), 0, -1):
                orig = " ".join(toks[i:i + n])
                key = " ".join(x for x in folded[i:i + n] if x)
                if "'s" in folded[i:i + n]:
                    continue
                if key in d.modifiers and n > 1 or (n == 1 and key in d.modifiers and key not in d.sectors):
                    found = _Item("modifier", zone, i, d.modifiers[key])
                elif key in d.offices:
                    found = _Item("office", zone, i, d.offices[key])
                elif key in d.sectors or (key.endswith("s") and key[:-1] in d.sectors and n == 1):
                    found = _Item("sector", zone, i, d.sectors.get(key) or d.sectors[key[:-1]], key)
                    if d.modifiers.get(key, {}).get("country"):     # "regime": GOV and Syrian
                        items.append(_Item("modifier", zone, i, {"country": d.modifiers[key]["country"]}))
                elif key in d.modifiers:
                    found = _Item("modifier", zone, i, d.modifiers[key])
                elif n == 1 and key in d.former:
                    found = _Item("former", zone, i, True)
                else:
                    e = self.lookup(orig, when)
                    if e is not None:
                        found = _Item("entry", zone, i, e)
                if found:
                    items.append(found)
                    i += n
                    break
            else:
                if zone == "head" and f in _COMPLEMENT and items:
                    zone = "complement"
                i += 1
        return items

    def describe(self, text: str, when: str | None = None) -> Actor | None:
        """An actor from a description: a demonym/country/organisation plus a sector noun or an office.
        'Turkish troops' -> TUR MIL; 'the Turkish leader' (2020) -> Erdogan; 'the militants' -> REB."""
        if not text or not text.strip():
            return None
        items = self._segment(text, when)
        if not items:
            return None
        head = [it for it in items if it.zone == "head"]
        other = [it for it in items if it.zone != "head"]

        def country_of(its):
            for it in its:
                if it.kind == "entry" and it.value.country_at(when):
                    return it.value.country_at(when)
                if it.kind == "modifier" and it.value.get("country"):
                    return it.value["country"]
            return None

        def org_of(its):
            for it in its:
                if it.kind == "entry" and it.value.kind in INSTITUTION_KINDS | {"state"}:
                    return it.value
            return None

        country = country_of(head) or country_of([i for i in other if i.zone == "possessor"]) \
            or country_of([i for i in other if i.zone == "complement"])
        sector_items = [it for it in head if it.kind == "sector"]
        office_items = [it for it in head if it.kind == "office"]
        former = any(it.kind == "former" for it in head)
        entries = [it for it in head if it.kind == "entry"]
        last_noun = max((it.pos for it in sector_items + office_items), default=-1)

        # a named person after a title ("President Bill Clinton", "Iraqi President Saddam Hussein")
        persons = [it for it in entries if it.value.kind == "person" and it.pos > last_noun]
        if persons:
            e = persons[-1].value
            return self._actor(e, text, when, sector="ELI" if former else None)
        # an institution whose members a following noun describes ("UN military personnel", "Hamas fighters")
        insts = [it for it in entries if it.value.kind in INSTITUTION_KINDS and not it.value.metonym]
        if insts and not office_items and insts[-1] is entries[-1]:
            e = insts[-1].value
            sector = None                # "UN military observers": the noun says which part of the UN
            if e.kind in ("igo", "ngo", "organisation") and sector_items and sector_items[-1].pos > insts[-1].pos:
                sector = sector_items[-1].value
            return self._actor(e, text, when, sector=sector)
        if office_items and (not sector_items or office_items[-1].pos >= sector_items[-1].pos):
            office = office_items[-1].value
            if former:
                return Actor(name=None, text=text, country=country, sector="ELI")
            org = org_of(head + other)
            e = None
            for key in self._holder_keys(office, country_of(head), org, country):
                e = self.holder(key, office, when)
                if e is not None:
                    break
            if e is not None:
                return self._actor(e, text, when, sector="GOV" if e.sector in (None, "IGO") else None)
            if org is not None and org.kind in INSTITUTION_KINDS and org.sector not in (None, "GOV"):
                return Actor(name=org.name, text=text, country=org.country, sector=org.sector, actor_id=org.id)
            return Actor(name=None, text=text, country=country, sector="GOV")
        if sector_items:
            sector = sector_items[-1].value
            head_word = sector_items[-1]
            if any(it.pos < head_word.pos and (it.kind == "modifier" and it.value.get("sector") == "REB"
                                               or it.kind == "sector" and it.value == "REB") for it in head) and head_word.key in self.descriptions.force_heads:
                sector = "REB"           # "Islamist militias", "opposition forces"
            if former and sector == "GOV":
                sector = "ELI"
            return Actor(name=None, text=text, country=country, sector=sector)
        mods = [it for it in head if it.kind == "modifier" and it.value.get("sector")]
        if mods:
            return Actor(name=None, text=text, country=country, sector=mods[-1].value["sector"])
        if entries:                     # "NATO-member Norway": the rightmost name is the head
            return self._actor(entries[-1].value, text, when)
        if country:
            return Actor(name=None, text=text, country=country, sector=None)
        return None

    def _holder_keys(self, office: str, head_country, org, country) -> list[str]:
        """Where to look for the holder of an office: the named country, the named organisation, any
        other country in the phrase, then the one organisation that has such an office ("UN envoy")."""
        org_id = org.id if org is not None and org.kind != "state" else None
        keys = [k for k in ((org_id, head_country) if org_id and org.kind in INSTITUTION_KINDS
                            else (head_country, org_id)) if k] + ([country] if country else [])
        orgs = {k for (k, o) in self.holders if o == office and k in self.entries
                and self.entries[k].kind in INSTITUTION_KINDS}
        if len(orgs) == 1:
            keys += list(orgs)
        return list(dict.fromkeys(keys))

    def _actor(self, e: ActorEntry, text: str, when: str | None, sector: str | None = None) -> Actor:
        return Actor(name=e.name_at(when), text=text, country=e.country_at(when),
                     sector=sector or e.sector_at(when), actor_id=e.id)

    def resolve(self, text: str, when: str | None = None) -> Actor | None:
        """A name first (exact registry match), then a description."""
        if not text or not text.strip():
            return None
        clean = re.sub(r"\s*\([^)]*\)", "", text).strip(" \t\n{}[]\"“”.,;:")
        e = self.lookup(clean, when)
        if e is None:
            words = clean.split()
            while words and fold(words[0]) in self.descriptions.determiners:
                words = words[1:]
            e = self.lookup(" ".join(words), when) if words else None
        if e is not None:
            return self._actor(e, text, when)
        return self.describe(clean, when)

    # ----------------------------------------------------------------- entity ruler
    def patterns(self) -> list[dict]:
        """EntityRuler phrase patterns (label ACTOR) for names a statistical NER tends to miss: armed groups,
        state forces, organisations, outlets and officials. Countries, capitals and demonyms are left to the
        NER (they are places too), and so are ``lookup_only`` aliases ("PDF", "RSF"). The ruler matches
        case-blind, which costs the same for ten names or ten thousand; ``case_fits`` then drops a match
        whose capitals are not the name's, so "HTS" is never "hts" and "National Army" never "national army"."""
        out, seen = [], set()
        places = {fold(n) for e in self.entries.values() if e.kind == "state" or e.metonym
                  for n in (e.name, *e.aliases, *e.demonyms, *e.people)}
        for e in self.entries.values():
            if e.kind == "state" or e.metonym or not e.pattern:
                continue
            for n in (e.name, *e.aliases, *(dn.name for dn in e.names)):
                n = n.strip()
                if not n or n in seen or fold(n) in places or n.startswith("the "):  # "Brussels" stays a place
                    continue
                seen.add(n)
                if _pattern_worthy(n):
                    out.append({"label": "ACTOR", "pattern": n, "id": e.id})
        return out

    def plover_codes(self, actor: Actor | None) -> tuple[str | None, str | None]:
        """(country, sector) in the PLOVER gold records' convention: an international organisation's
        country field is "IGO" (an NGO's "NGO") and a bare state has no sector."""
        if actor is None:
            return None, None
        e = self.entries.get(actor.actor_id or "")
        if e is not None and e.kind in ("igo", "ngo") or (actor.country is None and actor.sector in ("IGO", "NGO")):
            code = (e.sector if e is not None and e.sector in ("IGO", "NGO") else actor.sector) or "IGO"
            sector = None if actor.sector in ("IGO", "NGO") else actor.sector
            if e is not None and e.kind == "person":
                sector = "GOV"
            return code, sector
        if e is not None and e.kind == "person" and e.sector == "IGO":
            return "IGO", "GOV"
        return actor.country, actor.sector


@lru_cache(maxsize=8)
def _load_cached(extra: tuple[str, ...]) -> ActorRegistry:
    files = sorted(p for p in ACTOR_DIR.glob("*.yaml") if p.name != "descriptions.yaml")
    return ActorRegistry.from_files(files, tuple(Path(p) for p in extra))


def is_actor_use(span, nlp_doc=None) -> bool:
    """Is this GPE/NORP span used as an actor ("Turkey retaliated", "talks with Ankara") rather than
    as a place ("in Turkey")? Decided from the dependency role of the span's root."""
    d = _usage()
    root = span.root
    tok = root
    while tok.dep_ in ("compound", "conj", "appos") and tok.head is not tok:
        if tok.dep_ == "compound":
            return True                # "Turkish troops", "Syria government": part of a larger actor
        tok = tok.head
    dep = tok.dep_
    if dep in ("nsubj", "nsubjpass", "csubj", "poss", "amod", "nmod", "agent"):
        return True
    if dep in ("dobj", "dative", "attr", "oprd"):
        return tok.head.lemma_.lower() not in d["motion_verbs"]
    if dep == "pobj":
        prep = tok.head
        word = prep.text.lower()
        if word in d["actor_prepositions"]:
            return True
        if word == "of" and prep.head.lemma_.lower() in d["actor_of_heads"]:
            return True
        return False
    return False


@lru_cache(maxsize=1)
def _usage() -> dict:
    raw = _read_yaml(ACTOR_DIR / "descriptions.yaml").get("usage") or {}
    return {k: frozenset(str(w).lower() for w in raw.get(k, ()))
            for k in ("motion_verbs", "actor_prepositions", "actor_of_heads")}


__all__ = ["ActorEntry", "ActorRegistry", "ActorDataError", "Term", "DatedName", "Period", "fold", "case_fits",
           "is_actor_use"]

"""The PLOVER event ontology and the trigger lexicon, loaded from ``sitrep/data/events/``.

Why data: types, modes, old names, export mappings and trigger words change with the ontology version and
the domain; code only reads them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from sitrep.config import DATA_DIR

EVENTS_DIR = DATA_DIR / "events"


@lru_cache(maxsize=4)
def _load_yaml(path: str) -> dict:
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    return data


def load_triggers(path: Path | None = None) -> dict:
    """The raw trigger lexicon (triggers.yaml), cached."""
    return _load_yaml(str(path or EVENTS_DIR / "triggers.yaml"))


def _split(value: str) -> tuple[str, str | None]:
    typ, _, mode = str(value).partition("/")
    return typ.strip(), (mode.strip() or None)


@dataclass(frozen=True)
class Triggers:
    """The lexicon in the shape the extractor needs: lookups by lemma, all read-only."""
    verbs: dict[str, tuple[str, str | None]]
    nouns: dict[str, tuple[str, str | None]]
    phrases: dict[str, list[tuple[tuple[str, ...], str, str | None]]]   # first lemma -> [(lemmas, type, mode)]
    mode_cues: dict[str, list[tuple[str, frozenset[str]]]]
    light_verbs: frozenset[str]
    absorbing_types: frozenset[str]
    planned: frozenset[str]
    hypothetical: frozenset[str]
    denied: frozenset[str]
    planned_aux: frozenset[str]
    hypothetical_aux: frozenset[str]
    conditional_marks: frozenset[str]
    negations: frozenset[str]
    count_verbs: dict[str, str]          # lemma -> killed | injured | displaced | arrested
    count_nouns: frozenset[str]
    object_cues: dict[str, dict[str, tuple[str, str | None]]] = field(default_factory=dict)
    place_nouns: frozenset[str] = frozenset()
    deontic_aux: frozenset[str] = frozenset()
    cameo: "CameoLexicon | None" = None   # second lexicon for words the lists above lack (None: not used)
    cameo_alone: bool = False            # True: CAMEO is the only typing lexicon (evaluation), not a fallback
    undergo_verbs: frozenset[str] = frozenset()   # "X died": the subject is the target


@dataclass(frozen=True)
class CameoLexicon:
    """The CAMEO-derived lexicon (``events/cameo_verbs.tsv``, built by ``scripts/build_cameo_lexicon.py`` from
    PETRARCH2's CAMEO verb dictionary, MIT licence): PLOVER (type, mode) readings of verbs, of verb + object,
    particle, preposition or subject patterns, and of event nouns. Type ``NONE`` marks a statement (CAMEO 01):
    known, but no event.

    Why a second lexicon: ``triggers.yaml`` was written while reading our development records; this one was
    compiled by others on other news, so it types words and patterns our lists never met."""
    verbs: dict[str, tuple[str, str | None]]                   # lemma -> reading of the verb alone
    blocks: dict[str, tuple[str, ...]]                         # lemma -> dictionary blocks it belongs to
    patterns: dict[tuple[str, str, str], tuple[str, str | None, float]]   # (kind, block, arg) -> reading
    particles: dict[tuple[str, str], tuple[str, str | None]]   # (lemma, particle) -> reading
    nouns: dict[str, tuple[str, str | None]]
    block_types: dict[str, tuple[str, str | None]]             # block -> type its object patterns mostly give
    sets: dict[str, frozenset[str]]                            # synonym set -> member heads

    def pattern(self, kind: str, lemma: str, arg: str) -> tuple[str, str | None] | None:
        """Reading of a verb with one argument (``kind``: obj, prep, subj; ``arg``: a head lemma, or
        "prep head"), over the verb's blocks, the argument itself, else a synonym set it belongs to; the most
        supported reading wins. Example: ("obj", "impose", "curfew") -> ("COERCE", "curfew")."""
        blocks = self.blocks.get(lemma, ())
        found = [self.patterns[(kind, b, arg)] for b in blocks if (kind, b, arg) in self.patterns]
        if not found:       # the word itself is more telling than a set it belongs to
            head = arg.rsplit(" ", 1)[-1]
            prefix = arg[: len(arg) - len(head)]
            sets = [prefix + name for name, heads in sorted(self.sets.items()) if head in heads]
            found = [self.patterns[(kind, b, a)] for b in blocks for a in sets if (kind, b, a) in self.patterns]
        if not found:
            return None
        t, m, _ = max(found, key=lambda r: r[2])
        return t, m

    def block_type(self, lemma: str) -> tuple[str, str | None] | None:
        """The type a verb's dictionary blocks mostly give to its objects ("send" -> AID), or None."""
        found = [self.block_types[b] for b in self.blocks.get(lemma, ()) if b in self.block_types]
        return found[0] if found else None


@lru_cache(maxsize=4)
def load_cameo_lexicon(path: Path | None = None) -> CameoLexicon | None:
    """The CAMEO lexicon file (tab-separated; see its header), or None when it is not shipped."""
    path = Path(path or EVENTS_DIR / "cameo_verbs.tsv")
    if not path.is_file():
        return None
    verbs: dict[str, tuple[str, str | None, float]] = {}
    blocks: dict[str, list[str]] = {}
    patterns, particles, nouns, block_types = {}, {}, {}, {}
    sets: dict[str, set[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        kind, key, arg, _code, typ, mode, support = line.split("\t")
        reading = (typ, mode or None)
        w = float(support or 0)
        if kind == "verb":
            blocks.setdefault(key, []).append(arg)
            if typ and (key not in verbs or w > verbs[key][2]):
                verbs[key] = (typ, mode or None, w)
        elif kind == "prt":
            particles[(key, arg)] = reading
        elif kind == "noun":
            nouns[key] = reading
        elif kind == "verbp":
            block_types[key] = reading
        elif kind == "set":
            sets.setdefault(key, set()).add(arg)
        else:
            patterns[(kind, key, arg)] = (typ, mode or None, w)
    return CameoLexicon(verbs={k: (t, m) for k, (t, m, _) in verbs.items()},
                        blocks={k: tuple(v) for k, v in blocks.items()}, patterns=patterns, particles=particles,
                        nouns=nouns, block_types=block_types, sets={k: frozenset(v) for k, v in sets.items()})


@dataclass(frozen=True)
class Casualties:
    """Words that state casualties and arrests, and the nouns that count people (``casualties.yaml``)."""
    kind_of: dict[str, str]                 # lemma -> killed | injured | shot | arrested | kidnapped | displaced
    fatal_adverbs: frozenset[str]
    fatal_objects: frozenset[str]
    fatal_predicates: frozenset[str]
    result_verbs: frozenset[str]
    reduced_passive: frozenset[str]
    person_nouns: frozenset[str]
    quantity_nouns: frozenset[str]
    one_person_pronouns: frozenset[str]
    nobody: frozenset[str]
    care_nouns: frozenset[str] = frozenset()
    suffer_verbs: frozenset[str] = frozenset()
    treat_verbs: frozenset[str] = frozenset()
    incident_nouns: frozenset[str] = frozenset()
    series_nouns: frozenset[str] = frozenset()
    charge_nouns: frozenset[str] = frozenset()
    face_verbs: frozenset[str] = frozenset()
    reflexives: frozenset[str] = frozenset()
    weapon_nouns: frozenset[str] = frozenset()
    life_verbs: frozenset[str] = frozenset()
    life_nouns: frozenset[str] = frozenset()
    multiple_nouns: dict[str, str] = field(default_factory=dict)    # "shooting" -> shot
    multiples: dict[str, int] = field(default_factory=dict)         # "triple" -> 3
    murder_suicide: tuple[str, ...] = ()


@lru_cache(maxsize=4)
def load_casualties(path: Path | None = None) -> Casualties:
    raw = _load_yaml(str(path or EVENTS_DIR / "casualties.yaml"))
    kind_of: dict[str, str] = {}
    for kind, words in (raw.get("kinds") or {}).items():
        for w in words:
            kind_of.setdefault(str(w).lower(), kind)
    fs = lambda key: frozenset(str(x).lower() for x in (raw.get(key) or []))   # noqa: E731
    return Casualties(kind_of=kind_of, fatal_adverbs=fs("fatal_adverbs"), fatal_objects=fs("fatal_objects"),
                      fatal_predicates=fs("fatal_predicates"), result_verbs=fs("result_verbs"),
                      reduced_passive=fs("reduced_passive"), person_nouns=fs("person_nouns"),
                      quantity_nouns=fs("quantity_nouns"), one_person_pronouns=fs("one_person_pronouns"),
                      nobody=fs("nobody"), care_nouns=fs("care_nouns"), suffer_verbs=fs("suffer_verbs"),
                      treat_verbs=fs("treat_verbs"), incident_nouns=fs("incident_nouns"),
                      series_nouns=fs("series_nouns"), charge_nouns=fs("charge_nouns"), face_verbs=fs("face_verbs"),
                      reflexives=fs("reflexives"), weapon_nouns=fs("weapon_nouns"),
                      life_verbs=fs("life_verbs"), life_nouns=fs("life_nouns"),
                      multiple_nouns={str(k).lower(): str(v) for k, v in (raw.get("multiple_nouns") or {}).items()},
                      multiples={str(k).lower(): int(v) for k, v in (raw.get("multiples") or {}).items()},
                      murder_suicide=tuple(str(w).lower() for w in raw.get("murder_suicide") or ()))


@dataclass
class Ontology:
    types: list[str]
    definitions: dict[str, str]
    aliases: dict[str, str]
    _modes: dict[str, list[str]]
    _acled: dict[str, dict[str, tuple[str, str | None]]]
    _cameo: dict[str, str]
    _cameo_by_mode: dict[str, dict[str, str]]
    _intent: dict[str, str]
    _penta: dict[int, list[str]] = field(default_factory=dict)
    _triggers_path: Path | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, path: Path | None = None, triggers_path: Path | None = None) -> "Ontology":
        data = _load_yaml(str(path or EVENTS_DIR / "plover.yaml"))
        types_data = data.get("types") or {}
        if len(types_data) != 16:
            raise ValueError(f"plover.yaml: expected 16 PLOVER types, found {len(types_data)}")
        acled = {}
        for t, d in types_data.items():
            acled[t] = {k: (v[0], v[1] if len(v) > 1 else None) for k, v in (d.get("acled") or {}).items()}
        return cls(
            types=list(types_data),
            definitions={t: d.get("definition", "") for t, d in types_data.items()},
            aliases={k.upper(): v for k, v in (data.get("aliases") or {}).items()},
            _modes={t: list(d.get("modes") or []) for t, d in types_data.items()},
            _acled=acled,
            _cameo={t: str(d["cameo"]) for t, d in types_data.items() if d.get("cameo")},
            _cameo_by_mode={t: {k: str(v) for k, v in (d.get("cameo_by_mode") or {}).items()}
                             for t, d in types_data.items()},
            _intent={t: d.get("intent", t) for t, d in types_data.items()},
            _penta={int(k): [str(t) for t in v] for k, v in (data.get("penta") or {}).items()},
            _triggers_path=triggers_path,
        )

    def canonical(self, name: str) -> str:
        """Old or variant names to the current PLOVER name (FIGHT -> ASSAULT); unknown names raise."""
        n = str(name).strip().upper()
        n = self.aliases.get(n, n)
        if n not in self.types:
            raise ValueError(f"unknown PLOVER event type: {name!r}")
        return n

    def modes(self, type: str) -> list[str]:
        return list(self._modes[self.canonical(type)])

    def acled(self, type: str, mode: str | None = None) -> tuple[str, str | None]:
        table = self._acled[self.canonical(type)]
        row = table.get(mode or "default") or table.get("default") or ("Strategic developments", "Other")
        return row[0], row[1]

    def cameo_root(self, type: str, mode: str | None = None) -> str | None:
        t = self.canonical(type)
        if mode and mode in self._cameo_by_mode.get(t, {}):
            return self._cameo_by_mode[t][mode]
        return self._cameo.get(t)

    def intent_type(self, type: str) -> str:
        """How PLOVER codes a stated intention to do ``type`` (cooperative -> AGREE, coercive -> THREATEN)."""
        return self._intent[self.canonical(type)]

    def penta(self) -> dict[int, list[str]]:
        """CAMEO's five-way classes (0 statements/appeals ... 4 material conflict) as PLOVER types."""
        return dict(self._penta)

    def casualties(self) -> Casualties:
        return load_casualties()

    def type_model(self):
        """The learned event-type model (``events/type_model.npz``), or None: the lexicon types alone."""
        if "type_model" not in self._cache:
            from sitrep.kb.typemodel import load_type_model
            self._cache["type_model"] = load_type_model(EVENTS_DIR / "type_model.npz")
        return self._cache["type_model"]

    def with_type_model(self, model) -> "Ontology":
        """A copy of this ontology that types with ``model`` (None: the lexicon alone), for evaluation."""
        from dataclasses import replace
        return replace(self, _cache={**self._cache, "type_model": model})

    def triggers(self) -> Triggers:
        """The trigger lexicon, with the CAMEO lexicon as its fallback for words it lacks."""
        if "triggers" not in self._cache:
            from dataclasses import replace
            self._cache["triggers"] = replace(build_triggers(self._triggers_path), cameo=self.cameo())
        return self._cache["triggers"]

    def cameo(self) -> CameoLexicon | None:
        """The CAMEO-derived lexicon (``events/cameo_verbs.tsv``), or None when not shipped."""
        return load_cameo_lexicon()

    def with_lexicon(self, name: str) -> "Ontology":
        """A copy of this ontology typing with another lexicon, for evaluation: ``full`` (triggers.yaml, CAMEO
        as fallback; the default), ``triggers`` (triggers.yaml alone) or ``cameo`` (the CAMEO lexicon alone:
        no word list or phrase of triggers.yaml types anything; its structural lists, such as light verbs and
        modality cues, stay)."""
        from dataclasses import replace
        base = build_triggers(self._triggers_path)
        if name == "full":
            trig = replace(base, cameo=self.cameo())
        elif name == "triggers":
            trig = base
        elif name == "cameo":
            cam = self.cameo()
            trig = replace(base, verbs={}, nouns=dict(cam.nouns) if cam else {}, phrases={}, object_cues={},
                           cameo=cam, cameo_alone=True)
        else:
            raise ValueError(f"unknown lexicon {name!r} (full, triggers, cameo)")
        return replace(self, _cache={**self._cache, "triggers": trig})


@lru_cache(maxsize=4)
def build_triggers(path: Path | None = None) -> Triggers:
    raw = load_triggers(path)
    phrases: dict[str, list] = {}
    for text, value in (raw.get("phrases") or {}).items():
        lemmas = tuple(text.lower().split())
        t, m = _split(value)
        phrases.setdefault(lemmas[0], []).append((lemmas, t, m))
    for lst in phrases.values():
        lst.sort(key=lambda x: -len(x[0]))
    mode_cues = {t: [(m, frozenset(w.lower() for w in words)) for m, words in cues.items()]
                 for t, cues in (raw.get("mode_cues") or {}).items()}
    mod = raw.get("modality") or {}
    count_verbs = {}
    for kind, words in (raw.get("count_verbs") or {}).items():
        for w in words:
            count_verbs[w.lower()] = kind
    fs = lambda xs: frozenset(str(x).lower() for x in (xs or []))   # noqa: E731
    return Triggers(
        verbs={k.lower(): _split(v) for k, v in (raw.get("verbs") or {}).items()},
        nouns={k.lower(): _split(v) for k, v in (raw.get("nouns") or {}).items()},
        phrases=phrases,
        mode_cues=mode_cues,
        light_verbs=fs(raw.get("light_verbs")),
        absorbing_types=frozenset(raw.get("absorbing_types") or []),
        planned=fs(mod.get("planned")), hypothetical=fs(mod.get("hypothetical")),
        denied=fs(mod.get("denied")), planned_aux=fs(mod.get("planned_aux")),
        hypothetical_aux=fs(mod.get("hypothetical_aux")),
        conditional_marks=fs(mod.get("conditional_marks")), negations=fs(mod.get("negations")),
        count_verbs=count_verbs,
        count_nouns=fs(raw.get("count_nouns")),
        place_nouns=fs(raw.get("place_nouns")),
        undergo_verbs=fs(raw.get("undergo_verbs")),
        deontic_aux=fs(mod.get("deontic_aux")),
        object_cues={v.lower(): {o.lower(): _split(tm) for o, tm in (objs or {}).items()}
                     for v, objs in (raw.get("object_cues") or {}).items()},
    )

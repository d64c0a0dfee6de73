"""The armed groups and state forces of the actor registry: coverage, well-formed entries, names that
do not fire on ordinary words, dated sectors, and the description rules for state forces of any
country. Fixture sentences are our own."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from sitrep.kb.actors import ACTOR_DIR, ActorDataError, ActorRegistry, case_fits, fold

GROUP_FILES = sorted(p.name for p in ACTOR_DIR.glob("armed_groups*.yaml")) + ["state_forces.yaml"]
SECTORS = {"GOV", "MIL", "COP", "REB", "OPP", "CVL", "ELI", "JUD", "LEG", "EDU", "LAB", "REF", "BUS", "MED",
           "HLH", "NGO", "IGO", "SPY", "CRM", "UAF", "PTY", "REL"}
LISTS = {"UCDP", "FTO", "UN", "EU", "ACLED", "GOV", "AU"}
# English words that must never be an actor's one-word name unless kept as a capitals-only acronym
# out of the entity ruler ("MEND", "MODEL", "FACT"): a list written for this test.
COMMON_WORDS = {"army", "front", "state", "base", "union", "league", "party", "movement", "resistance", "guard",
                "force", "forces", "tigers", "militia", "police", "national", "people", "liberation", "islamic",
                "brotherhood", "alliance", "council", "group", "brigade", "corps", "legion", "shield", "dawn", "path",
                "mend", "model", "fact", "tip", "raw", "bra", "eta", "aim", "act", "end", "ice", "let", "hum", "jud",
                "rada", "aleph", "resolute", "spear", "contra", "faith", "unity", "justice", "freedom", "victory",
                "glory", "lobos", "met", "office", "wolves", "youth", "soldiers"}


@pytest.fixture(scope="module")
def reg() -> ActorRegistry:
    return ActorRegistry.load()


@pytest.fixture(scope="module")
def groups(reg):
    return [e for e in reg.entries.values() if e.source in GROUP_FILES]


def _names(e):
    return (e.name, *e.aliases, *e.lookup_only, *(dn.name for dn in e.names))


# ------------------------------------------------------------------ coverage and shape
def test_several_hundred_groups_and_forces_in_every_region(groups):
    assert len(groups) >= 450
    per_file = Counter(e.source for e in groups)
    for f in ("armed_groups_africa.yaml", "armed_groups_mena.yaml", "armed_groups_asia.yaml",
              "armed_groups_europe.yaml", "armed_groups_americas.yaml", "state_forces.yaml"):
        assert per_file[f] >= 40, f
    assert sum(1 for e in groups if e.sector == "CRM") >= 30          # cartels, maras, gangs, mafias


def test_entries_are_well_formed(reg, groups):
    states = {e.country for e in reg.entries.values() if e.kind == "state"}
    for e in groups:
        assert e.country is None or e.country in states, e.id
        assert e.sector in SECTORS, e.id
        assert all(p.sector in SECTORS | {None} and (p.country is None or p.country in states) for p in e.periods), e.id
        assert e.parent is None or e.parent in reg.entries, e.id
        if e.source != "armed_groups.yaml":           # the Syrian file names its sources in its header
            assert e.lists and set(e.lists) <= LISTS, e.id
        assert not (e.start and e.end) or e.start[:4] <= e.end[:4], e.id


def test_names_are_capitalised_and_no_common_word(groups):
    for e in groups:
        for n in (e.name, *e.aliases, *(dn.name for dn in e.names)):
            assert any(c.isupper() for c in n), (e.id, n)     # "international coalition" is not a name here
        for n in _names(e):
            if len(n.split()) == 1 and fold(n) in COMMON_WORDS:
                mixed_acronym = len(n) <= 4 and sum(c.isupper() for c in n) >= 2     # "LeT", matched as written
                assert mixed_acronym or (n.isupper() and n in e.lookup_only), (e.id, n)


def test_no_name_is_a_place_or_a_date(reg, groups):
    places = {fold(n) for e in reg.entries.values() if e.kind == "state" or e.metonym
              for n in (e.name, *e.aliases, *e.demonyms, *e.people)}
    months = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december"}
    for e in groups:
        for n in _names(e):
            assert fold(n) not in places, (e.id, n)
            assert not set(fold(n).split()) & months or len(n.split()) > 2, (e.id, n)


def test_no_two_groups_share_a_name_at_the_same_time(reg):
    def overlap(a, b):
        return (a.start or "0000")[:4] <= (b.end or "9999")[:4] and (b.start or "0000")[:4] <= (a.end or "9999")[:4]

    for index in (reg.index, reg.acronyms):
        for key, cands in index.items():
            es = [reg.entries[i] for i in sorted({i for i, _ in cands})]
            if len(es) > 1 and any(e.source in GROUP_FILES for e in es):
                assert not any(overlap(a, b) for a in es for b in es if a is not b), (key, [e.id for e in es])


# ------------------------------------------------------------------ state forces of any country
@pytest.mark.parametrize("text,country,sector", [
    ("the Nigerian army", "NGA", "MIL"), ("Colombian police", "COL", "COP"), ("Ukrainian forces", "UKR", "MIL"),
    ("Myanmar's military", "MMR", "MIL"), ("Indian security forces", "IND", "COP"),
    ("the Sudanese Rapid Support Forces", "SDN", "REB"), ("Tatmadaw", "MMR", "MIL"), ("the IDF", "ISR", "MIL"),
    ("FARDC", "COD", "MIL"), ("Garda", "IRL", "COP"), ("Carabinieri", "ITA", "COP"),
    ("Gendarmerie nationale", "FRA", "COP"), ("AMISOM troops", "IGO", "MIL"), ("the Congolese army", "COD", "MIL"),
    ("Norwegian soldiers", "NOR", "MIL"), ("Kenyan police", "KEN", "COP"), ("Burkinabe soldiers", "BFA", "MIL"),
    ("Mexican cartel members", "MEX", "CRM"), ("Haitian gang members", "HTI", "CRM"), ("the UPDF", "UGA", "MIL"),
    ("Nigerian vigilantes", "NGA", "MIL"), ("the Afghan National Army", "AFG", "MIL"),
    ("Somali National Army", "SOM", "MIL"), ("Boko Haram fighters", "NGA", "REB"), ("M23 rebels", "COD", "REB"),
    ("the Sinaloa Cartel", "MEX", "CRM"), ("Tamil Tigers", "LKA", "REB"), ("the Houthis", "YEM", "REB"),
])
def test_forces_and_groups_resolve_to_country_and_sector(reg, text, country, sector):
    assert reg.plover_codes(reg.resolve(text, "2024-05-01")) == (country, sector)


def test_sector_and_name_follow_the_date(reg):
    assert reg.plover_codes(reg.resolve("RSF fighters", "2020-06-01")) == ("SDN", "MIL")
    assert reg.plover_codes(reg.resolve("RSF fighters", "2023-06-01")) == ("SDN", "REB")
    assert reg.resolve("Taliban fighters", "2010-06-01").sector == "REB"
    assert reg.resolve("the Taliban", "2022-06-01").sector == "GOV"
    assert reg.resolve("SPLA soldiers", "1995-06-01").country == "SDN"
    assert reg.resolve("SPLA soldiers", "2015-06-01").country == "SSD"
    assert reg.resolve("AMISOM", "2015-01-01").name == "African Union Mission in Somalia"
    assert reg.resolve("ATMIS", "2023-01-01").name == "African Union Transition Mission in Somalia"
    # a shared acronym is told apart by the years each group existed
    assert reg.lookup("SLA", "1990-05-01").id == "south-lebanon-army"
    assert reg.lookup("SLA", "2005-05-01").id == "slm"


# ------------------------------------------------------------------ ambiguity
def test_acronyms_and_their_case(reg):
    assert reg.lookup("LTTE").id == "ltte" and reg.lookup("ltte") is None
    assert reg.lookup("MEND").id == "mend" and reg.lookup("mend") is None
    assert reg.lookup("LeT").id == "let" and reg.lookup("let") is None and reg.lookup("Let") is None
    assert reg.lookup("JeM").id == "jem-kashmir" and reg.lookup("JEM").id == "jem"
    assert reg.lookup("Nato").id == "NATO"                        # a lower-case spelling the entry lists


def test_ambiguous_acronyms_stay_out_of_the_entity_ruler(reg):
    texts = {p["pattern"] for p in reg.patterns()}
    assert all(isinstance(p["pattern"], str) for p in reg.patterns())
    assert not {"PDF", "RSF", "TIP", "MEND", "MODEL", "ICE", "ETA", "UIC", "AA", "IS", "Los Lobos"} & texts
    assert {"Boko Haram", "JNIM", "Tatmadaw", "FARDC", "al-Shabaab", "LeT"} <= texts
    assert reg.lookup("PDF").id == "pdf-myanmar"                 # a name the NER found still resolves


@pytest.mark.parametrize("span,name,fits", [
    (["HTS"], ["HTS"], True), (["hts"], ["HTS"], False), (["Hts"], ["HTS"], False),
    (["national", "army"], ["National", "Army"], False), (["National", "Army"], ["National", "Army"], True),
    (["Al", "-", "Qaeda"], ["al", "-", "Qaeda"], True), (["al", "Qaeda"], ["Al", "Qaeda"], True),
    (["ISLAMIC", "STATE"], ["Islamic", "State"], True), (["Army", "Of", "Islam"], ["Army", "of", "Islam"], True),
    (["hezbollah"], ["Hezbollah"], False), (["let"], ["LeT"], False),
    (["Syrian", "air", "force"], ["Syrian", "Air", "Force"], True), (["Turkish", "army"], ["Turkish", "Army"], True),
    (["the", "elite", "army"], ["the", "Elite", "Army"], False),
])
def test_case_fits(span, name, fits):
    assert case_fits(span, name) is fits


def test_a_capital_that_only_opens_a_sentence_does_not_make_a_name():
    assert case_fits(["National", "army"], ["National", "Army"], sentence_start=True) is False
    assert case_fits(["National", "army"], ["National", "Army"], sentence_start=False) is True
    assert case_fits(["Syrian", "Air", "Force"], ["Syrian", "Air", "Force"], sentence_start=True) is True


def test_an_acronym_in_a_line_of_capitals_is_a_word():
    assert case_fits(["WHO"], ["WHO"], "FRIENDS", "ARE") is False
    assert case_fits(["WHO"], ["WHO"], "the", "said") is True


# ------------------------------------------------------------------ the entity ruler on text
@pytest.fixture(scope="module")
def nlp(reg):
    spacy = pytest.importorskip("spacy")
    from sitrep.annotate.nlp import add_entity_ruler
    from sitrep.config import Config

    try:
        nlp = spacy.load(Config().spacy_model)
    except OSError:
        pytest.skip("spaCy model not installed")
    add_entity_ruler(nlp, reg.patterns())
    return nlp


def _actors(nlp, text):
    return [(e.text, e.ent_id_) for e in nlp(text).ents if e.label_ == "ACTOR"]


def test_ruler_finds_groups_and_forces(nlp):
    found = _actors(nlp, "Fighters of Boko Haram and JNIM clashed with the Tatmadaw, while FARDC troops "
                         "pushed back the Allied Democratic Forces near the border.")
    ids = {i for _, i in found}
    assert {"boko-haram", "jnim", "tatmadaw", "fardc", "adf"} <= ids


def test_ruler_ignores_ordinary_words(nlp):
    text = ("The national army of volunteers helped mend the fence. Please download the PDF and send a tip to "
            "the office. FRIENDS WHO ARE STILL REELING GATHERED. Her ETA was noon, and the wolves were heard.\n"
            "Elite army units marched past the tiger forces exhibit.")
    assert _actors(nlp, text) == []


# ------------------------------------------------------------------ user files
def test_user_file_with_periods_and_lookup_only(tmp_path):
    f = tmp_path / "mine.yaml"
    f.write_text(
        "source: test\n"
        "actors:\n"
        "- id: example-front\n"
        "  name: Example Liberation Front\n"
        "  kind: armed group\n"
        "  country: NGA\n"
        "  sector: REB\n"
        "  lookup_only: [ELF]\n"
        "  periods:\n"
        "  - {start: 2030-01-01, sector: PTY}\n", encoding="utf-8")
    reg = ActorRegistry.load((f,))
    e = reg.lookup("ELF")
    assert e.id == "example-front" and e.sector_at("2031-01-01") == "PTY" and e.sector_at("2029-01-01") == "REB"
    assert "ELF" not in {p["pattern"] for p in reg.patterns()}
    bad = tmp_path / "bad.yaml"
    bad.write_text("actors:\n- name: X\n  periods:\n  - {start: 2001}\n", encoding="utf-8")
    with pytest.raises(ActorDataError, match="period"):
        ActorRegistry.load((bad,))


def test_readme_names_every_file():
    readme = (ACTOR_DIR / "README.md").read_text(encoding="utf-8")
    for f in GROUP_FILES:
        assert f"`{f}`" in readme, f
    assert Path(ACTOR_DIR / "descriptions.yaml").is_file()

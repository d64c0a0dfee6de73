"""Actor registry and in-document actor resolution. Fixture sentences are our own."""
from __future__ import annotations

import json

import pytest

from sitrep.config import Config
from sitrep.kb.actors import ActorDataError, ActorRegistry, fold, is_actor_use
from sitrep.records import ActorMention, Document, Published


@pytest.fixture(scope="module")
def reg() -> ActorRegistry:
    return ActorRegistry.load()


@pytest.fixture(scope="module")
def nlp(reg):
    """The English model with our actor patterns (and not the gazetteer's, which is slow to load)."""
    spacy = pytest.importorskip("spacy")
    from sitrep.annotate.nlp import add_entity_ruler

    nlp = spacy.load(Config().spacy_model)
    add_entity_ruler(nlp, reg.patterns())
    return nlp


def annotate(nlp, text: str, date: str = "2020-03-06"):
    from sitrep.annotate import Annotator

    doc = Document(id="x", path="x", text=text, published=Published(date, status="stated"))
    return Annotator(Config(), with_patterns=False).annotate(doc, nlp_doc=nlp(text))


class KB:
    def __init__(self, reg):
        self.actors = reg


# ------------------------------------------------------------------ names and spelling variants
@pytest.mark.parametrize("text,actor_id", [
    ("Erdoğan", "erdogan"), ("Erdogan", "erdogan"), ("Recep Tayyip Erdogan", "erdogan"),
    ("Cavusoglu", "cavusoglu"), ("Çavuşoğlu", "cavusoglu"), ("Mevlut Cavusoglu", "cavusoglu"),
    ("HTS", "hts"), ("Hayat Tahrir al-Sham", "hts"), ("Hay'at Tahrir al-Sham", "hts"),
    ("Hayat Tahrir Sham", "hts"), ("Jabhat al-Nusra", "hts"), ("Nusra Front", "hts"),
    ("the White Helmets", "SCD"), ("Syria Civil Defence", "SCD"), ("SRCG", "SRCG"),
    ("Response Coordination Group", "SRCG"), ("SOHR", "SOHR"), ("Walid Moallem", "muallem"),
    ("Faisal al-Miqdad", "mekdad"), ("Daesh", "isis"), ("Sputnik", "SPUTNIK"), ("Daily Sabah", "DAILY-SABAH"),
    ("Erdogan's", "erdogan"),
])
def test_lookup_aliases_and_variants(reg, text, actor_id):
    e = reg.lookup(text)
    assert e is not None and e.id == actor_id


def test_fold_ignores_case_diacritics_apostrophes_and_article():
    assert fold("Hay'at Tahrir al-Sham") == fold("HAYAT TAHRIR SHAM")
    assert fold("Çavuşoğlu") == "cavusoglu"
    assert fold("Yıldırım") == "yildirim"


def test_short_acronyms_only_in_capitals(reg):
    assert reg.lookup("US").country == "USA"
    assert reg.lookup("U.S.").country == "USA"
    assert reg.lookup("us") is None
    assert reg.lookup("IS").id == "isis"
    assert reg.lookup("is") is None


def test_former_names_by_date(reg):
    early = reg.resolve("al-Nusra Front", "2014-06-01")
    late = reg.resolve("HTS", "2020-03-05")
    mid = reg.resolve("Jabhat Fateh al-Sham", "2016-10-01")
    assert early.actor_id == late.actor_id == mid.actor_id == "hts"
    assert early.name == "Jabhat al-Nusra"
    assert mid.name == "Jabhat Fateh al-Sham"
    assert late.name == "Hayat Tahrir al-Sham"
    assert (late.country, late.sector) == ("SYR", "REB")


def test_same_surname_by_date(reg):
    assert reg.lookup("Assad", "2019-05-01").id == "bashar-assad"
    assert reg.lookup("Assad", "1985-05-01").id == "hafez-assad"


# ------------------------------------------------------------------ office holders by date
def test_office_holder_by_date(reg):
    assert reg.resolve("Turkish Foreign Minister", "2020-03-05").actor_id == "cavusoglu"
    assert reg.resolve("Turkish Foreign Minister", "2024-02-01").actor_id == "fidan"
    assert reg.resolve("the Turkish foreign minister", "2015-10-01").actor_id == "sinirlioglu"
    assert reg.resolve("the Russian defence minister", "2020-03-05").actor_id == "shoigu"
    assert reg.resolve("Syria's foreign minister", "2021-05-01").actor_id == "mekdad"
    assert reg.resolve("the US Secretary of State", "2019-06-01").actor_id == "pompeo"
    assert reg.resolve("the UN envoy for Syria", "2016-02-01").actor_id == "de-mistura"


def test_leader_means_the_leading_office(reg):
    assert reg.resolve("the Turkish leader", "2020-03-05").actor_id == "erdogan"
    assert reg.resolve("the Turkish leader", "2012-01-01").actor_id == "erdogan"   # then prime minister
    assert reg.resolve("the German leader", "2020-03-05").actor_id == "merkel"
    assert reg.resolve("the Israeli leader", "2021-09-01").actor_id == "bennett"


def test_office_without_date_gives_country_and_sector_only(reg):
    a = reg.resolve("Turkish Foreign Minister")
    assert (a.name, a.country, a.sector) == (None, "TUR", "GOV")
    assert reg.resolve("former prime minister").sector == "ELI"


def test_title_and_name_resolve_to_the_person(reg):
    a = reg.resolve("Turkish Foreign Minister Mevlut Cavusoglu", "2024-01-01")
    assert a.actor_id == "cavusoglu"      # the name wins over the office holder of the date


# ------------------------------------------------------------------ metonyms and descriptions
@pytest.mark.parametrize("text,country,sector", [
    ("Ankara", "TUR", "GOV"), ("Moscow", "RUS", "GOV"), ("Damascus", "SYR", "GOV"),
    ("Washington", "USA", "GOV"), ("Tehran", "IRN", "GOV"), ("Teheran", "IRN", "GOV"),
    ("the Kremlin", "RUS", "GOV"), ("the Pentagon", "USA", "MIL"), ("Turkey", "TUR", None),
    ("Syrians", "SYR", None),
])
def test_metonyms_and_states(reg, text, country, sector):
    a = reg.resolve(text)
    assert (a.country, a.sector) == (country, sector)


@pytest.mark.parametrize("text,country,sector", [
    ("regime forces", "SYR", "MIL"), ("pro-Assad forces", "SYR", "MIL"), ("Russian bombers", "RUS", "MIL"),
    ("Turkish troops", "TUR", "MIL"), ("the militants", None, "REB"), ("a Western diplomat", None, "GOV"),
    ("protesters", None, "OPP"), ("Turkish police", "TUR", "COP"), ("Syrian civilians", "SYR", "CVL"),
    ("the Syrian government", "SYR", "GOV"), ("Iranian-backed militias", None, "MIL"),
    ("students at a Turkish university", "TUR", "EDU"), ("Israeli helicopters", "ISR", "MIL"),
    ("rebels in Syria", "SYR", "REB"), ("Lebanon's parliament", "LBN", "LEG"), ("Greek judges", "GRC", "JUD"),
    ("the Syrian regime", "SYR", "GOV"), ("Turkish-backed factions", "SYR", "REB"),
    ("displaced Syrians", "SYR", "REF"),
])
def test_descriptions(reg, text, country, sector):
    a = reg.resolve(text)
    assert a is not None and a.name is None
    assert (a.country, a.sector) == (country, sector)


def test_institution_with_member_noun(reg):
    a = reg.resolve("UN military observers")
    assert (a.actor_id, a.sector) == ("UN", "MIL")
    a = reg.resolve("HTS fighters")
    assert (a.actor_id, a.country, a.sector) == ("hts", "SYR", "REB")


def test_nothing_for_non_actors(reg):
    assert reg.resolve("") is None
    assert reg.resolve("the weather") is None
    assert reg.describe("yesterday afternoon") is None


def test_plover_codes(reg):
    assert reg.plover_codes(reg.resolve("U.N. Security Council")) == ("IGO", None)
    assert reg.plover_codes(reg.resolve("Turkish troops")) == ("TUR", "MIL")
    assert reg.plover_codes(reg.resolve("Antonio Guterres")) == ("IGO", "GOV")


# ------------------------------------------------------------------ user files
def test_user_file_adds_an_actor(tmp_path):
    f = tmp_path / "mine.yaml"
    f.write_text(
        "source: invented for a test\n"
        "actors:\n"
        "- id: example-brigade\n"
        "  name: Example Brigade\n"
        "  kind: armed group\n"
        "  country: SYR\n"
        "  sector: REB\n"
        "  aliases: [Liwa al-Mithal, Mithal Brigade]\n"
        "- id: jane-doe\n"
        "  name: Jane Doe\n"
        "  kind: person\n"
        "  country: GBR\n"
        "  sector: GOV\n"
        "  aliases: [Doe]\n"
        "  terms:\n"
        "  - {office: foreign minister, start: 2030-01-01}\n", encoding="utf-8")
    reg = ActorRegistry.load((f,))
    assert reg.lookup("liwa el mithal").id == "example-brigade"
    assert reg.resolve("the British foreign secretary", "2031-01-01").name == "Jane Doe"
    assert any(p["id"] == "example-brigade" for p in reg.patterns())
    assert ActorRegistry.load().lookup("Liwa al-Mithal") is None     # shipped registry untouched


def test_bad_user_file_is_a_clear_error(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("actors:\n- name: X\n  kind: spaceship\n", encoding="utf-8")
    with pytest.raises(ActorDataError, match="bad.yaml.*kind"):
        ActorRegistry.load((f,))
    with pytest.raises(ActorDataError, match="not found"):
        ActorRegistry.load((tmp_path / "missing.yaml",))


def test_every_country_has_a_state_entry(reg):
    states = [e for e in reg.entries.values() if e.kind == "state"]
    assert len(states) >= 249
    assert all(len(e.country) == 3 and e.country.isupper() for e in states)
    assert reg.lookup("Ivorian").country == "CIV"
    assert reg.lookup("Burma").country == "MMR"


def test_patterns_are_precise(reg):
    pats = reg.patterns()
    texts = {p["pattern"] if isinstance(p["pattern"], str) else p["pattern"][0]["TEXT"] for p in pats}
    assert {"HTS", "SRCG", "Hayat Tahrir al-Sham", "Syrian Observatory for Human Rights"} <= texts
    assert not {"Turkey", "Ankara", "Damascus", "US", "IS", "the UN"} & texts
    assert all(p["label"] == "ACTOR" for p in pats)


# ------------------------------------------------------------------ in a document
def test_is_actor_use(nlp):
    doc = nlp("Turkey retaliated after the attack. Thousands fled to Turkey. Russia held talks with Turkey.")
    turkeys = [e for e in doc.ents if e.text == "Turkey"]
    assert [is_actor_use(e, doc) for e in turkeys] == [True, False, True]


def test_mentions_with_coreference(nlp, reg):
    from sitrep.resolve.actors import nearest_named, resolve_actor, resolve_actor_mentions

    text = ("Turkish Foreign Minister Mevlut Cavusoglu met his Russian counterpart in Moscow on Thursday. "
            "Cavusoglu said Ankara would respond to any attack by regime forces. "
            "The Turkish leader later spoke by phone with the Kremlin. "
            "British Defence Secretary Tom Marlow arrived in Turkey on Friday. "
            "Marlow said Turkish troops had been shelled. "
            "HTS fighters attacked a checkpoint, and the militants later withdrew.")
    ann = annotate(nlp, text)
    ms = resolve_actor_mentions(ann, KB(reg))
    assert all(isinstance(m, ActorMention) and text[m.start:m.end] == m.text for m in ms)
    by_text = {m.text: m.actor for m in ms}
    assert by_text["Turkish Foreign Minister Mevlut Cavusoglu"].actor_id == "cavusoglu"
    assert by_text["Cavusoglu"].actor_id == "cavusoglu"
    assert by_text["Ankara"].sector == "GOV" and by_text["Ankara"].country == "TUR"
    assert (by_text["regime forces"].country, by_text["regime forces"].sector) == ("SYR", "MIL")
    leader = next(a for t, a in by_text.items() if "Turkish leader" in t)
    assert leader.actor_id == "erdogan"
    assert by_text["Kremlin"].country == "RUS"
    marlow = [m for m in ms if "Marlow" in m.text]
    assert [(m.actor.name, m.actor.country, m.actor.sector) for m in marlow] == [("Tom Marlow", "GBR", "GOV")] * 2
    assert by_text["Turkish troops"].country == "TUR"
    militants = next(a for t, a in by_text.items() if t.endswith("militants"))
    assert militants.actor_id == "hts"        # the one named armed group just before
    assert not any(m.text == "Turkey" for m in ms)   # "arrived in Turkey" is a place
    assert nearest_named(ms, text.index("Marlow said") + 6).actor.name == "Tom Marlow"
    assert resolve_actor("Marlow", ann, KB(reg)).name == "Tom Marlow"
    assert resolve_actor("the Turkish foreign minister", ann, KB(reg)).actor_id == "cavusoglu"


def test_gold_plover_actor_codes(shared, reg):
    """Lower bound for the PLOVER eval: resolving the gold actor text alone (no sentence context)."""
    path = shared / "data/events/plover/gsr_dev.jsonl"
    if not path.exists():
        pytest.skip("PLOVER gold absent")
    n = country = sector = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        for role in ("source", "target"):
            for a in rec.get(role) or []:
                c, s = reg.plover_codes(reg.resolve(a["text"]))
                n += 1
                country += c == a.get("code")
                sector += s == a.get("sector")
    assert n > 300
    assert country / n > 0.75 and sector / n > 0.75

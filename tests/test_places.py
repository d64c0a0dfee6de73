"""Gazetteer and place resolution: transliteration variants, levels, demonyms, document context, curated data."""
from __future__ import annotations

import math

import pytest
import yaml

from sitrep.config import Config
from sitrep.kb import KnowledgeBase
from sitrep.kb.gazetteer import PLACES_DIR, Gazetteer, skeleton, skeleton_ar
from sitrep.records import Document
from sitrep.resolve.places import resolve_place, resolve_place_mentions


def km(lat1, lon1, lat2, lon2):
    p = math.radians
    a = math.sin(p(lat2 - lat1) / 2) ** 2 + math.cos(p(lat1)) * math.cos(p(lat2)) * math.sin(p(lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(a))


@pytest.fixture(scope="module")
def kb():
    return KnowledgeBase.load(Config())


@pytest.fixture(scope="module")
def gaz(kb):
    return kb.places


@pytest.fixture(scope="module")
def annotate():
    from sitrep.annotate import Annotator
    annotator = Annotator(Config())
    return lambda text: annotator.annotate(Document(id="t", path="t", text=text))


def ids(gaz, name):
    return {p.gazetteer_id for p in gaz.candidates(name)}


# --------------------------------------------------------------------------- names
@pytest.mark.parametrize("spellings,pcode", [
    (["Saraqeb", "Saraqib", "Saraqab"], "ocha:C3916"),
    (["Balyoun", "Balyun"], "ocha:C4302"),
    (["Kansafra", "Kanasfara"], "ocha:C4309"),
    (["Trinbeh", "Tromba"], "ocha:C3908"),
])
def test_transliteration_variants_find_the_same_place(gaz, spellings, pcode):
    for s in spellings:
        assert pcode in ids(gaz, s), s


def test_variants_resolve_to_the_ocha_community_without_context(kb):
    for s, pcode in [("Balyoun", "ocha:C4302"), ("Kanasfara", "ocha:C4309"), ("Saraqeb", "ocha:C3916")]:
        assert resolve_place(s, None, kb).gazetteer_id == pcode


def test_arabic_skeleton_bridges_disagreeing_transliterations():
    # OCHA writes Tromba, the press Trinbeh; both are ترنبة
    assert skeleton("Trinbeh") == skeleton_ar("ترنبة")
    assert skeleton("Tromba") != skeleton("Trinbeh")


def test_unrelated_names_do_not_match(gaz):
    assert ids(gaz, "Turkish") == set()
    assert "ocha:C3916" not in ids(gaz, "Sarmin")


def test_place_fields(gaz):
    p = gaz.get("ocha:C4278")
    assert (p.name, p.country, p.admin1, p.precision, p.feature_class) == ("Ariha", "SYR", "Idleb", "town", "P.PPL")
    assert abs(p.lat - 35.81) < 0.01 and abs(p.lon - 36.61) < 0.01
    moscow = gaz.get("geonames:524901")
    assert moscow.country == "RUS" and moscow.precision == "town"


# --------------------------------------------------------------------------- resolution in context
def test_idlib_province_is_the_province_and_idlib_city_the_town(kb, annotate):
    ann = annotate("Shelling hit Idlib province on Monday. Residents of Idlib city fled north.")
    got = {m.text: m.place for m in resolve_place_mentions(ann, kb)}
    prov = next(p for t, p in got.items() if t.startswith("Idlib") and "city" not in t and p.precision == "province")
    assert prov.gazetteer_id == "ocha:SY07"
    town = [p for t, p in got.items() if p and p.gazetteer_id == "ocha:C3871"]
    assert town and town[0].precision == "town"


def test_a_part_of_a_region_is_the_province(kb, annotate):
    ann = annotate("Rockets fell on villages in southern Idlib on Monday, and on markets in rural Damascus.")
    got = {m.text: m.place for m in resolve_place_mentions(ann, kb) if m.place}
    idlib = next(p for t, p in got.items() if t.startswith("Idlib"))
    assert idlib.precision == "province" and idlib.gazetteer_id == "ocha:SY07"


def test_demonyms_and_organisations_are_not_places(kb, annotate):
    ann = annotate("Turkish troops and Russian police entered the town while the Syrian Red Crescent watched.")
    texts = {m.text for m in resolve_place_mentions(ann, kb)}
    assert not texts & {"Turkish", "Russian", "Syrian", "Syrian Red Crescent"}
    assert kb.places.is_demonym("Turkish")


def test_document_context_picks_idlibs_ariha(kb, annotate):
    ann = annotate("Government artillery shelled Ariha and Saraqeb, south of Idlib, on Sunday, "
                   "killing two civilians in Ariha.")
    places = {m.text: m.place for m in resolve_place_mentions(ann, kb)}
    assert places["Ariha"].gazetteer_id == "ocha:C4278"
    assert places["Ariha"].admin1 == "Idleb"


def test_context_can_pick_a_different_place_of_the_same_name(kb, annotate):
    # Ariha is also the Arabic name of Jericho: in a West Bank story the context must win over Syria
    ann = annotate("Palestinian officials in Ramallah said the road from Jerusalem to Ariha was closed, "
                   "and traffic to Nablus and Bethlehem was slowed.")
    places = {m.text: m.place for m in resolve_place_mentions(ann, kb)}
    assert places["Ariha"].country != "SYR"
    assert km(places["Ariha"].lat, places["Ariha"].lon, 31.86, 35.46) < 20


def test_population_alone_does_not_decide(kb, annotate):
    # Sarmin has population 0 in GeoNames; in a Syrian story it is still Idlib's Sarmin
    ann = annotate("Rockets struck a bakery in the town of Sarmin, east of Idlib, on Tuesday morning.")
    places = {m.text: m.place for m in resolve_place_mentions(ann, kb)}
    assert places["Sarmin"].gazetteer_id == "ocha:C3953"


def test_us_local_news_context(kb, annotate):
    ann = annotate("An Alexandria man was arrested in Pineville, Louisiana, on Friday. "
                   "Deputies in Rapides Parish said the Alexandria man had fled.")
    places = [m.place for m in resolve_place_mentions(ann, kb) if m.place]
    assert places and all(p.country == "USA" for p in places)
    assert any(p.admin1 == "Louisiana" and p.precision == "town" for p in places)


def test_resolve_place_uses_the_document(kb, annotate):
    ann = annotate("Clashes near Saraqeb and Sarmin continued as the Syrian army advanced on the M4 highway.")
    p = resolve_place("M4 highway", ann, kb)
    assert p.precision == "route" and p.gazetteer_id == "sitrep:m4"
    assert resolve_place("Saraqeb", ann, kb).gazetteer_id == "ocha:C3916"


# --------------------------------------------------------------------------- curated data, routes, admin
def _curated():
    return yaml.safe_load((PLACES_DIR / "curated.yaml").read_text(encoding="utf-8"))


def test_every_curated_area_has_a_source_and_lies_in_its_declared_ocha_unit(gaz):
    areas = _curated()["areas"]
    assert len(areas) >= 5
    for a in areas:
        assert a.get("source"), a["id"]
        p = gaz.get(f"sitrep:{a['id']}")
        assert p is not None and p.precision == "area"
        level = {4: 1, 6: 2, 8: 3}[len(a["within"])]
        unit = gaz.admin_containing(p.lat, p.lon, level)
        assert unit is not None and unit["pcode"] == a["within"], (a["id"], unit and unit["pcode"])


def test_curated_routes_and_aliases_point_at_known_entries(gaz):
    data = _curated()
    for r in data["routes"]:
        assert r.get("source")
        line = gaz.route(r["name"])
        assert line and len(line) == len(r["via"])
    m4 = gaz.route("M4 highway")
    assert km(*m4[0], 35.54, 35.79) < 5          # starts at Latakia
    assert gaz.route("Main Street") is None
    for a in data["aliases"]:
        assert gaz.get(a["target"]) is not None, a


def test_admin_units_and_containment(gaz):
    govs = gaz.admin_units(1)
    assert len(govs) == 14 and all({"name_en", "pcode", "level"} <= set(g["properties"]) for g in govs)
    assert len(gaz.admin_units(3)) == 272
    assert gaz.admin_containing(35.93, 36.63, 1)["pcode"] == "SY07"      # Idlib city is in Idleb governorate
    assert gaz.admin_containing(35.81, 36.61, 3)["name_en"] == "Ariha"
    assert gaz.admin_containing(48.85, 2.35, 1) is None                    # Paris is not in Syria


def test_patterns_are_precise(gaz):
    pats = gaz.patterns()
    assert all(p["label"] == "PLACE" for p in pats)
    names = {p["pattern"] for p in pats}
    assert {"Jabal al-Zawiya", "Jabal al-Arbaeen", "Saraqeb", "Sarmin", "M4"} <= names
    lowered = {n.lower() for n in names}
    for word in ("tal", "the", "joseph", "sahara", "ali", "adam"):
        assert word not in lowered


def test_user_place_files_extend_and_bad_files_fail_clearly(tmp_path):
    good = tmp_path / "extra.yaml"
    good.write_text("places:\n  - {name: Kafr Testa, lat: 35.5, lon: 36.5, country: SYR, aliases: [Kfar Testa]}\n",
                    encoding="utf-8")
    g = Gazetteer.load((good,))
    assert [p.name for p in g.candidates("Kfar Testa")] == ["Kafr Testa"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("places:\n  - {name: Nowhere}\n", encoding="utf-8")
    with pytest.raises(ValueError):
        Gazetteer.load((bad,))
    with pytest.raises(FileNotFoundError):
        Gazetteer.load((tmp_path / "missing.yaml",))


# --------------------------------------------------------------------------- seeds
def test_every_seed_event_place_resolves_within_its_radius(kb, annotate, shared, seeds):
    gold = yaml.safe_load((shared / "gold" / "seeds.yaml").read_text(encoding="utf-8"))
    events = [e for e in gold["events"] if e.get("place")]
    assert events
    anns = {}
    for e in events:
        if e["doc"] not in anns:
            anns[e["doc"]] = annotate((seeds / e["doc"]).read_text(encoding="utf-8"))
        p = resolve_place(e["place"], anns[e["doc"]], kb)
        assert p is not None, e["place"]
        d = km(p.lat, p.lon, e["lat"], e["lon"])
        assert d <= e["within_km"], (e["place"], p, round(d))


# --------------------------------------------------------------------------- places the NER mislabels
def _ann(text, labelled):
    """An annotation with the given (surface, label) entities, as a statistical NER might produce them."""
    from sitrep.records import Annotation, EntitySpan

    ents, pos = [], 0
    for surface, label in labelled:
        start = text.index(surface, pos)
        ents.append(EntitySpan(start, start + len(surface), surface, label))
        pos = start + len(surface)
    return Annotation(Document(id="t", path="t", text=text), None, [(0, len(text))], ents, [], None)


def test_town_labelled_person_is_a_place_in_place_syntax(kb):
    text = ("A Gainesville man was hurt on Friday. Officers in Gainesville said the driver, John Smith, "
            "fled. Smith was found later.")
    ann = _ann(text, [("Gainesville", "PERSON"), ("Gainesville", "PERSON"), ("John Smith", "PERSON"),
                      ("Smith", "PERSON")])
    got = {m.text for m in resolve_place_mentions(ann, kb)}
    assert "Gainesville" in got
    assert "Smith" not in got                      # a surname of a full name stays a person


def test_person_named_like_a_town_stays_a_person(kb):
    # a title before the name; a surname the model labels a place as often as a person
    text = ("Coach Ripley said the team played well. Officers questioned Emilie Holroyd; Holroyd left. "
            "Holroyd returned.")
    ann = _ann(text, [("Ripley", "GPE"), ("Emilie Holroyd", "PERSON"), ("Holroyd", "GPE"), ("Holroyd", "PERSON")])
    assert not {m.text for m in resolve_place_mentions(ann, kb)} & {"Ripley", "Holroyd"}


def test_state_after_a_comma_decides_which_town(kb):
    for text, admin1 in [("The fair opened in Paris, Texas, on Monday.", "Texas"),
                         ("Flooding closed roads in Paris, Tenn., overnight.", "Tennessee")]:
        ann = _ann(text, [("Paris", "GPE")])
        places = {m.text: m.place for m in resolve_place_mentions(ann, kb)}
        assert places["Paris"].country == "USA" and places["Paris"].admin1 == admin1, text


def test_listed_counties_and_party_states(kb):
    text = "School boards in Barrow, Jackson and Madison counties met. Rep. Jane Doe, D-Ga., spoke."
    ann = _ann(text, [("Barrow", "GPE"), ("Jackson", "PERSON"), ("Madison", "GPE"), ("Jane Doe", "PERSON")])
    places = {m.text: m.place for m in resolve_place_mentions(ann, kb)}
    assert {"Barrow", "Jackson", "Madison", "Ga."} <= set(places)
    assert places["Jackson"].precision == "district" and places["Jackson"].admin1 == "Georgia"
    assert places["Ga."].precision == "province"


def test_state_inside_an_organisation_name_is_context_not_a_mention(kb):
    text = "The Ohio Department of Health said cases rose in Dublin."
    ann = _ann(text, [("The Ohio Department of Health", "ORG"), ("Dublin", "GPE")])
    places = {m.text: m.place for m in resolve_place_mentions(ann, kb)}
    assert set(places) == {"Dublin"}               # the organisation's name is not a place mention ...
    assert places["Dublin"].country == "USA"       # ... but it says which Dublin


def test_gazetteer_cache_round_trip(tmp_path, monkeypatch):
    import sitrep.kb.gazetteer as G

    monkeypatch.setenv("SITREP_CACHE", str(tmp_path))
    built = G._base()                               # no cache yet: built, then cached as JSON (never pickle)
    assert list(tmp_path.glob("gazetteer-*.json")) and not list(tmp_path.glob("gazetteer-*.pickle"))
    cached = G._base()
    assert len(cached.entries) == len(built.entries) and cached.names == built.names
    assert cached.entry("ocha:C3916") == built.entry("ocha:C3916")


def test_a_capital_abroad_does_not_pull_syrian_towns_to_its_neighbourhood(kb, annotate):
    # Washington is now read as the US capital; Damascus, Maryland lies near it, but the story is Syrian
    ann = annotate("Officials in Washington and Moscow discussed the offensive in Idlib on Monday. "
                   "Damascus said its forces in Syria would press on toward Saraqeb, and Washington warned "
                   "Turkey and Russia against escalation.")
    places = {m.text: m.place for m in resolve_place_mentions(ann, kb)}
    assert places["Damascus"].country == "SYR"
    assert places["Washington"].gazetteer_id == "geonames:4140963"      # the city, not the state


def test_world_regions_are_areas_without_a_country_not_small_towns(kb, annotate):
    # Levant (Maine) and Middle East (Maryland) are towns too: the region is meant
    ann = annotate("Diplomats from across the Middle East met on Monday to discuss the war in the Levant.")
    places = {m.text: m.place for m in resolve_place_mentions(ann, kb) if m.place}
    for name in ("Middle East", "Levant"):
        p = next(p for t, p in places.items() if name in t)
        assert p.precision == "area" and p.country is None and p.gazetteer_id.startswith("sitrep:region-")
    me = next(p for t, p in places.items() if "Middle East" in t)
    assert 20 < me.lat < 40 and 30 < me.lon < 55


def test_every_world_region_names_a_source_and_known_members(gaz):
    import csv
    with open(PLACES_DIR / "world_regions.tsv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    assert rows
    countries = {e.cc for e in gaz.entries if e.kind == "country"}
    for r in rows:
        assert r["source"].strip(), r["id"]
        assert set(r["members"].split("|")) <= countries, r["id"]


def test_qalamoun_is_the_mountain_area_north_of_damascus_not_the_lattakia_village(kb, annotate):
    # OCHA has a village Qalmun in Lattakia; the press's Qalamoun is the range in Rural Damascus
    ann = annotate("Fighters clashed on the Qalamoun barrens on Tuesday, and the army shelled hideouts in Qalamoun.")
    places = [m.place for m in resolve_place_mentions(ann, kb) if m.place]
    assert places and all(p.gazetteer_id == "sitrep:qalamoun-mountains" for p in places)
    assert places[0].admin1 == "Rural Damascus" and places[0].precision == "area"


def test_long_vowel_spellings_are_one_transliteration(kb, annotate):
    # "ay" and "i" both write the Arabic long vowel: Jayrud is OCHA's Jirud
    ann = annotate("Warplanes struck the town of Jayrud on Saturday, killing a doctor.")
    places = {m.text: m.place for m in resolve_place_mentions(ann, kb)}
    assert places["Jayrud"] is not None and places["Jayrud"].gazetteer_id == "ocha:C2387"


def test_the_golan_heights_is_quneitras_plateau_not_an_iranian_village(kb, annotate):
    ann = annotate("Shells fired from the Golan Heights hit a training camp on Sunday, and more fell on the Golan.")
    places = [m.place for m in resolve_place_mentions(ann, kb) if m.place]
    assert places and all(p.gazetteer_id == "sitrep:golan-heights" for p in places)
    assert places[0].admin1 == "Quneitra" and places[0].country == "SYR"


def test_tel_abyad_is_the_syrian_border_town_not_its_turkish_neighbour(kb, annotate):
    # GeoNames files "Tel Abyad" as an alternate name of Akcakale across the border
    ann = annotate("Kurdish fighters took the border town of Tel Abyad on Monday after days of clashes.")
    places = {m.text: m.place for m in resolve_place_mentions(ann, kb)}
    assert places["Tel Abyad"] is not None and places["Tel Abyad"].gazetteer_id == "ocha:C5792"

"""Who did it to whom (sitrep.extract.roles and the actor checks of sitrep.resolve), on sentences we wrote."""
import pytest

from sitrep.extract.events import extract_events
from sitrep.kb import KnowledgeBase
from sitrep.records import Extraction
from sitrep.resolve import resolve_document


@pytest.fixture(scope="module")
def kb():
    return KnowledgeBase.load()


def _events(annotate, kb, text):
    ann = annotate(text)
    return resolve_document(ann, Extraction(doc_id="t", events=extract_events(ann, kb)), kb).events


def _roles(ev):
    return {(a.text, a.role) for a in ev.actors}


def test_a_nominal_trigger_takes_no_actor_of_another_verb(annotate, kb):
    evs = _events(annotate, kb, "The two envoys discussed the bombing of the bridge.")
    bombing = [e for e in evs if e.trigger == "bombing"]
    assert bombing and not any(a.role == "source" for a in bombing[0].actors)


def test_a_light_verb_lends_its_subject(annotate, kb):
    evs = _events(annotate, kb, "Rebel fighters launched an offensive against the army.")
    off = [e for e in evs if e.trigger == "offensive"][0]
    assert ("Rebel fighters", "source") in _roles(off) and ("army", "target") in _roles(off)


def test_a_relative_pronoun_is_not_the_speaker(annotate, kb):
    evs = _events(annotate, kb, "The envoys discussed the raid, which the ministry said had killed three.")
    assert not any(a.text == "ministry" for e in evs for a in e.actors)


def test_passive_agent_is_the_source(annotate, kb):
    evs = _events(annotate, kb, "The convoy was attacked by Taliban fighters near the pass.")
    att = [e for e in evs if e.trigger == "attacked"][0]
    assert any(a.role == "source" and "Taliban" in a.text for a in att.actors)
    assert ("convoy", "target") in _roles(att)


def test_a_weapon_that_acts_stands_for_its_force_and_takes_the_place_country(annotate, kb):
    evs = _events(annotate, kb, "Government artillery shelled the village of Kafr Nabl in Idlib on Monday.")
    ev = [e for e in evs if e.type == "ASSAULT"][0]
    src = [a for a in ev.actors if a.role == "source"]
    assert src and src[0].sector == "MIL" and src[0].country == "SYR" and src[0].country_basis == "place"
    # the village is where it happened, not a participant
    assert not any("Kafr Nabl" in a.text for a in ev.actors)


def test_lower_case_words_are_no_names(kb):
    assert kb.actors.resolve("male") is None
    assert kb.actors.resolve("Turkish troops").country == "TUR"


def test_whom_an_accusation_blames_is_a_perpetrator_of_the_attack(annotate, kb):
    evs = _events(annotate, kb, "Shells hit a market in Kafr Nabl in Idlib on Monday, killing three people. "
                                "Witnesses blamed government forces for the attack.")
    attack = [e for e in evs if e.type == "ASSAULT"][0]
    blamed = [a for a in attack.actors if a.role == "source" and a.text == "government forces"]
    assert blamed and blamed[0].attributed_by == "Witnesses" and blamed[0].country == "SYR"
    assert not any(a.text == "Shells" for a in attack.actors)       # a munition is not who fired it
    assert [e.type for e in evs].count("ACCUSE") == 1


def test_whoever_dies_is_a_target_and_where_is_no_actor(annotate, kb):
    evs = _events(annotate, kb, "Officer Daniel Reyes died at Mercy Regional Medical Center on Sunday.")
    died = next(e for e in evs if e.trigger == "died")
    assert _roles(died) == {("Daniel Reyes", "target")} or _roles(died) == {("Officer Daniel Reyes", "target")}

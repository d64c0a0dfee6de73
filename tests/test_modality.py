"""Status of event mentions: reported / planned / hypothetical / denied (our own sentences)."""
import pytest

from sitrep.extract.events import extract_events
from sitrep.kb import KnowledgeBase


@pytest.fixture(scope="module")
def run(annotate):
    kb = KnowledgeBase.load()
    return lambda text, published="2021-06-10": extract_events(annotate(text, published), kb)


def _one(events, type_):
    found = [e for e in events if e.type == type_]
    assert found, f"no {type_} in {[(e.type, e.trigger) for e in events]}"
    return found[0]


def test_reported(run):
    assert _one(run("Rebel fighters attacked an army checkpoint near Hama on Tuesday."), "ASSAULT").status == "reported"


def test_planned_future_aux(run):
    assert _one(run("The two foreign ministers will meet in Geneva next week."), "CONSULT").status == "planned"


def test_planned_present_tense_with_future_date(run):
    # publication Thursday 10 June 2021: a present-tense meeting "on Thursday" is scheduled
    ev = _one(run("The presidents of Chad and Niger meet in Niamey on Thursday."), "CONSULT")
    assert ev.status == "planned"


def test_planned_set_to(run):
    assert _one(run("Sudan's army chief is set to visit Cairo."), "CONSULT").status == "planned"


def test_hypothetical(run):
    ev = _one(run("There could be a truce in Marib after the talks, an envoy said."), "AGREE")
    assert ev.status == "hypothetical"


def test_hypothetical_conditional(run):
    ev = _one(run("If the militia attacks the port, the navy will respond."), "ASSAULT")
    assert ev.status == "hypothetical"


def test_denied(run):
    ev = _one(run("The ministry denied that its drones struck the market in Saada."), "ASSAULT")
    assert ev.status == "denied"


def test_denied_negation(run):
    ev = _one(run("Government troops did not shell the village on Sunday."), "ASSAULT")
    assert ev.status == "denied"


def test_negation_does_not_reach_a_circumstance_phrase(run):
    ev = run("The envoys did not settle their dispute during a meeting in Oslo on 2 June.")
    assert _one(ev, "CONSULT").status == "reported"


def test_purpose_clause_is_hypothetical(run):
    ev = run("The army sent troops to the river on Monday to prevent smugglers from crossing.")
    prevent = [e for e in ev if e.trigger == "prevent"]
    assert prevent and all(e.status == "hypothetical" for e in prevent)


def _statuses(ev, trigger):
    found = [e.status for e in ev if e.trigger == trigger]
    assert found, f"no {trigger!r} in {[(e.type, e.trigger) for e in ev]}"
    return found


def test_in_order_to_and_in_a_bid_to(run):
    ev = run("In order to prevent a collapse of the talks, Chile has deployed mediators.")
    assert set(_statuses(ev, "prevent")) == {"hypothetical"}
    ev = run("The two presidents gather in Lima on Friday in a bid to ease the crisis.")
    assert set(_statuses(ev, "ease")) == {"hypothetical"}


def test_need_to_is_not_a_report(run):
    ev = run("The minister said, 'we need to maintain a truce in the north first'.")
    assert "reported" not in _statuses(ev, "truce")


def test_hope_of_a_third_party_is_hypothetical(run):
    evs = run("Iran hopes that the militia will capture the highway and then force the rebels to surrender.")
    assert {e.status for e in evs if e.type in ("ASSAULT", "RETREAT")} == {"hypothetical"}
    assert _one(run("Iran said the militia will capture the highway."), "ASSAULT").status == "planned"


def test_negation_beats_the_future(run):
    assert _one(run("Egypt insists that it will not retreat from the valley."), "RETREAT").status == "denied"


def test_second_hand_decision_is_planned_and_its_circumstance_happened(run):
    evs = run("The official mentioned that “it was decided to pull tanks out of the valley,” "
              "after the other side refused.")
    assert _one(evs, "RETREAT").status == "planned"
    assert _one(evs, "REJECT").status == "reported"


def test_would_on_an_event_subject_is_a_supposition(run):
    assert _one(run("He said the deal would ease the tension."), "CONCEDE").status == "hypothetical"


def test_an_attempted_act_is_the_act(run):
    # PLOVER codes an attempt as the event itself (CAMEO 185 "attempt to assassinate" is an assault)
    assert _one(run("Gunmen tried to storm the police station on Monday."), "ASSAULT").status == "reported"
    assert _one(run("Militants attempted to kill the governor last week."), "ASSAULT").status == "reported"


@pytest.mark.parametrize("text", ["No one was arrested after the robbery at the gas station.",
                                  "Police say nobody is in custody.",
                                  "Officers arrested no one at the scene."])
def test_an_arrest_of_nobody_did_not_happen(run, text):
    assert _one(run(text), "COERCE").status == "denied"


def test_an_attack_that_hurt_nobody_still_happened(run):
    events = run("No one was arrested in the shooting on Elm Street, police said.")
    assert _one(events, "ASSAULT").status == "reported"
    # "taken into custody" is an arrest, of the people taken
    ev = _one(run("Two men were taken into custody late Tuesday."), "COERCE")
    assert ev.status == "reported" and ev.counts["arrested"].value == 2

"""Event extraction on sentences we wrote: types, REQUEST-for-event, counts, own location, dates,
and the ontology's mappings."""
import pytest

from sitrep.extract.events import extract_events
from sitrep.kb import KnowledgeBase
from sitrep.kb.ontology import Ontology
from sitrep.records import Annotation, DateInterval, Document, EventMention, Published, Timex
from sitrep.resolve.dates import event_date


@pytest.fixture(scope="module")
def kb():
    return KnowledgeBase.load()


def _types(events):
    return [e.type for e in events]


# ------------------------------------------------------------------ ontology
def test_ontology_types_and_old_names():
    o = Ontology.load()
    assert len(o.types) == 16 and "ASSAULT" in o.types and "ACCUSE" in o.types
    assert o.canonical("DEMAND") == "REQUEST"
    assert o.canonical("disapprove") == "ACCUSE"
    assert o.canonical("INVESTIGATE") == "ACCUSE"
    assert o.canonical("FIGHT") == "ASSAULT"
    with pytest.raises(ValueError):
        o.canonical("PARTY")


def test_ontology_modes_and_mappings():
    o = Ontology.load()
    assert {"aerial", "drone", "artillery", "missile", "firearms", "explosives", "chemical"} <= set(o.modes("ASSAULT"))
    assert {"meeting", "phone", "visit", "talks"} <= set(o.modes("CONSULT"))
    assert "ceasefire" in o.modes("AGREE")
    assert {"troops", "police"} <= set(o.modes("MOBILIZE"))
    assert o.acled("ASSAULT", "drone") == ("Explosions/Remote violence", "Air/drone strike")
    assert o.acled("ASSAULT", "artillery") == ("Explosions/Remote violence", "Shelling/artillery/missile attack")
    assert o.acled("FIGHT", None) == ("Battles", "Armed clash")
    assert o.acled("PROTEST", "riot") == ("Riots", "Violent demonstration")
    assert o.acled("COERCE", "arrest") == ("Strategic developments", "Arrests")
    assert o.cameo_root("CONSULT", None) == "04"
    assert o.cameo_root("DEMAND", None) == "10"
    assert o.cameo_root("ASSAULT", "chemical") == "20"
    assert o.cameo_root("ASSAULT", "firearms") == "19"
    assert o.intent_type("SUPPORT") == "AGREE" and o.intent_type("ASSAULT") == "THREATEN"


# ------------------------------------------------------------------ types and REQUEST-for-event
def test_request_for_event_is_request(annotate, kb):
    ev = extract_events(annotate("The envoy urged Riyadh to agree to a ceasefire in Yemen."), kb)
    assert _types(ev) == ["REQUEST"]
    assert ev[0].status == "reported"


def test_hoped_for_event_is_not_reported(annotate, kb):
    ev = extract_events(annotate("The minister said he would be pushing for Khartoum to accept a truce."), kb)
    assert "REQUEST" in _types(ev)
    assert not [e for e in ev if e.type == "AGREE" and e.status == "reported"]


def test_one_assault_for_several_weapons(annotate, kb):
    ev = extract_events(annotate(
        "Government forces hit back with a new offensive on Monday, killing dozens of militants with "
        "drone strikes and rocket fire."), kb)
    assaults = [e for e in ev if e.type == "ASSAULT"]
    assert len(assaults) == 1
    c = assaults[0].counts["killed"]
    assert (c.min, c.max) == (24, 99)
    assert assaults[0].mode in ("drone", "missile", "aerial")


def test_counts_with_qualifiers(annotate, kb):
    ev = extract_events(annotate(
        "Mortar shells hit the market in Dara'a, killing a child and wounding at least 14 people."), kb)
    a = next(e for e in ev if e.type == "ASSAULT")
    assert (a.counts["killed"].value, a.counts["killed"].qualifier) == (1, "exact")
    assert (a.counts["injured"].value, a.counts["injured"].qualifier) == (14, "at least")


def test_count_tied_to_its_own_strike(annotate, kb):
    ev = extract_events(annotate(
        "At least 40 police officers have died in the province since January, including 11 in an "
        "ambush near Kunduz on April 2."), kb)
    amb = [e for e in ev if e.type == "ASSAULT" and e.counts.get("killed") and e.counts["killed"].value == 11]
    assert amb, [(e.trigger, e.counts) for e in ev]


def test_modes_and_types(annotate, kb):
    ev = extract_events(annotate("Police arrested 23 demonstrators in Algiers on Friday."), kb)
    a = next(e for e in ev if e.type == "COERCE")
    assert a.mode == "arrest" and a.counts["arrested"].value == 23
    ev = extract_events(annotate("Ankara announced the deployment of 800 gendarmes to the border."), kb)
    assert "MOBILIZE" in _types(ev)


def test_actors_source_and_target(annotate, kb):
    ev = extract_events(annotate("Iranian drones attacked a Saudi oil facility on Saturday."), kb)
    a = next(e for e in ev if e.type == "ASSAULT")
    roles = {(x.role, x.text) for x in a.actors}
    assert any(r == "source" and "drones" in t for r, t in roles)
    assert any(r == "target" and "facility" in t for r, t in roles)


# ------------------------------------------------------------------ location linking
def test_location_is_the_events_own_place(annotate, kb):
    text = "Egyptian officials said Israeli aircraft bombed a warehouse in Rafah on Monday."
    ev = extract_events(annotate(text), kb)
    a = next(e for e in ev if e.type == "ASSAULT")
    assert a.location_text == "Rafah"


def test_location_not_origin_of_actor(annotate, kb):
    text = "Soldiers from Mosul clashed with militants in Tal Afar."
    ev = extract_events(annotate(text), kb)
    a = next(e for e in ev if e.type == "ASSAULT")
    assert a.location_text == "Tal Afar"


def test_location_specific_place_not_container(annotate, kb):
    text = "Artillery pounded the town of Kafr Nabl in southern Idlib."
    ev = extract_events(annotate(text), kb)
    a = next(e for e in ev if e.type == "ASSAULT")
    assert a.location_text == "Kafr Nabl"


# ------------------------------------------------------------------ dates
def _ann(text, timexes, anchor="2021-06-10"):
    doc = Document(id="d", path="d", text=text, published=Published(anchor, status="stated" if anchor else "unknown"))
    return Annotation(doc=doc, nlp_doc=None, sentences=[], entities=[], timexes=timexes, anchor=anchor)


def _ev(text, sent_start, sentence, trigger_at, time_span=None):
    return EventMention(id=f"d:{trigger_at}", doc="d", type="ASSAULT", mode=None, status="reported",
                        trigger="x", start=trigger_at, end=trigger_at + 1, sentence=sentence,
                        sentence_start=sent_start, time_span=time_span)


def _tx(text, word, value):
    s = text.index(word)
    return Timex(s, s + len(word), word, "DATE", value, DateInterval(value, value, "day", "relative"))


def test_date_own_then_sentence_then_paragraph_then_publication():
    s1 = "On Monday talks resumed."
    s2 = "Rebels shelled the town on Tuesday and again later."
    s3 = "A new paragraph without a date mentions a raid."
    text = f"{s1} {s2}\n\n{s3}"
    mon, tue = _tx(text, "Monday", "2021-06-07"), _tx(text, "Tuesday", "2021-06-08")
    ann = _ann(text, [mon, tue])
    o2 = text.index(s2)
    # own time expression
    e = _ev(text, o2, s2, text.index("shelled"), time_span=(tue.start, tue.end))
    assert event_date(e, ann).start == "2021-06-08"
    # no own expression: the sentence's
    e = _ev(text, o2, s2, text.index("again"))
    assert event_date(e, ann).start == "2021-06-08"
    # sentence without one: the paragraph's (only "Monday" and "Tuesday" are in the first paragraph)
    ann_no_tue = _ann(text, [mon])
    e = _ev(text, o2, s2, text.index("shelled"))
    assert event_date(e, ann_no_tue).start == "2021-06-07"
    # another paragraph without dates: the report's window (the week up to publication), basis publication
    o3 = text.index(s3)
    e = _ev(text, o3, s3, text.index("raid"))
    d = event_date(e, ann)
    assert (d.start, d.end, d.basis, d.precision) == ("2021-06-04", "2021-06-10", "publication", "week")
    # no anchor at all: None
    assert event_date(e, _ann(text, [mon, tue], anchor=None)) is None


# ------------------------------------------------------------------ precision / recall rules (seed-quality work)
def _find(events, type_, trigger=None):
    return [e for e in events if e.type == type_ and (trigger is None or e.trigger == trigger)]


def test_merged_triggers_pool_their_actors(annotate, kb):
    ann = annotate("The Dutch envoy called for calm and urged Belgium to reopen the border.")
    req = _find(extract_events(ann, kb), "REQUEST")
    assert len(req) == 1
    texts = {(a.role, a.text) for a in req[0].actors}
    assert ("source", "Dutch envoy") in texts and ("target", "Belgium") in texts


def test_pronoun_subject_keeps_its_conjunct_and_speaker(annotate, kb):
    ann = annotate("Prime Minister Jonas Berg said he and Chancellor Olaf Vik were calling on both sides "
                   "to stop the shelling.")
    req = _find(extract_events(ann, kb), "REQUEST")
    assert req
    names = " ".join(a.text for a in req[0].actors if a.role == "source")
    assert "Olaf Vik" in names and "Jonas Berg" in names


def test_clause_with_its_own_passive_subject_does_not_inherit(annotate, kb):
    ann = annotate("After Norway was linked to the rocket strikes on a depot, the Danish minister "
                   "called for an inquiry.")
    strikes = [e for e in extract_events(ann, kb) if e.type == "ASSAULT"]
    assert strikes
    assert not any("minister" in a.text for a in strikes[0].actors if a.role == "source")


def test_victims_nationality_is_a_target(annotate, kb):
    ann = annotate("At least 40 Dutch sailors have been killed in the strait since May, including 12 in a "
                   "strike launched on May 27.")
    evs = extract_events(ann, kb)
    strike = [e for e in evs if e.trigger == "strike"]
    assert strike and strike[0].counts["killed"].value == 12
    assert any(a.role == "target" and "Dutch sailors" in a.text for a in strike[0].actors)


def test_running_toll_is_not_an_incident(annotate, kb):
    ann = annotate("At least 40 Dutch sailors have been killed in the strait since May.")
    assert not [e for e in extract_events(ann, kb) if e.trigger == "killed"]
    ann = annotate("Five Kenyan policemen were killed in an ambush near the border on Monday.")
    evs = [e for e in extract_events(ann, kb) if e.type == "ASSAULT"]
    assert evs and any(a.role == "target" and "Kenyan policemen" in a.text for a in evs[0].actors)


def test_coordinated_nationalities_are_two_actors(annotate, kb):
    ann = annotate("The Polish and Czech officers held a meeting in Warsaw on 3 May.")
    cons = _find(extract_events(ann, kb), "CONSULT")
    assert cons
    assert {"Polish", "Czech"} <= {a.text for a in cons[0].actors}


def test_meeting_in_a_circumstance_phrase_is_the_subjects(annotate, kb):
    ann = annotate("The Polish and Czech officers did not reach a deal during a meeting in the Austrian "
                   "capital, Vienna, on 3 May.")
    cons = _find(extract_events(ann, kb), "CONSULT")
    assert cons and cons[0].status == "reported"          # the meeting took place
    assert cons[0].location_text == "Vienna"
    assert {"Polish", "Czech"} <= {a.text for a in cons[0].actors}


def test_participle_modifiers_are_not_stance_events(annotate, kb):
    ann = annotate("Iranian-backed militias attacked the base on Friday.")
    evs = extract_events(ann, kb)
    assert "SUPPORT" not in _types(evs) and "ASSAULT" in _types(evs)


def test_month_name_is_not_a_march(annotate, kb):
    ann = annotate("On 5 March, the two governments signed a water agreement.")
    assert "PROTEST" not in _types(extract_events(ann, kb))


def test_meeting_topic_is_not_an_event(annotate, kb):
    ann = annotate("The council held a meeting on the delivery of food aid to the valley on Tuesday.")
    evs = extract_events(ann, kb)
    assert "CONSULT" in _types(evs) and "AID" not in _types(evs)


def test_clause_tense(annotate, kb):
    evs = extract_events(annotate("Sweden backs the new government."), kb)
    assert evs and evs[0].tense == "present"
    evs = extract_events(annotate("The minister said he would ask Finland to reopen the crossing."), kb)
    assert _find(evs, "REQUEST") and _find(evs, "REQUEST")[0].tense == "past"


# ------------------------------------------------------------------ resolve glue: actors, reportable, dates
def _resolved(annotate, kb, text, title=None, published="2021-06-10"):
    from dataclasses import replace
    from sitrep.extract import extract_document
    from sitrep.resolve import resolve_document
    ann = annotate(text, published)
    if title is not None:
        ann = replace(ann, doc=replace(ann.doc, title=title))
    return resolve_document(ann, extract_document(ann, kb), kb).events


def test_plausible_actor(kb):
    from sitrep.records import Actor
    from sitrep.resolve import plausible_actor
    trig = kb.ontology.triggers()
    assert not plausible_actor(Actor(name=None, text="political process", role="source"), trig)
    assert not plausible_actor(Actor(name=None, text="Thursday's", role="source"), trig)
    assert not plausible_actor(Actor(name="Norway", text="Norway's air raids", role="source", country="NOR"),
                               trig)
    assert plausible_actor(Actor(name=None, text="masked gunmen", role="source"), trig)
    assert plausible_actor(Actor(name=None, text="Lars Holm", role="target"), trig)
    assert plausible_actor(Actor(name="Norway", text="Norway", role="source", country="NOR"), trig)


def test_reportable():
    from sitrep.records import Actor, Place
    from sitrep.resolve import reportable
    pub = DateInterval("2021-06-10", "2021-06-10", basis="publication")
    own = DateInterval("2021-06-08", "2021-06-08", basis="explicit")
    nor = [Actor(name="Norway", text="Norway", role="source", country="NOR")]
    base = EventMention(id="t:0", doc="t", type="SUPPORT", mode=None, status="reported", trigger="backs",
                        start=0, end=5, sentence="x", actors=nor, date=own)
    from dataclasses import replace
    assert reportable(base)
    assert not reportable(replace(base, status="hypothetical"))
    assert not reportable(replace(base, actors=[Actor(name=None, text="process", role="source")]))
    assert not reportable(replace(base, date=pub, tense="present"))       # a standing position
    assert reportable(replace(base, date=pub, tense="past"))              # a reported act
    assert reportable(replace(base, type="ASSAULT", date=pub, tense="present"))
    oslo = Place(name="Oslo", lat=59.9, lon=10.7)
    assert reportable(replace(base, type="ASSAULT", actors=[], location=oslo))   # a physical happening
    assert not reportable(replace(base, actors=[], location=oslo))               # support by nobody known


def test_headline_takes_the_lead_sentence_date(annotate, kb):
    title = "Norway and Sweden sign fishing pact"
    text = title + "\n\nNorway and Sweden signed a fishing pact in Oslo yesterday. Talks lasted a week."
    evs = [e for e in _resolved(annotate, kb, text, title=title) if e.start < len(title)]
    assert evs and all(e.date.start == "2021-06-09" and e.date.basis != "publication" for e in evs)


def test_blank_line_ends_a_sentence(annotate):
    ann = annotate("Chile and Peru sign water pact\n\nThe two governments signed a deal on Monday.")
    assert len(ann.sentences) == 2


def test_past_period_dates_to_the_window_before_publication(annotate, kb):
    evs = _resolved(annotate, kb, "Estonian troops clashed with smugglers near Narva over the past month.")
    ev = [e for e in evs if e.type == "ASSAULT"][0]
    assert ev.date.basis == "relative" and ev.date.end == "2021-06-10" and ev.date.start < "2021-05-15"


def test_definite_meeting_takes_the_earlier_meetings_date(annotate, kb):
    text = ("Finnish and Estonian officials held a meeting in Tallinn on 2 June.\n\n"
            "Analysts expect little from the process. Estonia's minister opened the meeting with a "
            "statement on the border.")
    evs = [e for e in _resolved(annotate, kb, text) if e.type == "CONSULT"]
    assert len(evs) >= 2
    assert all(e.date.start == "2021-06-02" for e in evs)


def test_bare_event_noun_as_subject_is_a_reference(annotate, kb):
    evs = extract_events(annotate("Officials said the truce should hold."), kb)
    assert not [e for e in evs if e.trigger == "truce"]
    # with its own party, target or count it is a mention of its own
    evs = extract_events(annotate("The strike on the market left the town without bread."), kb)
    assert [e for e in evs if e.trigger == "strike"]
    evs = extract_events(annotate("The bombing killed four Peruvian engineers on Monday."), kb)
    assert [e for e in evs if e.type == "ASSAULT"]


def test_generic_cause_of_a_running_toll(annotate, kb):
    evs = extract_events(annotate("Heavy fighting has killed dozens of Chilean soldiers in recent weeks."), kb)
    assert not [e for e in evs if e.type == "ASSAULT"]
    evs = extract_events(annotate("Heavy fighting killed a dozen Chilean soldiers on Sunday."), kb)
    assert [e for e in evs if e.type == "ASSAULT"]


def test_the_right_to_strike_is_not_a_strike(annotate, kb):
    evs = extract_events(annotate("The minister said Chilean forces keep a right to strike rebel camps."), kb)
    assert all(e.status != "reported" for e in evs if e.type == "ASSAULT")


# ------------------------------------------------------------------ word senses and background
def _live(evs, type_):
    return [e for e in evs if e.type == type_ and e.status == "reported"]


def test_insisting_is_a_position_not_a_request(annotate, kb):
    evs = extract_events(annotate("Egypt has insisted that it cannot absorb another wave of migrants."), kb)
    assert not [e for e in evs if e.type == "REQUEST"]
    evs = extract_events(annotate("The delegation insisted on keeping its checkpoints in place."), kb)
    assert not [e for e in evs if e.type == "REQUEST"]


def test_proposal_or_persuasion_to_reduce_is_a_request(annotate, kb):
    evs = extract_events(annotate(
        "On Monday the Iranian envoys made a proposal to cut the number of border posts."), kb)
    assert [e for e in evs if e.type == "REQUEST" and e.trigger == "proposal"]
    assert not [e for e in evs if e.type == "SANCTION"]
    evs = extract_events(annotate("On Monday officials persuaded Tehran to withdraw its forces from the valley."), kb)
    req = [e for e in evs if e.type == "REQUEST"]
    assert req and not _live(evs, "RETREAT")
    assert "Tehran" in {a.text for a in req[0].actors if a.role == "target"}
    # without the persuading the withdrawal happened
    evs = extract_events(annotate("On Monday Tehran withdrew its forces from the valley."), kb)
    assert _live(evs, "RETREAT")


def test_raising_the_prospect_of_sanctions_is_a_threat(annotate, kb):
    evs = extract_events(annotate(
        "The French minister raised the prospect on Tuesday of imposing sanctions on Iran."), kb)
    threat = [e for e in evs if e.type == "THREATEN"]
    assert threat and not [e for e in evs if e.type in ("SANCTION", "REQUEST")]
    assert "Iran" in {a.text for a in threat[0].actors if a.role == "target"}


def test_approving_or_preventing_an_action_is_no_event_of_its_own(annotate, kb):
    evs = extract_events(annotate("Moscow sanctioned and supported the offensive on the valley by the army."), kb)
    assert not [e for e in evs if e.type == "SANCTION"]
    evs = extract_events(annotate("The council sanctioned three generals on Monday."), kb)
    assert [e for e in evs if e.type == "SANCTION"]
    evs = extract_events(annotate("The general prevented an offensive by the militia to retake the town."), kb)
    assert not [e for e in evs if e.type == "COERCE"] and not _live(evs, "ASSAULT")


def test_period_tolls_are_no_incident(annotate, kb):
    evs = extract_events(annotate(
        "Since the start of the fighting in May, close to 200,000 people have been displaced "
        "and some 400 civilians killed."), kb)
    assert not [e for e in evs if e.type == "ASSAULT"]
    evs = extract_events(annotate(
        "Close to half a million civilians in the valley have been displaced by the army's latest assault."), kb)
    assert not [e for e in evs if e.type == "ASSAULT"]
    evs = extract_events(annotate("Gunmen killed 12 villagers until the army arrived on Friday."), kb)
    assert [e for e in evs if e.type == "ASSAULT"]      # "until" bounds the attack, no period toll


def test_standing_positions_are_not_events(annotate, kb):
    assert not extract_events(annotate("Egypt has long backed some factions in the conflict."), kb)
    assert not [e for e in extract_events(annotate("Russia has backed the general Khalifa Haftar."), kb)
                if e.type == "SUPPORT"]
    evs = extract_events(annotate("Russia has backed the plan for a ceasefire."), kb)
    assert [e for e in evs if e.type == "SUPPORT"]       # backing a proposal is an act
    evs = extract_events(annotate("Moscow was persuading Tehran to reduce its forces in the valley."), kb)
    assert not [e for e in evs if e.type == "REQUEST"]   # a background process with no date
    evs = extract_events(annotate("On Monday, Moscow was persuading Tehran to reduce its forces."), kb)
    assert [e for e in evs if e.type == "REQUEST"]


def test_present_tense_support_is_not_reportable(annotate, kb):
    from dataclasses import replace
    from sitrep.resolve import reportable
    ann = annotate("Russia supports the rebels in the east.")
    ev = [e for e in extract_events(ann, kb) if e.type == "SUPPORT"][0]
    ev = replace(ev, date=DateInterval("2021-06-10", "2021-06-10", "day", "explicit"),
                 actors=[replace(a, name=a.text, country="RUS") for a in ev.actors])
    assert ev.tense == "present" and not reportable(ev)
    assert reportable(replace(ev, tense="past"))


def test_known_event_referred_to_is_no_new_event(annotate, kb):
    evs = extract_events(annotate("“We want calm,” the minister said on Tuesday ahead of the talks."), kb)
    assert not [e for e in evs if e.type == "CONSULT"]
    evs = extract_events(annotate("Day two brought a long discussion of ways of withdrawing "
                                  "some Sudanese units from the plain."), kb)
    assert not [e for e in evs if e.type == "RETREAT"]
    evs = extract_events(annotate("The minister referred to his dissatisfaction with the negotiations."), kb)
    assert not [e for e in evs if e.type == "CONSULT"]
    evs = extract_events(annotate("The foreign ministers held negotiations in Cairo on Sunday."), kb)
    assert [e for e in evs if e.type == "CONSULT"]


def test_topic_name_and_actor_slot_are_not_the_place(annotate, kb):
    evs = extract_events(annotate(
        "The council held a meeting on Monday on delivering aid into Kassala."), kb)
    assert [e.location_text for e in evs if e.type == "CONSULT"] == [None]
    evs = extract_events(annotate("The army's raids breach the terms of the Kassala peace process."), kb)
    assert all(e.location_text != "Kassala" for e in evs)
    evs = extract_events(annotate(
        "The crisis resulting from the army's offensive against the valley could compel Egypt to act."), kb)
    assert all(e.location_text != "Egypt" for e in evs if e.type == "ASSAULT")
    evs = extract_events(annotate(
        "During the Chadian and Sudanese officers’ meeting, the army shelled Kafr Nabl village."), kb)
    assert [e.location_text for e in evs if e.type == "CONSULT"] == [None]
    assert [e.location_text for e in evs if e.type == "ASSAULT"] == ["Kafr Nabl"]


def test_a_date_inside_a_name_does_not_date_the_event(annotate, kb):
    ann = annotate("The air raids breach the terms of the June 2019 Geneva Agreement between Chad and Sudan.")
    ev = [e for e in extract_events(ann, kb) if e.type == "ASSAULT"][0]
    assert event_date(ev, ann).basis == "publication"   # not 2019-06
    ann = annotate("The air raids on the town in June 2019 killed four people.")
    ev = [e for e in extract_events(ann, kb) if e.type == "ASSAULT"][0]
    assert event_date(ev, ann).start.startswith("2019-06")


def test_event_noun_under_a_modal_is_supposed(annotate, kb):
    evs = extract_events(annotate("Sudan's agreement would ease the tension in the valley, he said."), kb)
    assert not _live(evs, "AGREE") and not _live(evs, "CONCEDE")


def test_the_place_an_attack_noun_names_is_where_it_happened(annotate, kb):
    ann = annotate("The bombing of Saraqib on Monday killed three people, rescuers said.")
    (ev,) = [e for e in extract_events(ann, kb) if e.type == "ASSAULT"]
    assert ev.location_text == "Saraqib"
    assert "Saraqib" not in [a.text for a in ev.actors]
    ann = annotate("Ministers discussed the shelling of Kafr Nabl, which killed five civilians.")
    shelling = [e for e in extract_events(ann, kb) if e.type == "ASSAULT"]
    assert shelling and shelling[0].location_text == "Kafr Nabl"


def test_a_definite_event_in_a_charge_is_told_not_alleged(annotate):
    kb = KnowledgeBase.load()
    events = extract_events(annotate("Police charged a teenager in the March 3 stabbing outside the mall."), kb)
    assert {e.type for e in events} >= {"ACCUSE", "ASSAULT"}
    # an act alleged of someone is no event of its own
    events = extract_events(annotate("The council member was accused of bribing two officials."), kb)
    assert "ASSAULT" not in {e.type for e in events} and len(events) == 1

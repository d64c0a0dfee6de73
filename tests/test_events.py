"""Event extraction on sentences we wrote: types, REQUEST-for-event, counts, own location, dates,
and the ontology's mappings."""
import pytest

from sitrep.config import Config
from sitrep.extract.events import extract_events
from sitrep.kb import KnowledgeBase
from sitrep.kb.ontology import Ontology
from sitrep.records import Annotation, DateInterval, Document, EventMention, Published, Timex
from sitrep.resolve.dates import event_date


@pytest.fixture(scope="module")
def annotate():
    from sitrep.annotate import Annotator
    annotator = Annotator(Config())
    try:
        annotator.pipeline_for("en")
    except ImportError:
        annotator = Annotator(Config(), with_patterns=False)

    def _annotate(text, published="2021-06-10"):
        doc = Document(id="t", path="t", text=text, published=Published(published, status="stated"))
        return annotator.annotate(doc)
    return _annotate


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
    # another paragraph without dates: publication date, basis publication
    o3 = text.index(s3)
    e = _ev(text, o3, s3, text.index("raid"))
    d = event_date(e, ann)
    assert (d.start, d.end, d.basis, d.precision) == ("2021-06-10", "2021-06-10", "publication", "day")
    # no anchor at all: None
    assert event_date(e, _ann(text, [mon, tue], anchor=None)) is None

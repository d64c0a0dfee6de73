"""The learned event types: features, the linear model, how it types candidates, and its training labels
(sentences we wrote; the PLOVER halves on a slice of the shared records)."""
import numpy as np
import pytest

from sitrep.eval import type_training as tt
from sitrep.eval.plover import code_of
from sitrep.extract.events import _Cand, extract_events, find_triggers
from sitrep.extract.types import (NONE, candidate_features, candidate_rows, decide_types, fallback_tokens,
                                  fit)
from sitrep.kb import KnowledgeBase
from sitrep.kb.ontology import Ontology
from sitrep.kb.typemodel import TypeModel, hashed, load_type_model

CLASSES = ("AID", "AGREE", "ASSAULT", NONE)


@pytest.fixture(scope="module")
def trig():
    return Ontology.load().triggers()


def _sent(annotate, text):
    return next(iter(annotate(text).nlp_doc.sents))


def _toy_model(rules: dict[str, str], classes=CLASSES, **kw) -> TypeModel:
    """A model whose feature ``f`` votes (weight 5) for class ``rules[f]``."""
    ids = np.array(sorted({int(hashed([f])[0]) for f in rules}), dtype=np.int64)
    w = np.zeros((len(ids), len(classes)), dtype=np.float32)
    for f, c in rules.items():
        w[int(np.searchsorted(ids, hashed([f])[0])), classes.index(c)] += 5.0
    return TypeModel(classes=classes, ids=ids, weights=w, bias=np.zeros(len(classes), dtype=np.float32), **kw)


def test_features_name_the_lexicon_type_and_the_context(annotate, trig):
    sent = _sent(annotate, "The rebels offered to send food to the besieged town.")
    cands = find_triggers(sent, trig)
    offer = next(c for c in cands if c.tok.lower_ == "offered")
    f = candidate_features(offer.tok, (offer.type, offer.mode), trig, "reported")
    assert "lex=AGREE" in f and "l=offer" in f and "p=V" in f
    assert "k=xcomp|send" in f and "klex=xcomp|AID" in f
    assert any(x.startswith("c3=") for x in f)          # character n-grams of the lemma


def test_hashing_is_stable():
    assert hashed(["lex=AGREE", "l=offer"]).tolist() == hashed(["lex=AGREE", "l=offer"]).tolist()
    assert int(hashed(["l=offer"])[0]) == 695743          # CRC-32 mod 2^20, the same in every process


def test_model_save_load_and_predict(tmp_path):
    m = _toy_model({"l=donate": "AID", "l=shell": "ASSAULT"}, min_prob=0.2, new_prob=0.6)
    m.save(tmp_path / "m.npz")
    back = load_type_model(tmp_path / "m.npz")
    assert back.classes == CLASSES and back.min_prob == pytest.approx(0.2) and back.new_prob == pytest.approx(0.6)
    assert back.predict(["l=donate", "w=food"])[0] == "AID"
    assert back.predict(["l=shell"])[0] == "ASSAULT"
    assert load_type_model(tmp_path / "absent.npz") is None


def test_fit_learns_a_context_rule_and_is_deterministic():
    ex = [(["l=send", "k=dobj|food"], "AID", 1.0), (["l=send", "k=dobj|troops"], "ASSAULT", 1.0),
          (["l=give", "k=dobj|food"], "AID", 1.0), (["l=shell", "k=dobj|town"], "ASSAULT", 1.0)] * 3
    m1 = fit(ex, CLASSES, l2=0.1)
    m2 = fit(ex, CLASSES, l2=0.1)
    assert m1.predict(["l=bring", "k=dobj|food"])[0] == "AID"
    assert np.array_equal(m1.weights, m2.weights)


def test_decide_types_keeps_the_lexicon_without_a_model(annotate, trig):
    sent = _sent(annotate, "Government forces shelled the village on Monday.")
    cands = find_triggers(sent, trig)
    assert decide_types(cands, sent, trig, None) == cands and cands[0].type == "ASSAULT"


def test_decide_types_retypes_and_adds_known_verbs(annotate, trig):
    sent = _sent(annotate, "The ministry said it was ready to contribute food to the flood victims.")
    make = lambda tok: _Cand([tok], NONE, None, tok.i + 1)   # noqa: E731
    assert "contribute" in [t.lemma_ for t in fallback_tokens(sent, set())]
    model = _toy_model({"l=contribute": "AID", "l=say": NONE})
    out = decide_types(find_triggers(sent, trig), sent, trig, model, make)
    assert [(c.tok.lemma_, c.type) for c in out] == [("contribute", "AID")]
    # a lexicon candidate the model finds no event keeps the lexicon's type (it is never dropped)
    sent2 = _sent(annotate, "Rebels attacked the convoy.")
    out2 = decide_types(find_triggers(sent2, trig), sent2, trig, _toy_model({"l=attack": NONE}), make)
    assert [(c.tok.lemma_, c.type) for c in out2] == [("attack", "ASSAULT")]


def test_low_probability_keeps_the_lexicon_type(annotate, trig):
    sent = _sent(annotate, "Rebels attacked the convoy.")
    weak = _toy_model({"l=attack": "AGREE"}, min_prob=0.999)
    out = decide_types(find_triggers(sent, trig), sent, trig, weak)
    assert out[0].type == "ASSAULT"


def test_shipped_model_types_plain_reports(annotate):
    kb = KnowledgeBase.load()
    assert kb.ontology.type_model() is not None
    for text, want in (("Rebels shelled the town of Kafr Zita on Monday.", "ASSAULT"),
                       ("Police arrested 12 protesters in the capital on Friday.", "COERCE"),
                       ("The two foreign ministers met in Geneva on Tuesday.", "CONSULT")):
        assert want in [e.type for e in extract_events(annotate(text), kb)], text


def test_candidate_rows_share_sentence_features(annotate, trig):
    sent = _sent(annotate, "Troops shelled the town and arrested two men.")
    cands = find_triggers(sent, trig)
    rows = candidate_rows(cands, sent, trig)
    assert len(rows) == len(cands) and all("slex=ASSAULT" in r and "slex=COERCE" in r for r in rows)


# ------------------------------------------------------------------ labels
def test_plover_codes_and_underlying_labels():
    o = Ontology.load()
    assert code_of("AID", "planned", o) == "AGREE"
    assert code_of("ASSAULT", "planned", o) == "THREATEN"
    assert code_of("AID", "denied", o) == "REJECT"
    assert tt.underlying_label("AGREE", "AID", "planned", o) == "AID"        # a promise of aid
    assert tt.underlying_label("ACCUSE", "COERCE", "reported", o) == "ACCUSE"
    assert tt.underlying_label("REJECT", "AID", "denied", o) == "AID"


def test_penta_classes_cover_every_type_once_except_requests():
    o = Ontology.load()
    penta = tt.penta_types(o)
    seen = [t for ts in penta.values() for t in ts]
    assert set(seen) == set(o.types)
    assert [t for t in o.types if seen.count(t) > 1] == ["REQUEST"]       # appeals (0) and demands (3)


def test_examples_label_the_main_event_and_the_rest_by_the_lexicon():
    o = Ontology.load()
    text = tt.Text("r1", "plover", [tt.Candidate(0, "COERCE", ["l=arrest"], "reported"),
                                    tt.Candidate(30, "ASSAULT", ["l=attack"], "reported"),
                                    tt.Candidate(50, NONE, ["l=say"], "reported")],
                   top_idx=0, top_status="reported", top_type="COERCE", gold="ACCUSE")
    ex = {(e.feats[0], e.label, e.source) for e in tt.examples([text], o)}
    assert ex == {("l=arrest", "ACCUSE", "plover"), ("l=attack", "ASSAULT", "lexicon"), ("l=say", NONE, "none")}


def test_half_of_is_stable():
    assert [tt.half_of(k) for k in ("PLOVER-A-1", "PLOVER-A-1")] == [tt.half_of("PLOVER-A-1")] * 2
    assert {tt.half_of(f"id-{i}") for i in range(20)} == {0, 1}


def test_plover_halves_on_a_slice(shared, tmp_path):
    from sitrep.eval import plover
    src = shared / "data" / "events" / "plover" / "gsr_dev.jsonl"
    lines = src.read_text(encoding="utf-8").splitlines()
    part = tmp_path / "slice.jsonl"
    part.write_text("\n".join(lines[::4]) + "\n", encoding="utf-8")
    res = plover.evaluate_halves(part, shared=None)
    assert [r["n"] for r in res["halves"]] and sum(r["n"] for r in res["halves"]) == len(lines[::4])
    assert 0.0 < res["model_mean_macro_f1"] <= 1.0 and 0.0 < res["lexicon_mean_macro_f1"] <= 1.0
    assert "lexicon F1" in plover.format_halves(res)


def test_cameo_fallback_candidates_need_the_models_word(annotate, trig):
    # "ransack" read by CAMEO (if triggers.yaml lacks it): kept when the model types it, dropped when it
    # finds no event - unlike a candidate of our lists
    sent = _sent(annotate, "Rebels ransacked the hilltop villages overnight.")
    cands = find_triggers(sent, trig)
    if not cands or cands[0].source != "cameo":
        pytest.skip("triggers.yaml lists the verb")
    keep = decide_types(find_triggers(sent, trig), sent, trig, _toy_model({"l=ransack": "ASSAULT"}))
    assert [(c.tok.lemma_, c.type) for c in keep] == [("ransack", "ASSAULT")]
    assert decide_types(find_triggers(sent, trig), sent, trig, _toy_model({"l=ransack": NONE})) == []


def test_features_carry_the_cameo_readings(annotate, trig):
    sent = _sent(annotate, "The governor imposed a curfew on the town.")
    tok = next(t for t in sent if t.lower_ == "imposed")
    f = candidate_features(tok, None, trig, "reported")
    assert "cam:obj=COERCE" in f and "cam=COERCE" in f and "camv=obj|COERCE" in f


def test_cameo_labels_of_fallback_candidates_are_none():
    t = tt.Text("k", "conflibert", [tt.Candidate(0, "ASSAULT", ["l=x"], None, "cameo"),
                                     tt.Candidate(5, "ASSAULT", ["l=y"], None, "lexicon")], top_idx=9, gold=4)
    labels = [(e.label, e.source) for e in tt.examples([t], Ontology.load())]
    assert labels == [(NONE, "none"), ("ASSAULT", "lexicon")]

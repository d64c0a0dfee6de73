"""The event's own place (sitrep.extract.place), the boosted trees it is scored with (sitrep.kb.trees) and
`sitrep eval event-location` on records written here (sentences of our own)."""
import json

import numpy as np
import pytest

from sitrep.eval import event_location
from sitrep.kb.placemodel import PlaceLinker, load_place_linker
from sitrep.kb.trees import TreeParams, fit_trees


@pytest.fixture(scope="module")
def nlp():
    return event_location.pipeline()


def _tok(doc, word):
    return next(t for t in doc if t.text == word)


def _names(doc, cands):
    return [doc[c.start:c.end].text for c in cands]


# ---------------------------------------------------------------------------------------------- names
def test_name_bounds_follow_the_annotation(nlp):
    """Lower-case edges go ("northern", "district"), a glued particle stays ("al-Nour")."""
    from sitrep.extract.place import place_candidates
    from sitrep.extract.syntax import sent_of
    doc = nlp("Gunmen opened fire in the al-Nour district of northern Baghdad on Monday.")
    names = _names(doc, place_candidates(sent_of(_tok(doc, "fire"))))
    assert "al-Nour" in names
    assert "Baghdad" in names
    assert not any(n.startswith(("the", "northern")) or n.endswith("district") for n in names)


def test_pieces_of_one_name_are_one_candidate(nlp):
    """A name the NER cut in two ("Tal" + "Al-Hamra") is one candidate."""
    from sitrep.extract.place import place_candidates
    from sitrep.extract.syntax import sent_of
    doc = nlp("The army shelled the hilltop village of Tal Al-Hamra overnight.")
    names = _names(doc, place_candidates(sent_of(_tok(doc, "shelled"))))
    assert any("Tal" in n and "Hamra" in n for n in names), names


def test_relations_between_candidates(nlp):
    """Conjoined names are peers; the province qualifies the town it follows."""
    from sitrep.extract.place import location_candidates
    doc = nlp("Rebels captured Kafr Hamra, Bayanoun and Tel Jabin in Aleppo province on Friday.")
    cset = location_candidates(_tok(doc, "captured"))
    text = [doc.text[a:b] for a, b in cset.spans]
    k = text.index("Bayanoun")
    assert any(text[j] in ("Kafr Hamra", "Tel Jabin") for j in cset.conj[k])
    assert len(cset.features) == len(cset.spans) == len(cset.conj) == len(cset.qualifies)
    assert cset.vectors is not None and cset.vectors.shape[0] == len(cset.spans)


def test_stack_features_read_related_scores():
    from sitrep.extract.place import STACK_FEATURES, CandidateSet, stack_features
    cset = CandidateSet([(0, 1), (2, 3), (4, 5)], [{}, {}, {}], [[1], [0], []], [None, None, 0])
    s = stack_features(cset, np.array([0.9, 0.2, 0.5]))
    col = {n: i for i, n in enumerate(STACK_FEATURES)}
    assert s.shape == (3, len(STACK_FEATURES))
    assert s[1, col["s1_conj_max"]] == pytest.approx(0.9)      # its peer's score
    assert s[2, col["s1_qualified"]] == pytest.approx(0.9)     # it qualifies the first name
    assert s[0, col["s1_container_max"]] == pytest.approx(0.5)
    assert s[0, col["s1_n_higher"]] == 0 and s[1, col["s1_n_higher"]] == 2


# ---------------------------------------------------------------------------------------------- trees
def test_trees_fit_predict_and_round_trip(tmp_path):
    rng = np.random.default_rng(1)
    X = (rng.random((1500, 12)) < 0.4).astype(np.float32)
    X[:, 0] = rng.normal(size=1500)
    y = ((X[:, 1] * X[:, 2] + X[:, 3] + 0.4 * X[:, 0]) > 1.0).astype(float)
    trees = fit_trees(X[:1000], y[:1000], TreeParams(n_trees=60, depth=3, learning_rate=0.2, subsample=1.0))
    p = trees.predict(X[1000:])
    assert ((p > 0.5) == y[1000:]).mean() > 0.9
    linker = PlaceLinker(tuple(f"f{i}" for i in range(12)), trees, trees, 0.5, n_stack=0)
    path = tmp_path / "m.npz"
    linker.save(path)
    back = PlaceLinker.load(path)
    assert back.names == linker.names
    assert np.allclose(back.stage1.predict(X[1000:]), p, atol=1e-6)


def test_trees_are_deterministic():
    rng = np.random.default_rng(2)
    X = rng.random((400, 5)).astype(np.float32)
    y = (X[:, 0] > 0.5).astype(float)
    a = fit_trees(X, y, TreeParams(n_trees=10, depth=2))
    b = fit_trees(X, y, TreeParams(n_trees=10, depth=2))
    assert np.array_equal(a.predict(X), b.predict(X))


# ---------------------------------------------------------------------------------------------- linker
@pytest.mark.skipif(load_place_linker() is None, reason="no shipped event-location model")
def test_shipped_linker_finds_the_place(nlp):
    from sitrep.extract.place import linked_location_spans
    doc = nlp("Police said two men were shot dead in Kandahar on Sunday.")
    spans = linked_location_spans(_tok(doc, "shot"))
    assert [doc.text[a:b] for a, b in spans] == ["Kandahar"]


@pytest.mark.skipif(load_place_linker() is None, reason="no shipped event-location model")
def test_shipped_linker_keeps_the_specific_place(nlp):
    """Of "X, in Y province" the annotation keeps X."""
    from sitrep.extract.place import linked_location_spans
    doc = nlp("A roadside bomb killed four soldiers in the village of Sangin Bala in Helmand province.")
    names = [doc.text[a:b] for a, b in linked_location_spans(_tok(doc, "killed"))]
    assert "Sangin Bala" in names and "Helmand" not in names


def test_without_a_model_the_rule_walk_decides(nlp, tmp_path, monkeypatch, caplog):
    """No model file: the loader says so and gives None, and the places are the rule walk's."""
    from sitrep.extract import place
    with caplog.at_level("WARNING", logger="sitrep.kb.placemodel"):
        assert load_place_linker(str(tmp_path / "absent.npz")) is None
    assert "rule walk" in caplog.text
    monkeypatch.setattr(place, "load_place_linker", lambda: None)
    doc = nlp("Police said two men were shot dead in Kandahar on Sunday.")
    trigger = _tok(doc, "shot")
    spans = place.linked_location_spans(trigger)
    assert spans == place.event_location_spans(trigger)
    assert [doc.text[a:b] for a, b in spans] == ["Kandahar"]


def test_a_given_linker_decides_by_its_threshold(nlp):
    """A linker passed in is used over the rule walk: one that scores every name 1.0 keeps them all, and
    with a threshold above 1 it keeps none."""
    from sitrep.extract import place
    from sitrep.kb.trees import Trees
    doc = nlp("Jets bombed Raqqa and Deir ez-Zor while the minister spoke in Damascus.")
    trigger = _tok(doc, "bombed")
    n_cands = len(place.location_candidates(trigger).spans)
    assert n_cands >= 2
    one = Trees(init=30.0, roots=np.zeros(1, dtype=np.int64), feature=np.array([-1]),
                threshold=np.zeros(1, dtype=np.float32), left=np.array([-1]), right=np.array([-1]),
                value=np.zeros(1), depth=0)
    keep_all = PlaceLinker((), one, None, 0.5)
    assert len(place.linked_location_spans(trigger, linker=keep_all)) == n_cands
    keep_none = PlaceLinker((), one, None, 1.5)
    assert place.linked_location_spans(trigger, linker=keep_none) == []


# ---------------------------------------------------------------------------------------------- eval
def _record(text, verb, places):
    """A record in the dataset's shape (tokens by a plain split), VERB and LOCATION spans by word."""
    words, toks, pos = text.split(" "), [], 0
    for i, w in enumerate(words):
        toks.append({"text": w, "start": pos, "end": pos + len(w), "id": i})
        pos += len(w) + 1
    spans = []
    for label, w in [("VERB", verb)] + [("LOCATION", p) for p in places]:
        i = words.index(w)
        spans.append({"start": toks[i]["start"], "end": toks[i]["end"], "token_start": i, "token_end": i,
                      "label": label})
    return {"text": text, "tokens": toks, "spans": spans}


def test_records_without_spans_are_skipped_and_counted(tmp_path):
    records = [
        _record("Soldiers patrolled Jalalabad after the attack .", "patrolled", ["Jalalabad"]),
        {"text": "An adjudicated sentence that marks no event at all .", "answer": "reject"},
        {"text": "A sentence with a place but no verb in Mosul .",
         "spans": [{"start": 38, "end": 43, "token_start": 9, "token_end": 9, "label": "LOCATION"}]},
    ]
    path = tmp_path / "adjudicated.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    exs, skipped = event_location.examples(event_location.load_records(path))
    assert len(exs) == 1 and exs[0].gold
    assert skipped == {"no spans": 1, "no verb": 1}
    res = event_location.evaluate(path)
    assert res["n"] == 1 and res["n_records"] == 3
    assert res["skipped"] == {"no spans": 1, "no verb": 1}
    assert set(res) >= {"p", "r", "f1", "tune", "heldout"}
    assert "skipped: 1 no spans, 1 no verb" in event_location.format_table(res)


def test_cross_validation_on_written_records(nlp):
    """The --cv path end to end on a handful of records (tiny trees): figures for CV and held-out."""
    sents = [("Militants attacked Kunduz on Monday .", "attacked", ["Kunduz"]),
             ("Troops shelled Idlib overnight .", "shelled", ["Idlib"]),
             ("Protesters marched in Lagos on Friday .", "marched", ["Lagos"]),
             ("The minister said talks would continue .", "said", []),
             ("Police arrested two men in Karachi .", "arrested", ["Karachi"]),
             ("Gunmen killed a farmer near Jos .", "killed", ["Jos"]),
             ("He was captured by rebels last year .", "captured", []),
             ("Jets bombed Raqqa at dawn .", "bombed", ["Raqqa"])] * 3
    exs, _ = event_location.examples([_record(*s) for s in sents])
    rows = event_location.featurize(exs, nlp)
    tiny = TreeParams(n_trees=5, depth=2, min_leaf=1, subsample=1.0)
    params = event_location.LinkerParams(stage1=tiny, stage2=tiny, inner_folds=2, min_count=1,
                                         vector_components=2)
    res = event_location.cross_validate(rows, 2, params)
    assert set(res) >= {"cv_tune", "heldout", "by_threshold"}
    assert 0.0 <= res["cv_tune"]["f1"] <= 1.0


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        event_location.load_records(tmp_path / "missing.json")

"""The learned event-pair decision: each named feature on pairs we write, the tree model, the prior, linkage."""
from __future__ import annotations

import numpy as np
import pytest

from sitrep.fuse import pairs as P


def _v(doc, lemma, sentence=3, pos="VERB", words=(), args=(), dargs=(), dep="ROOT", key=None):
    return P.EventView(key or (doc, lemma, sentence), doc, sentence, lemma, lemma, pos, tuple(words),
                       frozenset(args), frozenset(dargs), dep)


def _lexicon():
    return P.Lexicon({"kill": "killed", "murder": "killed", "arrest": "arrested"}, frozenset({"say", "tell"}))


def _features(views, prior=None, doc_words=None, doc_names=None):
    ctx = P.PairContext(views, _lexicon(), prior, doc_words or {}, doc_names or {}).build()
    i, j = np.triu_indices(len(views), 1)
    return dict(zip(P.FEATURE_NAMES, P.pair_features(ctx, i, j).T))


def test_trigger_word_features():
    f = _features([_v("d1", "kill"), _v("d2", "kill"), _v("d3", "murder"), _v("d4", "killing")])
    # pairs in triu order: (0,1) (0,2) (0,3) (1,2) (1,3) (2,3)
    assert list(f["same_lemma"]) == [1, 0, 0, 0, 0, 0]
    assert f["same_stem"][2] == 1                       # kill / killing
    assert f["same_class"][1] == 1 and f["same_class"][5] == 1      # kill / murder / killing: "killed"
    assert f["char_sim"][2] > f["char_sim"][1]          # kill~killing closer in spelling than kill~murder


def test_words_of_different_classes():
    f = _features([_v("d1", "murder"), _v("d2", "arrest"), _v("d3", "vote")])
    assert list(f["same_class"]) == [0, 0, 0]


def test_reporting_position_and_document_features():
    views = [_v("d1", "say", sentence=0), _v("d1", "tell", sentence=0), _v("d2", "attack", sentence=5, pos="NOUN")]
    f = _features(views, doc_words={"d1": ["rebel", "town"], "d2": ["rebel", "city"]})
    assert list(f["both_reporting"]) == [1, 0, 0]
    assert list(f["either_reporting"]) == [0, 1, 1]
    assert list(f["same_doc"]) == [1, 0, 0] and list(f["same_sentence"]) == [1, 0, 0]
    assert list(f["lead_pair"]) == [1, 0, 0]
    assert list(f["both_verbs"]) == [1, 0, 0]
    assert f["doc_sim"][0] == pytest.approx(1.0) and 0 < f["doc_sim"][1] < 1


def test_argument_features():
    a = _v("d1", "arrest", args={"ohio", "tuesday"}, dargs={"smith", "ohio"})
    b = _v("d2", "arrest", args={"ohio"}, dargs={"smith"})
    c = _v("d3", "arrest", args={"texas"}, dargs={"jones"})
    f = _features([a, b, c])
    assert f["args_jaccard"][0] == pytest.approx(0.5) and f["args_jaccard"][1] == 0
    assert f["dargs_shared"][0] == pytest.approx(np.log(2)) and f["dargs_conflict"][1] == 1


def test_spread_names_and_modifier():
    views = [_v("d1", "quake"), _v("d2", "quake"), _v("d3", "update", dep="compound"), _v("d3", "quake")]
    f = _features(views, doc_names={"d1": ["peru", "7.9"], "d2": ["peru", "7.9"], "d3": ["chile"]})
    assert f["spread_min"][0] == pytest.approx(1.0)      # "quake" in all three documents
    assert f["spread_min"][1] == pytest.approx(1 / 3)    # "update" in one
    assert f["names_sim"][0] == pytest.approx(1.0) and f["names_sim"][1] == 0
    assert f["either_modifier"][1] == 1 and f["either_modifier"][0] == 0


def test_lemma_prior_counts_topics_and_leaves_one_out():
    groups = [(1, [_v("a", "kill"), _v("b", "murder")], ["x", "x"]),
              (2, [_v("c", "kill"), _v("d", "murder")], ["y", "y"]),
              (3, [_v("e", "kill"), _v("f", "murder")], ["z", "w"])]
    shares, base = P.lemma_pair_shares(groups)
    assert shares[("kill", "murder")] == {1: 1.0, 2: 1.0, 3: 0.0}
    prior = P.build_prior(shares, base)
    assert prior.pairs[("kill", "murder")] == (2.0, 3)
    assert P.build_prior(shares, base, exclude=3).pairs[("kill", "murder")] == (2.0, 2)
    assert P.build_prior(shares, base, min_votes=4).pairs == {}
    assert base == pytest.approx(2 / 3)
    odds, votes = P.build_prior(shares, 0.1).log_odds("murder", "kill")     # 2 of 3 topics, base rate 0.1
    assert odds > 0 and votes == pytest.approx(np.log(4))
    assert prior.log_odds("say", "say") == (0.0, 0.0)
    assert P.LemmaPrior.from_json(prior.to_json()) == prior


def test_trees_learn_an_interaction_and_round_trip():
    rng = np.random.default_rng(0)
    X = rng.random((4000, 3))
    y = ((X[:, 0] > 0.5) & (X[:, 1] > 0.5)).astype(float)          # needs both features
    m = P.fit_trees(X, y, ["a", "b", "c"], rounds=60, depth=2, rate=0.3)
    acc = ((m.proba(X) > 0.5) == (y > 0)).mean()
    assert acc > 0.97
    again = P.PairModel.from_json(m.to_json())
    assert np.allclose(again.proba(X), m.proba(X), atol=1e-5)
    assert set(m.importance()) <= {"a", "b", "c"} and "c" not in list(m.importance())[:2]
    # deterministic
    assert P.fit_trees(X, y, ["a", "b", "c"], rounds=5, depth=2).to_json() == \
        P.fit_trees(X, y, ["a", "b", "c"], rounds=5, depth=2).to_json()


def test_average_linkage_cuts_at_the_mean_probability():
    prob = np.array([[1, .9, .2, 0], [.9, 1, .6, 0], [.2, .6, 1, 0], [0, 0, 0, 1]], dtype=float)
    assert P.average_linkage(prob, 0.5) == [[0, 1], [2], [3]]      # mean of .2 and .6 is .4 < .5
    assert P.average_linkage(prob, 0.35) == [[0, 1, 2], [3]]
    assert P.average_linkage(np.eye(1), 0.5) == [[0]]


def test_shipped_model_loads_and_reads_only_known_features():
    model, prior = P.load_model()
    assert set(model.names) <= set(P.FEATURE_NAMES)
    assert 0 < model.threshold < 1 and model.meta.get("trained_on_topics")
    views = [_v("d1", "kill", words=("gunman", "mall")), _v("d2", "kill", words=("gunman", "mall")),
             _v("d3", "say", pos="VERB")]
    ctx = P.PairContext(views, P.load_lexicon(), prior, {"d1": ["gunman", "mall"], "d2": ["gunman", "mall"]}).build()
    m = P.pair_matrix(ctx, model)
    assert m.shape == (3, 3) and np.allclose(m, m.T)
    assert m[0, 1] > m[0, 2]                           # same killing in two reports beats kill / say

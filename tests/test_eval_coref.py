"""Coreference metrics on textbook examples, the ECB+ reader on a file we write, and the scorer end to end."""
from __future__ import annotations

import pytest

from sitrep.eval import coref as C

# Pradhan et al. (2014), "Scoring Coreference Partitions of Predicted Mentions: A Reference Implementation",
# figure 1: key {a,b,c} {d,e,f,g}; response {a,b} {c,d} {f,g,h,i}. Values worked out by hand below.
KEY = [{"a", "b", "c"}, {"d", "e", "f", "g"}]
RESPONSE = [{"a", "b"}, {"c", "d"}, {"f", "g", "h", "i"}]


def test_muc_textbook():
    # recall: {a,b,c} cut in 2 pieces -> 1 link of 2; {d,e,f,g} in 3 pieces ({d} {e} {f,g}) -> 1 of 3: 2/5
    # precision: {a,b} 1 of 1; {c,d} 0 of 1; {f,g,h,i} in {f,g} {h} {i} -> 1 of 3: 2/5
    p, r, f = C.muc(KEY, RESPONSE)
    assert (p, r) == pytest.approx((0.4, 0.4))
    # Vilain et al. (1995): key {A,B,C,D}, response {A,B} {C,D}: recall 2/3, precision 1
    p, r, f = C.muc([{"A", "B", "C", "D"}], [{"A", "B"}, {"C", "D"}])
    assert (p, r) == pytest.approx((1.0, 2 / 3))
    # singletons carry no links
    assert C.muc([{"x"}], [{"x"}]) == (0.0, 0.0, 0.0)


def test_b_cubed_textbook():
    # recall: ({a,b,c}: (4 + 1) / 3 + {d,e,f,g}: (1 + 4) / 4) / 7 = 35/84
    # precision: ({a,b}: 4/2 + {c,d}: (1 + 1)/2 + {f,g,h,i}: 4/4) / 8 = 4/8
    p, r, f = C.b_cubed(KEY, RESPONSE)
    assert p == pytest.approx(0.5) and r == pytest.approx(35 / 84)
    # singletons count in B3: a perfect all-singleton answer scores 1
    assert C.b_cubed([{"x"}, {"y"}], [{"x"}, {"y"}])[2] == pytest.approx(1.0)


def test_ceaf_e_textbook():
    # phi4: {a,b,c}-{a,b} 4/5, {a,b,c}-{c,d} 2/5, {d,e,f,g}-{c,d} 2/6, {d,e,f,g}-{f,g,h,i} 4/8;
    # best alignment 0.8 + 0.5 = 1.3 -> recall 1.3/2, precision 1.3/3
    p, r, f = C.ceaf_e(KEY, RESPONSE)
    assert r == pytest.approx(0.65) and p == pytest.approx(1.3 / 3)


def test_ceaf_e_needs_the_optimal_not_the_greedy_alignment():
    # greedy would pair K1 with R1 (phi 0.8) and leave K2 with nothing; optimal pairs K1-R2 and K2-R1
    key = [{"a", "b", "c", "d"}, {"e"}]
    response = [{"a", "b", "c", "e"}, {"d"}]
    # phi(K1,R1)=6/8=.75, phi(K1,R2)=2/5=.4, phi(K2,R1)=2/5=.4, phi(K2,R2)=0 -> best .75 (K1-R1) vs .8 (K1-R2 + K2-R1)
    p, r, f = C.ceaf_e(key, response)
    assert r == pytest.approx(0.8 / 2) and p == pytest.approx(0.8 / 2)


def test_conll_is_the_mean_and_perfect_is_one():
    s = C.conll(KEY, RESPONSE)
    assert s["conll_f1"] == pytest.approx((s["muc_f1"] + s["b3_f1"] + s["ceafe_f1"]) / 3)
    assert C.conll(KEY, KEY)["conll_f1"] == pytest.approx(1.0)


ECB_XML = """<Document doc_name="{name}.xml" doc_id="x">
<token t_id="1" sentence="0" number="0">Rebels</token>
<token t_id="2" sentence="0" number="1">attacked</token>
<token t_id="3" sentence="0" number="2">a</token>
<token t_id="4" sentence="0" number="3">town</token>
<token t_id="5" sentence="1" number="0">The</token>
<token t_id="6" sentence="1" number="1">attack</token>
<token t_id="7" sentence="1" number="2">ended</token>
<token t_id="8" sentence="2" number="0">Nobody</token>
<token t_id="9" sentence="2" number="1">left</token>
<Markables>
<ACTION_OCCURRENCE m_id="1"><token_anchor t_id="2"/></ACTION_OCCURRENCE>
<ACTION_OCCURRENCE m_id="2"><token_anchor t_id="6"/></ACTION_OCCURRENCE>
<ACTION_OCCURRENCE m_id="3"><token_anchor t_id="7"/></ACTION_OCCURRENCE>
<NEG_ACTION_OCCURRENCE m_id="4"><token_anchor t_id="9"/></NEG_ACTION_OCCURRENCE>
<HUMAN_PART_PER m_id="5"><token_anchor t_id="1"/></HUMAN_PART_PER>
<ACTION_OCCURRENCE m_id="9" TAG_DESCRIPTOR="t_attack" instance_id="ACT1"/>
</Markables>
<Relations>
<CROSS_DOC_COREF r_id="1" note="ACT1"><source m_id="1"/><source m_id="2"/><target m_id="9"/></CROSS_DOC_COREF>
</Relations>
</Document>
"""


def test_reader_keeps_validated_sentences_and_gold_clusters(tmp_path):
    (tmp_path / "ECB+" / "7").mkdir(parents=True)
    (tmp_path / "ECB+" / "7" / "7_1ecb.xml").write_text(ECB_XML.format(name="7_1ecb"))
    (tmp_path / "ECB+" / "7" / "7_2ecb.xml").write_text(ECB_XML.format(name="7_2ecb"))
    (tmp_path / "ECBplus_coreference_sentences.csv").write_text("Topic,File,Sentence Number\n7,1ecb,0\n7,1ecb,1\n")
    docs = C.read_ecbplus(tmp_path)
    assert [d.name for d in docs] == ["7_1ecb"]                    # 7_2ecb has no validated sentence
    ms = docs[0].mentions
    assert [m.text for m in ms] == ["attacked", "attack", "ended"]  # entity and unvalidated mentions left out
    assert ms[0].gold == ms[1].gold == "ACT1" and ms[2].gold not in ("ACT1", None)


def test_stem_meets_derivations():
    assert C.stem("shooting") == C.stem("shoot")
    assert C.stem("arrested") == C.stem("arrest")
    assert C.stem("election") != C.stem("erect")


def test_evaluate_on_ecbplus_dev_topic(shared):
    data = shared / "data" / "coref" / "ecbplus"
    if not data.is_dir():
        pytest.skip("ECB+ absent")
    r = C.evaluate(data, topics={2})
    for k in ("gold_mentions", "predicted_mentions"):
        assert set(r[k]) >= {"muc_f1", "b3_f1", "ceafe_f1", "conll_f1"}
    assert set(r["baseline_lemma"]) >= {"conll_f1"}
    # lemma matching inside document clusters beats pooling over all documents; ours is at least the baseline
    assert r["gold_mentions"]["conll_f1"] >= r["baseline_lemma"]["conll_f1"] - 0.01
    assert 0.5 < r["gold_mentions"]["conll_f1"] <= 1.0
    assert "CoNLL" in C.format_table(r)


def _m(doc, head, dargs=(), pos="VERB"):
    m = C.EcbMention((doc, 1, 1), doc, 1, 0, [1], head, "g", head, C.stem(head), pos)
    m.dargs = frozenset(dargs)
    return m


def test_pair_scores_lemma_stem_and_reporting_verbs():
    p = C.CorefParams()
    assert C.pair_score(_m("d1", "shoot"), _m("d2", "shoot"), p) > p.link_threshold
    assert C.pair_score(_m("d1", "shooting"), _m("d2", "shoot"), p) > p.link_threshold
    assert C.pair_score(_m("d1", "shoot"), _m("d2", "arrest"), p) == 0.0
    # "say" in two documents is two sayings unless the two share an argument
    assert C.pair_score(_m("d1", "say"), _m("d2", "say"), p) == 0.0
    assert C.pair_score(_m("d1", "say", {"police"}), _m("d2", "say", {"police"}), p) > p.link_threshold
    assert C.pair_score(_m("d1", "say"), _m("d1", "say"), p) > p.link_threshold     # same document


def test_average_linkage_keeps_apart_what_scores_nothing():
    p = C.CorefParams()
    ms = [_m("d1", "shoot"), _m("d2", "shooting"), _m("d3", "arrest"), _m("d4", "arrest"), _m("d5", "flee")]
    clusters = sorted(sorted(m.doc for m in c) for c in C.cluster_mentions_avg(ms, p))
    assert clusters == [["d1", "d2"], ["d3", "d4"], ["d5"]]


def test_topic_folds_and_ranges():
    assert C.topic_folds([5, 1, 3, 2, 4], 2) == [[1, 3, 5], [2, 4]]
    assert C._ranges([1, 2, 3, 5, 7, 8]) == "1-3,5,7-8"


def test_cross_validation_never_scores_a_trained_topic(shared, monkeypatch):
    data = shared / "data" / "coref" / "ecbplus"
    if not data.is_dir():
        pytest.skip("ECB+ absent")
    trained = []
    real_train = C.train_learned

    def spy(corpus, mentions, p=C.LearnedParams()):
        trained.append({m.topic for m in mentions})
        return real_train(corpus, mentions, C.LearnedParams(rounds=30))
    monkeypatch.setattr(C, "train_learned", spy)
    r = C.evaluate(data, topics={1, 2, 3}, cv=3)
    assert r["evaluation"]["folds"] == [[1], [2], [3]]
    assert trained == [{2, 3}, {1, 3}, {1, 2}]
    assert 0.3 < r["gold_mentions"]["conll_f1"] <= 1.0
    assert set(r["gold_mentions"]["parts"]) == {"tune", "heldout"}


def test_shipped_model_is_scored_on_unseen_topics_only(shared):
    data = shared / "data" / "coref" / "ecbplus"
    if not data.is_dir():
        pytest.skip("ECB+ absent")
    with pytest.raises(ValueError):
        C.evaluate(data, topics={1})                       # a training topic: nothing honest to score

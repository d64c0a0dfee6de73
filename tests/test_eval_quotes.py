"""`sitrep eval quotes` on a few PolNeAR dev articles (read from ../shared at run time)."""
import pytest

from sitrep.eval.quotes import _match, evaluate, format_table, read_gold


def test_read_gold_splits_discontinuous_spans():
    ann = ("T1\tSource 0 5\tMaria\nT2\tCue 6 10\tsaid\nT3\tContent 12 20;30 40\tx\n"
           "T4\tDiscuss 1 2\ty\nE1\tAttribution:T2 Source:T1 Cue:T2 Content:T3\n")
    gold = read_gold(ann)
    assert gold == {"source": {(0, 5)}, "cue": {(6, 10)}, "content": {(12, 20), (30, 40)}}


def test_match_exact_and_one_to_one_overlap():
    gold = {(0, 10), (20, 30)}
    pred = {(0, 10), (22, 25), (24, 28)}
    assert _match(gold, pred) == (1, 2)


def test_evaluate_on_polnear_dev(shared):
    data = shared / "data" / "quotes" / "polnear" / "data" / "dev"
    if not data.is_dir():
        pytest.skip("PolNeAR dev is absent")
    result = evaluate(data, limit=3)
    assert result["documents"] == 3
    for t in ("source", "cue", "content"):
        for m in ("exact", "overlap"):
            assert set(result[t][m]) == {"p", "r", "f1"}
        assert result[t]["gold"] > 0
        assert result[t]["overlap"]["f1"] >= result[t]["exact"]["f1"]
    assert result["cue"]["exact"]["f1"] > 0.3          # a real extractor, not an empty one
    assert "source" in format_table(result)

"""`sitrep eval timex` on a few TempEval-3 and MEANTIME files from ../shared, and the scorer on made-up pairs."""
import json
import shutil

import pytest

from sitrep.eval.timex import GoldTimex, evaluate, format_table, read_tml, score
from sitrep.records import Timex

KEYS = {"gold", "pred", "strict", "relaxed", "value_f1", "type_f1"}


@pytest.fixture(scope="module")
def aquaint_dir(shared, tmp_path_factory):
    src = shared / "data" / "time" / "tempeval3" / "TBAQ-cleaned" / "AQUAINT"
    files = sorted(src.glob("*.tml"))[:3] if src.is_dir() else []
    if len(files) < 3:
        pytest.skip("TempEval-3 AQUAINT files are absent")
    out = tmp_path_factory.mktemp("aquaint")
    for f in files:
        shutil.copy(f, out / f.name)
    return out


def test_evaluate_aquaint_sample(aquaint_dir, tmp_path):
    pred_file = tmp_path / "pred.jsonl"
    r = evaluate(aquaint_dir, predictions_out=pred_file)
    assert KEYS <= r.keys()
    assert r["gold"] > 5 and r["pred"] > 5
    for k in ("strict", "relaxed"):
        assert set(r[k]) == {"p", "r", "f1"}
        assert 0.5 < r[k]["f1"] <= 1.0
    assert r["relaxed"]["f1"] >= r["strict"]["f1"]
    assert 0.4 < r["value_f1"] <= r["relaxed"]["f1"]
    assert 0.4 < r["type_f1"] <= r["relaxed"]["f1"]
    lines = [json.loads(x) for x in pred_file.read_text().splitlines()]
    assert len(lines) == r["pred"]
    assert {"doc", "start", "end", "type", "value"} <= lines[0].keys()
    assert "strict" in format_table(r)


def test_tml_text_matches_the_gold_offsets(aquaint_dir):
    for f in aquaint_dir.glob("*.tml"):
        doc = read_tml(f)
        assert doc.dct and len(doc.dct) == 10
        assert "<" not in doc.text and "&amp;" not in doc.text
        assert all(doc.text[g.start:g.end].strip() for g in doc.timexes)


def test_evaluate_meantime_sample(shared, tmp_path):
    src = shared / "data" / "time" / "meantime_en" / "intra_cross-doc_annotation"
    files = sorted(src.rglob("*.xml"))[:3] if src.is_dir() else []
    if len(files) < 3:
        pytest.skip("MEANTIME files are absent")
    for f in files:
        shutil.copy(f, tmp_path / f.name)
    r = evaluate(tmp_path)
    assert KEYS <= r.keys()
    assert r["gold"] > 3 and 0.3 < r["relaxed"]["f1"] <= 1.0


def test_score_follows_te3_definitions():
    gold = [GoldTimex(0, 6, "DATE", "2020-03-05"), GoldTimex(10, 24, "TIME", "2020-03-05TNI"),
            GoldTimex(30, 39, "DURATION", "P6H")]
    pred = [Timex(0, 6, "Friday", "DATE", "2020-03-05"),          # strict, right value
            Timex(10, 18, "Thursday", "DATE", "2020-03-05"),     # relaxed only, wrong type and value
            Timex(50, 55, "today", "DATE", "2020-03-06")]        # false positive
    r = score([(gold, pred)])
    assert (r["gold"], r["pred"]) == (3, 3)
    assert r["strict"]["p"] == pytest.approx(1 / 3) and r["strict"]["r"] == pytest.approx(1 / 3)
    assert r["relaxed"]["p"] == pytest.approx(2 / 3) and r["relaxed"]["r"] == pytest.approx(2 / 3)
    # attribute F1 = relaxed F1 x accuracy over the matched gold expressions (1 of 2 right)
    assert r["value_f1"] == pytest.approx(2 / 3 * 1 / 2)
    assert r["type_f1"] == pytest.approx(2 / 3 * 1 / 2)


def test_evaluate_scores_adjectival_durations_the_timeml_way(tmp_path):
    """The evaluation tags as TimeML annotates: "a two-day visit" carries a DURATION (sitrep's own output
    leaves the adjective out). The file is written here, in TimeML 1.2 form."""
    tml = ('<?xml version="1.0" ?>\n<TimeML>\n<DOCID>T1</DOCID>\n'
           '<DCT><TIMEX3 tid="t0" type="DATE" value="2020-03-06" functionInDocument="CREATION_TIME">'
           '2020-03-06</TIMEX3></DCT>\n<TEXT>\nThe envoy ended a <TIMEX3 tid="t1" type="DURATION" value="P2D">'
           'two-day</TIMEX3> visit on <TIMEX3 tid="t2" type="DATE" value="2020-03-05">Thursday</TIMEX3>.\n'
           '</TEXT>\n</TimeML>\n')
    (tmp_path / "t1.tml").write_text(tml, encoding="utf-8")
    r = evaluate(tmp_path)
    assert (r["gold"], r["pred"]) == (2, 2)
    assert r["strict"]["f1"] == pytest.approx(1.0)
    assert r["value_f1"] == pytest.approx(1.0)

"""`sitrep eval geo`: the scorer on hand-made cases, against EUPEG's archived outputs, and end to end on LGL."""
from __future__ import annotations

import pytest

from sitrep.eval.geo import Toponym, evaluate, format_line, format_table, parse_line, read_lines, score, score_files


def T(start, end, lat, lon, name="X"):
    return Toponym(name, name, lat, lon, start, end)


def test_parse_and_format_round_trip():
    line = "Idlib,,Idlib,,35.93,,36.63,,0,,5,,123.4||Aleppo,,Aleppo,,36.2,,37.15,,10,,16,,9.9||\n"
    tops = parse_line(line)
    assert [(t.name, t.start, t.end) for t in tops] == [("Idlib", 0, 5), ("Aleppo", 10, 16)]
    again = parse_line(format_line(tops))
    assert [(t.name, t.lat, t.lon, t.start, t.end) for t in again] == [(t.name, t.lat, t.lon, t.start, t.end)
                                                                      for t in tops]
    assert parse_line("\n") == []
    assert parse_line("A,,A,,null,,null,,0,,1||") == []          # no coordinates: left out, as in EUPEG
    with pytest.raises(ValueError):
        parse_line("broken,,entry||")


def test_scores_by_hand():
    gold = [[T(0, 5, 35.93, 36.63), T(10, 16, 36.20, 37.15), T(30, 35, 33.51, 36.28)]]
    pred = [[T(0, 5, 35.93, 36.63),          # right span, right place
             T(12, 16, 33.51, 36.28),        # overlapping span, ~300 km off
             T(40, 44, 0.0, 0.0)]]           # spurious
    r = score(gold, pred)
    assert r["toponyms"] == {"p": 2 / 3, "r": 2 / 3, "f1": pytest.approx(2 / 3)}
    assert r["acc_161"] == 0.5
    # Aleppo to Damascus is about 309 km (2.69 degrees of latitude, 0.87 of longitude at 35 N); mean of 0 and it
    assert r["mean_km"] == pytest.approx(309 / 2, abs=3)
    assert r["end_to_end"]["p"] == pytest.approx(1 / 3) and r["end_to_end"]["r"] == pytest.approx(1 / 3)
    assert "end-to-end" in format_table(r)


def test_scores_are_one_to_one_and_need_aligned_documents():
    gold = [[T(0, 10, 1.0, 1.0)]]
    pred = [[T(0, 4, 1.0, 1.0), T(5, 10, 1.0, 1.0)]]     # two predictions inside one gold span count once
    r = score(gold, pred)
    assert r["toponyms"]["r"] == 1.0 and r["toponyms"]["p"] == 0.5
    with pytest.raises(ValueError):
        score(gold, [])


@pytest.fixture(scope="module")
def eupeg(shared):
    path = shared / "data" / "geo" / "eupeg"
    if not (path / "gold" / "LGL_gold.txt").is_file():
        pytest.skip("EUPEG data absent")
    return path


@pytest.mark.parametrize("parser,f1", [("DBpedia", 0.485), ("CamCoder", 0.474), ("Edinburgh", 0.429),
                                       ("CLAVIN", 0.409)])
def test_scorer_reproduces_published_end_to_end_numbers(eupeg, parser, f1):
    r = score_files(eupeg / "gold" / "LGL_gold.txt", eupeg / "geoparser_output" / f"LGL_{parser}.txt")
    assert r["end_to_end"]["f1"] == pytest.approx(f1, abs=0.0006)


def test_evaluate_on_a_few_lgl_documents(eupeg, tmp_path):
    gold_lines = (eupeg / "gold" / "LGL_gold.txt").read_text(encoding="utf-8").splitlines(keepends=True)
    picked = range(20)                                    # the first 20 articles (US local news)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for new, old in enumerate(picked):
        (corpus / str(new)).write_text((eupeg / "corpora" / "LGL" / str(old)).read_text(encoding="utf-8"),
                                       encoding="utf-8")
    gold = tmp_path / "gold.txt"
    gold.write_text("".join(gold_lines[i] for i in picked), encoding="utf-8")
    out = tmp_path / "pred.txt"
    r = evaluate(corpus, gold, predictions_out=out)
    assert set(r) >= {"toponyms", "acc_161", "mean_km", "end_to_end"}
    # above the best archived geoparser on the whole corpus (0.485 end to end), as on the whole corpus;
    # these 20 articles name Alexandria (Louisiana, Minnesota) alone, which resolves to the largest one
    # (Egypt), so their accuracy is below the corpus's (0.87)
    assert r["end_to_end"]["f1"] >= 0.55 and r["acc_161"] >= 0.75
    # the predictions file is in the gold's own format and scores the same
    assert score_files(gold, out)["end_to_end"] == r["end_to_end"]
    assert len(read_lines(out)) == len(picked)

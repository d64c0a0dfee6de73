"""Eval modules on small slices of the development files (skipped without ../shared)."""
import json

from sitrep.eval import event_location, plover


def test_plover_eval_slice(shared, tmp_path):
    src = shared / "data" / "events" / "plover" / "gsr_dev.jsonl"
    lines = src.read_text(encoding="utf-8").splitlines()
    # every 12th record: a spread of types
    part = tmp_path / "slice.jsonl"
    part.write_text("\n".join(lines[::12]) + "\n", encoding="utf-8")
    res = plover.evaluate(part)
    assert res["n"] == len(lines[::12])
    for key in ("type_accuracy", "macro_f1", "per_type", "source_country_accuracy",
                "target_country_accuracy", "sector_accuracy"):
        assert key in res
    assert res["type_accuracy"] >= 0.5          # rules, not chance (1/16)
    assert all(set(v) == {"p", "r", "f1", "n"} for v in res["per_type"].values())
    assert "macro-F1" in plover.format_table(res)


def test_event_location_eval_slice(shared, tmp_path):
    src = shared / "data" / "events" / "event_location" / "labeled_text_dev.json"
    records = json.loads(src.read_text(encoding="utf-8"))[:60]
    part = tmp_path / "slice.json"
    part.write_text(json.dumps(records), encoding="utf-8")
    res = event_location.evaluate(part)
    assert set(res) >= {"p", "r", "f1"}
    assert res["f1"] >= 0.4
    assert "F1" in event_location.format_table(res)


def test_bad_input_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"foo": 1}\n', encoding="utf-8")
    import pytest
    with pytest.raises(ValueError):
        plover.load_records(bad)
    with pytest.raises(FileNotFoundError):
        event_location.load_records(tmp_path / "missing.json")

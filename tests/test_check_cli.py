"""`sitrep check` on the store of the seed run: a table, counts, and violations.jsonl per the schema."""
import json

from click.testing import CliRunner

from sitrep.cli import main
from sitrep.config import DATA_DIR


def test_check_command_on_the_seeds(seeds_run, tmp_path):
    config, _ = seeds_run
    agreement = DATA_DIR / "agreements" / "moscow_2020.yaml"
    result = CliRunner().invoke(main, ["check", str(agreement), "--db", str(config.db),
                                       "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "violations.jsonl").read_text().splitlines()
    assert lines, "no violation or possible violation found on the seeds"
    for line in lines:
        row = json.loads(line)
        assert set(row) == {"agreement", "clause", "event", "party", "zone", "status", "reason"}
        assert row["status"] in ("violation", "possible")
        assert row["reason"]
    assert "violation" in result.output


def test_check_command_names_a_bad_field(tmp_path, seeds_run):
    config, _ = seeds_run
    bad = tmp_path / "bad.yaml"
    text = (DATA_DIR / "agreements" / "moscow_2020.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("effective_from:", "effective_frm:", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(bad), "--db", str(config.db)])
    assert result.exit_code != 0
    assert "bad.yaml" in result.output and "effective_from" in result.output

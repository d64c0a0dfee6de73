"""CLI consistency: `show` takes incidents and documents, ids everywhere, invalid values are errors that list the
valid ones, `-v` logs each stage with its time, piped tables are not cut, plurals are right."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from serve_store import build
from sitrep.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("cli") / "s.db")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_show_takes_incidents_and_documents(db):
    r = run("show", "Eaaa0001", "--db", db)
    assert r.exit_code == 0, r.output
    assert "Eaaa0001" in r.output and "Outlet A" in r.output and "Outlet B" in r.output
    assert "counts.killed" in r.output and "violation" in r.output
    assert "Eaaa" in run("show", "Eaaa", "--db", db).output                # a unique prefix is enough
    r = run("show", "d1", "--db", db)
    assert r.exit_code == 0 and "March 3, 2020" in r.output                # a document, with evidence
    r = run("show", "nothing", "--db", db)
    assert r.exit_code == 1 and "no incident or document 'nothing'" in r.output


def test_events_lists_ids_and_filters_like_the_workbench(db):
    r = run("events", "--db", db, "--place", "Idlib")
    assert r.exit_code == 0, r.output
    assert set(re.findall(r"^(E\w+)", r.output, re.M)) == {"Eaaa0001", "Eccc0003", "Eddd0004"}
    assert "3 incidents" in r.output
    r = run("events", "--db", db, "--actor", "Erdogan")
    assert re.findall(r"^(E\w+)", r.output, re.M) == ["Ebbb0002"] and "1 incident\n" in r.output
    r = run("events", "--db", db, "-q", "local council", "--sort", "-date")
    assert re.findall(r"^(E\w+)", r.output, re.M) == ["Eaaa0001"]


@pytest.mark.parametrize("args, says", [
    (["--type", "ATTACK"], "choose from AGREE"),
    (["--since", "5/3/2020"], "YYYY-MM-DD"),
    (["--until", "2020-13"], "YYYY-MM-DD"),
    (["--sort", "colour"], "choose from date"),
])
def test_invalid_values_are_errors_listing_the_valid_ones(db, args, says):
    r = run("events", "--db", db, *args)
    assert r.exit_code == 2 and says in r.output and "Invalid value for --" in r.output


def test_piped_tables_are_not_cut(db):
    r = run("events", "--db", db)
    assert "Recep Tayyip Erdoğan(source)" in r.output                     # on one line, whole
    assert max(len(line) for line in r.output.splitlines()) > 80


def test_check_prints_full_incident_ids(tmp_path):
    from sitrep.config import DATA_DIR

    db = build(tmp_path / "c.db")
    r = run("check", DATA_DIR / "agreements" / "moscow_2020.yaml", "--db", db)
    assert r.exit_code == 0, r.output
    for inc_id in re.findall(r"\b(E[0-9a-f]{3}\d{4})\b", r.output):
        assert run("show", inc_id, "--db", db).exit_code == 0


@pytest.mark.slow
def test_verbose_logs_stages_with_times_and_plurals(tmp_path, caplog):
    import logging

    caplog.set_level(logging.INFO)          # what -v turns on (pytest's own handler catches the records)
    r = CliRunner().invoke(main, ["-v", "run", str(EXAMPLES / "01_wire_shelling.txt"), "--db", str(tmp_path / "v.db")])
    assert r.exit_code == 0, r.output
    logged = "\n".join(rec.getMessage() for rec in caplog.records)
    for stage in ("ingest:", "annotate, extract, resolve:", "fuse (", "check ("):
        assert re.search(re.escape(stage) + r".*\d+\.\d\d s", logged), stage
    assert re.search(r"^1 document \(1 new, 0 inputs already stored\)", r.output, re.M)
    assert "0 errors" in r.output and "1 documents" not in r.output

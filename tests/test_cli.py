"""The command line as a user meets it: help everywhere, clear errors, the main job end to end."""
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _commands(group, prefix=()):
    for name, cmd in group.commands.items():
        yield prefix + (name,)
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, prefix + (name,))


@pytest.mark.parametrize("command", [()] + list(_commands(main)), ids=lambda c: " ".join(c) or "sitrep")
def test_every_command_has_help(command):
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_browsing_without_a_store_says_how_to_make_one(tmp_path):
    result = CliRunner().invoke(main, ["docs", "--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0
    assert "sitrep run" in result.output


@pytest.fixture(scope="module")
def examples_run(tmp_path_factory):
    """The README's main job on examples/, plus one broken file beside them."""
    tmp = tmp_path_factory.mktemp("run")
    corpus = tmp / "corpus"
    shutil.copytree(EXAMPLES, corpus)
    (corpus / "broken.jsonl").write_text('{"title": "half a line", "maintext": \n', encoding="utf-8")
    db, out = tmp / "s.db", tmp / "out"
    result = CliRunner().invoke(main, ["run", str(corpus), "--db", str(db), "--out", str(out)])
    return result, db, out, corpus


def test_main_job_writes_every_output_and_reports_the_broken_file(examples_run):
    result, db, out, _ = examples_run
    assert result.exit_code == 0, result.output
    assert "broken.jsonl" in result.output
    for name in ("documents.jsonl", "events.jsonl", "figures.jsonl", "quotes.jsonl", "meta.json",
                 "report.html", "index.html"):
        assert (out / name).is_file(), name
    docs = [json.loads(line) for line in (out / "documents.jsonl").read_text().splitlines()]
    assert len(docs) >= 4
    titles = {d["title"] for d in docs}
    assert "Four dead as artillery hits Kafr Nabl market" in titles
    # the wire copy inside the JSONL export is marked as a copy of the text file
    copies = [d for d in docs if d["duplicate_of"]]
    assert copies, "the syndicated copy was not detected"
    meta = json.loads((out / "meta.json").read_text())
    assert meta["schema"] == "sitrep/1"


def test_rerun_on_unchanged_corpus_does_nothing_again(examples_run):
    _, db, out, corpus = examples_run
    again = CliRunner().invoke(main, ["run", str(corpus), "--db", str(db)])
    assert "0 new" in again.output
    assert "0 extracted" in again.output


def test_docs_show_events_export(examples_run):
    _, db, out, _ = examples_run
    runner = CliRunner()
    docs = runner.invoke(main, ["docs", "--db", str(db)])
    assert docs.exit_code == 0 and "Example Observer" in docs.output
    doc_id = json.loads((out / "documents.jsonl").read_text().splitlines()[0])["id"]
    show = runner.invoke(main, ["show", doc_id[:8], "--db", str(db)])
    assert show.exit_code == 0 and "published" in show.output
    events = runner.invoke(main, ["events", "--db", str(db), "--type", "ASSAULT"])
    assert events.exit_code == 0 and "ASSAULT" in events.output
    for fmt, name in (("csv", "events.csv"), ("geojson", "events.geojson")):
        res = runner.invoke(main, ["export", "--db", str(db), "--format", fmt, "--out", str(out / fmt)])
        assert res.exit_code == 0, res.output
        assert (out / fmt / name).is_file()


def test_nothing_readable_exits_non_zero(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(tmp_path), "--db", str(tmp_path / "s.db")])
    assert result.exit_code != 0
    assert "empty.txt" in result.output

"""The ``sitrep`` command. Every subcommand has --help; tables go to stdout, diagnostics to stderr."""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sitrep.config import PIPELINE_VERSION, Config

out = Console()
err = Console(stderr=True)

DB_OPTION = click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default="sitrep.db",
                         show_default=True, help="SQLite store to read and write.")


def _one_line(text: object) -> str:
    """Text of a file name or reason as one printable line: control characters (a newline in a file
    name would forge a second error line) and undecodable bytes shown as escapes."""
    s = str(text).encode("utf-8", "backslashreplace").decode("utf-8")
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in s)


def _config(db: Path, **options) -> Config:
    return Config(db=db, **{k: v for k, v in options.items() if v is not None})


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(PIPELINE_VERSION, prog_name="sitrep")
@click.option("-v", "--verbose", is_flag=True, help="Log what each stage does (to stderr).")
def main(verbose: bool) -> None:
    """sitrep: news reports in; a sourced, dated, mapped record of what happened out.

    Start with `sitrep run FOLDER --out report/` and open report/report.html.
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


# ---------------------------------------------------------------------------------------- run
@main.command()
@click.argument("paths", nargs=-1, required=True)
@DB_OPTION
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write documents.jsonl, events.jsonl, ..., report.html and index.html here.")
@click.option("--agreement", "agreements", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Check incidents against this agreement file (YAML); repeatable.")
@click.option("--workers", type=int, default=0, show_default=True,
              help="Worker processes for extraction (0: one per core for large corpora).")
@click.option("--spacy-model", default=None, help="Any installed spaCy pipeline for English.")
@click.option("--actors", "actor_files", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Extra actor file(s) (YAML) extending the shipped registry.")
@click.option("--places", "place_files", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Extra place file(s) (YAML/CSV) extending the shipped gazetteer.")
@click.option("--max-bytes", type=int, default=None, help="Refuse inputs larger than this.")
@click.option("--online-tiles", is_flag=True, help="Add an online map tile layer to the report.")
@click.option("--strict", is_flag=True, help="Exit non-zero when any input failed.")
def run(paths, db, out, agreements, workers, spacy_model, actor_files, place_files, max_bytes,
        online_tiles, strict):
    """Read PATHS (files, folders, or - for a list of paths on stdin), extract, fuse, store, report."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from sitrep.pipeline import run as run_pipeline

    if list(paths) == ["-"]:
        paths = [line.strip() for line in sys.stdin if line.strip()]
    config = _config(db, out=out, agreements=tuple(agreements), workers=workers,
                     spacy_model=spacy_model, actor_files=tuple(actor_files),
                     place_files=tuple(place_files), max_bytes=max_bytes,
                     online_tiles=online_tiles, strict=strict)
    with Progress(TextColumn("{task.description:>8}"), BarColumn(), MofNCompleteColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if total <= 3:
                return
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done)

        result = run_pipeline(paths, config, progress)

    for e in result.errors:
        err.print(f"[red]error[/red] {escape(_one_line(e.path))}: {escape(_one_line(e.reason))}",
                  highlight=False, markup=True, soft_wrap=True)
    c = result.counts()
    err.print(f"{c['documents']} documents ({c['new_documents']} new, {c['skipped_inputs']} inputs "
              f"already stored), {c['extracted']} extracted, {c['incidents']} incidents, "
              f"{c['violations']} violations, {c['errors']} errors", highlight=False, soft_wrap=True)
    for path in result.outputs:
        err.print(f"wrote {path}", highlight=False)
    if not result.ok or (strict and result.errors):
        sys.exit(1)


# ---------------------------------------------------------------------------------------- browse
def _open(db: Path):
    from sitrep.store import open_store

    if not db.exists():
        raise click.ClickException(f"no store at {db}; run `sitrep run PATH --db {db}` first")
    return open_store(Config(db=db))


@main.command()
@DB_OPTION
def docs(db):
    """List the stored documents: id, date and how it is known, outlet, title, language, copy."""
    store = _open(db)
    table = Table(box=None, pad_edge=False)
    for name in ("id", "published", "status", "outlet", "lang", "copy of"):
        table.add_column(name, no_wrap=True)
    table.add_column("title", overflow="fold", ratio=1)
    for d in store.documents():
        table.add_row(d.id[:8], d.published.date or "—", d.published.status, d.outlet or "—",
                      d.language or "—", (d.duplicate_of or "")[:8], d.title or "—")
    out.print(table)


@main.command()
@click.argument("doc_id")
@DB_OPTION
def show(doc_id, db):
    """Show one document (an id prefix is enough): metadata with evidence, then the clean text."""
    store = _open(db)
    d = store.document(doc_id)
    if d is None:
        raise click.ClickException(f"no document {doc_id!r} in {db}")
    table = Table("field", "value", "evidence", show_lines=False)
    table.add_row("id", d.id, "")
    table.add_row("path", d.path, "")
    for name in ("title", "outlet", "author", "language", "url", "duplicate_of"):
        table.add_row(name, str(getattr(d, name) or "—"), d.evidence.get(name, ""))
    p = d.published
    table.add_row("published", f"{p.date or '—'} ({p.status}, {p.precision})", p.evidence)
    if d.removed:
        table.add_row("removed", f"{len(d.removed)} clutter lines", "; ".join(d.removed)[:200])
    out.print(table)
    out.print()
    out.print(d.text, highlight=False, markup=False)


@main.command()
@DB_OPTION
@click.option("--type", "type_", help="PLOVER type, e.g. ASSAULT.")
@click.option("--actor", help="Text in an actor's name or country code.")
@click.option("--place", help="Text in the place name.")
@click.option("--since", help="Only events ending on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Only events starting on or before this date (YYYY-MM-DD).")
@click.option("--mentions", is_flag=True, help="List each report's mention, not fused incidents.")
def events(db, type_, actor, place, since, until, mentions):
    """List incidents (or per-report mentions) with filters."""
    store = _open(db)
    if mentions:
        rows = [e for x in store.extractions() for e in x.events]
    else:
        rows = store.incidents()

    def keep(e) -> bool:
        if type_ and e.type != type_.upper():
            return False
        if actor and not any(actor.lower() in f"{a.name or a.text} {a.country or ''}".lower()
                             for a in e.actors):
            return False
        if place and not (e.location and place.lower() in e.location.name.lower()):
            return False
        if since and (e.date is None or e.date.end < since):
            return False
        if until and (e.date is None or e.date.start > until):
            return False
        return True

    table = Table(box=None, pad_edge=False)
    for name in ("date", "type", "mode", "status"):
        table.add_column(name, no_wrap=True)
    table.add_column("place", overflow="fold")
    table.add_column("actors", overflow="fold", ratio=2, min_width=18)
    table.add_column("counts", overflow="fold", ratio=1)
    table.add_column("src", no_wrap=True)
    for e in filter(keep, rows):
        if e.date is None:
            date = "—"
        elif e.date.start == e.date.end:
            date = e.date.start
        else:          # "2020-03-01…03-31": the end without what it shares with the start
            same = 5 if e.date.start[:4] == e.date.end[:4] else 0
            date = f"{e.date.start}…{e.date.end[same:]}"
        actors = ", ".join(f"{a.name or a.text}({a.role or '?'})" for a in e.actors)
        counts = ", ".join(f"{k} {c.value}" for k, c in e.counts.items())
        src = str(getattr(e, "sources", 1))
        if getattr(e, "disagreements", None):
            src += " ≠"
        table.add_row(date, e.type, e.mode or "", e.status, e.location.name if e.location else "—",
                      actors[:60], counts, src)
    out.print(table)


@main.command()
@DB_OPTION
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("export"),
              show_default=True, help="Folder to write to.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "geojson"]), default="jsonl",
              show_default=True, help="jsonl: the schema's files; csv: ACLED-style; geojson: for GIS.")
def export(db, out, fmt):
    """Write the store as files (documents.jsonl, events.jsonl, figures.jsonl, quotes.jsonl, ...)."""
    from sitrep.pipeline import data_fingerprint, stored_records
    from sitrep.present.export import write_exports

    paths = write_exports(out, **stored_records(_open(db)), fmt=fmt,
                          meta={"pipeline_version": PIPELINE_VERSION, "data": data_fingerprint()})
    for p in paths:
        err.print(f"wrote {p}", highlight=False)


@main.command()
@click.argument("agreement", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@DB_OPTION
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also write violations.jsonl here.")
def check(agreement, db, out_dir):
    """Check every stored incident against an agreement's clauses (YAML; see README)."""
    from sitrep.check import check as check_incidents
    from sitrep.check import load_agreement, summarize, violation_to_dict
    from sitrep.kb import KnowledgeBase

    store = _open(db)
    kb = KnowledgeBase.load(Config(db=db))
    try:
        ag = load_agreement(agreement, kb)
    except Exception as exc:  # AgreementError carries a precise message
        raise click.ClickException(str(exc)) from exc
    incidents = store.incidents()
    violations = check_incidents(incidents, ag, kb)
    store.replace_violations(ag.name, violations)
    table = Table("status", "clause", "event", "party", "zone", "reason")
    for v in violations:
        party = v.party.name or v.party.text if v.party else "—"
        table.add_row(v.status, v.clause, v.event[:12], party, v.zone or "—", v.reason)
    out.print(table)
    summary = summarize(violations, incidents, ag)
    for key, counts in summary.get("counts", {}).items():
        if counts:
            out.print(f"{key}: " + ", ".join(f"{k} {n}" for k, n in counts.items()))
    for req in summary.get("required", []):
        state = "missing" if req.get("missing") else f"reported ({len(req.get('reported', []))})"
        out.print(f"required {req.get('clause')}: {state}")
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        with open(out_dir / "violations.jsonl", "w", encoding="utf-8") as fh:
            for v in violations:
                fh.write(json.dumps(violation_to_dict(v), ensure_ascii=False) + "\n")


# ---------------------------------------------------------------------------------------- eval
@main.group("eval")
def eval_group():
    """Score the pipeline on standard data (see `sitrep eval TASK --help`)."""


def _report(result: dict, as_json: bool, table: str) -> None:
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, default=str))
    else:
        click.echo(table)


JSON_OPTION = click.option("--json", "as_json", is_flag=True,
                           help="Print one JSON object on the last line of stdout.")


@eval_group.command("timex")
@click.option("--data", type=click.Path(exists=True, path_type=Path), required=True,
              help="Folder of TimeML .tml files (searched recursively).")
@click.option("--predictions-out", type=click.Path(dir_okay=False, path_type=Path), default=None)
@JSON_OPTION
def eval_timex(data, predictions_out, as_json):
    """Time expressions: strict/relaxed span P/R/F1, value F1, type F1 (TempEval-3)."""
    from sitrep.eval import timex

    result = timex.evaluate(data, predictions_out=predictions_out)
    _report(result, as_json, timex.format_table(result))


@eval_group.command("geo")
@click.option("--corpus", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True)
@click.option("--gold", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True)
@click.option("--predictions-out", type=click.Path(dir_okay=False, path_type=Path), default=None)
@JSON_OPTION
def eval_geo(corpus, gold, predictions_out, as_json):
    """Geoparsing (EUPEG format): toponym P/R/F1, accuracy@161 km, mean error, end-to-end F1@161."""
    from sitrep.eval import geo

    result = geo.evaluate(corpus, gold, predictions_out=predictions_out)
    _report(result, as_json, geo.format_table(result))


@eval_group.command("plover")
@click.option("--data", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True)
@JSON_OPTION
def eval_plover(data, as_json):
    """Event types on PLOVER gold records: accuracy, macro-F1, actor country/sector accuracy."""
    from sitrep.eval import plover

    result = plover.evaluate(data)
    _report(result, as_json, plover.format_table(result))


@eval_group.command("event-location")
@click.option("--data", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True)
@click.option("--cv", type=click.IntRange(min=2), default=None,
              help="Also K-fold cross-validation on the tune part and tune->held-out, training the linker "
                   "as the shipped one is (minutes).")
@click.option("--limit", type=int, default=None, help="Score only the first N records.")
@JSON_OPTION
def eval_event_location(data, cv, limit, as_json):
    """Event location spans (token P/R/F1) for the marked verb: the shipped linker on all records and on
    the tune/held-out parts; with --cv, the figures of a linker trained without the scored records."""
    from sitrep.eval import event_location

    result = event_location.evaluate(data, cv=cv, limit=limit)
    _report(result, as_json, event_location.format_table(result))


@eval_group.command("quotes")
@click.option("--data", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True)
@click.option("--limit", type=int, default=None, help="Score only the first N documents.")
@JSON_OPTION
def eval_quotes(data, limit, as_json):
    """Attributions on PolNeAR: exact and overlap P/R/F1 of source, cue and content."""
    from sitrep.eval import quotes

    result = quotes.evaluate(data, limit=limit)
    _report(result, as_json, quotes.format_table(result))


@eval_group.command("coref")
@click.option("--data", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True)
@JSON_OPTION
def eval_coref(data, as_json):
    """Cross-document event coreference on ECB+: MUC, B³, CEAF-e, CoNLL F1."""
    from sitrep.eval import coref

    result = coref.evaluate(data)
    _report(result, as_json, coref.format_table(result))


def _eval_gold(gold, docs, db, as_json) -> None:
    from sitrep.eval import gold as gold_eval

    result = gold_eval.evaluate(gold, docs, db=db)
    _report(result, as_json, gold_eval.format_table(result))


GOLD_DB_OPTION = click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
                              help="Store to use (default: a temporary one).")


@eval_group.command("gold")
@click.option("--gold", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
              help="Gold file in the seeds format (its header says how it is scored).")
@click.option("--docs", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True,
              help="Folder of the reports the gold file names.")
@GOLD_DB_OPTION
@JSON_OPTION
def eval_gold(gold, docs, db, as_json):
    """Score a run on any folder of reports against a gold file in the seeds format: must-event recall,
    incidents merged, blobs, with the reason of every miss, on the tune and held-out parts."""
    _eval_gold(gold, docs, db, as_json)


@eval_group.command("fa-kes")
@click.option("--data", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
              help="FA-KES CSV (unit_id, article_title, article_content, date, location).")
@GOLD_DB_OPTION
@JSON_OPTION
def eval_fa_kes(data, db, as_json):
    """FA-KES: the labelled day, governorate, and both on one incident, per article (title and body only)."""
    from sitrep.eval import fa_kes

    result = fa_kes.evaluate(data, db=db)
    _report(result, as_json, fa_kes.format_table(result))


@eval_group.command("seeds")
@click.option("--gold", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True)
@click.option("--seeds", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True)
@GOLD_DB_OPTION
@JSON_OPTION
def eval_seeds(gold, seeds, db, as_json):
    """Score a run on the seed reports against the analyst's gold reading (`eval gold` on the seeds)."""
    _eval_gold(gold, seeds, db, as_json)


if __name__ == "__main__":
    main()

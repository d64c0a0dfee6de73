"""The ``sitrep`` command. Every subcommand has --help; tables go to stdout, diagnostics to stderr."""
from __future__ import annotations

import json
import logging
import os
import sys
import time
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from sitrep.config import PIPELINE_VERSION, Config

def _width() -> int | None:
    """Tables fit the terminal; piped or redirected output is not cut at 80 columns (COLUMNS still rules)."""
    if sys.stdout.isatty() or os.environ.get("COLUMNS"):
        return None
    return 4000


out = Console(width=_width())
err = Console(stderr=True)


def plural(n: int, word: str, words: str | None = None) -> str:
    """'1 incident', '3 incidents'; '1 input error', '2 input errors'."""
    return f"{n} {word if n == 1 else (words or word + 's')}"

DB_OPTION = click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default="sitrep.db",
                         show_default=True, help="SQLite store to read and write.")


def _one_line(text: object) -> str:
    """Text of a file name or reason as one printable line: control characters (a newline in a file
    name would forge a second error line) and undecodable bytes shown as escapes."""
    s = str(text).encode("utf-8", "backslashreplace").decode("utf-8")
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in s)


def _line(text: str) -> None:
    """One diagnostic line on stderr, as it is: never wrapped (grepping a log for a path must work), never
    read as console markup, nothing highlighted."""
    err.print(text, markup=False, highlight=False, soft_wrap=True, emoji=False)


def _fail(message: object, code: int = 2) -> None:
    _line(f"error: {_one_line(message)}")
    sys.exit(code)


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
                        format="%(relativeCreated)8.0f ms %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if not verbose:
        # libraries log about each odd page they meet ("empty HTML tree"); the input's own error line
        # says what matters, so without --verbose only sitrep's own messages reach stderr
        for handler in logging.getLogger().handlers:
            handler.addFilter(lambda record: record.name.split(".")[0] == "sitrep")


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

    from sitrep.pipeline import OutputError
    from sitrep.pipeline import run as run_pipeline
    from sitrep.store import StoreError

    if list(paths) == ["-"]:
        paths = [line.strip() for line in sys.stdin if line.strip()]
    config = _config(db, out=out, agreements=tuple(agreements), workers=workers,
                     spacy_model=spacy_model, actor_files=tuple(actor_files),
                     place_files=tuple(place_files), max_bytes=max_bytes,
                     online_tiles=online_tiles, strict=strict)
    with Progress(TextColumn("{task.description:>8}"), BarColumn(), MofNCompleteColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as bar:
        tasks: dict[str, int] = {}

        started: dict[str, float] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in started:
                started[stage] = time.perf_counter()
            if total and done == total:
                logging.getLogger("sitrep.run").info("%s: %s in %.2f s", stage, plural(total, "item"),
                                                     time.perf_counter() - started[stage])
            if 0 < total <= 3:
                return
            if stage not in tasks:                   # total 0: not known yet (inputs are streamed)
                tasks[stage] = bar.add_task(stage, total=total or None)
            bar.update(tasks[stage], completed=done)

        try:
            result = run_pipeline(paths, config, progress)
        except (StoreError, OutputError) as exc:
            _fail(exc)
        except MemoryError:
            _fail("out of memory; lower --workers, or split the input")
        except OSError as exc:                       # a full disk or a vanished folder outside the store
            _fail(f"{exc.strerror or exc}{': ' + str(exc.filename) if exc.filename else ''}")

    for e in result.skipped:
        _line(f"skipped {_one_line(e.path)}: {_one_line(e.reason)}")
    for e in result.errors:
        _line(f"error {_one_line(e.path)}: {_one_line(e.reason)}")
    _line(summary_line(result.counts()))
    for path in result.outputs:
        _line(f"wrote {_one_line(path)}")
    if not result.ok or (strict and result.errors):
        sys.exit(1)


def summary_line(c: dict) -> str:
    """Every input's outcome, counted: a stored document, the text of one stored already, bytes read in
    an earlier run, an error, or skipped (hidden); then what the run made of them."""
    return (f"{plural(c['documents'], 'document')} ({c['new_documents']} new, "
            f"{plural(c['same_text'], 'input')} with the text of another, "
            f"{plural(c['skipped_inputs'], 'input')} already stored, {plural(c['errors'], 'error')}, "
            f"{c['skipped']} skipped); {c['extracted']} extracted, {plural(c['incidents'], 'incident')}, "
            f"{plural(c['violations'], 'violation')}")


# ---------------------------------------------------------------------------------------- browse
def _open(db: Path, readonly: bool = True):
    """The store, read-only unless asked (browsing must work on a store the user cannot write)."""
    from sitrep.store import StoreError, open_store

    if not db.exists():
        raise click.ClickException(f"no store at {_one_line(db)}; run `sitrep run PATH --db {_one_line(db)}` first")
    try:
        return open_store(Config(db=db), readonly=readonly)
    except StoreError as exc:
        raise click.ClickException(_one_line(exc)) from exc


def _cell(value: object) -> Text:
    """A table cell holding any stored text as it is (a title with "[/x]" is no console markup)."""
    return Text(str(value))


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
        table.add_row(*map(_cell, (d.id[:8], d.published.date or "—", d.published.status, d.outlet or "—",
                                   d.language or "—", (d.duplicate_of or "")[:8], d.title or "—")))
    out.print(table)


@main.command()
@click.argument("item_id", metavar="ID")
@DB_OPTION
def show(item_id, db):
    """Show one incident (E...) or document by id (a unique prefix is enough): an incident with its
    reports, disagreements and agreement findings; a document with metadata, evidence and clean text."""
    store = _open(db)
    inc = store.incident(item_id)
    if inc is not None:
        _show_incident(store, inc)
        return
    d = store.document(item_id)
    if d is None:
        raise click.ClickException(f"no incident or document {_one_line(repr(item_id))} in {_one_line(db)} "
                                   f"(ids are listed by `sitrep events` and `sitrep docs`)")
    table = Table("field", "value", "evidence", show_lines=False)
    table.add_row("id", _cell(d.id), "")
    table.add_row("path", _cell(_one_line(d.path)), "")
    for name in ("title", "outlet", "author", "language", "url", "duplicate_of"):
        table.add_row(name, _cell(getattr(d, name) or "—"), _cell(d.evidence.get(name, "")))
    p = d.published
    table.add_row("published", _cell(f"{p.date or '—'} ({p.status}, {p.precision})"), _cell(p.evidence))
    if d.removed:
        table.add_row("removed", plural(len(d.removed), "clutter line"), _cell("; ".join(d.removed)[:200]))
    out.print(table)
    out.print()
    out.print(d.text, highlight=False, markup=False)


def _show_incident(store, inc) -> None:
    from sitrep.present.admin import country_name

    table = Table("field", "value", show_header=False, box=None, pad_edge=False)
    table.add_row("id", inc.id)
    table.add_row("type", f"{inc.type}{' / ' + inc.mode if inc.mode else ''} ({inc.status})")
    if inc.date:
        span = inc.date.start if inc.date.start == inc.date.end else f"{inc.date.start} … {inc.date.end}"
        table.add_row("date", f"{span} ({inc.date.precision}, {inc.date.basis})")
    else:
        table.add_row("date", "—")
    loc = inc.location
    table.add_row("place", "—" if loc is None else
                  f"{loc.name}, {loc.admin1 or '—'}, {country_name(loc.country) or '—'} ({loc.precision}"
                  + (f", {loc.lat:.4f}, {loc.lon:.4f}" if loc.lat is not None else "") + ")")
    for a in inc.actors:
        table.add_row("actor", f"{a.name or a.text} ({a.role or 'role unknown'}"
                      + (f", {a.country}" if a.country else "") + (f", {a.sector}" if a.sector else "") + ")")
    for k, c in inc.counts.items():
        table.add_row(k, f"{'' if c.qualifier == 'exact' else c.qualifier + ' '}{c.value}"
                      + (f" ({c.min}–{c.max})" if c.min != c.max else ""))
    table.add_row("sources", f"{plural(inc.sources, 'outlet')}, {plural(len(inc.mentions), 'report')}")
    for d in inc.disagreements:
        table.add_row("disagree", f"{d.field}: " + "; ".join(f"{v.get('value')} ({v.get('outlet') or '?'}, "
                                                            f"{v.get('published') or '?'})" for v in d.values))
    for v in store.violations_of(inc.id):
        table.add_row(v.status, f"{v.agreement}, {v.clause}: {v.reason}")
    out.print(table, highlight=False)
    out.print()
    reports = Table("outlet", "published", "document", "status", "sentence", box=None, pad_edge=False,
                    show_edge=False)
    for m in inc.mentions:
        reports.add_row(m.outlet or "—", m.published or "—", m.doc[:12], m.status, m.sentence)
    out.print(reports, highlight=False)


@main.command()
@DB_OPTION
@click.option("--type", "type_", help="PLOVER type(s), comma-separated, e.g. ASSAULT,COERCE.")
@click.option("--mode", help="Mode(s), comma-separated, e.g. aerial.")
@click.option("--actor", help="An actor, by any of its names or spellings.")
@click.option("--place", help="A place by any spelling; a province finds its towns.")
@click.option("--country", help="Country of the place (ISO alpha-3 or name).")
@click.option("--since", help="Only events ending on or after this date (YYYY-MM-DD, YYYY-MM or YYYY).")
@click.option("--until", help="Only events starting on or before this date (YYYY-MM-DD, YYYY-MM or YYYY).")
@click.option("--outlet", help="Only events this outlet reported.")
@click.option("-q", "--query", "q", help="Full-text search (names and sentences; case, accents, spellings folded).")
@click.option("--sort", default="date", show_default=True,
              help="date, type, place, country, sources, killed, reported, mentions or id; -NAME descends.")
@click.option("--limit", type=click.IntRange(1), default=None, help="Show at most this many.")
@click.option("--mentions", is_flag=True, help="List each report's mention, not fused incidents.")
def events(db, type_, mode, actor, place, country, since, until, outlet, q, sort, limit, mentions):
    """List incidents (or per-report mentions) with filters; the same filters as `sitrep serve`'s URLs."""
    from sitrep.serve import params

    store = _open(db)
    given = {"type": type_, "mode": mode, "actor": actor, "place": place, "country": country, "since": since,
             "until": until, "outlet": outlet, "q": q, "sort": sort}
    try:
        if mentions:
            rows = _mention_rows(store, params, given)
        else:
            rows = _incident_rows(store, params, given)
    except params.ParamError as exc:
        raise click.BadParameter(str(exc).split(": ", 1)[1], param_hint=f"--{'query' if exc.name == 'q' else exc.name}")
    if limit:
        shown = rows[:limit]
    else:
        shown = rows
    table = Table(box=None, pad_edge=False)
    for name in ("id", "date", "type", "mode", "status"):
        table.add_column(name, no_wrap=True)
    table.add_column("place", overflow="fold")
    fit = {"ratio": 2, "min_width": 18} if out.is_terminal else {}     # piped: one line per row, nothing cut
    table.add_column("actors", overflow="fold", **fit)
    table.add_column("counts", overflow="fold", ratio=1 if out.is_terminal else None)
    table.add_column("src", no_wrap=True)
    for e in shown:
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
        table.add_row(*map(_cell, (e.id, date, e.type, e.mode or "", e.status,
                                   e.location.name if e.location else "—", actors, counts, src)))
    out.print(table, highlight=False)
    word = "mention" if mentions else "incident"
    err.print(plural(len(rows), word) + (f" ({len(shown)} shown)" if len(shown) < len(rows) else ""),
              highlight=False)


def _incident_rows(store, params, given: dict) -> list:
    """Incidents through the search index (built or refreshed here when the store changed)."""
    from sitrep.serve import indexer
    from sitrep.store import search

    if search.index_fingerprint(store.db) != indexer.fingerprint(store):
        from sitrep.present.export import default_areas

        # the index lives in the store: refreshing it is the one write a listing makes
        store.close()
        store = _open(Path(store.path), readonly=False)
        indexer.ensure_index(store, default_areas())
    expander = None
    if given["actor"] or given["place"] or given["q"]:
        from sitrep.serve.aliases import default_expander

        expander = default_expander()
    countries = dict(search.choices(store.db).countries)
    view = params.parse({k: [v] for k, v in given.items() if v}, expander, countries)
    return store.incidents_by_ids(search.ids(store.db, view.filter, view.sort, view.desc))


def _mention_rows(store, params, given: dict) -> list:
    """Each report's mentions, filtered in Python with the same validation and folding."""
    from sitrep.store.search import fold

    view = params.parse({k: [v] for k, v in given.items() if v and k != "country"})
    f = view.filter

    def text_ok(groups, text: str) -> bool:
        t = f" {fold(text)} "
        return all(any(f" {fold(v.rstrip('*'))}" in t for v in g) for g in groups)

    def keep(e) -> bool:
        if f.types and e.type not in f.types:
            return False
        if f.modes and e.mode not in f.modes:
            return False
        if f.actor and not text_ok(f.actor, " ".join(f"{a.name or ''} {a.text} {a.country or ''}" for a in e.actors)):
            return False
        if f.place and not text_ok(f.place, f"{e.location.name} {e.location.admin1 or ''}" if e.location else ""):
            return False
        if f.q and not text_ok(f.q, f"{e.sentence} {e.location.name if e.location else ''}"):
            return False
        if f.outlet and (e.outlet or "").casefold() != f.outlet.casefold():
            return False
        if f.since and (e.date is None or e.date.end < f.since):
            return False
        if f.until and (e.date is None or e.date.start > f.until):
            return False
        return True
    return [e for x in store.extractions() for e in x.events if keep(e)]


@main.command()
@DB_OPTION
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("export"),
              show_default=True, help="Folder to write to.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "geojson"]), default="jsonl",
              show_default=True, help="jsonl: the schema's files; csv: ACLED-style; geojson: for GIS.")
def export(db, out, fmt):
    """Write the store as files (documents.jsonl, events.jsonl, figures.jsonl, quotes.jsonl, ...)."""
    from sitrep.pipeline import OutputError, data_fingerprint, staged_output, stored_records
    from sitrep.present.export import write_exports

    records = stored_records(_open(db))
    try:
        with staged_output(out) as stage:
            paths = write_exports(stage, **records, fmt=fmt,
                                  meta={"pipeline_version": PIPELINE_VERSION, "data": data_fingerprint()})
    except OutputError as exc:
        _fail(exc)
    for p in paths:
        _line(f"wrote {_one_line(out / p.name)}")


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

    store = _open(db, readonly=False)
    kb = KnowledgeBase.load(Config(db=db))
    try:
        ag = load_agreement(agreement, kb)
    except Exception as exc:  # AgreementError carries a precise message
        raise click.ClickException(str(exc)) from exc
    incidents = store.incidents()
    violations = check_incidents(incidents, ag, kb)
    store.replace_violations(ag.name, violations)
    table = Table("status", "clause", "incident", "party", "zone", "reason")
    for v in violations:
        party = v.party.name or v.party.text if v.party else "—"
        table.add_row(*map(_cell, (v.status, v.clause, v.event, party, v.zone or "—", v.reason)))
    out.print(table)
    summary = summarize(violations, incidents, ag)
    for key, counts in summary.get("counts", {}).items():
        if counts:
            out.print(f"{key}: " + ", ".join(f"{k} {n}" for k, n in counts.items()), markup=False, highlight=False)
    for req in summary.get("required", []):
        state = "missing" if req.get("missing") else f"reported ({len(req.get('reported', []))})"
        out.print(f"required {req.get('clause')}: {state}", markup=False, highlight=False)
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        with open(out_dir / "violations.jsonl", "w", encoding="utf-8") as fh:
            for v in violations:
                fh.write(json.dumps(violation_to_dict(v), ensure_ascii=False) + "\n")


# ---------------------------------------------------------------------------------------- serve
@main.command()
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (the default keeps it on this machine).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
def serve(db, host, port):
    """The workbench: a local web app over the store (incidents, map, timeline, downloads)."""
    import uvicorn

    from sitrep.serve.app import create_app

    store = _open(db)
    store.close()
    app = create_app(db)
    err.print(f"sitrep workbench on http://{host}:{port}/incidents  (Ctrl-C stops it)", highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="warning")


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
@click.option("--halves", is_flag=True,
              help="Learn the types on one half of the records and score the other, both ways (and the "
                   "lexicon alone on the same halves).")
@click.option("--shared", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="With --halves: the shared folder whose other labelled sets train the model as in "
                   "scripts/train_event_types.py (default: the one the data file is in).")
@click.option("--lexicon", "lexicon_only", is_flag=True, help="Type with the trigger lexicon alone.")
@click.option("--words", type=click.Choice(["full", "triggers", "cameo"]), default="full", show_default=True,
              help="Which word lists find and type candidates: full (triggers.yaml, the CAMEO-derived lexicon "
                   "as fallback), triggers (triggers.yaml alone) or cameo (the CAMEO-derived lexicon alone: "
                   "with --halves, the estimate for text nobody tuned on; triggers.yaml was written on these "
                   "records).")
@JSON_OPTION
def eval_plover(data, halves, shared, lexicon_only, words, as_json):
    """Event types on PLOVER gold records: accuracy, macro-F1, actor country/sector accuracy."""
    from sitrep.eval import plover

    if halves:
        result = plover.evaluate_halves(data, shared or plover.default_shared(data), lexicon=words)
        _report(result, as_json, plover.format_halves(result))
        return
    result = plover.evaluate(data, type_model=None, lexicon=words) if lexicon_only else \
        plover.evaluate(data, lexicon=words)
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
@click.option("--cv", type=int, default=None,
              help="K-fold cross-validation over topics (train on K-1 folds, score the held-out one) instead of "
                   "scoring the shipped model on the topics it was not trained on.")
@JSON_OPTION
def eval_coref(data, cv, as_json):
    """Cross-document event coreference on ECB+: MUC, B³, CEAF-e, CoNLL F1 on topics the model did not train on."""
    from sitrep.eval import coref

    result = coref.evaluate(data, cv=cv)
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

"""Fuzzing in the suite (issue 13): hypothesis over every reader and the per-document stages, each test
within a fixed time budget (``SITREP_FUZZ_SECONDS``, default 15 s each: examples past it pass at once) and
at most ``SITREP_FUZZ_EXAMPLES`` examples (default 300; the per-document stages a fifth of that).

What must hold for any input: every file ends as documents or error lines (never nothing), no reason
comes from the blanket handler (``INTERNAL``), nothing raises. Longer runs: ``scripts/fuzz_batches.py``
(files in folders, the CLI as a user runs it) and ``scripts/fuzz_atheris.py`` (coverage-guided)."""
from __future__ import annotations

import os
import random
import tempfile
import time
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from sitrep.config import Config  # noqa: E402
from sitrep.ingest import RawInput, iter_inputs, to_document  # noqa: E402
from sitrep.ingest.readers import INTERNAL, READERS  # noqa: E402
from sitrep.records import Document, IngestError, Published  # noqa: E402
from tests.fuzz.malformed import HOSTILE_VALUES, mutants, samples  # noqa: E402

BUDGET = float(os.environ.get("SITREP_FUZZ_SECONDS", "15"))
EXAMPLES = int(os.environ.get("SITREP_FUZZ_EXAMPLES", "300"))     # at most, per test (raise for long runs)
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))
CONFIG = Config(max_bytes=2_000_000)


class Budget:
    """Seconds left to a test; examples after the end are skipped (hypothesis has no time limit)."""

    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds
        self.ran = 0

    def report(self, name: str) -> None:
        print(f"{name}: {self.ran} examples")     # shown with -s

    def spent(self) -> bool:
        if time.monotonic() > self.end:
            return True
        self.ran += 1
        return False


def check_file(path: Path) -> list:
    """Read one file as sitrep does and check what must hold; returns the outcomes."""
    items = list(iter_inputs([str(path)], CONFIG))
    assert items, f"{path.name}: dropped silently"
    outcomes = []
    for item in items:
        assert item.path.split("#")[0] == str(path), item.path
        if isinstance(item, RawInput):
            item = to_document(item, CONFIG)
        if isinstance(item, IngestError):
            assert not item.reason.startswith(INTERNAL), f"{path.name}: {item.reason}"
            assert "\n" not in item.path
        else:
            assert isinstance(item, Document)
        outcomes.append(item)
    return outcomes


EXTENSIONS = sorted(READERS) + ["", ".xml", ".dat"]


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in samples().items():       # libraries and models loaded before any clock starts
            (Path(tmp) / name).write_bytes(data)
            check_file(Path(tmp) / name)
            (Path(tmp) / name).unlink()
        yield Path(tmp)


def test_readers_on_random_bytes(folder):
    budget = Budget(BUDGET)

    @SETTINGS
    @given(data=st.binary(max_size=3000), ext=st.sampled_from(EXTENSIONS))
    def run(data, ext):
        if budget.spent():
            return
        path = folder / f"r{budget.ran}{ext}"
        path.write_bytes(data)
        check_file(path)
        path.unlink()

    run()
    budget.report("test_readers_on_random_bytes")
    assert budget.ran >= 1


def test_readers_on_damaged_samples_and_hostile_names(folder):
    budget = Budget(BUDGET)

    @SETTINGS
    @given(seed=st.integers(0, 2**32 - 1))
    def run(seed):
        if budget.spent():
            return
        name, data = next(mutants(random.Random(seed)))
        raw = os.fsencode(name) if isinstance(name, str) else name
        if raw.startswith(b"."):
            raw = b"x" + raw                  # named explicitly: hidden files are read when named
        path = os.path.join(os.fsencode(folder), raw.replace(b"/", b"_"))
        with open(path, "wb") as f:
            f.write(data)
        from sitrep.ingest.readers import safe_path
        items = list(iter_inputs([os.fsdecode(path)], CONFIG))
        assert items, "dropped silently"
        for item in items:
            assert item.path.split("#")[0] == safe_path(path)
            item.path.encode("utf-8")          # storable as text
            if isinstance(item, RawInput):
                item = to_document(item, CONFIG)
            if isinstance(item, IngestError):
                assert not item.reason.startswith(INTERNAL), item.reason
        os.unlink(path)

    run()
    budget.report("test_readers_on_damaged_samples_and_hostile_names")
    assert budget.ran >= 1


def test_json_fields_of_any_shape(folder):
    """Author, outlet, url and date fields holding anything JSON can hold."""
    import json

    budget = Budget(BUDGET)
    values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.sampled_from(HOSTILE_VALUES)
                          | st.text(max_size=40), lambda inner: st.lists(inner, max_size=4)
                          | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8)

    @SETTINGS
    @given(fields=st.dictionaries(st.sampled_from(["authors", "author", "source_domain", "outlet", "url", "link",
                                                   "date_publish", "title", "language", "byline"]), values))
    def run(fields):
        if budget.spent():
            return
        path = folder / f"j{budget.ran}.jsonl"
        obj = {"maintext": "Shells hit the market of Kafr Zita on Monday, killing two traders, rescuers said.",
               **fields}
        path.write_text(json.dumps(obj) + "\n", encoding="utf-8")
        (doc,) = check_file(path)
        assert isinstance(doc, Document), doc
        path.unlink()

    run()
    budget.report("test_json_fields_of_any_shape")
    assert budget.ran >= 1


@pytest.fixture(scope="module")
def pipeline_state():
    from sitrep.pipeline import process_document

    warm = Document(id="w", path="w.txt", text="Shells hit Idlib on Monday, killing two, rescuers said.",
                    published=Published("2021-05-02", status="stated"))
    assert not isinstance(process_document(warm, Config()), IngestError)     # models loaded before the clock


def test_per_document_stages_on_any_text(pipeline_state):
    """annotate → extract → resolve on arbitrary text: an extraction, never the blanket handler."""
    from sitrep.pipeline import process_document

    budget = Budget(BUDGET)
    words = st.sampled_from(["shelling", "killed", "Idlib", "Kafr Zita", "on Monday", "said", "the army",
                             "12", "three", "[Text]", "(", ")", '"', "\n\n", ".", "March 3", "km", "civilians",
                             "http://[::1", "=1", "\u200b", "Syria", "Turkish", "drone", "al-"])

    @settings(SETTINGS, max_examples=max(10, EXAMPLES // 5))
    @given(text=st.one_of(st.text(min_size=1, max_size=400), st.lists(words, min_size=1, max_size=80).map(" ".join)),
           date=st.one_of(st.none(), st.dates().map(str)))
    def run(text, date):
        if budget.spent():
            return
        doc = Document(id="f", path="fuzz.txt", text=text,
                       published=Published(date, status="stated" if date else "unknown"))
        result = process_document(doc, Config())
        if isinstance(result, IngestError):
            raise AssertionError(result.reason)

    run()
    budget.report("test_per_document_stages_on_any_text")
    assert budget.ran >= 1


def test_to_document_on_any_text_and_fields(folder):
    budget = Budget(BUDGET)

    @SETTINGS
    @given(content=st.one_of(st.text(max_size=2000), st.binary(max_size=2000),
                             st.text(st.characters(codec=None, categories=["Cs", "Lu", "Zs"]), max_size=50)),
           fmt=st.sampled_from(["text", "html"]),
           fields=st.dictionaries(st.sampled_from(["title", "date", "url", "author", "outlet", "language",
                                                   "date_order"]),
                                  st.one_of(st.sampled_from(HOSTILE_VALUES), st.text(max_size=30))))
    def run(content, fmt, fields):
        if budget.spent():
            return
        out = to_document(RawInput("x.txt", content, fmt, fields), CONFIG)
        if isinstance(out, IngestError):
            assert not out.reason.startswith(INTERNAL), out.reason

    run()
    budget.report("test_to_document_on_any_text_and_fields")
    assert budget.ran >= 1


def test_every_sample_reads_to_a_document(folder):
    """The generator's good samples (the baseline its mutants damage) all read cleanly."""
    for name, data in samples().items():
        path = folder / name
        path.write_bytes(data)
        docs = check_file(path)
        assert docs and all(isinstance(d, Document) for d in docs), (name, docs)


def test_csv_export_cells_are_never_formulas(tmp_path):
    """Checks the ACLED CSV export (its neutralised cells live with the export code): whatever an outlet,
    actor or sentence says, no cell starts as a spreadsheet formula."""
    acled = pytest.importorskip("sitrep.present.acled")
    import csv

    from sitrep.present.export import write_exports
    from sitrep.records import Actor, DateInterval, Incident, Mention, Place

    hostile = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=HYPERLINK(\"x\")"]
    incidents = [Incident(f"E{k}", "ASSAULT", None, "reported", DateInterval("2021-05-02", "2021-05-02"),
                          Place(v, "SYR", v, 35.9, 36.6), [Actor(v, v, "SYR", "MIL", role="source")], {},
                          [Mention("d1", 0, 5, v, v, "2021-05-02")], 1) for k, v in enumerate(hostile)]
    (path,) = write_exports(tmp_path, documents=[], incidents=incidents, fmt="csv", meta={})
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.reader(fh):
            for cell in row:
                assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
                assert not cell.startswith("-") or cell.lstrip("-").replace(".", "", 1).isdigit(), cell
    assert acled.safe_cell("=1") != "=1"

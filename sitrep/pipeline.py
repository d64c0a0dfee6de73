"""Run the stages over a corpus: ingest → annotate → extract → resolve (per document, in a pool)
then fuse → check (over the corpus) → store → present.

Work already done is skipped: an input whose bytes are already stored is not read again, a document
whose extraction was made by this pipeline version (and the same publication date) is not extracted
again, and fusion runs only when the set of extractions changed.

Memory stays bounded by batches, not by the corpus: inputs are read, cleaned and stored a batch at a
time (the first documents are stored seconds after the start, whatever the size of the input); copies
are found over MinHash signatures streamed from the store; documents are extracted a batch at a time with
a bounded number of batches in flight in the worker pool. Fusion and the outputs still take the corpus
whole. A run killed at any point leaves a consistent store (every write is one transaction), and a re-run
finishes the work: its exports equal those of an uninterrupted run. Pool workers end with their parent.
Outputs are written to a temporary folder inside ``--out`` and moved into place only when all are written,
so an unwritable folder or a full disk leaves the previous outputs as they were.
"""
from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator

from sitrep.config import DATA_DIR, PIPELINE_VERSION, Config
from sitrep.ingest.readers import INTERNAL
from sitrep.records import Document, Extraction, IngestError, Incident, Skipped, Violation

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]   # (stage, done, total)


INGEST_BATCH = 200          # documents stored per transaction while reading


class OutputError(Exception):
    """The outputs cannot be written (folder not writable, disk full): one clear line; the store and the
    previous outputs are left as they were."""


@dataclass
class RunResult:
    run_id: int
    documents: list[Document]
    new_documents: int = 0
    skipped_inputs: int = 0         # inputs whose bytes were already stored (read before)
    same_text: int = 0              # inputs whose text is a document already stored or read in this run
    extracted: int = 0
    errors: list[IngestError] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)      # hidden files met in a folder walk
    incidents: list[Incident] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.documents)

    def counts(self) -> dict:
        return {"documents": len(self.documents), "new_documents": self.new_documents,
                "skipped_inputs": self.skipped_inputs, "same_text": self.same_text,
                "extracted": self.extracted, "errors": len(self.errors), "skipped": len(self.skipped),
                "incidents": len(self.incidents), "violations": len(self.violations)}


@contextmanager
def stage(name: str):
    """Log a stage's end and duration (`sitrep -v` shows these): 'fuse: 12.3 s'."""
    t0 = time.perf_counter()
    try:
        yield
    finally:
        log.info("%s: %.2f s", name, time.perf_counter() - t0)


@lru_cache(maxsize=1)
def data_fingerprint() -> str:
    """A hash of the shipped data files: changing a lexicon or a gazetteer re-runs extraction."""
    digest = hashlib.sha1(PIPELINE_VERSION.encode())
    for path in sorted(DATA_DIR.rglob("*")):
        if path.is_file() and not path.name.endswith(".md"):
            digest.update(path.relative_to(DATA_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def extraction_key(doc: Document, config: Config) -> str:
    """What an extraction depends on besides the text (which the document id already fixes)."""
    return _extraction_key(doc.published.date, config)


def _extraction_key(published: str | None, config: Config) -> str:
    extra = hashlib.sha1(repr((config.spacy_models, config.spacy_model, config.actor_files,
                               config.place_files)).encode()).hexdigest()[:6]
    return f"{PIPELINE_VERSION}:{data_fingerprint()}:{extra}:{published}"


# ------------------------------------------------------------------------------ per document
@lru_cache(maxsize=2)
def _worker_state(config: Config):
    from sitrep.annotate import Annotator
    from sitrep.kb import KnowledgeBase

    return KnowledgeBase.load(config), Annotator(config)


def process_annotation(ann, kb) -> Extraction:
    from sitrep.extract import extract_document
    from sitrep.resolve import resolve_document

    return resolve_document(ann, extract_document(ann, kb), kb)


def process_document(doc: Document, config: Config) -> Extraction | IngestError:
    """annotate → extract → resolve for one document; a failure is reported, never raised."""
    kb, annotator = _worker_state(config)
    try:
        return process_annotation(annotator.annotate(doc), kb)
    except Exception as exc:  # noqa: BLE001 — one bad document must not stop the run
        log.debug("extraction failed for %s", doc.path, exc_info=True)
        return IngestError(doc.path, f"{INTERNAL} in extraction ({type(exc).__name__}: {exc})")


def _process_batch(docs: list[Document], config: Config) -> list[Extraction | IngestError]:
    """In-process path: nlp.pipe batching, falling back to one document at a time on error."""
    kb, annotator = _worker_state(config)
    try:
        anns = annotator.annotate_many(docs)
    except Exception:  # noqa: BLE001
        return [process_document(d, config) for d in docs]
    out: list[Extraction | IngestError] = []
    for doc, ann in zip(docs, anns):
        try:
            out.append(process_annotation(ann, kb))
        except Exception as exc:  # noqa: BLE001
            log.debug("extraction failed for %s", doc.path, exc_info=True)
            out.append(IngestError(doc.path, f"{INTERNAL} in extraction ({type(exc).__name__}: {exc})"))
    return out


def _die_with_parent(parent: int) -> None:
    """Worker start-up: end this worker when the parent process ends, however it ends (kill -9, the OOM
    killer), rather than live on blocked writing to a pipe nobody reads. Linux's parent-death signal,
    and a watchdog thread for where it is missing or the parent died before it was set."""
    import signal
    import threading
    import time

    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)        # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


def _load_before_fork(config: Config) -> None:
    """Load the models and the knowledge base once, here, before the workers are forked, and freeze them
    out of the garbage collector's reach: the workers then share those pages with this process instead of
    each loading its own copy (hundreds of MB per worker)."""
    import gc
    import multiprocessing

    if multiprocessing.get_start_method(allow_none=False) != "fork":
        return
    from sitrep.records import Published

    warm = Document(id="warm", path="warm", text="Shelling hit the town of Idlib on Monday, killing two people.",
                    published=Published("2020-01-01", status="stated"))
    _process_batch([warm], config)
    gc.collect()
    gc.freeze()


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def extract_all(docs: Iterable[Document], config: Config, progress: Progress | None = None,
                total: int | None = None) -> Iterator[tuple[Document, Extraction | IngestError]]:
    """Yield each document's extraction, in batches (nlp.pipe); over a process pool when more than
    one worker is asked for (0 = one per core for corpora large enough to repay the start-up). At most
    two batches per worker are in flight, so memory does not grow with the corpus."""
    if total is None:
        docs = list(docs)
        total = len(docs)
    workers = config.workers or (default_workers() if total >= AUTO_POOL_MIN_DOCS else 1)
    size = max(1, min(config.batch_size, -(-total // max(1, 2 * workers))))
    done = 0

    def report(batch, outcome):
        nonlocal done
        for doc, result in zip(batch, outcome):
            done += 1
            if progress:
                progress("extract", done, total)
            yield doc, result

    if workers <= 1 or total <= size:
        for batch in _chunks(docs, size):
            yield from report(batch, _process_batch(batch, config))
        return
    _load_before_fork(config)
    pool = ProcessPoolExecutor(min(workers, -(-total // size)), initializer=_die_with_parent,
                               initargs=(os.getpid(),))
    finished = False
    try:
        inflight: deque = deque()
        for batch in _chunks(docs, size):
            inflight.append((batch, pool.submit(_process_batch, batch, config)))
            if len(inflight) >= 2 * workers:
                batch, future = inflight.popleft()
                yield from report(batch, future.result())
        while inflight:
            batch, future = inflight.popleft()
            yield from report(batch, future.result())
        finished = True
    finally:
        pool.shutdown(wait=finished, cancel_futures=not finished)


# ------------------------------------------------------------------------------ the run
def run(paths: Iterable[str | Path], config: Config, progress: Progress | None = None) -> RunResult:
    from sitrep.store import open_store

    paths = [str(p) for p in paths]
    if config.out is not None:
        check_output(Path(config.out))           # fail now, not after hours of extraction
    store = open_store(config)
    try:
        run_id = store.begin_run(paths, {"sitrep": PIPELINE_VERSION, "data": data_fingerprint(),
                                         "spacy_model": config.spacy_model})
        result = RunResult(run_id=run_id, documents=[])
        with stage("ingest"):
            ingest(store, paths, config, result, progress)

        # corpus-level metadata: copies and estimated dates (may change stored documents too)
        with stage("copies and estimated dates"):
            mark_stored_copies(store, config)
            estimate_stored_dates(store)

        # per-document stages, a batch at a time from the store
        todo = [doc_id for doc_id, published, version in store.extraction_state()
                if version != _extraction_key(published, config)]
        stream = (d for ids in _chunks(todo, 200) for d in store.documents_by_id(ids))
        t_extract = time.perf_counter()
        for doc, extraction in extract_all(stream, config, progress, total=len(todo)):
            if isinstance(extraction, IngestError):
                result.errors.append(extraction)
                continue
            store.put_extraction(extraction, extraction_key(doc, config))
            result.extracted += 1
        log.info("annotate, extract, resolve: %d documents: %.2f s", len(todo), time.perf_counter() - t_extract)

        # corpus-level stages
        result.documents = store.documents()
        extractions = store.extractions()
        with stage(f"fuse ({len(extractions)} extractions)"):
            result.incidents = fuse_corpus(store, result.documents, extractions, config)
        with stage(f"check ({len(config.agreements)} agreements)"):
            result.violations = check_agreements(store, result.incidents, config)

        store.record_errors(run_id, [*result.errors, *result.skipped])
        if config.out is not None:
            with stage("present (exports, report)"):
                result.outputs = present(store, config, run_id, extractions)
        store.finish_run(run_id, result.counts())
        return result
    finally:
        store.close()


def ingest(store, paths: list[str], config: Config, result: RunResult, progress: Progress | None = None) -> None:
    """Read, clean and store every input, ``INGEST_BATCH`` documents a transaction. Of several inputs with
    the same text, the document keeps the smallest path (whatever the order they are read in, in this run or
    an earlier one, so a run resumed after a kill ends as an uninterrupted one)."""
    from sitrep.ingest import iter_inputs, to_document

    pending: dict[str, Document] = {}
    read = 0
    for item in iter_inputs(paths, config):
        read += 1
        if progress:
            progress("read", read, 0)
        if isinstance(item, Skipped):
            result.skipped.append(item)
            continue
        if isinstance(item, IngestError):
            result.errors.append(item)
            continue
        raw_hash = _raw_hash(item.content)
        if store.known_input(raw_hash):
            result.skipped_inputs += 1
            continue
        doc = to_document(item, config)
        if isinstance(doc, IngestError):
            result.errors.append(doc)
            continue
        held = pending.get(doc.id)
        held_path = held.path if held is not None else store.document_path(doc.id)
        if held_path is None:
            pending[doc.id] = doc
            result.new_documents += 1
        else:
            result.same_text += 1               # same text from another file: one document ...
            if doc.path < held_path:            # ... named after the smallest of its paths
                if held is None:
                    old = store.document(doc.id)
                    if old is not None and old.text != doc.text:
                        store.drop_extraction(doc.id)
                elif held.raw_hash:
                    store.put_input(held.raw_hash, doc.id, held.path)     # a re-run skips its bytes
                pending[doc.id] = doc
            else:
                store.put_input(raw_hash, doc.id, doc.path)
        if len(pending) >= INGEST_BATCH:
            store.put_documents(pending.values())
            pending.clear()
    store.put_documents(pending.values())


def mark_stored_copies(store, config: Config) -> int:
    """Copies over the whole store, streamed (signatures in memory, texts re-read to confirm a pair)."""
    from sitrep.ingest.copies import copy_links

    def load(doc_id: str) -> Document:
        (doc,) = store.documents_by_id([doc_id])
        return doc

    return store.set_duplicates(copy_links(store.iter_documents(), load, config))


def estimate_stored_dates(store) -> None:
    """Estimated publication dates for documents that state none (reads the corpus when any is unknown)."""
    from sitrep.ingest import estimate_dates

    if not store.has_unknown_dates():
        return
    corpus = store.documents()
    estimated = estimate_dates(corpus)
    store.put_documents([d for d, old in zip(estimated, corpus) if d != old])


def _raw_hash(content: bytes | str) -> str:
    data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    return hashlib.sha256(data).hexdigest()


def fuse_corpus(store, documents: list[Document], extractions: list[Extraction],
                config: Config) -> list[Incident]:
    """Fuse event mentions into incidents unless nothing changed since the last fusion."""
    from sitrep.fuse import fuse

    fingerprint = hashlib.sha1(repr((
        sorted((d.id, d.duplicate_of, d.published.date, store.extraction_version(d.id))
               for d in documents), config.fusion_km)).encode()).hexdigest()
    if store.incidents_fingerprint() == fingerprint:
        return store.incidents()
    from sitrep.resolve import reportable

    mentions = [e for x in extractions for e in x.events if reportable(e)]
    incidents = fuse(mentions, documents, config)
    store.replace_incidents(incidents, fingerprint)
    return incidents


def load_agreements(config: Config):
    from sitrep.check import load_agreement
    from sitrep.kb import KnowledgeBase

    kb = KnowledgeBase.load(config)
    return [load_agreement(Path(p), kb) for p in config.agreements], kb


def check_agreements(store, incidents: list[Incident], config: Config) -> list[Violation]:
    if not config.agreements:
        return []
    from sitrep.check import check

    agreements, kb = load_agreements(config)
    violations: list[Violation] = []
    for agreement in agreements:
        found = check(incidents, agreement, kb)
        store.replace_violations(agreement.name, found)
        violations.extend(found)
    return violations


def stored_records(store, extractions: list[Extraction] | None = None) -> dict:
    """What the exports and the report show, from the store: figures compared across outlets, quotes
    gathered from every document."""
    from sitrep.fuse import compare_figures

    documents = store.documents()
    if extractions is None:
        extractions = store.extractions()
    return {"documents": documents, "incidents": store.incidents(), "violations": store.violations(),
            "figures": compare_figures([f for x in extractions for f in x.figures], documents),
            "quotes": [q for x in extractions for q in x.quotes]}


STAGE_PREFIX = ".sitrep-tmp-"


def check_output(out: Path) -> None:
    """Raise ``OutputError`` unless files can be made in ``out`` (made when missing)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".sitrep-probe-", dir=out)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(f"cannot write to the output folder {out}: {exc.strerror or exc}") from exc


@contextmanager
def staged_output(out: Path) -> Iterator[Path]:
    """A temporary folder inside ``out`` to write the outputs into; when the block ends without error
    each file is moved into ``out`` (a rename: no space needed, nothing half-written), else the folder is
    removed and ``OutputError`` raised, leaving the previous outputs as they were. Folders left by a
    killed run are removed on the next."""
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        for stale in out.glob(STAGE_PREFIX + "*"):
            pid = stale.name[len(STAGE_PREFIX):].split("-")[0]
            if stale.is_dir() and pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(stale, ignore_errors=True)
        stage = Path(tempfile.mkdtemp(prefix=f"{STAGE_PREFIX}{os.getpid()}-", dir=out))
    except OSError as exc:
        raise OutputError(f"cannot write to the output folder {out}: {exc.strerror or exc}") from exc
    try:
        yield stage
        for name in sorted(p.name for p in stage.iterdir()):
            os.replace(stage / name, out / name)
    except OSError as exc:
        raise OutputError(f"cannot write the outputs to {out}: {exc.strerror or exc}; "
                          f"the previous outputs are left as they were") from exc
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def present(store, config: Config, run_id: int | None = None,
            extractions: list[Extraction] | None = None) -> list[Path]:
    """Write exports, the report and the document index to config.out (through a staging folder)."""
    out = Path(config.out)
    with staged_output(out) as stage:
        written = _write_outputs(stage, store, config, run_id, extractions)
    return [out / p.name for p in written]


def _write_outputs(out: Path, store, config: Config, run_id: int | None,
                   extractions: list[Extraction] | None) -> list[Path]:
    from sitrep.present.export import write_exports
    from sitrep.present.report import write_index, write_report

    records = stored_records(store, extractions)
    documents, incidents, violations = records["documents"], records["incidents"], records["violations"]
    figures, quotes = records["figures"], records["quotes"]
    compliance = None
    if config.agreements:
        from sitrep.check import summarize

        agreements, _ = load_agreements(config)
        compliance = {"agreements": [
            summarize([v for v in violations if v.agreement == a.name], incidents, a)
            for a in agreements]}
    meta = {"pipeline_version": PIPELINE_VERSION, "data": data_fingerprint(), "run": run_id}
    outputs = write_exports(out, documents=documents, incidents=incidents, figures=figures,
                            quotes=quotes, violations=violations, fmt="jsonl", meta=meta)
    outputs.append(write_report(out / "report.html", documents=documents, incidents=incidents,
                                figures=figures, quotes=quotes, violations=violations,
                                compliance=compliance, errors=store.errors(run_id), config=config))
    outputs.append(write_index(out / "index.html", documents))
    return outputs


AUTO_POOL_MIN_DOCS = 40     # below this, starting worker processes costs more than it saves


def default_workers() -> int:
    return max(1, min(4, (os.cpu_count() or 1)))

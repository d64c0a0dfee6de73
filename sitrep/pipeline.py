"""Run the stages over a corpus: ingest → annotate → extract → resolve (per document, in a pool)
then fuse → check (over the corpus) → store → present.

Work already done is skipped: an input whose bytes are already stored is not read again, a document
whose extraction was made by this pipeline version (and the same publication date) is not extracted
again, and fusion runs only when the set of extractions changed.
"""
from __future__ import annotations

import hashlib
import logging
import os
import time
from contextlib import contextmanager
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

from sitrep.config import DATA_DIR, PIPELINE_VERSION, Config
from sitrep.records import Document, Extraction, IngestError, Incident, Violation

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]   # (stage, done, total)


@dataclass
class RunResult:
    run_id: int
    documents: list[Document]
    new_documents: int = 0
    skipped_inputs: int = 0
    extracted: int = 0
    errors: list[IngestError] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.documents)

    def counts(self) -> dict:
        return {"documents": len(self.documents), "new_documents": self.new_documents,
                "skipped_inputs": self.skipped_inputs, "extracted": self.extracted,
                "errors": len(self.errors), "incidents": len(self.incidents),
                "violations": len(self.violations)}


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
    extra = hashlib.sha1(repr((config.spacy_models, config.spacy_model, config.actor_files,
                               config.place_files)).encode()).hexdigest()[:6]
    return f"{PIPELINE_VERSION}:{data_fingerprint()}:{extra}:{doc.published.date}"


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
        log.exception("extraction failed for %s", doc.path)
        return IngestError(doc.path, f"extraction failed: {type(exc).__name__}: {exc}")


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
            log.exception("extraction failed for %s", doc.path)
            out.append(IngestError(doc.path, f"extraction failed: {type(exc).__name__}: {exc}"))
    return out


def extract_all(docs: list[Document], config: Config,
                progress: Progress | None = None) -> Iterable[tuple[Document, Extraction | IngestError]]:
    """Yield each document's extraction, in batches (nlp.pipe); over a process pool when more than
    one worker is asked for (0 = one per core for corpora large enough to repay the start-up)."""
    total = len(docs)
    workers = config.workers or (default_workers() if total >= AUTO_POOL_MIN_DOCS else 1)
    size = max(1, min(config.batch_size, -(-total // max(1, 2 * workers))))
    batches = [docs[i:i + size] for i in range(0, total, size)]
    if workers > 1 and len(batches) > 1:
        pool = ProcessPoolExecutor(min(workers, len(batches)))
        results = pool.map(_process_batch, batches, [config] * len(batches))
    else:
        pool = None
        results = (_process_batch(batch, config) for batch in batches)
    try:
        done = 0
        for batch, outcome in zip(batches, results):
            for doc, result in zip(batch, outcome):
                done += 1
                if progress:
                    progress("extract", done, total)
                yield doc, result
    finally:
        if pool is not None:
            pool.shutdown()


# ------------------------------------------------------------------------------ the run
def run(paths: Iterable[str | Path], config: Config, progress: Progress | None = None) -> RunResult:
    from sitrep.ingest import estimate_dates, iter_inputs, mark_copies, to_document
    from sitrep.store import open_store

    paths = [str(p) for p in paths]
    store = open_store(config)
    try:
        run_id = store.begin_run(paths, {"sitrep": PIPELINE_VERSION, "data": data_fingerprint(),
                                         "spacy_model": config.spacy_model})
        result = RunResult(run_id=run_id, documents=[])

        # ingest
        stored = {d.id: d for d in store.documents()}
        new: dict[str, Document] = {}
        with stage("read inputs"):
            raw_items = list(iter_inputs(paths, config))
        t_ingest = time.perf_counter()
        for i, item in enumerate(raw_items, 1):
            if progress:
                progress("read", i, len(raw_items))
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
            elif doc.id in stored:
                result.skipped_inputs += 1      # same text from another file: one document
            elif doc.id in new:
                result.skipped_inputs += 1      # ... named after the first of its paths, whatever the order
                if doc.path < new[doc.id].path:
                    new[doc.id] = doc
            else:
                new[doc.id] = doc
        result.new_documents = len(new)
        log.info("ingest: %d inputs, %d new documents, %d already stored: %.2f s", len(raw_items), len(new),
                 result.skipped_inputs, time.perf_counter() - t_ingest)

        # corpus-level metadata: copies and estimated dates (may change stored documents too)
        corpus = list(stored.values()) + list(new.values())
        with stage("copies and estimated dates"):
            corpus = estimate_dates(mark_copies(corpus, config))
        changed = [d for d in corpus if d.id in new or d != stored.get(d.id)]
        store.put_documents(changed)
        result.documents = store.documents()

        # per-document stages
        todo = [d for d in result.documents
                if store.extraction_version(d.id) != extraction_key(d, config)]
        t_extract = time.perf_counter()
        for doc, extraction in extract_all(todo, config, progress):
            if isinstance(extraction, IngestError):
                result.errors.append(extraction)
                continue
            store.put_extraction(extraction, extraction_key(doc, config))
            result.extracted += 1
        log.info("annotate, extract, resolve: %d documents: %.2f s", len(todo), time.perf_counter() - t_extract)

        # corpus-level stages
        extractions = store.extractions()
        with stage(f"fuse ({len(extractions)} extractions)"):
            result.incidents = fuse_corpus(store, result.documents, extractions, config)
        with stage(f"check ({len(config.agreements)} agreements)"):
            result.violations = check_agreements(store, result.incidents, config)

        store.record_errors(run_id, result.errors)
        if config.out is not None:
            with stage("present (exports, report)"):
                result.outputs = present(store, config, run_id, extractions)
        store.finish_run(run_id, result.counts())
        return result
    finally:
        store.close()


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


def present(store, config: Config, run_id: int | None = None,
            extractions: list[Extraction] | None = None) -> list[Path]:
    """Write exports, the report and the document index to config.out."""
    from sitrep.present.export import write_exports
    from sitrep.present.report import write_index, write_report

    out = Path(config.out)
    out.mkdir(parents=True, exist_ok=True)
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

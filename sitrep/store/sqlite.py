"""SQLite store. Records are kept as JSON next to the columns we filter on; the schema is versioned
and migrated forward on open; every write is one transaction, so a failed run never half-writes.

Faults: several processes may open a new store at once (the migration takes the write lock before it
reads the schema version, and openers wait for each other); a read-only store (or folder) is opened
read-only, so browsing needs no write access (the store is left in rollback-journal mode when a writer
closes it, so no WAL files are needed to read it); a full disk or an unwritable file rolls the transaction
back and raises ``StoreError`` with one clear line."""
from __future__ import annotations

import json
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from sitrep.records import (Document, Extraction, IngestError, Incident, Violation, from_dict,
                            to_dict)

# Each entry upgrades the schema by one version; never edit an entry once released, append one.
MIGRATIONS: list[str] = [
    # 1: documents, inputs, runs, errors, extractions, incidents, violations
    """
    CREATE TABLE documents (
        id TEXT PRIMARY KEY, path TEXT, published TEXT, outlet TEXT, title TEXT,
        language TEXT, duplicate_of TEXT, record TEXT NOT NULL);
    CREATE TABLE inputs (raw_hash TEXT PRIMARY KEY, doc_id TEXT NOT NULL, path TEXT);
    CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started REAL, finished REAL,
        inputs TEXT, versions TEXT, counts TEXT);
    CREATE TABLE errors (run_id INTEGER, path TEXT, reason TEXT);
    CREATE TABLE extractions (doc_id TEXT PRIMARY KEY, version TEXT, record TEXT NOT NULL);
    CREATE TABLE incidents (id TEXT PRIMARY KEY, type TEXT, date_start TEXT, date_end TEXT,
        record TEXT NOT NULL);
    CREATE TABLE violations (agreement TEXT, event TEXT, status TEXT, record TEXT NOT NULL);
    CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT);
    """,
    # 2: the search index the workbench and `sitrep events` read (sitrep/store/search.py): one row per
    # incident with the columns it is filtered and sorted on, and a contentless FTS5 table over folded names
    # and sentences. Rebuilt from the incidents when they change; nothing else depends on it.
    """
    CREATE TABLE incident_index (
        rowid INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, type TEXT, mode TEXT, status TEXT,
        date_start TEXT, date_end TEXT, date_precision TEXT, week TEXT,
        place TEXT, admin1 TEXT, admin2 TEXT, admin3 TEXT, country TEXT, country_name TEXT,
        lat REAL, lon REAL, geo_precision TEXT, area TEXT,
        sources INTEGER, mentions INTEGER, disagree INTEGER, disagree_fields TEXT,
        killed INTEGER, killed_max INTEGER, actors TEXT, outlets TEXT,
        first_published TEXT, last_published TEXT, compliance TEXT, sentence TEXT);
    CREATE INDEX incident_index_date ON incident_index (date_start);
    CREATE INDEX incident_index_type ON incident_index (type, date_start);
    CREATE INDEX incident_index_week ON incident_index (week, type);
    CREATE VIRTUAL TABLE incident_fts USING fts5 (
        names, places, actors, outlets, text, content='', tokenize='unicode61 remove_diacritics 2');
    """,
]


BUSY_TIMEOUT_S = 60            # how long an opener waits for another process's write lock


class StoreError(RuntimeError):
    """The store cannot be opened or written (read-only, disk full, locked, damaged): one clear line."""


def _dump(record) -> str:
    return json.dumps(to_dict(record), ensure_ascii=False)


def _why(exc: BaseException) -> str:
    text = str(exc)
    if "disk is full" in text or getattr(exc, "errno", None) == 28:
        return "disk full"
    if "readonly" in text or "read-only" in text:
        return "read-only"
    return text


class SQLiteStore:
    def __init__(self, path: Path | str, readonly: bool = False):
        self.path = Path(path)
        self.readonly = readonly
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                self._open(str(path), readonly)
                return
            except sqlite3.OperationalError as exc:
                # switching the journal mode takes a lock SQLite does not wait for: another process
                # creating or closing the store at this moment answers "locked" at once; try again
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise StoreError(f"cannot open the store {path}: {_why(exc)}") from exc
                self._close_quietly()
                time.sleep(0.05)
            except sqlite3.Error as exc:
                raise StoreError(f"cannot open the store {path}: {_why(exc)}") from exc
            except OSError as exc:
                raise StoreError(f"cannot open the store {path}: {exc.strerror or exc}") from exc

    def _open(self, path: str, readonly: bool) -> None:
        self.db = self._connect(path, readonly)
        if not readonly:
            self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        if readonly:
            self._check_version()
        else:
            self._migrate()

    def _close_quietly(self) -> None:
        db = getattr(self, "db", None)
        if db is not None:
            try:
                db.close()
            except sqlite3.Error:
                pass

    @staticmethod
    def _connect(path: str, readonly: bool) -> sqlite3.Connection:
        if path == ":memory:":
            return sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
        if not readonly:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            # transactions are explicit; openers wait for each other's locks
            return sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
        uri = Path(path).resolve().as_uri()
        db = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_S,
                             check_same_thread=False)
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return db
        except sqlite3.OperationalError:
            # a store left in WAL mode in a folder we may not write: no shared-memory file can be made,
            # so read the file as it is (nobody can be writing it: we could not either)
            db.close()
            return sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None, check_same_thread=False)

    # ------------------------------------------------------------------ schema
    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def _check_version(self) -> None:
        if self.schema_version > len(MIGRATIONS):
            raise StoreError(f"{self.path}: store schema {self.schema_version} is newer than this sitrep "
                             f"({len(MIGRATIONS)}); upgrade sitrep")

    def _migrate(self) -> None:
        """Bring the schema up to date. The version is read inside the write transaction (BEGIN
        IMMEDIATE), so two processes opening a new store at once never both create its tables."""
        if self.schema_version == len(MIGRATIONS):
            return
        with self._tx(immediate=True) as db:
            version = self.schema_version
            if version > len(MIGRATIONS):
                raise StoreError(f"{self.path}: store schema {version} is newer than this sitrep "
                                 f"({len(MIGRATIONS)}); upgrade sitrep")
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in _statements(script):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def _tx(self, immediate: bool = False):
        """One transaction. SQLite may already have rolled back by itself (a full disk): the rollback
        is then skipped, so the error that caused it is the one raised, as a ``StoreError``."""
        if self.readonly:
            raise StoreError(f"the store {self.path} was opened read-only")
        try:
            self.db.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
            yield self.db
            self.db.execute("COMMIT")
        except BaseException as exc:
            if self.db.in_transaction:
                try:
                    self.db.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            if isinstance(exc, sqlite3.Error):
                raise StoreError(f"cannot write the store {self.path}: {_why(exc)}") from exc
            raise

    def close(self) -> None:
        """Close; a writer leaves the store in rollback-journal mode (WAL folded in), so that it can be
        read where it cannot be written (a read-only folder or medium) with no WAL or shared-memory file.
        When another process still has it open, the mode stays WAL (that process closes it later)."""
        if not self.readonly and str(self.path) != ":memory:":
            try:
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                self.db.execute("PRAGMA journal_mode=DELETE")
            except sqlite3.Error:
                pass
        self.db.close()

    # ------------------------------------------------------------------ documents
    def known_input(self, raw_hash: str) -> str | None:
        row = self.db.execute("SELECT doc_id FROM inputs WHERE raw_hash=?", (raw_hash,)).fetchone()
        return row[0] if row else None

    def put_documents(self, docs: Iterable[Document]) -> None:
        with self._tx() as db:
            for d in docs:
                db.execute("INSERT OR REPLACE INTO documents VALUES (?,?,?,?,?,?,?,?)",
                           (d.id, d.path, d.published.date, d.outlet, d.title, d.language,
                            d.duplicate_of, _dump(d)))
                if d.raw_hash:
                    db.execute("INSERT OR IGNORE INTO inputs VALUES (?,?,?)",
                               (d.raw_hash, d.id, d.path))

    def document_path(self, doc_id: str) -> str | None:
        """The path of the document with exactly this id (None: not stored)."""
        row = self.db.execute("SELECT path FROM documents WHERE id=?", (doc_id,)).fetchone()
        return row[0] if row else None

    def put_input(self, raw_hash: str, doc_id: str, path: str) -> None:
        """Remember an input whose text is an already stored document's, so a re-run does not read it again."""
        with self._tx() as db:
            db.execute("INSERT OR IGNORE INTO inputs VALUES (?,?,?)", (raw_hash, doc_id, path))

    def iter_documents(self, page: int = 500) -> Iterator[Document]:
        """Every document in id order, read a page at a time (writes may come in between pages)."""
        last = ""
        while True:
            rows = self.db.execute("SELECT id, record FROM documents WHERE id > ? ORDER BY id LIMIT ?",
                                   (last, page)).fetchall()
            if not rows:
                return
            for _, record in rows:
                yield from_dict(Document, json.loads(record))
            last = rows[-1][0]

    def documents_by_id(self, ids: list[str]) -> list[Document]:
        """The documents with these ids, in the order asked (unknown ids left out)."""
        found: dict[str, Document] = {}
        for k in range(0, len(ids), 500):
            chunk = ids[k:k + 500]
            rows = self.db.execute(f"SELECT id, record FROM documents WHERE id IN ({','.join('?' * len(chunk))})",
                                   chunk)
            found.update((i, from_dict(Document, json.loads(r))) for i, r in rows)
        return [found[i] for i in ids if i in found]

    def set_duplicates(self, links: dict[str, str | None]) -> int:
        """Set ``duplicate_of`` where it differs from ``links`` (id -> original); returns how many changed."""
        current = dict(self.db.execute("SELECT id, duplicate_of FROM documents"))
        changed = [i for i, dup in links.items() if i in current and current[i] != dup]
        with self._tx() as db:
            for i in changed:
                (record,) = db.execute("SELECT record FROM documents WHERE id=?", (i,)).fetchone()
                data = json.loads(record)
                data["duplicate_of"] = links[i]
                db.execute("UPDATE documents SET duplicate_of=?, record=? WHERE id=?",
                           (links[i], json.dumps(data, ensure_ascii=False), i))
        return len(changed)

    def has_unknown_dates(self) -> bool:
        return self.db.execute("SELECT 1 FROM documents WHERE published IS NULL LIMIT 1").fetchone() is not None

    def documents(self) -> list[Document]:
        rows = self.db.execute("SELECT record FROM documents ORDER BY published, id")
        return [from_dict(Document, json.loads(r[0])) for r in rows]

    def document(self, doc_id: str) -> Document | None:
        row = self.db.execute("SELECT record FROM documents WHERE id=? OR id LIKE ? ORDER BY id",
                              (doc_id, doc_id + "%")).fetchone()
        return from_dict(Document, json.loads(row[0])) if row else None

    # ------------------------------------------------------------------ extractions
    def put_extraction(self, extraction: Extraction, version: str) -> None:
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO extractions VALUES (?,?,?)",
                       (extraction.doc_id, version, _dump(extraction)))

    def drop_extraction(self, doc_id: str) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM extractions WHERE doc_id=?", (doc_id,))

    def extraction_state(self) -> list[tuple[str, str | None, str | None]]:
        """(document id, publication date, version of its stored extraction or None) for every document,
        in the order of ``documents()``."""
        return self.db.execute("SELECT d.id, d.published, e.version FROM documents d LEFT JOIN extractions e "
                               "ON e.doc_id = d.id ORDER BY d.published, d.id").fetchall()

    def extraction_version(self, doc_id: str) -> str | None:
        row = self.db.execute("SELECT version FROM extractions WHERE doc_id=?", (doc_id,)).fetchone()
        return row[0] if row else None

    def extractions(self) -> list[Extraction]:
        rows = self.db.execute("SELECT record FROM extractions ORDER BY doc_id")
        return [from_dict(Extraction, json.loads(r[0])) for r in rows]

    # ------------------------------------------------------------------ incidents, violations
    def replace_incidents(self, incidents: list[Incident], fingerprint: str) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM incidents")
            db.executemany("INSERT INTO incidents VALUES (?,?,?,?,?)",
                           [(i.id, i.type, i.date.start if i.date else None,
                             i.date.end if i.date else None, _dump(i)) for i in incidents])
            db.execute("INSERT OR REPLACE INTO state VALUES ('incidents_fingerprint', ?)",
                       (fingerprint,))

    def incidents(self) -> list[Incident]:
        rows = self.db.execute("SELECT record FROM incidents ORDER BY date_start, id")
        return [from_dict(Incident, json.loads(r[0])) for r in rows]

    def incident(self, incident_id: str) -> Incident | None:
        """One incident by id or a unique id prefix."""
        prefix = "".join(c for c in incident_id if c.isalnum())       # GLOB: case-sensitive, no wildcards
        rows = self.db.execute("SELECT record FROM incidents WHERE id=? UNION ALL "
                               "SELECT record FROM incidents WHERE id GLOB ? AND id != ? LIMIT 2",
                               (incident_id, prefix + "*", incident_id)).fetchall()
        if not rows or (len(rows) > 1 and json.loads(rows[0][0])["id"] != incident_id):
            return None
        return from_dict(Incident, json.loads(rows[0][0]))

    def incidents_by_ids(self, ids: list[str]) -> list[Incident]:
        """Incidents in the order of ``ids`` (unknown ids skipped); read in chunks."""
        found: dict[str, Incident] = {}
        for k in range(0, len(ids), 500):
            chunk = ids[k:k + 500]
            rows = self.db.execute(f"SELECT id, record FROM incidents WHERE id IN ({','.join('?' * len(chunk))})",
                                   chunk)
            for i, r in rows:
                found[i] = from_dict(Incident, json.loads(r))
        return [found[i] for i in ids if i in found]

    def extraction(self, doc_id: str) -> Extraction | None:
        row = self.db.execute("SELECT record FROM extractions WHERE doc_id=?", (doc_id,)).fetchone()
        return from_dict(Extraction, json.loads(row[0])) if row else None

    def violations_of(self, incident_id: str) -> list[Violation]:
        rows = self.db.execute("SELECT record FROM violations WHERE event=? ORDER BY agreement, rowid",
                               (incident_id,))
        return [from_dict(Violation, json.loads(r[0])) for r in rows]

    def incidents_fingerprint(self) -> str | None:
        row = self.db.execute("SELECT value FROM state WHERE key='incidents_fingerprint'").fetchone()
        return row[0] if row else None

    def replace_violations(self, agreement: str, violations: list[Violation]) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM violations WHERE agreement=?", (agreement,))
            db.executemany("INSERT INTO violations VALUES (?,?,?,?)",
                           [(agreement, v.event, v.status, _dump(v)) for v in violations])

    def violations(self) -> list[Violation]:
        rows = self.db.execute("SELECT record FROM violations ORDER BY agreement, event")
        return [from_dict(Violation, json.loads(r[0])) for r in rows]

    # ------------------------------------------------------------------ runs and errors
    def begin_run(self, inputs: list[str], versions: dict) -> int:
        with self._tx() as db:
            cur = db.execute("INSERT INTO runs (started, inputs, versions) VALUES (?,?,?)",
                             (time.time(), json.dumps(inputs), json.dumps(versions)))
            return int(cur.lastrowid)

    def finish_run(self, run_id: int, counts: dict) -> None:
        with self._tx() as db:
            db.execute("UPDATE runs SET finished=?, counts=? WHERE id=?",
                       (time.time(), json.dumps(counts), run_id))

    def record_errors(self, run_id: int, errors: Iterable[IngestError]) -> None:
        with self._tx() as db:
            db.executemany("INSERT INTO errors VALUES (?,?,?)",
                           [(run_id, e.path, e.reason) for e in errors])

    def errors(self, run_id: int | None = None) -> list[IngestError]:
        if run_id is None:
            rows = self.db.execute("SELECT path, reason FROM errors ORDER BY run_id, rowid")
        else:
            rows = self.db.execute("SELECT path, reason FROM errors WHERE run_id=?", (run_id,))
        return [IngestError(p, r) for p, r in rows]

    def runs(self) -> list[dict]:
        rows = self.db.execute("SELECT id, started, finished, inputs, versions, counts FROM runs")
        return [{"id": i, "started": s, "finished": f, "inputs": json.loads(inp or "[]"),
                 "versions": json.loads(v or "{}"), "counts": json.loads(c or "{}")}
                for i, s, f, inp, v, c in rows]


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]

"""Readers: files of every supported container format -> ``RawInput`` (or ``IngestError``), lazily.

A small registry maps file extensions to reader functions; files with other names are sniffed from their
first bytes. Every failure becomes one ``IngestError`` (path + reason) and the walk goes on; nothing is
dropped without a line: a file that yields no document says why, hidden files met in a folder walk are
reported as ``Skipped``, FIFOs, devices and sockets are refused before they are opened (opening a FIFO
would block for ever), and a container's records are capped in number and in expanded size (gzip bombs).
Every path is given as text any store or console can hold (``safe_path``).
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import os
import re
import stat
import sys
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from sitrep.config import Config
from sitrep.records import IngestError, Skipped

log = logging.getLogger(__name__)

# the reason of the last line of defence: a failure no reader foresaw (the fuzz tests assert none reaches it)
INTERNAL = "internal error"


@dataclass
class RawInput:
    """One document as read, before cleaning."""
    path: str                  # file path, or "file.warc.gz#<record-id>", "feed.xml#<n>", "file.jsonl#<line>"
    content: bytes | str       # raw body: text or HTML
    format: str                # "text" | "html"
    fields: dict[str, str] = field(default_factory=dict)   # title, date, url, author, outlet, language


Item = RawInput | IngestError
Reader = Callable[[Path, Config], Iterator[Item]]


# --------------------------------------------------------------------------- helpers
def safe_path(path: str | os.PathLike) -> str:
    """A path as text that UTF-8 stores, JSON and consoles accept: bytes of a file name that are not UTF-8
    (kept by Python as lone surrogates) become ``\\xNN`` escapes. Control characters stay; printers escape
    them (``sitrep.cli._one_line``)."""
    s = os.fspath(path)
    if isinstance(s, bytes):
        s = os.fsdecode(s)
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        try:
            return s.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:
            return s.encode("utf-8", "backslashreplace").decode("utf-8")


_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder"))


def _not_regular(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    return next((f"not a regular file: {name}" for test, name in _KINDS if test(mode)), "not a regular file")


def _open_regular(path: Path):
    """The file opened for binary reading, never blocking: opened with O_NONBLOCK (a FIFO swapped in after a
    check would otherwise hang the open) and refused (``_Bad``) unless it is a regular file."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        why = _not_regular(os.fstat(fd).st_mode)
        if why:
            raise _Bad(why)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def decode(data: bytes | str) -> str:
    """UTF-8 (with or without BOM), else the encoding charset-normalizer finds; raises ValueError."""
    if isinstance(data, str):
        return valid_text(data)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes
    best = from_bytes(data).best()
    if best is None:
        raise ValueError("not text in any known encoding")
    if best.encoding in _CENTRAL_EUROPEAN:
        # single-byte Latin text: byte statistics cannot tell cp1250 from cp1252; Western is the
        # commoner case in news copy (accented French, Spanish, German names)
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return str(best)


_CENTRAL_EUROPEAN = {"cp1250", "iso8859_2", "mac_latin2", "cp852", "iso8859_16", "iso8859_4", "iso8859_13",
                     "cp1257", "iso8859_10", "iso8859_14", "iso8859_3", "iso8859_15", "latin_1", "iso8859_1"}


def looks_binary(data: bytes) -> bool:
    """NUL bytes or mostly control characters in the first 8 KB (images, PDFs, archives, executables)."""
    head = data[:8192]
    if not head:
        return False
    if b"\x00" in head:
        return True
    ctrl = sum(1 for b in head if b < 9 or 13 < b < 32)
    return ctrl > len(head) * 0.05


def _looks_html(text: str) -> bool:
    head = text.lstrip()[:2000].lower()
    return head.startswith("<") and any(t in head for t in ("<html", "<body", "<p", "<div", "<article", "<!doctype"))


_SCALAR = (str, int, float)


def _fields_from(obj: dict, names: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """The first usable value under each name: strings and numbers, or a list of them joined (nested lists
    and objects are no field value: printing a deeply nested one would overflow the stack)."""
    out: dict[str, str] = {}
    for key, candidates in names.items():
        for c in candidates:
            v = obj.get(c)
            if isinstance(v, list):
                v = ", ".join(str(x) for x in v if isinstance(x, _SCALAR) and not isinstance(x, bool) and x != "")
            elif not isinstance(v, _SCALAR) or isinstance(v, bool):
                continue
            v = valid_text(str(v)).strip()
            if v:
                out[key] = v
                break
    return out


def valid_text(s: str) -> str:
    """``s`` with lone surrogates (JSON may escape any code point, "\\udcff" included) as U+FFFD: text
    that UTF-8 can encode, for hashing, storing and printing."""
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", s)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _json_item(obj, path: str, config: Config) -> Item:
    if not isinstance(obj, dict):
        return IngestError(path, f"JSON value is a {type(obj).__name__}, not an object")
    jf = config.json_fields
    names = {"text": jf.text, "title": jf.title, "date": jf.date, "url": jf.url, "author": jf.author,
             "outlet": jf.outlet, "language": jf.language}
    fields = _fields_from(obj, names)
    text = fields.pop("text", "")
    if not text.strip():
        return IngestError(path, f"no article text (looked for keys {', '.join(jf.text)})")
    return RawInput(path, text, "html" if _looks_html(text) else "text", fields)


def _read_bytes(path: Path, config: Config) -> bytes:
    with _open_regular(path) as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > config.max_bytes:
            raise _Bad(f"file too large ({size:,} bytes > limit {config.max_bytes:,})")
        data = fh.read(config.max_bytes + 1)
    if len(data) > config.max_bytes:           # grew while being read
        raise _Bad(f"file too large (> limit {config.max_bytes:,} bytes)")
    if not data.strip():
        raise _Bad("empty file")
    return data


def _json_loads(data: bytes | str):
    """json.loads that says what went wrong: malformed, or nested too deeply for the parser."""
    try:
        return json.loads(decode(data))
    except RecursionError:
        raise ValueError("nested too deeply") from None


class _Bad(Exception):
    """A reason to reject a whole file."""


# --------------------------------------------------------------------------- readers
def read_text(path: Path, config: Config) -> Iterator[Item]:
    data = _read_bytes(path, config)
    if looks_binary(data):
        raise _Bad("binary file, not text")
    yield RawInput(safe_path(path), data, "text", {})


def read_html(path: Path, config: Config) -> Iterator[Item]:
    data = _read_bytes(path, config)
    if looks_binary(data):
        raise _Bad("binary file, not HTML")
    yield RawInput(safe_path(path), data, "html", {})


def read_json(path: Path, config: Config) -> Iterator[Item]:
    data = _read_bytes(path, config)
    try:
        obj = _json_loads(data)
    except (ValueError, UnicodeDecodeError) as e:
        raise _Bad(f"malformed JSON: {e}") from None
    if isinstance(obj, list):
        if not obj:
            raise _Bad("empty JSON list: no documents")
        for i, o in enumerate(obj):
            yield _json_item(o, f"{safe_path(path)}#{i}", config)
    else:
        yield _json_item(obj, safe_path(path), config)


def read_jsonl(path: Path, config: Config) -> Iterator[Item]:
    """One object a line; streamed, so the size limit applies to each line, not to the file."""
    spath = safe_path(path)
    n = 0
    with _open_regular(path) as fh:
        if os.fstat(fh.fileno()).st_size == 0:
            raise _Bad("empty file")
        try:
            for n, line in enumerate(_lines(_decompressed(fh, 1 << 16, config), config.max_bytes), 1):
                where = f"{spath}#{n}"
                if line is None:
                    yield IngestError(where, f"line too large (> limit {config.max_bytes:,} bytes)")
                    continue
                if not line.strip():
                    continue
                try:
                    obj = _json_loads(line)
                except ValueError as e:
                    yield IngestError(where, f"malformed JSON line: {e}")
                    continue
                yield _json_item(obj, where, config)
        except (EOFError, zlib.error, gzip.BadGzipFile) as e:
            yield IngestError(spath, f"truncated or corrupt gzip after line {n}: {e}")


def read_csv(path: Path, config: Config) -> Iterator[Item]:
    data = _read_bytes(path, config)
    try:
        text = decode(data)
    except ValueError as e:
        raise _Bad(str(e)) from None
    csv.field_size_limit(max(config.max_bytes, 1 << 20))
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    cc = config.csv_columns
    names = {"text": cc.text, "title": cc.title, "date": cc.date, "url": cc.url, "author": cc.author,
             "outlet": cc.outlet}
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
    except csv.Error as e:
        raise _Bad(f"malformed CSV header: {e}") from None
    if not any(c in header for c in cc.text):
        raise _Bad(f"CSV has no text column (expected one of {', '.join(cc.text)}; found {', '.join(header) or 'none'})")
    rows: list[dict] = []
    damage = None
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as e:
        damage = f"malformed CSV after row {len(rows)}: {e}"
    order = _column_date_order(rows, cc.date)
    spath = safe_path(path)
    if not rows and damage is None:
        raise _Bad("CSV has a header but no rows")
    for n, row in enumerate(rows, 1):
        row = {(k or "").strip(): v for k, v in row.items() if isinstance(v, str)}
        fields = _fields_from(row, names)
        if order and fields.get("date"):
            fields["date_order"] = order
        text = fields.pop("text", "")
        where = f"{spath}#{n}"
        if not text.strip():
            yield IngestError(where, "CSV row has no text in the text column")
            continue
        yield RawInput(where, text, "html" if _looks_html(text) else "text", fields)
    if damage:
        yield IngestError(spath, damage)


def _column_date_order(rows: list[dict], columns: tuple[str, ...]) -> str | None:
    """"mdy" or "dmy" when the unambiguous numeric dates of a column all agree (4/16/2017 -> mdy)."""
    votes = set()
    for row in rows:
        for c in columns:
            m = re.match(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{4}", row.get(c) or "")
            if m:
                a, b = int(m.group(1)), int(m.group(2))
                if a > 12 >= b:
                    votes.add("dmy")
                elif b > 12 >= a:
                    votes.add("mdy")
                break
    return votes.pop() if len(votes) == 1 else None


def read_warc(path: Path, config: Config) -> Iterator[Item]:
    """Every HTML response record of a WARC (CC-NEWS style) is one document; a truncated file keeps
    what came before the damage and reports the rest. Streamed: the size limit applies per record, the
    expansion limits to the whole file."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed
    spath = safe_path(path)
    count = seen = expanded = 0
    with _open_regular(path) as fh:
        size = os.fstat(fh.fileno()).st_size
        if size == 0:
            raise _Bad("empty file")
        archive = ArchiveIterator(fh)
        try:
            while True:
                with _quiet_stderr():                # warcio prints its warnings on stderr
                    record = next(archive, None)
                if record is None:
                    break
                seen += 1
                if record.rec_type != "response":
                    continue
                ctype = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
                if "html" not in ctype.lower():
                    continue
                rid = record.rec_headers.get_header("WARC-Record-ID") or str(count)
                rid = rid.strip("<>").removeprefix("urn:uuid:")
                with _quiet_stderr():
                    body = record.content_stream().read(config.max_bytes + 1)
                count += 1
                expanded += len(body)
                _check_expansion(expanded, fh.tell(), config)
                where = f"{spath}#{safe_path(rid)}"
                if len(body) > config.max_bytes:
                    yield IngestError(where, f"record too large (> limit {config.max_bytes:,} bytes)")
                    continue
                if not body.strip():
                    yield IngestError(where, "empty WARC response body")
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                yield RawInput(where, body, "html", {"url": url} if url else {})
        except (ArchiveLoadFailed, EOFError, OSError, zlib.error) as e:
            yield IngestError(spath, f"truncated or corrupt WARC after {count} record(s): {e}")
            return
        except (ValueError, AttributeError, TypeError, KeyError, IndexError, UnicodeError) as e:
            # warcio meets a damaged record or HTTP header (a missing status line, a bad length field)
            yield IngestError(spath, f"damaged WARC record header after {count} record(s) "
                                     f"({type(e).__name__}: {e})")
            return
        if archive.err_count:
            yield IngestError(spath, f"{archive.err_count} WARC record(s) whose length header is wrong "
                                     f"(Content-Length): read as far as they could be")
        if seen and not count:
            raise _Bad(f"no HTML response record among the {seen} WARC record(s)")
        if not seen:
            raise _Bad("no WARC records")
        fh.seek(0)
        problem = _gzip_problem(fh, config)
    if problem:
        yield IngestError(spath, f"truncated or corrupt WARC after {count} record(s): {problem}")


@contextmanager
def _quiet_stderr():
    """Hold what a library writes straight to stderr (warcio's warnings span several lines and name no
    file): the reader reports the problem as the file's own error line instead."""
    saved, sys.stderr = sys.stderr, io.StringIO()
    try:
        yield
    finally:
        sys.stderr = saved


def _check_expansion(expanded: int, compressed: int, config: Config) -> None:
    """A decompression bomb is cut once it expands past the size limit or far past any real compression
    ratio (text compresses 3-10 times; 200 times means repeated filler)."""
    if expanded > config.max_expanded_bytes:
        raise _Bad(f"expands to more than {config.max_expanded_bytes:,} bytes: not read further (expansion limit)")
    if expanded > (16 << 20) and expanded > config.max_expansion_ratio * max(compressed, 1):
        raise _Bad(f"expands more than {config.max_expansion_ratio} times its compressed size "
                   f"(a decompression bomb?): not read further")


def _gzip_problem(fh, config: Config) -> str | None:
    """warcio stops quietly at a cut gzip member; a pass of zlib over the members says whether it was cut."""
    try:
        for _ in _decompressed(fh, 1 << 20, config):
            pass
    except zlib.error as e:
        return f"corrupt gzip data ({e})"
    except EOFError:
        return "gzip stream ends in the middle of a record"
    return None


def _decompressed(fh, size: int, config: Config) -> Iterator[bytes]:
    """The bytes of a plain or (multi-member) gzipped file, block by block; EOFError when a member is
    cut short (the gzip module would lose the last buffered block instead of saying so). Output is made
    ``size`` * 16 bytes at a time and cut by the expansion limits, so a bomb never fills memory."""
    if fh.read(2) != b"\x1f\x8b":
        fh.seek(0)
        while block := fh.read(size):
            yield block
        return
    fh.seek(0)
    d, fed = zlib.decompressobj(31), False
    read_in = expanded = 0
    while chunk := fh.read(size):
        read_in += len(chunk)
        while chunk:
            out = d.decompress(chunk, size * 16)
            fed = True
            if out:
                expanded += len(out)
                _check_expansion(expanded, read_in, config)
                yield out
            if d.eof:
                chunk = d.unused_data
                d, fed = zlib.decompressobj(31), False
            else:
                chunk = d.unconsumed_tail
    while fed and not d.eof:                   # flush what the last input left buffered
        out = d.decompress(b"", size * 16)
        if not out:
            break
        expanded += len(out)
        _check_expansion(expanded, read_in, config)
        yield out
    if fed and not d.eof:
        raise EOFError("compressed file ended before the end-of-stream marker was reached")


_FEED_DAMAGE = (AttributeError, TypeError, KeyError, IndexError, ValueError, UnicodeError, AssertionError)


def read_feed(path: Path, config: Config) -> Iterator[Item]:
    import feedparser
    data = _read_bytes(path, config)
    spath = safe_path(path)
    try:
        parsed = feedparser.parse(data)
        entries = parsed.get("entries") or []
    except _FEED_DAMAGE as e:                  # feedparser meets damaged headers or encodings
        raise _Bad(f"damaged RSS/Atom feed ({type(e).__name__}: {e})") from None
    if not entries:
        why = parsed.get("bozo_exception")
        raise _Bad(f"not a readable RSS/Atom feed{': ' + str(why) if why else ' (no entries)'}")
    feed = parsed.get("feed") or {}
    for n, e in enumerate(entries):
        where = f"{spath}#{n}"
        try:
            body = ""
            if e.get("content"):
                body = max((str(c.get("value", "") or "") for c in e["content"]), key=len)
            body = body or str(e.get("summary", "") or "") or str(e.get("description", "") or "")
            fields = {"title": e.get("title", ""), "url": e.get("link", ""), "author": e.get("author", ""),
                      "date": e.get("published", "") or e.get("updated", ""),
                      "outlet": feed.get("title", ""), "language": feed.get("language", "")}
        except _FEED_DAMAGE as exc:
            yield IngestError(where, f"damaged feed entry ({type(exc).__name__}: {exc})")
            continue
        if not body.strip():
            yield IngestError(where, "feed entry has no content or summary")
            continue
        fields = {k: str(v).strip() for k, v in fields.items() if isinstance(v, str) and v.strip()}
        yield RawInput(where, body, "html" if _looks_html(body) or "<" in body else "text", fields)


def _lines(blocks: Iterable[bytes], max_len: int) -> Iterator[bytes | None]:
    """Lines of a stream of blocks, in time linear in the bytes (long lines are gathered as parts, never
    re-split); a line longer than ``max_len`` is not kept in memory: it comes out as None. A cut gzip
    stream yields every complete line before the cut, then raises EOFError."""
    parts: list[bytes] = []
    held = 0                                   # bytes in parts, or -1 once the line is over max_len
    for block in blocks:
        start = 0
        while (nl := block.find(b"\n", start)) >= 0:
            if held < 0 or held + nl + 1 - start > max_len:
                yield None
            else:
                parts.append(block[start:nl + 1])
                yield b"".join(parts)
            parts, held, start = [], 0, nl + 1
        if start < len(block) and held >= 0:
            held += len(block) - start
            if held > max_len:
                parts, held = [], -1
            else:
                parts.append(block[start:])
    if held < 0:
        yield None
    elif parts:
        yield b"".join(parts)


READERS: dict[str, Reader] = {
    ".txt": read_text, ".md": read_text, ".text": read_text,
    ".html": read_html, ".htm": read_html, ".xhtml": read_html,
    ".json": read_json,
    ".jsonl": read_jsonl, ".ndjson": read_jsonl, ".jsonl.gz": read_jsonl,
    ".csv": read_csv, ".tsv": read_csv,
    ".warc": read_warc, ".warc.gz": read_warc, ".arc.gz": read_warc,
    ".rss": read_feed, ".atom": read_feed,
}


def _sniff(path: Path) -> Reader | None:
    """Pick a reader from the first bytes when the extension does not say (or says .xml)."""
    with _open_regular(path) as fh:
        head = fh.read(4096)
    if head[:2] == b"\x1f\x8b":
        try:
            inner = zlib.decompressobj(31).decompress(head, 64)
        except zlib.error:
            return read_warc
        return read_warc if inner.startswith(b"WARC/") else read_jsonl
    if head.startswith(b"WARC/"):
        return read_warc
    low = head.lstrip().lower()
    if low.startswith(b"<?xml") or low.startswith(b"<rss") or low.startswith(b"<feed") or b"<rss" in low or b"<feed" in low:
        if b"<rss" in low or b"<feed" in low or b"<rdf" in low:
            return read_feed
        return read_html if b"<html" in low else read_feed
    if low.startswith(b"<!doctype html") or low.startswith(b"<html"):
        return read_html
    if low.startswith(b"{") and b"\n{" in head:
        return read_jsonl
    if low.startswith(b"[") or low.startswith(b"{"):
        return read_json
    return read_text


def reader_for(path: Path) -> Reader | None:
    name = path.name.lower()
    for ext in sorted(READERS, key=len, reverse=True):
        if name.endswith(ext):
            return READERS[ext]
    return None


def _read_file(path: Path, config: Config) -> Iterator[Item]:
    """Every item of one file, and always at least one line: a file that gives no document says why.
    Bad records beyond ``max_listed_errors`` are counted in one line; reading stops at ``max_records``."""
    spath = safe_path(path)
    records = bad = unlisted = 0
    try:
        reader = reader_for(path) or _sniff(path)
        for item in reader(path, config):
            records += 1
            if records > config.max_records:
                yield IngestError(spath, f"more than {config.max_records:,} records: the rest of the file "
                                         f"is not read (record limit)")
                break
            if isinstance(item, IngestError):
                bad += 1
                if bad > config.max_listed_errors:
                    unlisted += 1
                    continue
            yield item
    except _Bad as e:
        records += 1
        yield IngestError(spath, str(e))
    except PermissionError:
        records += 1
        yield IngestError(spath, "permission denied")
    except FileNotFoundError:
        records += 1
        yield IngestError(spath, "no such file")
    except IsADirectoryError:
        records += 1
        yield IngestError(spath, "not a regular file: a folder")
    except (OSError, EOFError, zlib.error) as e:
        records += 1
        yield IngestError(spath, f"unreadable ({type(e).__name__}: {e})")
    except RecursionError:
        records += 1
        yield IngestError(spath, "nested too deeply to read")
    except MemoryError:
        records += 1
        yield IngestError(spath, "too large to read in memory")
    except Exception as e:  # noqa: BLE001 — the last line of defence: one bad file never stops the walk
        records += 1
        log.debug("reader failure on %s", spath, exc_info=True)
        yield IngestError(spath, f"{INTERNAL} while reading ({type(e).__name__}: {e})")
    if unlisted:
        yield IngestError(spath, f"{unlisted:,} more bad records in this file (the first "
                                 f"{config.max_listed_errors:,} are listed)")
    if records == 0:
        yield IngestError(spath, "no documents in this file")


def _walk(root: Path, config: Config) -> Iterator[Item]:
    """Every file under ``root`` in name order, depth first, without recursion (any depth) and without
    loops (a folder reached again through a symbolic link is walked once). Hidden files and folders are
    reported as skipped; folders that cannot be listed as errors."""
    seen: set[tuple[int, int]] = set()
    stack: list[Path] = [root]
    while stack:
        folder = stack.pop()
        sfolder = safe_path(folder)
        try:
            st = os.stat(folder)
            if (st.st_dev, st.st_ino) in seen:
                yield Skipped(sfolder, "folder already walked (reached again through a symbolic link)")
                continue
            seen.add((st.st_dev, st.st_ino))
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except PermissionError:
            yield IngestError(sfolder, "permission denied (folder)")
            continue
        except OSError as e:
            yield IngestError(sfolder, f"unreadable folder ({e.strerror or type(e).__name__})")
            continue
        files, folders = [], []
        for e in entries:
            p = Path(e.path)
            try:
                is_dir = e.is_dir()              # follows symbolic links
            except OSError:
                is_dir = False
            if e.name.startswith("."):
                yield Skipped(safe_path(p), f"hidden {'folder' if is_dir else 'file'} (name starts with '.'); "
                                            f"name it to read it")
            elif is_dir:
                folders.append(p)
            else:
                files.append(p)
        for p in files:
            yield from _input(p, config)
        stack.extend(reversed(folders))


def _input(path: Path, config: Config) -> Iterator[Item]:
    """One named file: refused with a line unless it is a regular file (a FIFO would block the run)."""
    spath = safe_path(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        yield IngestError(spath, "no such file (or a broken symbolic link)")
        return
    except PermissionError:
        yield IngestError(spath, "permission denied")
        return
    except OSError as e:
        yield IngestError(spath, f"unreadable ({e.strerror or type(e).__name__})")
        return
    why = _not_regular(mode)
    if why:
        yield IngestError(spath, f"{why}; refused")
        return
    yield from _read_file(path, config)


def iter_inputs(paths: Iterable[str | Path], config: Config) -> Iterator[Item]:
    """Every document under ``paths`` (files, folders walked recursively, "-" = list of paths on stdin)."""
    for p in paths:
        if str(p) == "-":
            listed = [line.strip() for line in sys.stdin if line.strip()]
            yield from iter_inputs(listed, config)
            continue
        path = Path(p)
        try:
            is_dir = stat.S_ISDIR(os.stat(path).st_mode)
        except OSError:
            is_dir = False
        if is_dir:
            if not os.access(path, os.R_OK | os.X_OK):
                yield IngestError(safe_path(path), "permission denied (folder)")
                continue
            yield from _walk(path, config)
        elif os.path.lexists(path):
            yield from _input(path, config)
        else:
            yield IngestError(safe_path(path), "no such file or folder")

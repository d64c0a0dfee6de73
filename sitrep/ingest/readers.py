"""Readers: files of every supported container format -> ``RawInput`` (or ``IngestError``), lazily.

A small registry maps file extensions to reader functions; files with other names are sniffed from their
first bytes. Every failure becomes one ``IngestError`` (path + reason) and the walk goes on.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import os
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from sitrep.config import Config
from sitrep.records import IngestError


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
def decode(data: bytes | str) -> str:
    """UTF-8 (with or without BOM), else the encoding charset-normalizer finds; raises ValueError."""
    if isinstance(data, str):
        return data
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


def _fields_from(obj: dict, names: dict[str, tuple[str, ...]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, candidates in names.items():
        for c in candidates:
            v = obj.get(c)
            if v in (None, "", []):
                continue
            if isinstance(v, list):
                v = ", ".join(str(x) for x in v if x)
            elif isinstance(v, dict):
                continue
            out[key] = str(v).strip()
            break
    return out


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
    size = path.stat().st_size
    if size > config.max_bytes:
        raise _Bad(f"file too large ({size:,} bytes > limit {config.max_bytes:,})")
    data = path.read_bytes()
    if not data.strip():
        raise _Bad("empty file")
    return data


class _Bad(Exception):
    """A reason to reject a whole file."""


# --------------------------------------------------------------------------- readers
def read_text(path: Path, config: Config) -> Iterator[Item]:
    data = _read_bytes(path, config)
    if looks_binary(data):
        raise _Bad("binary file, not text")
    yield RawInput(str(path), data, "text", {})


def read_html(path: Path, config: Config) -> Iterator[Item]:
    data = _read_bytes(path, config)
    if looks_binary(data):
        raise _Bad("binary file, not HTML")
    yield RawInput(str(path), data, "html", {})


def read_json(path: Path, config: Config) -> Iterator[Item]:
    data = _read_bytes(path, config)
    try:
        obj = json.loads(decode(data))
    except (ValueError, UnicodeDecodeError) as e:
        raise _Bad(f"malformed JSON: {e}") from None
    if isinstance(obj, list):
        for i, o in enumerate(obj):
            yield _json_item(o, f"{path}#{i}", config)
    else:
        yield _json_item(obj, str(path), config)


def read_jsonl(path: Path, config: Config) -> Iterator[Item]:
    """One object a line; streamed, so the size limit applies to each line, not to the file."""
    if path.stat().st_size == 0:
        raise _Bad("empty file")
    n = 0
    try:
        for n, line in enumerate(_lines(path), 1):
            if not line.strip():
                continue
            where = f"{path}#{n}"
            if len(line) > config.max_bytes:
                yield IngestError(where, f"line too large ({len(line):,} bytes > limit {config.max_bytes:,})")
                continue
            try:
                obj = json.loads(decode(line))
            except ValueError as e:
                yield IngestError(where, f"malformed JSON line: {e}")
                continue
            yield _json_item(obj, where, config)
    except (EOFError, zlib.error, gzip.BadGzipFile) as e:
        yield IngestError(str(path), f"truncated or corrupt gzip after line {n}: {e}")


def read_csv(path: Path, config: Config) -> Iterator[Item]:
    data = _read_bytes(path, config)
    try:
        text = decode(data)
    except ValueError as e:
        raise _Bad(str(e)) from None
    csv.field_size_limit(max(config.max_bytes, 1 << 20))
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip() for h in (reader.fieldnames or [])]
    cc = config.csv_columns
    names = {"text": cc.text, "title": cc.title, "date": cc.date, "url": cc.url, "author": cc.author,
             "outlet": cc.outlet}
    if not any(c in header for c in cc.text):
        raise _Bad(f"CSV has no text column (expected one of {', '.join(cc.text)}; found {', '.join(header) or 'none'})")
    rows = list(reader)
    order = _column_date_order(rows, cc.date)
    try:
        for n, row in enumerate(rows, 1):
            row = {(k or "").strip(): v for k, v in row.items() if isinstance(v, str)}
            fields = _fields_from(row, names)
            if order and fields.get("date"):
                fields["date_order"] = order
            text = fields.pop("text", "")
            where = f"{path}#{n}"
            if not text.strip():
                yield IngestError(where, "CSV row has no text in the text column")
                continue
            yield RawInput(where, text, "html" if _looks_html(text) else "text", fields)
    except csv.Error as e:
        yield IngestError(str(path), f"malformed CSV: {e}")


def _column_date_order(rows: list[dict], columns: tuple[str, ...]) -> str | None:
    """"mdy" or "dmy" when the unambiguous numeric dates of a column all agree (4/16/2017 -> mdy)."""
    import re
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
    what came before the damage and reports the rest. Streamed: the size limit applies per record."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed
    if path.stat().st_size == 0:
        raise _Bad("empty file")
    count = 0
    with open(path, "rb") as fh:
        try:
            for record in ArchiveIterator(fh):
                if record.rec_type != "response":
                    continue
                ctype = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
                if "html" not in ctype.lower():
                    continue
                rid = record.rec_headers.get_header("WARC-Record-ID") or str(count)
                rid = rid.strip("<>").removeprefix("urn:uuid:")
                body = record.content_stream().read(config.max_bytes + 1)
                count += 1
                where = f"{path}#{rid}"
                if len(body) > config.max_bytes:
                    yield IngestError(where, f"record too large (> limit {config.max_bytes:,} bytes)")
                    continue
                if not body.strip():
                    yield IngestError(where, "empty WARC response body")
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                yield RawInput(where, body, "html", {"url": url} if url else {})
        except (ArchiveLoadFailed, EOFError, OSError, zlib.error, ValueError) as e:
            yield IngestError(str(path), f"truncated or corrupt WARC after {count} record(s): {e}")
            return
    problem = _gzip_problem(path)
    if problem:
        yield IngestError(str(path), f"truncated or corrupt WARC after {count} record(s): {problem}")


def _gzip_problem(path: Path) -> str | None:
    """warcio stops quietly at a cut gzip member; a pass of zlib over the members says whether it was cut."""
    try:
        for _ in _decompressed(path, 1 << 20):
            pass
    except zlib.error as e:
        return f"corrupt gzip data ({e})"
    except EOFError:
        return "gzip stream ends in the middle of a record"
    return None


def _decompressed(path: Path, size: int) -> Iterator[bytes]:
    """The bytes of a plain or (multi-member) gzipped file, block by block; EOFError when a member is
    cut short (the gzip module would lose the last buffered block instead of saying so)."""
    with open(path, "rb") as fh:
        if fh.read(2) != b"\x1f\x8b":
            fh.seek(0)
            while block := fh.read(size):
                yield block
            return
        fh.seek(0)
        d, fed = zlib.decompressobj(31), False
        while chunk := fh.read(size):
            while chunk:
                yield d.decompress(chunk)
                fed = True
                if d.eof:
                    chunk = d.unused_data
                    d, fed = zlib.decompressobj(31), False
                else:
                    chunk = b""
        if fed and not d.eof:
            raise EOFError("compressed file ended before the end-of-stream marker was reached")


def read_feed(path: Path, config: Config) -> Iterator[Item]:
    import feedparser
    data = _read_bytes(path, config)
    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    if not entries:
        why = parsed.get("bozo_exception")
        raise _Bad(f"not a readable RSS/Atom feed{': ' + str(why) if why else ' (no entries)'}")
    for n, e in enumerate(entries):
        body = ""
        if e.get("content"):
            body = max((c.get("value", "") for c in e["content"]), key=len)
        body = body or e.get("summary", "") or e.get("description", "")
        where = f"{path}#{n}"
        if not body.strip():
            yield IngestError(where, "feed entry has no content or summary")
            continue
        fields = {"title": e.get("title", ""), "url": e.get("link", ""), "author": e.get("author", ""),
                  "date": e.get("published", "") or e.get("updated", ""),
                  "outlet": (parsed.get("feed") or {}).get("title", ""),
                  "language": (parsed.get("feed") or {}).get("language", "")}
        fields = {k: v.strip() for k, v in fields.items() if v and v.strip()}
        yield RawInput(where, body, "html" if _looks_html(body) or "<" in body else "text", fields)


def _lines(path: Path) -> Iterator[bytes]:
    """Lines of a plain or gzipped file; a cut gzip stream yields every complete line before the cut,
    then raises EOFError."""
    rest = b""
    for block in _decompressed(path, 1 << 16):
        rest += block
        *done, rest = rest.split(b"\n")
        for line in done:
            yield line + b"\n"
    if rest:
        yield rest


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
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if head[:2] == b"\x1f\x8b":
        try:
            with gzip.open(path, "rb") as g:
                inner = g.read(64)
        except (OSError, EOFError, zlib.error):
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
    try:
        reader = reader_for(path) or _sniff(path)
        yield from reader(path, config)
    except _Bad as e:
        yield IngestError(str(path), str(e))
    except PermissionError:
        yield IngestError(str(path), "permission denied")
    except FileNotFoundError:
        yield IngestError(str(path), "no such file")
    except (OSError, EOFError, zlib.error) as e:
        yield IngestError(str(path), f"unreadable ({type(e).__name__}: {e})")
    except Exception as e:  # one bad file never stops the walk
        yield IngestError(str(path), f"could not read ({type(e).__name__}: {e})")


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root, onerror=None):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for f in sorted(filenames):
            if not f.startswith("."):
                yield Path(dirpath) / f


def iter_inputs(paths: Iterable[str | Path], config: Config) -> Iterator[Item]:
    """Every document under ``paths`` (files, folders walked recursively, "-" = list of paths on stdin)."""
    for p in paths:
        if str(p) == "-":
            listed = [line.strip() for line in sys.stdin if line.strip()]
            yield from iter_inputs(listed, config)
            continue
        path = Path(p)
        if path.is_dir():
            if not os.access(path, os.R_OK | os.X_OK):
                yield IngestError(str(path), "permission denied (folder)")
                continue
            for f in _walk(path):
                yield from _read_file(f, config)
        elif path.exists():
            yield from _read_file(path, config)
        else:
            yield IngestError(str(path), "no such file or folder")

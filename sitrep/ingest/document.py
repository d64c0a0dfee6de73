"""One raw input -> one cleaned ``Document`` with its metadata and the evidence for each field."""
from __future__ import annotations

import hashlib
import logging
import re

from sitrep.config import Config
from sitrep.ingest.clean import Line, clean_lines, is_body_paragraph, normalise, split_lines
from sitrep.ingest.dates import find_dates
from sitrep.ingest.language import detect_language
from sitrep.ingest.metadata import find_author, find_outlet, find_title, header_fields
from sitrep.ingest.pubdate import find_published, header_zone
from sitrep.ingest.readers import INTERNAL, RawInput, decode, looks_binary, valid_text
from sitrep.ingest.resources import clutter_rules, hostname, outlet_registry
from sitrep.records import Document, IngestError, Published

log = logging.getLogger(__name__)


def text_key(text: str) -> str:
    """Normalised form of a text for hashing: case, punctuation and spacing do not matter."""
    return re.sub(r"\W+", " ", text.casefold()).strip()


def short_hash(data: str | bytes, n: int = 16) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha1(data).hexdigest()[:n]


_BLOCK = re.compile(r"(?i)<\s*(br|/p|/div|/h[1-6]|/li|/tr|/blockquote|/article|/section)\b[^>]*>")


def raw_hash(content: bytes | str) -> str:
    """SHA-256 of the raw input exactly as read (the store recognises a re-ingested input by it)."""
    data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    return hashlib.sha256(data).hexdigest()


def _strip_tags(html: str) -> str:
    """Text of an HTML fragment too small for trafilatura (feed summaries, JSON bodies with markup)."""
    import lxml.html
    marked = _BLOCK.sub(lambda m: m.group(0) + "\n", html)
    try:
        root = lxml.html.fromstring(marked)
    except Exception:  # not parseable at all: drop anything that looks like a tag
        return re.sub(r"<[^>]+>", " ", html)
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    return root.text_content()


def _from_html(html: str, fields: dict[str, str]) -> tuple[str, dict[str, str], dict[str, str]]:
    """Body text and metadata of a web page (trafilatura); container fields win over page metadata."""
    import trafilatura
    url = fields.get("url") or ""
    doc = trafilatura.bare_extraction(
        html, url=url if url.startswith(("http://", "https://")) and hostname(url) else None, with_metadata=True, include_comments=False,
        include_tables=True, date_extraction_params={"extensive_search": False, "original_date": True})
    if doc is None or not (doc.text or "").strip():
        return _strip_tags(html), fields, {}
    text = doc.text or ""
    meta = {"title": doc.title, "author": doc.author, "date": doc.date, "outlet": doc.sitename,
            "url": doc.url, "language": doc.language}
    merged = dict(fields)
    sources = {}
    for k, v in meta.items():
        if v and not merged.get(k):
            merged[k] = str(v)
            sources[k] = "HTML metadata"
    if not merged.get("outlet") and doc.hostname:
        name = outlet_registry().from_url(doc.hostname)
        if name:
            merged["outlet"], sources["outlet"] = name, "HTML host"
    return text, merged, sources


def to_document(raw: RawInput, config: Config) -> Document | IngestError:
    """Decode, extract (HTML), clean and describe one input. Pure: the same input gives the same output."""
    try:
        return _to_document(raw, config)
    except RecursionError:
        return IngestError(raw.path, "nested too deeply to process")
    except Exception as e:  # noqa: BLE001 — the last line of defence: one document never stops a run
        log.debug("ingest failure on %s", raw.path, exc_info=True)
        return IngestError(raw.path, f"{INTERNAL} while processing ({type(e).__name__}: {e})")


def _to_document(raw: RawInput, config: Config) -> Document | IngestError:
    content = raw.content
    raw_bytes = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    if len(raw_bytes) > config.max_bytes:
        return IngestError(raw.path, f"too large ({len(raw_bytes):,} bytes > limit {config.max_bytes:,})")
    if isinstance(content, bytes) and looks_binary(content):
        return IngestError(raw.path, "binary content, not text")
    try:
        text = decode(content)
    except ValueError as e:
        return IngestError(raw.path, f"cannot decode: {e}")
    if not text.strip():
        return IngestError(raw.path, "empty document")

    fields = {k: valid_text(str(v)) for k, v in (raw.fields or {}).items() if v}
    field_source = {k: "container" for k in fields}
    if raw.format == "html":
        text, fields, html_src = _from_html(text, fields)
        field_source.update(html_src)
        if not text.strip():
            return IngestError(raw.path, "no article text found in the HTML")

    rules, outlets = clutter_rules(), outlet_registry()
    lines = split_lines(normalise(text))
    hfields, hcut = header_fields(lines)
    for k, v in hfields.items():
        fields.setdefault(k, v)
        field_source.setdefault(k, "header line")
    cut = clean_lines(lines, rules, outlets)
    cut += [(-1, frag) for frag in hcut]

    def para(ln: Line) -> bool:
        return ln.role == "body" and is_body_paragraph(ln, rules)

    zone = header_zone(lines, para)
    first_para = next((ln for ln in lines if para(ln)), None)
    evidence: dict[str, str] = {}

    def mentions_by_line():
        return {ln.i: find_dates(ln.text) for ln in lines if ln.role != "blank"}

    published, date_lines = find_published(lines, zone, first_para, fields, mentions_by_line)
    for ln in date_lines:
        if ln.role == "body":
            ln.role, ln.reason = "date", "date line"

    title, ev, tline = find_title(zone, fields)
    if tline is not None:
        tline.role = "title"
    if title:
        evidence["title"] = ev
        # the page often repeats the headline as the first line of the body
        first = next((ln for ln in lines if ln.role == "body"), None)
        if first is not None and text_key(first.text) == text_key(title):
            first.role = "title"

    author, ev, aline = find_author(zone, fields, outlets)
    if author:
        evidence["author"] = ev
    if aline is not None and aline.role == "body":
        aline.role, aline.reason = "byline", "byline"

    outlet, ev, oline = find_outlet(lines, zone, first_para, fields, outlets)
    if outlet:
        evidence["outlet"] = ev
    if oline is not None and oline.role == "body":
        oline.role, oline.reason = "outlet", "outlet name line"

    body_lines = [ln.text if ln.role == "body" else "" for ln in lines if ln.role in ("body", "blank")]
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(body_lines)).strip()
    if not body:
        return IngestError(raw.path, "no article text left after removing page clutter")
    if title and not body.startswith(title):
        body = f"{title}\n\n{body}"
    removed = [ln.text for ln in lines if ln.role in ("clutter", "date", "byline", "outlet", "header")]
    removed += [frag for _, frag in cut]

    if published.status == "stated" and field_source.get("date") == "header line":
        hl = next((ln.text for ln in lines if ln.role == "header" and fields["date"] in ln.text),
                  next((f for f in hcut if fields["date"] in f), None))
        if hl:
            published = Published(published.date, published.precision, published.status, f"header line: {hl}")
    if published.status == "stated":
        evidence["published"] = published.evidence
    language = (fields.get("language") or "").split("-")[0].lower() or None
    if language and len(language) == 2:
        evidence["language"] = f"language field: {fields['language']}"
    else:
        language = detect_language(body)
        if language:
            evidence["language"] = "detected (lingua)"
    for k, src in field_source.items():
        if k in evidence and src == "HTML metadata":
            evidence[k] = f"{evidence[k]} [HTML metadata]"

    return Document(
        id=short_hash(text_key(body)),
        path=raw.path,
        text=body,
        title=title,
        author=author,
        outlet=outlet,
        published=published if published.status == "stated" else Published(),
        language=language,
        url=fields.get("url") or None,
        evidence=evidence,
        removed=removed,
        raw_hash=raw_hash(raw.content),
    )

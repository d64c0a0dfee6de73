"""Title, author and outlet of a report, each with the text it was taken from."""
from __future__ import annotations

import re

from sitrep.ingest.clean import Line, is_sentence
from sitrep.ingest.dates import find_dates
from sitrep.ingest.resources import OutletRegistry, _norm_name

_NAME = r"[A-Z][\w'’.-]*(?:\s+(?:(?:de|al|el|bin|van|von|der|da|di|le|la)[- ]|[A-Z][\w'’.-]*)){0,3}[\w.]"
_BYLINE = re.compile(r"^(?:by|written by|reporting by|words by)\s+(?P<name>[^,|•·–—\n]+?)\s*(?:$|[,|•·–—]|\s+(?:in|at|on|for)\s)",
                     re.IGNORECASE)


def find_title(zone: list[Line], fields: dict[str, str]) -> tuple[str | None, str, Line | None]:
    """(title, evidence, the line it came from): a structured field, else the first short header line
    that is not a sentence, a date, a byline or clutter."""
    if fields.get("title"):
        return fields["title"].strip(), f"title field: {fields['title'].strip()}", None
    for ln in zone:
        if ln.role != "body":
            continue
        t = ln.text.strip("*_# ").strip()
        if _BYLINE.match(t):
            continue
        if not t or len(t) > 250 or len(t.split()) > 30 or len(t.split()) < 2:
            continue
        if t.endswith(".") or t.endswith(":") or t.endswith(","):
            continue
        if all(m.start > 0 or m.end < len(t) for m in find_dates(t)) is False:
            continue
        return t, f"first short header line: {t}", ln
    return None, "", None


def find_author(zone: list[Line], fields: dict[str, str], outlets: OutletRegistry) -> tuple[str | None, str, Line | None]:
    """A byline ("By X", or a name line glued to the date), never a CMS account or an outlet."""
    if fields.get("author"):
        name = fields["author"].strip()
        if _ok_author(name, outlets):
            return name, f"author field: {name}", None
    for ln in zone:
        if ln.role not in ("body", "clutter", "date", "byline"):
            continue
        t = ln.text.strip("*_ ")
        m = _BYLINE.match(t)
        if m:
            name = m.group("name").strip()
            # a person's name: 2-5 capitalised words ("By Monday, ..." is not a byline)
            parts = re.split(r"\s+(?:and|&)\s+", name)
            if all(re.fullmatch(_NAME, p) and 2 <= len(p.split()) <= 5 for p in parts) and _ok_author(name, outlets):
                return name, f"byline: {ln.text}", ln
            continue
        dates = [d for d in find_dates(t) if d.complete]
        if dates and dates[0].start > 0:
            head = t[:dates[0].start].strip(" *_,|•·–—-")
            glue = t[len(head):dates[0].start]
            # a name glued to the date or set off by markup ("Name**6 March 2020**", "Name | 6 March 2020"),
            # not a place ("Idlib Province, 6 March 2020")
            glued = glue == "" or "**" in glue or any(ch in glue for ch in "|•·–—")
            g = re.fullmatch(_NAME, head)
            if glued and g and 2 <= len(head.split()) <= 4 and _ok_author(head, outlets):
                return head, f"name before the date: {ln.text}", ln
    return None, "", None


def _ok_author(name: str, outlets: OutletRegistry) -> bool:
    n = _norm_name(name)
    if not n or n in outlets.non_authors or outlets.lookup(name):
        return False
    return len(name) <= 80 and not any(ch.isdigit() for ch in name)


_DATELINE_CREDIT = re.compile(r"^[A-Z][A-Za-z0-9 .,'’/-]{1,50}?\((?P<o>[^()]{2,40})\)\s*[-–—:]")
_TOLD = re.compile(r"\b(?:told|said to|speaking to|talking to)\s+(?:the\s+)?", re.IGNORECASE)


def find_outlet(lines: list[Line], zone: list[Line], first_para: Line | None, fields: dict[str, str],
                outlets: OutletRegistry) -> tuple[str | None, str, Line | None]:
    """(outlet, evidence, line to leave out of the body). Sources in order of trust: container field,
    URL, sign-off line, a header line that is only an outlet name, a wire dateline "CITY (Agency) -",
    an interview "told <Outlet>". A credit in parentheses at the end of a caption never counts."""
    if fields.get("outlet"):
        raw = fields["outlet"].strip()
        hits = outlets.find(raw) if len(raw) <= 80 else []
        return outlets.lookup(raw) or (hits[0][2] if hits else raw), f"outlet field: {raw}", None
    if fields.get("url"):
        name = outlets.from_url(fields["url"])
        if name:
            return name, f"url: {fields['url']}", None
    for ln in reversed(lines):
        if ln.role == "clutter" and ln.reason == "sign-off":
            hits = outlets.find(ln.text)
            if not hits:
                rest = ln.text.split(":", 1)[-1].strip()
                name = outlets.lookup(rest)
                hits = [(0, 0, name)] if name else []
            if hits:
                return hits[0][2], f"sign-off: {ln.text}", None
    for ln in zone:
        if ln.role == "body" and not ln.text.startswith("(") and len(ln.text) <= 60:
            name = outlets.lookup(ln.text.strip("*_ "))
            if name:
                return name, f"outlet line: {ln.text}", ln
    if first_para is not None:
        m = _DATELINE_CREDIT.match(first_para.text)
        if m:
            name = outlets.lookup(m.group("o"))
            if name:
                return name, f"dateline: {first_para.text[:m.end()]}", None
    for ln in lines:
        if ln.role != "body":
            continue
        for m in _TOLD.finditer(ln.text):
            hits = [h for h in outlets.find(ln.text[m.end():m.end() + 60]) if h[0] == 0]
            if hits:
                s = max(0, m.start() - 60)
                return hits[0][2], f"interview given to the outlet: ...{ln.text[s:m.end() + hits[0][1]]}", None
    return None, "", None


def header_fields(lines: list[Line]) -> tuple[dict[str, str], list[str]]:
    """Leading "key: value" lines of a text file (title:, date:, url:, author:, source:, language:) and a
    first line "date 2020-02-22 Title ..."; the lines are marked as header. Also returns text cut off a
    first line that opens with such a date and goes on with the article."""
    keys = {"title": "title", "headline": "title", "date": "date", "published": "date", "url": "url",
            "link": "url", "author": "author", "by": "author", "source": "outlet", "outlet": "outlet",
            "publisher": "outlet", "language": "language", "lang": "language"}
    out: dict[str, str] = {}
    cut: list[str] = []
    for ln in lines:
        if ln.role == "blank":
            continue
        m = re.match(r"^(?P<k>[A-Za-z]+)\s*:\s*(?P<v>.+)$", ln.text)
        if m and m.group("k").lower() in keys and keys[m.group("k").lower()] not in out:
            if m.group("k").lower() in ("source",) and out == {}:
                break          # a lone "Source: X" first line is a sign-off style header, handled elsewhere
            out[keys[m.group("k").lower()]] = m.group("v").strip()
            ln.role, ln.reason = "header", "header field"
            continue
        if not out:
            m = re.match(r"^(?:date|published|dated)\s*:?\s+(?P<rest>.+)$", ln.text, re.IGNORECASE)
            if m:
                ds = [d for d in find_dates(m.group("rest")) if d.complete and d.start == 0]
                if ds:
                    out["date"] = ds[0].text
                    rest = m.group("rest")[ds[0].end:].strip(" -–—|:")
                    if len(rest.split()) > 30 or is_sentence(rest):
                        # a dateline opening the body: keep the body, cut the date off
                        cut.append(ln.text[: len(ln.text) - len(rest)].strip())
                        ln.text = rest
                    else:
                        if rest:
                            out["title"] = rest
                        ln.role, ln.reason = "header", "date header"
        break
    return out, cut

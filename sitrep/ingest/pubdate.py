"""Publication date stated in a report, with the text it came from.

Where it is looked for, in order: the container's date field; the header of the text (lines before the
first prose paragraph: labelled dates "Issued on: ...", byline dates, a date-only line, a "date ..."
header); a dateline opening the first paragraph. A date-only line at the very top that is later than
every date the article mentions is the date the page was scraped (site chrome), not the publication date.
Ambiguous numeric dates (05/03/2020) take the reading another date in the report confirms, else day-first.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sitrep.ingest.clean import Line
from sitrep.ingest.dates import DateMention, find_dates, parse_date_value
from sitrep.ingest.resources import calendar
from sitrep.records import Published


@dataclass
class _Cand:
    mention: DateMention
    line: Line
    priority: int            # 3 labelled/byline, 2 date-only line or dateline, 1 "modified" label
    why: str


def _label_before(text: str, start: int) -> str | None:
    """"published" / "modified" when a label stands right before the date and little else precedes it
    ("Issued on: 05/03/2020", "Posted at March 5, 2020"), so that "... killed in Idlib on 3 March" in a
    headline is not read as a label."""
    before = text[:start].rstrip(" :*_|–—-,").lower()
    cal = calendar()
    for lab in sorted(cal.modified_labels, key=len, reverse=True):
        if before.endswith(lab):
            return "modified"
    for lab in sorted(cal.published_labels, key=len, reverse=True):
        m = re.search(rf"(^|\W){re.escape(lab)}$", before)
        if m and len(before[:m.start()].split()) <= 3:
            return "published"
    return None


def _opening_label(prefix: str) -> str | None:
    """"published" / "modified" when the text before a date is nothing but a label ("Published", "Date of
    publication", "Posted on", "Last updated at"); a bare "on" or "at" is no label here ("The council met
    on 4 May ...")."""
    p = re.sub(r"\s+", " ", prefix.strip(" :*_|–—-,").lower())
    p = re.sub(r" (?:on|at)$", "", p)
    if not p or p in ("on", "at"):
        return None
    cal = calendar()
    if p in cal.modified_labels:
        return "modified"
    return "published" if p in cal.published_labels else None


_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}(?!\d)(\s*[ap]\.?m\.?\b)?(\s*(gmt|utc)\b)?", re.IGNORECASE)


def _residue(text: str, mentions: list[DateMention]) -> str:
    """What is left of a line once its dates, times, labels and punctuation are taken out."""
    out = text
    for m in sorted(mentions, key=lambda m: -m.start):
        out = out[:m.start] + " " + out[m.end:]
    out = _TIME.sub(" ", out)
    cal = calendar()
    for lab in sorted(cal.published_labels + cal.modified_labels, key=len, reverse=True):
        out = re.sub(rf"\b{re.escape(lab)}\b", " ", out, flags=re.IGNORECASE)
    return re.sub(r"[\W_]+", " ", out).strip()


def resolve_ambiguous(m: DateMention, context: list[DateMention]) -> tuple[DateMention, str]:
    """Pick the reading of a numeric date that another full date in the report confirms; else day-first."""
    if not m.alt:
        return m, ""
    y2, m2, d2 = m.alt
    for c in context:
        if c is m or c.alt or not c.complete or c.kind == "numeric" and c.alt:
            continue
        if (c.year, c.month, c.day) == (m.year, m.month, m.day):
            return m, f"day-first, as '{c.text}' in the same report confirms"
        if (c.year, c.month, c.day) == (y2, m2, d2):
            return DateMention(m.start, m.end, m.text, y2, m2, d2, kind="numeric"), \
                f"month-first, as '{c.text}' in the same report confirms"
    return m, "ambiguous numeric date read day-first"


def header_zone(lines: list[Line], body_paragraph) -> list[Line]:
    """Lines before the first prose paragraph (at most 15 non-blank ones)."""
    out: list[Line] = []
    for ln in lines:
        if ln.role == "blank":
            continue
        if body_paragraph(ln) or len(out) >= 15:
            break
        out.append(ln)
    return out


def find_published(lines: list[Line], zone: list[Line], first_para: Line | None, fields: dict[str, str],
                   mentions_by_line) -> tuple[Published, list[Line]]:
    """The stated publication date, and header lines that only carry a date (to leave out of the body).

    ``mentions_by_line()`` gives the date mentions of every line (by line index), used to resolve
    ambiguity and to spot a page-scrape banner; it is only called when needed (it costs time)."""
    date_lines: list[Line] = []
    if fields.get("date"):
        m = parse_date_value(fields["date"])
        if m:
            if m.alt and fields.get("date_order") in ("mdy", "dmy"):
                if fields["date_order"] == "mdy":
                    m = DateMention(m.start, m.end, m.text, *m.alt, kind="numeric")
                how = f"{fields['date_order']}, the order of the unambiguous dates in the same column"
                m = DateMention(m.start, m.end, m.text, m.year, m.month, m.day, kind="numeric")
            elif m.alt:
                by_line = mentions_by_line()
                ctx = [x for ln in zone for x in by_line.get(ln.i, [])] + [x for ms in by_line.values() for x in ms]
                m, how = resolve_ambiguous(m, ctx)
            else:
                how = ""
            ev = f"date field: {fields['date']}" + (f" ({how})" if how else "")
            return Published(m.iso(), "day", "stated", ev), date_lines

    cands: list[_Cand] = []
    first_text_line = next((ln for ln in lines if ln.role != "blank"), None)
    zone_mentions: list[DateMention] = []
    for ln in zone:
        if ln.role in ("clutter",) and ln.reason in ("list heading", "list item", "comment section"):
            continue
        ms = find_dates(ln.text)
        zone_mentions += ms
        complete = [m for m in ms if m.complete]
        if not complete:
            continue
        residue = _residue(ln.text, ms)
        for m in complete:
            label = _label_before(ln.text, m.start)
            if ln.role == "header":
                cands.append(_Cand(m, ln, 3, "header"))
            elif label == "modified":
                cands.append(_Cand(m, ln, 1, "modified label"))
            elif label == "published":
                cands.append(_Cand(m, ln, 3, "labelled date"))
            elif "**" in ln.text or re.match(r"^by\s", ln.text, re.IGNORECASE) or ln.role == "byline":
                cands.append(_Cand(m, ln, 3, "byline date"))
            elif not residue:
                cands.append(_Cand(m, ln, 2, "date line"))
            elif m.start == 0 or ln is zone[0] and m.start < 12:
                cands.append(_Cand(m, ln, 2, "date opening the header"))
        if not residue and ln.role == "body":
            date_lines.append(ln)

    if first_para is not None:
        for m in find_dates(first_para.text[:80]):
            if not m.complete:
                continue
            # "Fri 07 Apr 2017 at 0914 ...", "DAMASCUS, March 5, 2020 (SANA) - ...": nothing but a place before it
            if re.fullmatch(r"([A-Z][A-Z .'’-]*[,(–—-]?\s*)?", first_para.text[:m.start]):
                cands.append(_Cand(m, first_para, 2, "dateline"))
                break
            # "Published July 2 2016 Two medics ...", "Date of publication 5 July 2016 The bomber ...",
            # "Posted on April 2 2017 by ...": a labelled date opening the body (the header ran into it)
            label = _opening_label(first_para.text[:m.start])
            if label is not None:
                cands.append(_Cand(m, first_para, 3 if label == "published" else 1, f"{label} label opening the body"))
                break

    if not cands:
        return Published(), date_lines
    by_line = mentions_by_line()
    all_mentions = [m for ms in by_line.values() for m in ms]
    # a date-only line in the site chrome at the top, later than anything the article mentions
    kept: list[_Cand] = []
    for c in cands:
        d = c.mention.as_date()
        rest = [m for i, ms in by_line.items() if i != c.line.i for m in ms if m.year]
        rest_years = [m.year for m in rest if m.year]
        rest_dates = [m.as_date() for m in rest if m.complete]
        later = d and rest_years and d.year >= max(rest_years) and all(
            x is None or x < d for x in rest_dates) and (d.year > max(rest_years) or any(rest_dates))
        at_top = c.line is first_text_line or (c.why == "date line" and len(cands) > 1)
        if c.why in ("date line", "date opening the header") and at_top and later:
            c.line.role, c.line.reason = "clutter", "page-scrape date"
            continue
        kept.append(c)
    if not kept:
        return Published(), date_lines
    best = sorted(kept, key=lambda c: (-c.priority, c.line.i, c.mention.start))[0]
    m, how = resolve_ambiguous(best.mention, zone_mentions + all_mentions)
    ev = best.line.text if len(best.line.text) <= 200 else best.line.text[:200]
    if how:
        ev += f" ({how})"
    return Published(m.iso(), "day", "stated", ev), date_lines

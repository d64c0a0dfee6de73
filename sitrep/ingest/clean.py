"""Removing page clutter line by line, with general rules whose patterns live in data/ingest/clutter.yaml.

The unit is the line (scrapers put one paragraph or one widget item per line). A line is body unless a
rule says otherwise, and long paragraphs are never matched by the short-line patterns, so article
sentences survive. Each removed line keeps its reason for the ``removed`` list and for debugging.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from sitrep.ingest.resources import ClutterRules, OutletRegistry

_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t]")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_SENT_END = re.compile(r"[.!?…][\"'”’)\]]*$|[\"”]$")


@dataclass
class Line:
    i: int
    text: str                  # normalised and stripped
    role: str = "body"         # body | blank | clutter | title | byline | date | outlet | header
    reason: str = ""

    @property
    def words(self) -> int:
        return len(self.text.split())


def normalise(text: str) -> str:
    """Unify newlines and exotic spaces, drop invisible characters (spans later index this text)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    text = unicodedata.normalize("NFC", text)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def split_lines(text: str) -> list[Line]:
    return [Line(i, t.strip(), "body" if t.strip() else "blank") for i, t in enumerate(text.split("\n"))]


def is_sentence(text: str) -> bool:
    return bool(_SENT_END.search(text))


def is_body_paragraph(line: Line, rules: ClutterRules) -> bool:
    """A line that reads as prose: long enough and ends like a sentence."""
    return line.words >= rules.body_paragraph_words and is_sentence(line.text) and not line.text.endswith("..") \
        or line.words >= 3 * rules.body_paragraph_words


def _mark(line: Line, reason: str) -> None:
    if line.role == "body":
        line.role, line.reason = "clutter", reason


_LETTER = re.compile(r"[^\W\d_]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")


def _latin_share(text: str) -> float | None:
    letters = len(_LETTER.findall(text))
    if not letters:
        return None
    return len(_LATIN.findall(text)) / letters


def clean_lines(lines: list[Line], rules: ClutterRules, outlets: OutletRegistry) -> list[tuple[int, str]]:
    """Mark clutter lines in place; returns inline fragments cut from body lines as (line index, fragment)."""
    body = [ln for ln in lines if ln.role == "body"]
    if not body:
        return []
    first_body_para = next((ln.i for ln in body if is_body_paragraph(ln, rules)), None)

    # comment threads and the like: everything from the marker on
    for ln in body:
        if first_body_para is not None and ln.i > first_body_para and ln.words <= 12 \
                and any(rx.search(ln.text) for rx in rules.tail_sections):
            for other in lines[ln.i:]:
                _mark(other, "comment section")
            break

    # "Related articles" lists: the heading and its items up to the next prose paragraph
    for ln in body:
        if ln.role != "body" or ln.words > 8 or not any(rx.search(ln.text) for rx in rules.sections):
            continue
        _mark(ln, "list heading")
        for other in lines[ln.i + 1:]:
            if other.role == "blank":
                continue
            if other.role == "body" and (is_body_paragraph(other, rules) or (
                    is_sentence(other.text) and other.words >= 8 and not other.text.endswith(".."))):
                break          # prose again: the list is over (headlines in lists rarely end with a period)
            _mark(other, "list item")

    # single lines that are site furniture
    for ln in body:
        if ln.role != "body" or len(ln.text) > rules.max_line_chars:
            continue
        for rx in rules.signoffs:
            if rx.search(ln.text):
                _mark(ln, "sign-off")
                break
        else:
            for cat, rx in rules.lines:
                if rx.search(ln.text):
                    _mark(ln, cat)
                    break

    # repeated lines (captions, widgets): all copies go unless it is prose, then only later copies
    counts = Counter(ln.text.casefold() for ln in lines if ln.role in ("body", "clutter"))
    seen: set[str] = set()
    for ln in lines:
        key = ln.text.casefold()
        if ln.role not in ("body", "clutter") or counts[key] < 2:
            continue
        prose = is_sentence(ln.text) and ln.words >= 8
        if not prose or key in seen:
            _mark(ln, "repeated line")
        seen.add(key)

    # photo captions ending in a credit: "... (Anadolu Agency)", "... (Photo: X)"
    for ln in body:
        if ln.role != "body" or len(ln.text) > 300 or is_sentence(ln.text.rstrip(")")) \
                or len(re.findall(r"[.!?][\"”’]?\s+[A-Z“\"]", ln.text)) > 1:
            continue
        m = re.search(r"\(([^()]{2,60})\)$", ln.text)
        if m and ln.words > len(m.group(1).split()) and (
                rules.caption_credit.search(m.group(1)) or outlets.lookup(m.group(1).split("/")[0])):
            _mark(ln, "photo caption")

    # teasers: a truncated copy ("..", "...", "…") of the start of a longer line
    others = [ln.text for ln in lines if ln.role == "body"]
    for ln in body:
        m = re.match(r"^(.{12,}?)\s*(\.\.\.?|…)$", ln.text)
        if ln.role == "body" and m and len(ln.text) <= rules.max_line_chars:
            stem = m.group(1)
            if any(o != ln.text and o.startswith(stem) and len(o) > len(stem) + 3 for o in others):
                _mark(ln, "teaser")

    # short lines in another script than the article (link to a translation, menu in another language)
    doc_latin = _latin_share(" ".join(ln.text for ln in lines if ln.role == "body"))
    if doc_latin is not None:
        for ln in body:
            share = _latin_share(ln.text)
            if ln.role == "body" and share is not None and ln.words <= 12 and abs(share - doc_latin) > 0.7:
                _mark(ln, "other-script line")

    # trailing "Read more - Source" glued to the last words of a paragraph
    cut: list[tuple[int, str]] = []
    for ln in lines:
        if ln.role != "body":
            continue
        for rx in rules.inline_suffixes:
            m = rx.search(ln.text)
            if m and m.start() > 0:
                cut.append((ln.i, ln.text[m.start():].strip()))
                ln.text = ln.text[:m.start()].rstrip()
                break
    return cut

"""News datelines: the place a report was filed from, written before its first sentence.

"MILWAUKEE —", "KANSAS CITY, Mo. (AP) —", "PROVIDENCE, R.I. (WPRI) –", "ALLEN (CBSDFW.COM) –",
"DAMASCUS, Syria (Reuters) -", "Aleppo, SANA-". It opens a line, or follows the headline's full stop or
the byline's date when a text has no line breaks. The place is written in capitals, or in ordinary case
when a news source in parentheses or a known agency (``datelines.yaml``) signs it; a division or country
may follow after a comma. Only a line of the report's opening counts: a dateline opens a report.
Whether the name is a place is the gazetteer's call (``sitrep.resolve.places``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# how far into a report a dateline may stand (after a headline, a photo caption and a byline)
OPENING_CHARS = 2500

_LINE = re.compile(
    r"(?m)(?:^|(?<=[.!?\d])[ \t]+)[ \t\"“]*(?P<name>[A-Z][\w.'’\-]*(?:[ ][A-Z][\w.'’\-]*){0,3})"
    r"(?:,[ ]*(?P<region>[A-Z][\w.]*\.?(?:[ ][A-Z][\w.]*\.?){0,2}))?"
    r"[ ]*(?:\((?P<source>[^()\n]{1,40})\)[ ]*)?"
    r"(?P<dash>--|[-—–\x97:])")


@dataclass(frozen=True)
class Dateline:
    """A parsed dateline: the place's span, the division or country after it, the news source."""
    start: int
    end: int
    name: str
    region: str | None = None
    region_start: int | None = None
    source: str | None = None


def _capitals(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def dateline_candidates(text: str, agency: re.Pattern | None = None) -> list[Dateline]:
    """Lines of the report's opening shaped like a dateline, in order (the caller keeps the first whose
    name is a place). ``agency`` matches agency names that sign without parentheses."""
    out = []
    for m in _LINE.finditer(text[:OPENING_CHARS]):
        name, region, source = m.group("name"), m.group("region"), m.group("source")
        at_line = m.start() == 0 or text[m.start() - 1] == "\n"
        if not at_line and not _capitals(name):
            continue                     # after a full stop or a byline's date only capitals count
        if region and agency is not None and agency.fullmatch(region):
            region, source = None, region          # "Aleppo, SANA-": the agency, not a region
        if m.group("dash") == ":" and (source or not _capitals(name)):
            continue                               # "Police said:" is no dateline
        if not (_capitals(name) or source):
            continue                               # "Officers said -" in ordinary case: a sentence
        if region and region.isupper() and len(region) > 3 and not _capitals(name):
            continue
        out.append(Dateline(m.start("name"), m.end("name"), name, region,
                            m.start("region") if region else None, source.strip() if source else None))
    return out

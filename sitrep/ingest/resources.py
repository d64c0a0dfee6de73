"""Read-only ingest knowledge loaded once from ``sitrep/data/ingest/`` (clutter, outlets, calendar words)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlparse

import yaml

from sitrep.config import DATA_DIR

INGEST_DATA = DATA_DIR / "ingest"


def _load(name: str) -> dict:
    with open(INGEST_DATA / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _rx(patterns: list[str]) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


@dataclass(frozen=True)
class ClutterRules:
    max_line_chars: int
    lines: tuple[tuple[str, re.Pattern], ...]       # (category, pattern)
    sections: tuple[re.Pattern, ...]
    tail_sections: tuple[re.Pattern, ...]
    inline_suffixes: tuple[re.Pattern, ...]
    signoffs: tuple[re.Pattern, ...]
    body_paragraph_words: int
    caption_credit: re.Pattern


@lru_cache(maxsize=1)
def clutter_rules() -> ClutterRules:
    d = _load("clutter.yaml")
    lines = tuple((cat, rx) for cat, pats in d["lines"].items() for rx in _rx(pats))
    return ClutterRules(
        max_line_chars=int(d.get("max_line_chars", 200)),
        lines=lines,
        sections=_rx(d.get("sections", [])),
        tail_sections=_rx(d.get("tail_sections", [])),
        inline_suffixes=_rx(d.get("inline_suffixes", [])),
        signoffs=_rx(d.get("signoffs", [])),
        body_paragraph_words=int(d.get("body_paragraph_words", 15)),
        caption_credit=re.compile(
            r"\b(?:" + "|".join(re.escape(w) for w in d.get("caption_credit_words", [])) + r")\b", re.IGNORECASE),
    )


def _norm_name(s: str) -> str:
    return re.sub(r"[^\w]+", " ", s.casefold()).strip()


@dataclass(frozen=True)
class OutletRegistry:
    """Canonical outlet names by alias and by web domain."""
    by_alias: dict[str, str]                # normalised alias -> canonical
    by_domain: dict[str, str]               # domain -> canonical
    finder: re.Pattern                      # finds any alias inside a text
    non_authors: frozenset[str]

    def lookup(self, text: str | None) -> str | None:
        """The canonical name when ``text`` is (only) an outlet's name, alias or domain."""
        if not text:
            return None
        t = text.strip()
        hit = self.by_alias.get(_norm_name(t))
        if hit:
            return hit
        return self.from_url(t)

    def from_url(self, url: str | None) -> str | None:
        """The outlet of a URL or bare domain; None for text that is neither ("[Staff Writer]", "a b")."""
        host = hostname(url)
        if not host:
            return None
        host = host.removeprefix("www.")
        while host:
            if host in self.by_domain:
                return self.by_domain[host]
            if "." not in host:
                break
            host = host.split(".", 1)[1]
        return None

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Every outlet name inside ``text`` as (start, end, canonical)."""
        out = []
        for m in self.finder.finditer(text):
            name = self.by_alias.get(_norm_name(m.group(0)))
            if name:
                out.append((m.start(), m.end(), name))
        return out


_HOST = re.compile(r"^[\w-]+(?:\.[\w-]+)+$")


def hostname(url: str | None) -> str | None:
    """The host of a URL or bare domain, lower case; None when the text is not one. Author, outlet and url
    fields hold any text ("[Text]", "Staff [Reuters]"), and ``urlparse`` raises on brackets it takes for an
    IPv6 address: that is text that names no host, never an error."""
    if not url:
        return None
    u = url.strip()
    if not u or any(c.isspace() for c in u):
        return None
    try:
        host = urlparse(u if "//" in u else "//" + u).hostname
    except ValueError:
        return None
    if not host or not _HOST.match(host):
        return None
    return host.lower()


@lru_cache(maxsize=1)
def outlet_registry() -> OutletRegistry:
    d = _load("outlets.yaml")
    by_alias: dict[str, str] = {}
    by_domain: dict[str, str] = {}
    long_forms: list[str] = []
    short_forms: list[str] = []            # acronyms: matched case-sensitively inside running text
    for entry in d["outlets"]:
        name = entry["name"]
        for a in [name, *entry.get("aliases", [])]:
            by_alias.setdefault(_norm_name(a), name)
            (short_forms if len(a) <= 4 and a.isupper() else long_forms).append(a)
        for dom in entry.get("domains", []):
            by_domain[dom.lower()] = name
            by_alias.setdefault(_norm_name(dom), name)
    long_forms = [a for a in long_forms if not (len(a) <= 4 and a.islower())]
    alt_long = "|".join(re.escape(a) for a in sorted(set(long_forms), key=len, reverse=True))
    alt_short = "|".join(re.escape(a) for a in sorted(set(short_forms), key=len, reverse=True))
    finder = re.compile(rf"(?<![\w-])(?:(?i:{alt_long})|{alt_short})(?![\w-])")
    return OutletRegistry(by_alias, by_domain, finder, frozenset(_norm_name(x) for x in d.get("non_authors", [])))


@dataclass(frozen=True)
class Calendar:
    months: dict[str, int]                  # name or abbreviation -> 1..12
    weekdays: tuple[str, ...]
    published_labels: tuple[str, ...]
    modified_labels: tuple[str, ...]
    relative: dict[str, int]
    period_start_words: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def calendar() -> Calendar:
    d = _load("dates.yaml")
    months = {w.lower(): int(n) for n, words in d["months"].items() for w in words}
    return Calendar(months, tuple(d["weekdays"]), tuple(d["published_labels"]), tuple(d["modified_labels"]),
                    {k: int(v) for k, v in d["relative_month_words"].items()},
                    tuple(d.get("period_start_words") or ()))

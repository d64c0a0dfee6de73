"""Language of a report (ISO 639-1), by lingua restricted to the languages in data/ingest/languages.yaml."""
from __future__ import annotations

from functools import lru_cache

import yaml

from sitrep.ingest.resources import INGEST_DATA


@lru_cache(maxsize=1)
def _detector():
    from lingua import IsoCode639_1, LanguageDetectorBuilder
    with open(INGEST_DATA / "languages.yaml", encoding="utf-8") as fh:
        codes = yaml.safe_load(fh)["languages"]
    isos = []
    for c in codes:
        iso = getattr(IsoCode639_1, c.upper(), None)
        if iso is not None:
            isos.append(iso)
    try:
        builder = LanguageDetectorBuilder.from_iso_codes_639_1(*isos)
    except ValueError:
        builder = LanguageDetectorBuilder.from_all_languages()
    return builder.with_low_accuracy_mode().build()


def detect_language(text: str, sample: int = 600) -> str | None:
    """ISO 639-1 code of the main language of ``text`` (a sample of its start), or None if unsure."""
    snippet = text[:sample].strip()
    if len(snippet) < 20:
        return None
    lang = _detector().detect_language_of(snippet)
    return lang.iso_code_639_1.name.lower() if lang is not None else None

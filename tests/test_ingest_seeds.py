"""End to end over the five seed reports in ../shared/seeds, scored against ../shared/gold/seeds.yaml.

Nothing of the seeds is copied here: the texts and the gold are read at run time (skips when absent)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from sitrep.config import Config
from sitrep.ingest import RawInput, estimate_dates, iter_inputs, mark_copies, to_document


@pytest.fixture(scope="module")
def gold(shared) -> dict:
    path = shared / "gold" / "seeds.yaml"
    if not path.is_file():
        pytest.skip("gold/seeds.yaml is absent")
    return yaml.safe_load(path.read_text(encoding="utf-8"))["documents"]


@pytest.fixture(scope="module")
def docs(seeds) -> dict:
    cfg = Config()
    items = list(iter_inputs([seeds], cfg))
    assert all(isinstance(x, RawInput) for x in items)
    out = estimate_dates(mark_copies([to_document(x, cfg) for x in items], cfg))
    return {Path(d.path).name: d for d in out}


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("\u00a0", " ")).strip()


def _sentences(line: str) -> list[str]:
    """Sentences of a raw line that end like prose and are long enough to matter."""
    parts = re.split(r"(?:(?<=[.!?])|(?<=[.!?][”\"’)]))\s+(?=[A-Z“\"‘(])", _norm(line))
    return [p for p in parts if len(p.split()) >= 5 and re.search(r"[.!?][”\"’)]?$", p)]


def test_every_seed_is_read(docs, gold):
    assert set(gold) <= set(docs)


def test_published(docs, gold):
    for name, g in gold.items():
        p = docs[name].published
        want = g["published"]
        if want["status"] == "stated":
            assert (p.date, p.status) == (str(want["date"]), "stated"), name
            assert p.evidence, name
        else:
            assert p.status in ("unknown", "estimated"), name
            if p.status == "estimated":
                lo, hi = (str(x) for x in want["estimate_within"])
                assert lo <= p.date <= hi, (name, p)
                assert p.evidence, name


def test_outlet_title_author(docs, gold):
    for name, g in gold.items():
        d = docs[name]
        assert d.outlet == g.get("outlet"), name
        assert d.title == g["title"], name
        if "author" in g:
            assert d.author == g["author"], name
        if d.outlet:
            assert d.evidence.get("outlet"), name


def test_boilerplate_removed(docs, gold):
    for name, g in gold.items():
        text = _norm(docs[name].text)
        for line in g.get("boilerplate", []):
            assert _norm(line) not in text, (name, line)


def test_no_body_sentence_lost(docs, gold, seeds):
    for name, g in gold.items():
        raw = (seeds / name).read_text(encoding="utf-8")
        boiler = {_norm(b) for b in g.get("boilerplate", [])}
        text = _norm(docs[name].text)
        for line in raw.splitlines():
            line = _norm(line)
            # obvious clutter: the gold's boilerplate, and lines in the "teaser.." / "appeal.." style
            if not line or line in boiler or re.search(r"[^.]\.\.$", line):
                continue
            for s in _sentences(line):
                assert s in text, (name, s)


def test_language_and_ids(docs):
    assert {d.language for d in docs.values()} == {"en"}
    assert len({d.id for d in docs.values()}) == len(docs)
    assert all(d.duplicate_of is None for d in docs.values())

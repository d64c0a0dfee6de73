"""Training examples for the learned event types (``sitrep.extract.types``), read from labelled sets in
``../shared/data`` at run time (never copied into the repository).

Every example is one trigger candidate of the pipeline (``extract.events.sentence_candidates``, typed by
the lexicon) with its features, a label (a PLOVER type) and a weight:

- PLOVER gold records: the sentence's main event (the pipeline's highest-ranked mention) gets the gold type.
  The label is the *underlying* type: the type whose PLOVER code under the mention's status is the gold one
  ("promised to send aid": AID, status planned, coded AGREE), the lexicon's own type when it fits.
- ConfliBERT CAMEO sentences: only a five-way CAMEO class is known (0 statements and appeals, 1 verbal
  cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict; ``penta`` in plover.yaml). The
  main event keeps the lexicon's type when its code falls in the class; otherwise it gets the type of the
  class that a first model finds most probable (constrained self-training), at a lower weight.
- GVA and seed gold: candidates inside a gold event's text anchor that the lexicon types as the gold type.
- Every other candidate: the lexicon's type at a small weight, so that the model departs from the lexicon
  only where labelled sentences show it is wrong; a candidate of the CAMEO fallback (a word our lists lack)
  and a fallback verb: ``NONE`` at a small weight, so that they become events only where labelled
  sentences show they are (``extract.types.decide_types``).
"""
from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from sitrep.config import Config
from sitrep.records import Document, Published


@dataclass
class Candidate:
    """One candidate of a text: where its trigger starts, the lexicon's type (``NONE`` for a fallback
    verb the lexicon does not know), its status cue and its features."""
    idx: int
    lex: str
    feats: list[str]
    status: str | None = None
    source: str = "lexicon"             # lexicon | cameo (typed by the CAMEO fallback) | fallback


@dataclass
class Example:
    feats: list[str]
    label: str
    weight: float
    source: str
    key: str            # the record / sentence / document it comes from


@dataclass
class Text:
    """A labelled text after the lexicon-only pipeline: its candidates and its main event."""
    key: str
    source: str
    candidates: list[Candidate]
    top_idx: int | None = None          # trigger offset of the highest-ranked mention
    top_status: str | None = None
    top_type: str | None = None
    gold: object = None                 # a PLOVER type, a CAMEO class, or [(start, end, types)] anchors


def half_of(key: str) -> int:
    """0 or 1 by a hash of a record id: the two halves of a set that ``eval plover --halves`` crosses."""
    return int(hashlib.sha256(str(key).encode("utf-8")).hexdigest()[:8], 16) % 2


def lexicon_kb(config: Config | None = None, lexicon: str = "full"):
    """A knowledge base whose ontology types with the lexicon alone (the candidates the model sees);
    ``lexicon`` as ``Ontology.with_lexicon`` (full: triggers.yaml with the CAMEO fallback; cameo: CAMEO alone)."""
    from sitrep.kb import KnowledgeBase
    kb = KnowledgeBase.load(config or Config())
    kb.ontology = kb.ontology.with_lexicon(lexicon).with_type_model(None)
    return kb


def analyse(key: str, source: str, text: str, annotator, kb, gold=None) -> Text:
    """Annotate a text and list its lexicon candidates with features, and its main event."""
    doc = Document(id="t", path="t", text=text, published=Published())
    return analyse_annotation(key, source, annotator.annotate(doc), kb, gold)


def analyse_annotation(key: str, source: str, ann, kb, gold=None) -> Text:
    """The candidates (with features) and the main event of an annotated text (``analyse``)."""
    from sitrep.extract.counts import count_statements
    from sitrep.extract.events import _Cand, extract_events, rank_events, sentence_candidates
    from sitrep.extract.modality import status_cue
    from sitrep.extract.types import NONE, candidate_rows, fallback_tokens
    trig, lex = kb.ontology.triggers(), kb.ontology.casualties()
    cands = []
    for sent in ann.nlp_doc.sents:
        cs = sentence_candidates(sent, trig, count_statements(sent, lex))
        cs += [_Cand([t], NONE, None, t.i + 1, source="fallback")
               for t in fallback_tokens(sent, {c.tok.i for c in cs})]
        cands += [Candidate(c.tok.idx, c.type, f, status_cue(c.tok, trig)[0], c.source)
                  for c, f in zip(cs, candidate_rows(cs, sent, trig))]
    out = Text(key, source, cands, gold=gold)
    events = rank_events(extract_events(ann, kb), ann)
    if events:
        out.top_idx = int(events[0].id.rsplit(":", 1)[1])
        out.top_status, out.top_type = events[0].status, events[0].type
    return out


# ---------------------------------------------------------------------------------------------- sources
def plover_texts(path: Path, annotator, kb) -> list[Text]:
    from sitrep.eval.plover import load_records
    out = []
    for r in load_records(path):
        text = r["text"].strip().strip("{}").strip()
        out.append(analyse(r["id"], "plover", text, annotator, kb, gold=kb.ontology.canonical(r["event"])))
    return out


def conflibert_texts(path: Path, annotator, kb) -> list[Text]:
    """ConfliBERT's CAMEO sentences (``text<TAB>class``); keyed by a hash of the sentence."""
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        text, _, label = line.rpartition("\t")
        if not text.strip() or not label.strip().isdigit():
            continue
        key = "cb-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        out.append(analyse(key, "conflibert", text, annotator, kb, gold=int(label)))
    return out


def anchored_texts(gold_path: Path, docs: Path, annotator, kb, exclude: set[str] = frozenset()) -> list[Text]:
    """Documents of a seeds-format gold file with their events' text anchors and types (documents in
    ``exclude``, e.g. a held-out part, are left out)."""
    import yaml
    gold = yaml.safe_load(Path(gold_path).read_text(encoding="utf-8"))
    anchors: dict[str, list] = {}
    for g in gold.get("events") or []:
        if g.get("text") and g.get("doc") and g["doc"] not in exclude:
            types = g["type"] if isinstance(g["type"], list) else [g["type"]]
            anchors.setdefault(g["doc"], []).append((str(g["text"]), tuple(types)))
    out = []
    for name in sorted(anchors):
        p = Path(docs) / name
        if not p.is_file():
            continue
        text = p.read_text(encoding="utf-8", errors="replace")
        spans = []
        for anchor, types in anchors[name]:
            at = text.find(anchor)
            if at >= 0:
                spans.append((at, at + len(anchor), types))
        out.append(analyse(name, "anchors", text, annotator, kb, gold=spans))
    return out


# ---------------------------------------------------------------------------------------------- labels
def underlying_label(gold: str, lex_type: str, status: str | None, onto) -> str:
    """The type whose PLOVER code under ``status`` is ``gold``: the lexicon's when it fits, else the gold
    type itself (for "planned" AGREE with a non-cooperative lexicon type: AGREE).

    Example: gold AGREE, lexicon AID, status planned -> AID (a promise of aid); gold ACCUSE, lexicon
    COERCE, status reported -> ACCUSE."""
    from sitrep.eval.plover import code_of
    if code_of(lex_type, status, onto) == gold:
        return lex_type
    return gold


def penta_types(onto) -> dict[int, frozenset[str]]:
    return {int(k): frozenset(v) for k, v in onto.penta().items()}


def examples(texts: list[Text], onto, model=None, weights: dict | None = None) -> list[Example]:
    """Labelled candidates of the texts (see the module docstring). ``model`` (a first model) labels the
    ConfliBERT main events whose lexicon type contradicts their class; without it they are left out.

    Fallback verbs (lexicon type ``NONE``) are labelled ``NONE`` at a small weight, except the first one
    of a text where the pipeline found no event: in a PLOVER record it is the gold event, in a ConfliBERT
    sentence an event of its class (picked by ``model``)."""
    from sitrep.extract.types import NONE
    w = {**WEIGHTS, **(weights or {})}
    penta = penta_types(onto)
    out: list[Example] = []
    for t in texts:
        first_new = next((c for c in t.candidates if c.lex == NONE), None) if t.top_type is None else None
        for c in t.candidates:
            if c is first_new and t.source == "plover":
                lab = _main_label(t, c, onto, penta, None, w)
            elif c.lex == NONE:
                lab = (NONE, w["none"], "none") if c is not first_new else \
                    _main_label(t, c, onto, penta, model, w)
            elif c.idx == t.top_idx and t.top_type == c.lex and t.source in ("plover", "conflibert"):
                lab = _main_label(t, c, onto, penta, model, w)
            elif t.source == "anchors" and any(a <= c.idx < b and c.lex in types for a, b, types in t.gold or ()):
                lab = (c.lex, w["anchors"], "anchors")
            elif c.source == "cameo":
                lab = (NONE, w["none"], "none")     # a fallback reading is no event unless labelled one
            else:
                lab = (c.lex, w["lexicon"], "lexicon")
            if lab is not None:
                out.append(Example(c.feats, lab[0], lab[1], lab[2], t.key))
    return out


def _main_label(t: Text, c: Candidate, onto, penta, model, w) -> tuple[str, float, str] | None:
    """Label of a text's main event: the PLOVER gold type (as ``underlying_label``), or for a ConfliBERT
    sentence the lexicon's type when its code is in the class, else the class's most probable type."""
    from sitrep.eval.plover import code_of
    from sitrep.extract.types import NONE
    status = c.status if t.top_type is None else t.top_status
    if t.source == "plover":
        lex = c.lex if c.lex != NONE else t.gold
        return underlying_label(t.gold, lex, status, onto), w["plover"], "plover"
    if t.source != "conflibert":
        return None
    allowed = penta.get(t.gold, frozenset())
    if c.lex != NONE and code_of(c.lex, status, onto) in allowed:
        return c.lex, w["conflibert"], "conflibert"
    if model is None or (t.gold == 0 and c.lex != NONE):
        return None        # a statement (class 0) that the lexicon reads as an act: a selection error
    p = model.probabilities(c.feats)
    ok = [(p[i], k) for i, k in enumerate(model.classes)
          if (k == NONE and t.gold == 0) or (k != NONE and code_of(k, status, onto) in allowed)]
    if not ok or max(ok)[0] < w["relabel_min"]:
        return None        # the first model has no confident reading within the class
    return max(ok)[1], w["conflibert_model"], "conflibert_model"


def collect(plover: Path | None = None, conflibert: Path | None = None, gva_gold: Path | None = None,
            gva_docs: Path | None = None, seeds_gold: Path | None = None, seeds_docs: Path | None = None,
            config: Config | None = None, log=sys.stderr, lexicon: str = "full") -> list[Text]:
    """All labelled texts of the given sets (each optional), their candidates found with ``lexicon``
    (``Ontology.with_lexicon``). The GVA documents of held-out happenings are left out
    (``eval.gold.heldout_documents``)."""
    from sitrep.eval.plover import _annotator
    config = config or Config()
    annotator = _annotator(config)
    kb = lexicon_kb(config, lexicon)
    texts: list[Text] = []
    if plover:
        texts += plover_texts(plover, annotator, kb)
        print(f"plover: {len(texts)} records", file=log)
    if conflibert:
        cb = conflibert_texts(conflibert, annotator, kb)
        print(f"conflibert: {len(cb)} sentences", file=log)
        texts += cb
    if gva_gold and gva_docs:
        import yaml
        from sitrep.eval.gold import heldout_documents
        held = heldout_documents(yaml.safe_load(Path(gva_gold).read_text(encoding="utf-8")))
        gv = anchored_texts(gva_gold, gva_docs, annotator, kb, exclude=held)
        print(f"gva: {len(gv)} tune-part documents", file=log)
        texts += gv
    if seeds_gold and seeds_docs:
        sd = anchored_texts(seeds_gold, seeds_docs, annotator, kb)
        print(f"seeds: {len(sd)} documents", file=log)
        texts += sd
    return texts


def dump(texts: list[Text], path: Path) -> None:
    """Cache analysed texts as JSON lines (features, not text) for repeated training runs."""
    with open(path, "w", encoding="utf-8") as fh:
        for t in texts:
            fh.write(json.dumps({**t.__dict__, "candidates": [c.__dict__ for c in t.candidates]}) + "\n")


def load(path: Path) -> list[Text]:
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        d["candidates"] = [Candidate(**c) for c in d["candidates"]]
        if d["source"] == "anchors":
            d["gold"] = [(a, b, tuple(ts)) for a, b, ts in d["gold"] or ()]
        out.append(Text(**d))
    return out


# ---------------------------------------------------------------------------------------------- recipe
L2 = 1.0
ROUNDS = 2
WEIGHTS = {"plover": 3.0, "conflibert": 0.5, "conflibert_model": 0.25, "anchors": 0.5, "lexicon": 0.1,
           "none": 0.1, "relabel_min": 0.25}
NEW_PROB = 0.5
PRUNE = 0.01


def shared_sets(shared: Path) -> dict:
    """The labelled sets under a ``shared`` folder that exist there (keyword arguments of ``collect``)."""
    shared = Path(shared)
    data = shared / "data"
    sets = {"plover": data / "events/plover/gsr_dev.jsonl",
            "conflibert": data / "events/conflibert/cameo_class_train.tsv",
            "gva_gold": data / "news/gva/gold.yaml", "gva_docs": data / "news/gva/docs",
            "seeds_gold": shared / "gold/seeds.yaml", "seeds_docs": shared / "seeds"}
    return {k: v for k, v in sets.items() if v.exists()}


def held_out(t: Text) -> bool:
    """Whether a text belongs to a set's held-out part (ConfliBERT sentences by ``eval.split``); the GVA
    held-out documents are never collected."""
    from sitrep.eval.split import part_of
    return t.source == "conflibert" and part_of(t.key) == "heldout"


def train_model(texts: list[Text], onto, l2: float = L2, rounds: int = ROUNDS, weights: dict | None = None,
                new_prob: float = NEW_PROB):
    """The shipped recipe: fit, relabel the ConfliBERT sentences the lexicon contradicts with the first
    model, fit again. Returns the model and the number of examples per label source."""
    from collections import Counter

    from sitrep.extract.types import NONE, fit
    classes = tuple(onto.types) + (NONE,)
    w = {**WEIGHTS, **(weights or {})}
    model, ex = None, []
    for _ in range(max(1, rounds)):
        ex = examples(texts, onto, model=model, weights=w)
        model = fit([(e.feats, e.label, e.weight) for e in ex], classes, l2=l2, new_prob=new_prob, prune=PRUNE)
    counts = Counter(e.source for e in ex)
    sources = Counter(t.source for t in texts)
    meta = {"l2": l2, "rounds": rounds, "prune": PRUNE, "new_prob": new_prob, "weights": w, "texts": dict(sorted(sources.items())),
            "examples": dict(sorted(counts.items()))}
    from dataclasses import replace
    return replace(model, meta=meta), dict(counts)


def conflibert_accuracy(texts: list[Text], tsv: Path, model, config: Config | None = None) -> float:
    """Share of ConfliBERT sentences whose main event's PLOVER code is in their CAMEO class (a class-0
    sentence with no event is right too), with ``model`` typing (None: the lexicon alone)."""
    from sitrep.eval.plover import _annotator, code_of
    from sitrep.extract.events import extract_events, rank_events
    by_key = {}
    for line in Path(tsv).read_text(encoding="utf-8").splitlines():
        text, _, _ = line.rpartition("\t")
        by_key["cb-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]] = text
    kb = lexicon_kb(config)
    kb.ontology = kb.ontology.with_type_model(model)
    onto = kb.ontology
    penta = penta_types(onto)
    annotator = _annotator(config or Config())
    ok = 0
    for t in texts:
        ann = annotator.annotate(Document(id="t", path="t", text=by_key[t.key], published=Published()))
        events = rank_events(extract_events(ann, kb), ann)
        code = code_of(events[0].type, events[0].status, onto) if events else None
        ok += (code in penta[t.gold]) if code else (t.gold == 0)
    return ok / len(texts) if texts else 0.0

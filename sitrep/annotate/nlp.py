"""The spaCy pipeline per language, with entity patterns generated from the knowledge base so that
names the statistical model misses (Syrian villages, armed groups, officials) are still found."""
from __future__ import annotations

import logging
from functools import lru_cache

from sitrep.config import Config
from sitrep.records import Annotation, Document, EntitySpan

log = logging.getLogger(__name__)

# spaCy labels worth keeping for the later stages; pattern labels (ACTOR, PLACE) are our own.
KEPT_LABELS = {"GPE", "LOC", "FAC", "ORG", "PERSON", "NORP", "ACTOR", "PLACE"}


def _blank_line_sentences(doc):
    """A blank line ends a sentence (a headline, a dateline or a caption is never glued to the next
    paragraph); the parser keeps these boundaries and finds the others itself."""
    for tok in doc[:-1]:
        if tok.is_space and tok.text.count("\n") >= 2:
            doc[tok.i + 1].is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def load_pipeline(model: str, with_patterns: bool = True, actor_files: tuple = (), place_files: tuple = ()):
    """Load a spaCy pipeline once per process and add our entity patterns before its NER."""
    import spacy

    from spacy.language import Language

    nlp = spacy.load(model)
    if "parser" in nlp.pipe_names:
        if not Language.has_factory("sitrep_blank_line_sentences"):
            Language.component("sitrep_blank_line_sentences", func=_blank_line_sentences)
        nlp.add_pipe("sitrep_blank_line_sentences", before="parser")
    if with_patterns:
        from sitrep.kb import KnowledgeBase

        kb = KnowledgeBase.load(Config(actor_files=actor_files, place_files=place_files))
        patterns = []
        for source in (kb.actors, kb.places):
            try:
                patterns.extend(source.patterns())
            except (AttributeError, NotImplementedError) as exc:   # a kb part not built yet
                log.debug("no entity patterns from %s: %s", type(source).__name__, exc)
        if patterns:
            add_entity_ruler(nlp, patterns)
    return nlp


def add_entity_ruler(nlp, patterns: list[dict]) -> None:
    """Our phrase patterns, matched case-blind before the NER (cheap for any number of names), then the
    ACTOR matches whose capitals are not their name's dropped (``sitrep.kb.actors.case_fits``)."""
    from spacy.language import Language

    ruler_at = {"before": "ner"} if "ner" in nlp.pipe_names else {}
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True},
                         **ruler_at)
    ruler.add_patterns(patterns)
    names = sorted({p["pattern"] for p in patterns if p["label"] == "ACTOR" and isinstance(p["pattern"], str)})
    if names:
        if not Language.has_factory("sitrep_actor_case"):
            Language.factory("sitrep_actor_case", default_config={"names": []}, func=_ActorCase)
        nlp.add_pipe("sitrep_actor_case", after="entity_ruler", config={"names": names})


_SENTENCE_END = {".", "!", "?", ":", ";", '"', "“", "”", "'", "‘", "’", "—", "-", "(", "|"}


class _ActorCase:
    """Drops the entity ruler's ACTOR spans whose capitals differ from the name they matched."""

    def __init__(self, nlp, name: str, names: list[str]):
        self.by_key: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for n in names:
            words = tuple(t.text for t in nlp.make_doc(n))
            self.by_key.setdefault(tuple(w.lower() for w in words), []).append(words)

    def __call__(self, doc):
        from sitrep.kb.actors import case_fits

        def word(i: int, step: int) -> str | None:     # the nearest word before/after, past punctuation
            while 0 <= i < len(doc) and not doc[i].is_alpha:
                i += step
            return doc[i].text if 0 <= i < len(doc) else None

        def opens_sentence(i: int) -> bool:
            prev = doc[i - 1] if i > 0 else None
            return prev is None or "\n" in prev.text_with_ws or prev.text in _SENTENCE_END

        kept, dropped = [], False
        for ent in doc.ents:
            forms = self.by_key.get(tuple(t.lower_ for t in ent)) if ent.label_ == "ACTOR" else None
            words = [t.text for t in ent]
            if forms and not any(case_fits(words, f, word(ent.start - 1, -1), word(ent.end, 1),
                                           opens_sentence(ent.start)) for f in forms):
                dropped = True
                continue
            kept.append(ent)
        if dropped:
            doc.ents = kept
        return doc


class Annotator:
    """Turns a Document into an Annotation; one per worker process."""

    def __init__(self, config: Config | None = None, with_patterns: bool = True):
        self.config = config or Config()
        self.with_patterns = with_patterns

    def pipeline_for(self, language: str | None):
        model = self.config.model_for(language) or self.config.model_for("en")
        return load_pipeline(model, self.with_patterns, tuple(self.config.actor_files),
                             tuple(self.config.place_files))

    def annotate(self, doc: Document, nlp_doc=None) -> Annotation:
        from sitrep.annotate.timex import tag

        if nlp_doc is None:
            nlp_doc = self.pipeline_for(doc.language)(doc.text)
        anchor = doc.published.date if doc.published.status != "unknown" else None
        return Annotation(
            doc=doc,
            nlp_doc=nlp_doc,
            sentences=[(s.start_char, s.end_char) for s in nlp_doc.sents],
            entities=[EntitySpan(e.start_char, e.end_char, e.text, e.label_)
                      for e in nlp_doc.ents if e.label_ in KEPT_LABELS],
            timexes=tag(doc.text, anchor),
            anchor=anchor,
        )

    def annotate_many(self, docs: list[Document]) -> list[Annotation]:
        """Batch with nlp.pipe: several times faster than one call per document."""
        by_lang: dict[str | None, list[int]] = {}
        for i, d in enumerate(docs):
            by_lang.setdefault(d.language, []).append(i)
        out: list[Annotation | None] = [None] * len(docs)
        for lang, idx in by_lang.items():
            nlp = self.pipeline_for(lang)
            for i, nlp_doc in zip(idx, nlp.pipe((docs[i].text for i in idx),
                                               batch_size=self.config.batch_size)):
                out[i] = self.annotate(docs[i], nlp_doc)
        return out  # type: ignore[return-value]

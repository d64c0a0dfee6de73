"""Annotate: the spaCy pipeline for the document's language, entity patterns from our own data, and
time expressions. Produces an ``Annotation`` that the extract and resolve stages read."""
from __future__ import annotations

from sitrep.annotate.nlp import Annotator, load_pipeline

__all__ = ["Annotator", "load_pipeline"]

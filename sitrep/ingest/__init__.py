"""Ingest: read reports in many container formats, clean page clutter, recover metadata with evidence,
mark copies and estimate missing publication dates.

Public interface (used by the pipeline): ``RawInput``, ``iter_inputs``, ``to_document``, ``mark_copies``,
``estimate_dates``.
"""
from sitrep.ingest.readers import RawInput, iter_inputs
from sitrep.ingest.document import to_document
from sitrep.ingest.copies import mark_copies
from sitrep.ingest.estimate import estimate_dates

__all__ = ["RawInput", "iter_inputs", "to_document", "mark_copies", "estimate_dates"]

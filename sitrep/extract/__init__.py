"""Extract: events, figures and quotes of one document, as spans with their sentence."""
from __future__ import annotations

from sitrep.records import Annotation, Extraction


def extract_document(ann: Annotation, kb) -> Extraction:
    """Everything one document states; pure, so it runs in any worker."""
    from sitrep.extract.events import extract_events
    from sitrep.extract.figures import extract_figures
    from sitrep.extract.quotes import extract_quotes

    return Extraction(doc_id=ann.doc.id,
                      events=extract_events(ann, kb),
                      figures=extract_figures(ann, kb),
                      quotes=extract_quotes(ann, kb))

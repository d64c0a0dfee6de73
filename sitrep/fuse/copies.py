"""Which documents are one source: copies (duplicate_of, identical wire text) and the same outlet."""
from __future__ import annotations

import hashlib
import re

from sitrep.ingest.copies import DisjointSet
from sitrep.records import Document


def _text_key(text: str) -> str:
    return hashlib.sha1(re.sub(r"\W+", " ", text or "").casefold().strip().encode()).hexdigest()


def copy_groups(documents: list[Document]) -> dict[str, str]:
    """Document id -> id of its source group.

    Documents join one group when one copies the other (``duplicate_of``), when their cleaned texts are
    identical (wire copy), or when they come from the same outlet: ``sources`` counts independent outlets.
    """
    groups = DisjointSet(d.id for d in documents)
    parent, union, find = groups.parent, groups.union, groups.find

    first_by: dict[str, str] = {}
    for d in documents:
        if d.duplicate_of and d.duplicate_of in parent:
            union(d.id, d.duplicate_of)
        keys = ["text:" + _text_key(d.text)] if (d.text or "").strip() else []
        if d.outlet:
            keys.append("outlet:" + " ".join(d.outlet.casefold().split()))
        for k in keys:
            if k in first_by:
                union(d.id, first_by[k])
            else:
                first_by[k] = d.id
    return {d: find(d) for d in parent}

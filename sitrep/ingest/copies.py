"""Copies: exact duplicates (same normalised text) and near-duplicates (MinHash LSH over word shingles).

Syndicated copies are often cut or extended by a paragraph, so a candidate pair is confirmed by
containment (the share of the shorter text's shingles found in the longer one), not by Jaccard alone."""
from __future__ import annotations

import re
from dataclasses import replace

from sitrep.config import Config
from sitrep.ingest.document import text_key
from sitrep.records import Document

NUM_PERM = 64
SHINGLE = 3
MIN_SHINGLES = 20      # shorter texts are too small to call copies by containment


def _shingles(text: str) -> set[bytes]:
    words = re.findall(r"\w+", text.casefold())
    if len(words) < SHINGLE:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i:i + SHINGLE]).encode("utf-8") for i in range(len(words) - SHINGLE + 1)}


def _body(doc: Document) -> str:
    """The text without the headline, which syndicating sites often rewrite."""
    if doc.title and doc.text.startswith(doc.title):
        rest = doc.text[len(doc.title):].strip()
        return rest or doc.text
    return doc.text


def _order_key(doc: Document):
    """Earliest published first; documents without a date after dated ones; then the longest text (the
    fuller version of a syndicated report), then the smallest id, so the choice never depends on the order
    the files were read in."""
    d = doc.published.date if doc.published.status in ("stated", "estimated") else None
    return (d is None, d or "", -len(doc.text or ""), doc.id)


class DisjointSet:
    """Union-find over hashable keys; a group's representative is its smallest key."""

    def __init__(self, keys):
        self.parent = {k: k for k in keys}

    def find(self, x):
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def mark_copies(docs: list[Document], config: Config) -> list[Document]:
    """Set ``duplicate_of`` to the id of the earliest-published (else fullest) document of each copy group.
    Idempotent: running it again, or on a corpus that holds the same file twice, changes nothing more."""
    from datasketch import MinHash, MinHashLSH
    n = len(docs)
    groups_of = DisjointSet(range(n))
    union, find = groups_of.union, groups_of.find

    by_key: dict[str, int] = {}
    firsts: list[int] = []
    for i, d in enumerate(docs):
        k = d.id or text_key(d.text)
        if k in by_key:
            union(by_key[k], i)
        else:
            by_key[k] = i
            firsts.append(i)

    threshold = min(max(config.near_duplicate_threshold, 0.05), 0.99)
    # candidates at a lower Jaccard than asked, so a copy missing a paragraph is still proposed
    lsh = MinHashLSH(threshold=min(threshold, max(0.3, threshold - 0.3)), num_perm=NUM_PERM)
    sets: dict[int, frozenset[int]] = {}
    for i in firsts:
        sh = _shingles(_body(docs[i]))
        if not sh:
            continue
        m = MinHash(num_perm=NUM_PERM, seed=1)
        m.update_batch(list(sh))
        hs = frozenset(hash(x) for x in sh)
        for j in lsh.query(m):
            # confirm the candidate with the exact containment of the shorter text in the longer
            smaller = min(len(hs), len(sets[j]))
            if smaller >= MIN_SHINGLES and len(hs & sets[j]) / smaller >= threshold:
                union(j, i)
        lsh.insert(i, m)
        sets[i] = hs

    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    out = list(docs)
    for members in groups.values():
        if len(members) == 1:
            i = members[0]
            if out[i].duplicate_of is not None:
                out[i] = replace(out[i], duplicate_of=None)
            continue
        head = min(members, key=lambda i: _order_key(docs[i]))
        for i in members:
            dup = None if i == head else docs[head].id
            if out[i].duplicate_of != dup:
                out[i] = replace(out[i], duplicate_of=dup)
    return out

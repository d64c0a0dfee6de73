"""Copies: exact duplicates (same normalised text) and near-duplicates (MinHash LSH over word shingles).

Syndicated copies are often cut or extended by a paragraph, so a candidate pair is confirmed by
containment (the share of the shorter text's shingles found in the longer one), not by Jaccard alone."""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Callable, Iterable

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


def copy_groups(bodies: Iterable[str], body_of: Callable[[int], str], threshold: float) -> DisjointSet:
    """Near-copy groups over documents 0..n-1 given by their bodies, in memory bounded by a MinHash signature
    per document (64 numbers): the bodies are read once, as a stream, to sign them; a pair proposed by
    locality-sensitive hashing (the same banding as ``datasketch.MinHashLSH``, so the same pairs) is then
    confirmed by the exact containment of the shorter text's shingles in the longer, re-reading the two
    bodies through ``body_of``. Order-free: the groups are the connected parts of the confirmed pairs."""
    import numpy as np
    from datasketch import MinHash, MinHashLSH

    signatures: list = []
    signed: list[int] = []
    n = 0
    for i, body in enumerate(bodies):
        n = i + 1
        sh = _shingles(body)
        if not sh:
            continue
        m = MinHash(num_perm=NUM_PERM, seed=1)
        m.update_batch(list(sh))
        signatures.append(m.hashvalues.astype(np.uint32))     # datasketch's values are below 2**32
        signed.append(i)
    groups = DisjointSet(range(n))
    if len(signed) < 2:
        return groups
    sigs = np.vstack(signatures)
    del signatures
    index = np.asarray(signed)
    # candidates at a lower Jaccard than asked, so a copy missing a paragraph is still proposed
    lsh = MinHashLSH(threshold=min(threshold, max(0.3, threshold - 0.3)), num_perm=NUM_PERM)

    @lru_cache(maxsize=16384)                 # ~3 KB a document: a large bucket is read once, not per pair
    def hashed(i: int):
        return np.unique(np.fromiter((hash(x) for x in _shingles(body_of(i))), dtype=np.int64))

    for start, end in lsh.hashranges:
        _, band = np.unique(sigs[:, start:end], axis=0, return_inverse=True)
        band = band.ravel()
        order = np.argsort(band, kind="stable")
        keys = band[order]
        cuts = np.flatnonzero(keys[1:] != keys[:-1]) + 1
        for members in np.split(index[order], cuts):
            if len(members) < 2:
                continue
            members = sorted(int(x) for x in members)
            for a_pos, a in enumerate(members):
                for b in members[a_pos + 1:]:
                    if groups.find(a) == groups.find(b):
                        continue
                    ha, hb = hashed(a), hashed(b)
                    smaller = min(len(ha), len(hb))
                    if smaller >= MIN_SHINGLES and (
                            len(np.intersect1d(ha, hb, assume_unique=True)) / smaller >= threshold):
                        groups.union(a, b)
    return groups


def mark_copies(docs: list[Document], config: Config) -> list[Document]:
    """Set ``duplicate_of`` to the id of the earliest-published (else fullest) document of each copy group.
    Idempotent: running it again, or on a corpus that holds the same file twice, changes nothing more."""
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

    near = copy_groups((_body(docs[i]) for i in firsts), lambda k: _body(docs[firsts[k]]), _threshold(config))
    for k in range(len(firsts)):
        root = near.find(k)
        if root != k:
            union(firsts[root], firsts[k])

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


def _threshold(config: Config) -> float:
    return min(max(config.near_duplicate_threshold, 0.05), 0.99)


def copy_links(documents: Iterable[Document], load: Callable[[str], Document],
               config: Config) -> dict[str, str | None]:
    """``duplicate_of`` for every document of a stream (ids unique, as in the store), in bounded memory:
    what ``mark_copies`` decides, for corpora too large to hold. ``load`` re-reads one document by id
    (to confirm a proposed pair). Returns id -> id of its original (None for originals)."""
    ids: list[str] = []
    keys: list[tuple] = []

    def bodies():
        for d in documents:
            ids.append(d.id)
            keys.append(_order_key(d))
            yield _body(d)

    groups = copy_groups(bodies(), lambda k: _body(load(ids[k])), _threshold(config))
    members: dict[int, list[int]] = {}
    for i in range(len(ids)):
        members.setdefault(groups.find(i), []).append(i)
    links: dict[str, str | None] = dict.fromkeys(ids)
    for group in members.values():
        if len(group) < 2:
            continue
        head = min(group, key=lambda i: keys[i])
        for i in group:
            if i != head:
                links[ids[i]] = ids[head]
    return links

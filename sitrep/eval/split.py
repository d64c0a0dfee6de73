"""Development sets split in two by a hash of a stable key (a document or incident id): the *tune* part,
which we read and tune on, and the *heldout* part, which we only score. The held-out sets we are judged
on behave like the held-out part, so every figure is reported on both.

The split is a pure function of the key, so it is the same on every machine and for every scorer, and a
multi-report incident (keyed by its incident id) never has reports on both sides.
"""
from __future__ import annotations

import hashlib

HELDOUT_SHARE = 0.3
PARTS = ("tune", "heldout")


def part_of(key: str, heldout_share: float = HELDOUT_SHARE) -> str:
    """``"heldout"`` for about ``heldout_share`` of all keys, ``"tune"`` for the rest."""
    h = int(hashlib.sha256(str(key).encode("utf-8")).hexdigest()[:8], 16)
    return "heldout" if h < heldout_share * 0x100000000 else "tune"

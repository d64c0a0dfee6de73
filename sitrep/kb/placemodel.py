"""The learned event-location linker as the knowledge base reads it (``sitrep/data/events/
event_location_model.npz``, written by ``scripts/train_event_location.py``; features and the decision in
``sitrep.extract.place``).

Two boosted-tree stages over the candidate names of a trigger's sentence: the first scores each name from
its own features, the second again with the first stage's scores of the names related to it (conjoined
names, the name it qualifies) - "Bursa, Bergama and Canakkale" stand or fall together, and of "X in
Y province" the annotation keeps the more specific X. A name is the event's place when the second
stage's probability reaches ``threshold``.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from sitrep.config import DATA_DIR
from sitrep.kb.trees import Trees

MODEL_PATH = DATA_DIR / "events" / "event_location_model.npz"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlaceLinker:
    """``names``: the feature names in column order (features the model never saw are ignored);
    ``stage1`` and ``stage2``: the two ensembles (``stage2`` reads the columns of ``names`` and then
    ``n_stack`` stacked columns); ``center``/``projection``: the parser's token vectors of each candidate
    (``CandidateSet.vectors``) projected on their principal axes become further columns after ``names``;
    ``meta``: how it was trained and its cross-validated figures."""
    names: tuple[str, ...]
    stage1: Trees
    stage2: Trees | None
    threshold: float
    n_stack: int = 0
    center: np.ndarray | None = None           # token vectors: mean and projection (principal axes)
    projection: np.ndarray | None = None
    meta: dict = field(default_factory=dict, compare=False)

    @property
    def index(self) -> dict[str, int]:
        return _index(self.names)

    @property
    def n_projected(self) -> int:
        return 0 if self.projection is None else self.projection.shape[1]

    def vectors(self, features: list[dict[str, float]], token_vectors: np.ndarray | None = None) -> np.ndarray:
        """Feature dicts (and the candidates' token vectors) as rows of the model's columns."""
        idx = self.index
        n = len(self.names)
        X = np.zeros((len(features), n + self.n_projected), dtype=np.float32)
        for r, f in enumerate(features):
            for k, v in f.items():
                j = idx.get(k)
                if j is not None:
                    X[r, j] = v
        if self.projection is not None and token_vectors is not None and len(features):
            X[:, n:] = (np.asarray(token_vectors, dtype=np.float32) - self.center) @ self.projection
        return X

    def save(self, path: Path) -> None:
        arrays = {"names": np.array(self.names), "threshold": np.array([self.threshold]),
                  "n_stack": np.array([self.n_stack]), "meta": np.array(json.dumps(self.meta, sort_keys=True))}
        if self.projection is not None:
            arrays["center"] = self.center.astype(np.float32)
            arrays["projection"] = self.projection.astype(np.float32)
        arrays.update(self.stage1.arrays("s1_"))
        if self.stage2 is not None:
            arrays.update(self.stage2.arrays("s2_"))
        np.savez_compressed(path, **arrays)

    @classmethod
    def load(cls, path: Path) -> PlaceLinker:
        with np.load(path, allow_pickle=False) as z:
            return cls(names=tuple(str(n) for n in z["names"]), stage1=Trees.from_arrays(z, "s1_"),
                       stage2=Trees.from_arrays(z, "s2_") if "s2_init" in z.files else None,
                       threshold=float(z["threshold"][0]), n_stack=int(z["n_stack"][0]),
                       center=z["center"] if "center" in z.files else None,
                       projection=z["projection"] if "projection" in z.files else None,
                       meta=json.loads(str(z["meta"])))


@lru_cache(maxsize=8)
def _index(names: tuple[str, ...]) -> dict[str, int]:
    return {n: i for i, n in enumerate(names)}


@lru_cache(maxsize=2)
def load_place_linker(path: str | None = None) -> PlaceLinker | None:
    """The shipped linker (read once per process), or None when there is none: the callers then fall back
    to the rule walk (``sitrep.extract.place.event_location_spans``), which is said once in the log."""
    p = Path(path) if path else MODEL_PATH
    if not p.is_file():
        log.warning("no event-location model at %s: event places come from the rule walk "
                    "(scripts/train_event_location.py writes the model)", p)
        return None
    return PlaceLinker.load(p)

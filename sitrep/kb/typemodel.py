"""The learned event-type model as the knowledge base reads it: hashed feature ids, a weight row per id and
one column per PLOVER type (``sitrep/data/events/type_model.npz``, written by
``scripts/train_event_types.py``; features in ``sitrep.extract.types``).

Applying it is a sum of weight rows and a softmax (numpy only, no model download, no scikit-learn)."""
from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

DIM = 1 << 20                   # hash space of the feature strings


def hashed(features: list[str], dim: int = DIM) -> np.ndarray:
    """Feature ids: CRC-32 of each string modulo ``dim`` (the same on every machine and in every process,
    unlike Python's ``hash``)."""
    return np.fromiter((zlib.crc32(s.encode("utf-8")) % dim for s in features), dtype=np.int64,
                       count=len(features))


@dataclass(frozen=True)
class TypeModel:
    """A linear model over hashed features: ``ids`` (sorted) are the feature ids that have weights,
    ``weights`` one row per id and one column per class of ``classes``. ``min_prob``: below this
    probability the caller keeps the lexicon's type; ``new_prob``: the probability a verb the lexicon does not
    know needs to become an event."""
    classes: tuple[str, ...]
    ids: np.ndarray
    weights: np.ndarray
    bias: np.ndarray
    dim: int = DIM
    min_prob: float = 0.0
    new_prob: float = 0.5
    meta: dict = field(default_factory=dict, compare=False)

    def probabilities(self, features: list[str]) -> np.ndarray:
        """Class probabilities of one example (a list of feature strings)."""
        fid = np.unique(hashed(features, self.dim))
        pos = np.searchsorted(self.ids, fid)
        ok = pos < len(self.ids)
        pos, fid = pos[ok], fid[ok]
        rows = pos[self.ids[pos] == fid]
        z = self.bias + (self.weights[rows].sum(axis=0) if len(rows) else 0.0)
        p = np.exp(z - z.max())
        return p / p.sum()

    def predict(self, features: list[str]) -> tuple[str, float]:
        """The most probable class and its probability."""
        p = self.probabilities(features)
        k = int(np.argmax(p))
        return self.classes[k], float(p[k])

    def save(self, path: Path) -> None:
        np.savez_compressed(path, classes=np.array(self.classes), ids=self.ids.astype(np.int32),
                            weights=self.weights.astype(np.float16), bias=self.bias.astype(np.float32),
                            dim=np.array(self.dim), min_prob=np.array(self.min_prob), new_prob=np.array(self.new_prob),
                            meta=np.array(json.dumps(self.meta, sort_keys=True)))


def load_type_model(path: Path) -> TypeModel | None:
    """The model stored at ``path``, or None when there is no such file (the lexicon then types alone)."""
    path = Path(path)
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as z:
        return TypeModel(classes=tuple(str(c) for c in z["classes"]), ids=z["ids"].astype(np.int64),
                         weights=z["weights"].astype(np.float32), bias=z["bias"].astype(np.float32),
                         dim=int(z["dim"]), min_prob=float(z["min_prob"]),
                         new_prob=float(z["new_prob"]), meta=json.loads(str(z["meta"])))

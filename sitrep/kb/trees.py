"""Gradient-boosted decision trees in numpy: fitted by the training scripts, applied at run time with no
scikit-learn and no download.

Fitting: logistic loss, second-order (Newton) leaf values, histogram splits over at most ``n_bins``
quantile bins per feature, trees grown level by level to ``depth``. Features are mostly 0/1 indicators,
so the histograms are built from the non-zero entries only (``np.bincount`` over (node, feature, bin)
codes), the 0/1 indicators apart from the features with more bins, and below the root only for left
children (a right child's is its parent's minus its sibling's): about a second per hundred trees on 20k
examples of 200 features.

Applying: all trees at once, one gather per level (``Trees.predict``), so a candidate costs a few
microseconds whatever the number of trees.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Trees:
    """A fitted ensemble: node arrays of all trees one after the other (``roots`` holds each tree's first
    node). A node with ``feature < 0`` is a leaf; else ``x[feature] <= threshold`` goes to ``left``.
    Child indices are absolute. The score is ``init`` plus one leaf value per tree."""
    init: float
    roots: np.ndarray
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    depth: int

    def margin(self, X: np.ndarray) -> np.ndarray:
        """The log-odds of each row of ``X`` (rows: examples, columns: features)."""
        X = np.asarray(X, dtype=np.float32)
        n = X.shape[0]
        if n == 0 or len(self.roots) == 0:
            return np.full(n, self.init)
        nodes = np.broadcast_to(self.roots, (n, len(self.roots))).copy()
        rows = np.arange(n)[:, None]
        for _ in range(self.depth):
            f = self.feature[nodes]
            inner = f >= 0
            x = X[rows, np.where(inner, f, 0)]
            nxt = np.where(x <= self.threshold[nodes], self.left[nodes], self.right[nodes])
            nodes = np.where(inner, nxt, nodes)
        return self.init + self.value[nodes].sum(axis=1)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The probability of the positive class for each row of ``X``."""
        return 1.0 / (1.0 + np.exp(-np.clip(self.margin(X), -30, 30)))

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """The ensemble as named arrays (for ``np.savez``)."""
        return {f"{prefix}init": np.array([self.init]), f"{prefix}roots": self.roots.astype(np.int32),
                f"{prefix}feature": self.feature.astype(np.int32),
                f"{prefix}threshold": self.threshold.astype(np.float32),
                f"{prefix}left": self.left.astype(np.int32), f"{prefix}right": self.right.astype(np.int32),
                f"{prefix}value": self.value.astype(np.float32), f"{prefix}depth": np.array([self.depth])}

    @classmethod
    def from_arrays(cls, arrays, prefix: str) -> Trees:
        return cls(init=float(arrays[f"{prefix}init"][0]), roots=np.asarray(arrays[f"{prefix}roots"]),
                   feature=np.asarray(arrays[f"{prefix}feature"]),
                   threshold=np.asarray(arrays[f"{prefix}threshold"]),
                   left=np.asarray(arrays[f"{prefix}left"]), right=np.asarray(arrays[f"{prefix}right"]),
                   value=np.asarray(arrays[f"{prefix}value"]), depth=int(arrays[f"{prefix}depth"][0]))


@dataclass(frozen=True)
class TreeParams:
    """How to grow the ensemble (defaults: the event-location linker's first stage)."""
    n_trees: int = 300
    depth: int = 5
    learning_rate: float = 0.05
    min_leaf: float = 10.0
    l2: float = 1.0
    n_bins: int = 32
    subsample: float = 0.8
    seed: int = 0


def _bin_edges(X: np.ndarray, n_bins: int) -> list[np.ndarray]:
    """Split points per feature: every distinct value but the largest, or quantiles when there are many."""
    qs = np.linspace(0, 1, n_bins + 1)[1:-1]
    edges = []
    for j in range(X.shape[1]):
        u = np.unique(X[:, j])
        e = u[:-1] if len(u) <= n_bins else np.unique(np.quantile(X[:, j], qs))
        edges.append(e[e < u[-1]].astype(np.float64) if len(u) else e)
    return edges


@dataclass(frozen=True)
class _Group:
    """Features with the same number of bins (0/1 indicators: 2), histogrammed together: the non-zero
    entries as (row, local feature * width + bin) codes."""
    cols: np.ndarray
    width: int
    rows: np.ndarray
    codes: np.ndarray
    splittable: np.ndarray              # (features, width): a split after this bin is possible

    @classmethod
    def of(cls, B: np.ndarray, cols: np.ndarray, nbins: np.ndarray) -> _Group:
        width = int(nbins[cols].max())
        sub = B[:, cols]
        ri, fj = np.nonzero(sub > 0)
        return cls(cols, width, ri, fj.astype(np.int64) * width + sub[ri, fj],
                   np.arange(width)[None, :] < (nbins[cols] - 1)[:, None])

    def sampled(self, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The entries of the rows this tree sees (weight > 0): (rows, codes)."""
        keep = w[self.rows] > 0
        return self.rows[keep], self.codes[keep]

    def histograms(self, entries, s_of, S, vals, tot) -> np.ndarray:
        """(3, S, features, width): sums of gradient, hessian and weight per node slot, feature and bin,
        for the rows whose slot is >= 0 (``tot``: the slots' totals, which give bin 0)."""
        F, W = len(self.cols), self.width
        rows, codes = entries
        ps = s_of[rows]
        ok = ps >= 0
        idx, rw = ps[ok] * (F * W) + codes[ok], rows[ok]
        hist = np.stack([np.bincount(idx, weights=v[rw], minlength=S * F * W).reshape(S, F, W) for v in vals])
        hist[:, :, :, 0] = np.asarray(tot)[:, :, None] - hist[:, :, :, 1:].sum(3)
        return hist

    def best(self, hist: np.ndarray, tot, l2, min_leaf):
        """Per node slot: the best gain, its (global) feature and bin."""
        S, W = hist.shape[1], self.width
        (GL, HL, CL), (Gt, Ht, Ct) = np.cumsum(hist, 3), tot
        GR, HR, CR = Gt[:, None, None] - GL, Ht[:, None, None] - HL, Ct[:, None, None] - CL
        gain = GL ** 2 / (HL + l2) + GR ** 2 / (HR + l2) - (Gt ** 2 / (Ht + l2))[:, None, None]
        gain[(CL < min_leaf) | (CR < min_leaf)] = -1.0
        gain[:, ~self.splittable] = -1.0
        flat = gain.reshape(S, -1)
        k = np.argmax(flat, axis=1)
        return flat[np.arange(S), k], self.cols[k // W], k % W


def fit_trees(X: np.ndarray, y: np.ndarray, params: TreeParams = TreeParams()) -> Trees:
    """Fit a boosted ensemble to 0/1 labels ``y`` (deterministic for a given ``params.seed``)."""
    X = np.asarray(X, dtype=np.float32)
    y = np.asarray(y, dtype=np.float64)
    n, F = X.shape
    rng = np.random.default_rng(params.seed)
    edges = _bin_edges(X, params.n_bins)
    B = np.empty(X.shape, dtype=np.int16)
    for j, e in enumerate(edges):
        B[:, j] = np.searchsorted(e, X[:, j], side="left")       # x <= e[b]  <=>  bin <= b
    nbins = np.array([len(e) + 1 for e in edges], dtype=np.int64)
    cols = np.arange(F)
    groups = [_Group.of(B, c, nbins) for c in (cols[nbins == 2], cols[nbins > 2]) if len(c)]
    p0 = float(np.clip(y.mean() if n else 0.5, 1e-6, 1 - 1e-6))
    init = float(np.log(p0 / (1 - p0)))
    z = np.full(n, init)
    trees = []
    for _ in range(params.n_trees):
        p = 1 / (1 + np.exp(-z))
        w = (rng.random(n) < params.subsample).astype(np.float64) if params.subsample < 1 else np.ones(n)
        tree, node_of = _grow(B, groups, (p - y) * w, np.maximum(p * (1 - p), 1e-6) * w, w, params)
        z += tree[4][node_of]
        trees.append(tree)
    return _assemble(init, trees, edges, params.depth)


def _grow(B, groups, g, h, w, params: TreeParams):
    """One tree, level by level: (feature, bin, left, right, value) lists and each row's leaf. Below the
    root only left children are histogrammed; a right child's histogram is its parent's minus its
    sibling's."""
    n = len(g)
    l2, lr, min_leaf = params.l2, params.learning_rate, params.min_leaf
    feat, thrb, left, right, val = [-1], [0], [-1], [-1], [0.0]
    node_of = np.zeros(n, dtype=np.int64)
    frontier, parents, prev = [0], None, None
    entries = [grp.sampled(w) for grp in groups]
    for level in range(params.depth + 1):
        if not frontier:
            break
        S = len(frontier)
        slot = np.full(len(feat), -1, dtype=np.int64)
        slot[frontier] = np.arange(S)
        s_of = slot[node_of]
        live = s_of >= 0
        tot = np.stack([np.bincount(s_of[live], weights=v[live], minlength=S) for v in (g, h, w)])
        for k, nd in enumerate(frontier):
            val[nd] = float(-tot[0][k] / (tot[1][k] + l2) * lr)
        if level == params.depth:
            break
        if parents is None:
            hists = [grp.histograms(e, s_of, S, (g, h, w), tot) for grp, e in zip(groups, entries)]
        else:                                   # frontier = [left0, right0, left1, right1, ...]
            half = np.where(s_of % 2 == 0, s_of // 2, -1)
            hists = []
            for grp, e, ph in zip(groups, entries, prev):
                lh = grp.histograms(e, half, S // 2, (g, h, w), tot[:, 0::2])
                full = np.empty((3, S) + lh.shape[2:])
                full[:, 0::2], full[:, 1::2] = lh, ph[:, parents] - lh
                hists.append(full)
        found = [grp.best(hs, tot, l2, min_leaf) for grp, hs in zip(groups, hists)]
        split_f = np.full(len(feat) + 2 * S, -1, dtype=np.int64)
        split_b = np.zeros(len(feat) + 2 * S, dtype=np.int64)
        nxt, nxt_parents = [], []
        for k, nd in enumerate(frontier):
            if tot[2][k] < 2 * min_leaf or not found:
                continue
            gain, j, b = max(((fg[0][k], fg[1][k], fg[2][k]) for fg in found), key=lambda x: x[0])
            if gain <= 1e-9:
                continue
            c = len(feat)
            feat[nd], thrb[nd], left[nd], right[nd] = int(j), int(b), c, c + 1
            feat += [-1, -1]
            thrb += [0, 0]
            left += [-1, -1]
            right += [-1, -1]
            val += [0.0, 0.0]
            split_f[nd], split_b[nd] = j, b
            nxt += [c, c + 1]
            nxt_parents.append(k)
        if nxt:
            rows = np.flatnonzero(split_f[node_of] >= 0)
            nd = node_of[rows]
            goes_left = B[rows, split_f[nd]] <= split_b[nd]
            node_of[rows] = np.where(goes_left, np.asarray(left)[nd], np.asarray(right)[nd])
        frontier, parents, prev = nxt, np.asarray(nxt_parents, dtype=np.int64), hists
    return (feat, thrb, left, right, np.asarray(val)), node_of


def _assemble(init: float, trees, edges, depth: int) -> Trees:
    """The grown trees as one ``Trees``: node arrays one after the other, thresholds from the bins."""
    roots, parts = [], {k: [] for k in ("feature", "threshold", "left", "right", "value")}
    off = 0
    for feat, thrb, left, right, val in trees:
        roots.append(off)
        left, right = np.asarray(left), np.asarray(right)
        parts["feature"].append(np.asarray(feat))
        parts["threshold"].append(np.array([float(edges[f][b]) if f >= 0 else 0.0 for f, b in zip(feat, thrb)]))
        parts["left"].append(np.where(left >= 0, left + off, -1))
        parts["right"].append(np.where(right >= 0, right + off, -1))
        parts["value"].append(val)
        off += len(feat)
    types = {"feature": np.int64, "threshold": np.float32, "left": np.int64, "right": np.int64,
             "value": np.float64}
    arr = {k: np.concatenate(v).astype(types[k]) if v else np.zeros(0, types[k]) for k, v in parts.items()}
    return Trees(init=init, roots=np.asarray(roots, dtype=np.int64), depth=depth, **arr)

"""The typo classifier at run time: the trees of a scikit-learn
HistGradientBoostingClassifier, exported to flat numpy arrays and evaluated for all
trees at once. No pickle (no scikit-learn version lock) and no OpenMP start-up per
call, which costs more than the prediction itself for a sentence's few candidates."""
from __future__ import annotations

from pathlib import Path

import numpy as np

_FIELDS = ("feature", "threshold", "left", "right", "leaf", "value", "missing_left")


class Forest:
    def __init__(self, roots: np.ndarray, baseline: float, depth: int, **nodes: np.ndarray):
        self.roots, self.baseline, self.depth = roots, baseline, depth
        self.feature, self.threshold = nodes["feature"], nodes["threshold"]
        self.left, self.right = nodes["left"], nodes["right"]
        self.leaf, self.value, self.missing_left = nodes["leaf"], nodes["value"], nodes["missing_left"]
        # The walk's layout: a leaf is its own child on both sides, so every row takes
        # ``depth`` steps without a leaf test, and both children sit in one array
        # (``child[2 * node + goes_right]``): four gathers a step instead of eight.
        index = np.arange(len(self.leaf))
        self._child = np.column_stack([np.where(self.leaf, index, self.left),
                                       np.where(self.leaf, index, self.right)]).ravel().astype(np.intp)
        self._feature = np.where(self.leaf, 0, self.feature).astype(np.intp)

    @classmethod
    def from_sklearn(cls, model) -> "Forest":
        """From a fitted binary HistGradientBoostingClassifier with numeric features."""
        parts = {f: [] for f in _FIELDS}
        roots, offset, depth = [], 0, 0
        for (predictor,) in model._predictors:
            nodes = predictor.nodes
            if nodes["is_categorical"].any():
                raise ValueError("categorical splits are not supported")
            roots.append(offset)
            parts["feature"].append(nodes["feature_idx"])
            parts["threshold"].append(nodes["num_threshold"])
            parts["left"].append(nodes["left"].astype(np.int64) + offset)
            parts["right"].append(nodes["right"].astype(np.int64) + offset)
            parts["leaf"].append(nodes["is_leaf"].astype(bool))
            parts["value"].append(nodes["value"])
            parts["missing_left"].append(nodes["missing_go_to_left"].astype(bool))
            depth = max(depth, int(nodes["depth"].max()))
            offset += len(nodes)
        arrays = {f: np.concatenate(v) for f, v in parts.items()}
        return cls(np.array(roots), float(np.ravel(model._baseline_prediction)[0]), depth, **arrays)

    def save(self, path: Path, **extra: np.ndarray) -> None:
        np.savez_compressed(path, roots=self.roots, baseline=self.baseline, depth=self.depth,
                            **{f: getattr(self, f) for f in _FIELDS}, **extra)

    @classmethod
    def load(cls, data) -> "Forest":
        return cls(data["roots"], float(data["baseline"]), int(data["depth"]), **{f: data[f] for f in _FIELDS})

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Probability of the positive class for each row of X."""
        X = np.ascontiguousarray(X, dtype=np.float64)
        values = X.ravel()
        row_start = (np.arange(len(X)) * X.shape[1])[:, None]
        node = np.broadcast_to(self.roots.astype(np.intp), (len(X), len(self.roots)))
        missing = bool(np.isnan(values).any())  # features are seldom missing: skip the test then
        for _ in range(self.depth):
            x = values[row_start + self._feature[node]]
            goes_right = x > self.threshold[node]
            if missing:  # NaN compares False: it goes where the tree sent missing values
                goes_right = np.where(np.isnan(x), ~self.missing_left[node], goes_right)
            node = self._child[2 * node + goes_right]
        raw = self.value[node].sum(1) + self.baseline
        return 1.0 / (1.0 + np.exp(-raw))

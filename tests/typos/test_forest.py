"""The exported trees predict what scikit-learn predicts, missing values included."""
from __future__ import annotations

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

from auditor.checks.typos.forest import Forest


def test_forest_matches_scikit_learn(tmp_path):
    rng = np.random.default_rng(7)
    X = rng.normal(size=(3000, 6))
    y = (X[:, 0] + X[:, 1] * X[:, 2] + rng.normal(scale=0.5, size=3000) > 0).astype(int)
    X[rng.random(X.shape) < 0.05] = np.nan  # missing values go the side each split learned
    model = HistGradientBoostingClassifier(max_iter=40, max_depth=5, random_state=0).fit(X, y)
    forest = Forest.from_sklearn(model)
    forest.save(tmp_path / "forest.npz")
    with np.load(tmp_path / "forest.npz") as data:
        loaded = Forest.load(data)
    test = rng.normal(size=(500, 6))
    expected = model.predict_proba(test)[:, 1]
    assert np.allclose(loaded.predict_proba(test), expected, atol=1e-9)  # no missing value
    test[rng.random(test.shape) < 0.2] = np.nan
    assert np.allclose(loaded.predict_proba(test), model.predict_proba(test)[:, 1], atol=1e-9)
    assert loaded.predict_proba(np.zeros((0, 6))).shape == (0,)

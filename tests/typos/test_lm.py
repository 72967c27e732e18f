"""CharLM lookups: the dense unigram/bigram arrays answer exactly what the sorted key tables do."""
from __future__ import annotations

import numpy as np

from auditor.checks.typos.lm import CharLM, ngram_keys


def _table_count(lm: CharLM, n: int, keys: np.ndarray) -> np.ndarray:
    table = lm.keys[n - 1]
    idx = np.minimum(np.searchsorted(table, keys), len(table) - 1)
    return np.where(table[idx] == keys, lm.counts[n - 1][idx], 0)


def test_dense_orders_match_the_key_tables():
    chars = "的是在一国家人民政府"
    ids = np.array([[2, 3], [3, 2], [4, 5], [11, 2], [2, 2]])  # ids 0/1: boundary, unknown
    keys = [np.unique(ngram_keys(np.arange(2, 12)[:, None], 1)), np.unique(ngram_keys(ids, 2))]
    counts = [np.arange(1, 11, dtype=np.uint32), np.array([7, 9, 4, 6, 5], dtype=np.uint32)]
    lm = CharLM(chars, keys + [np.zeros(0, np.uint64)] * 2, counts + [np.zeros(0, np.uint32)] * 2)
    rng = np.random.default_rng(3)
    probes = ngram_keys(rng.integers(0, lm.vocab, size=(500, 2)), 2)  # mostly unseen bigrams
    probes = np.concatenate([probes, keys[1]])
    assert (lm.count(2, probes) == _table_count(lm, 2, probes)).all()
    assert (lm.count(2, keys[1]) == counts[1]).all()
    unigrams = np.arange(lm.vocab, dtype=np.uint64)
    assert (lm.count(1, unigrams) == _table_count(lm, 1, unigrams)).all()
    assert lm.count(2, probes.reshape(-1, 1)).shape == (len(probes), 1)

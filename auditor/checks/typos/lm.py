"""A character n-gram language model of the official register (laws, government work
reports), stored as sorted numpy arrays of exact n-gram keys and their counts.

Characters map to 16-bit ids (0 = sentence boundary, 1 = unknown), so an n-gram of up
to four characters is one exact uint64 key and a lookup is one ``np.searchsorted``.
Scores use stupid backoff (Brants et al. 2007): cheap, and the typo classifier only
needs the *difference* between two readings of the same sentence."""
from __future__ import annotations

from pathlib import Path

import numpy as np

ORDER = 4
BOUNDARY, UNKNOWN = 0, 1
BACKOFF = np.log10(0.4)
# Digits and Latin letters collapse to one symbol each; ASCII punctuation to its
# full-width form, so half-width copies of a sentence score like the original.
_ASCII_PUNCT = {",": "，", "?": "？", "!": "！", ":": "：", ";": "；", "(": "（", ")": "）"}
_LM_TABLE = {ord(c): "0" for c in "0123456789"}
_LM_TABLE.update({ord(c): "a" for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"})
_LM_TABLE.update({ord(k): v for k, v in _ASCII_PUNCT.items()})


def lm_text(text: str) -> str:
    """Length-preserving view of ``text`` in the model's alphabet (input is ``doc.norm``)."""
    return text.translate(_LM_TABLE)


def ngram_keys(ids: np.ndarray, n: int) -> np.ndarray:
    """Keys of every n-gram in rows of ``ids`` (last axis = characters, length n)."""
    keys = np.zeros(ids.shape[:-1], dtype=np.uint64)
    for k in range(n):
        keys = (keys << np.uint64(16)) | ids[..., k].astype(np.uint64)
    return keys


class CharLM:
    def __init__(self, chars: str, keys: list[np.ndarray], counts: list[np.ndarray]):
        # chars[i] has id i + 2; keys[n - 1] / counts[n - 1] hold the n-grams of order n.
        self.ids = {ch: i + 2 for i, ch in enumerate(chars)}
        self.keys, self.counts = keys, counts
        self.total = float(counts[0].sum())
        self.vocab = len(chars) + 2
        # Unigram and bigram counts also as dense arrays indexed by ids (3,390² bigrams:
        # 46 MB): half of all lookups are bigrams, and an index beats a binary search.
        self._dense: dict[int, np.ndarray] = {}
        for n in (1, 2):
            dense = np.zeros(self.vocab ** n, dtype=counts[n - 1].dtype)
            dense[self._dense_index(n, keys[n - 1])] = counts[n - 1]
            self._dense[n] = dense

    @classmethod
    def load(cls, path: Path) -> "CharLM":
        with np.load(path) as data:
            chars = str(data["chars"])
            keys = [data[f"keys{n}"] for n in range(1, ORDER + 1)]
            counts = [data[f"counts{n}"] for n in range(1, ORDER + 1)]
        return cls(chars, keys, counts)

    def encode(self, text: str) -> np.ndarray:
        get = self.ids.get
        return np.fromiter((get(ch, UNKNOWN) for ch in lm_text(text)), dtype=np.int64, count=len(text))

    def _dense_index(self, n: int, keys: np.ndarray) -> np.ndarray:
        if n == 1:
            return keys.astype(np.intp)
        return (keys >> np.uint64(16)).astype(np.intp) * self.vocab + (keys & np.uint64(0xFFFF)).astype(np.intp)

    def count(self, n: int, keys: np.ndarray) -> np.ndarray:
        if n in self._dense:
            return self._dense[n][self._dense_index(n, keys)]
        table = self.keys[n - 1]
        # Sorted, distinct needles: numpy's binary search reuses the previous bound.
        uniq, inverse = np.unique(keys, return_inverse=True)
        idx = np.searchsorted(table, uniq)
        idx[idx >= len(table)] = 0
        found = np.where(table[idx] == uniq, self.counts[n - 1][idx], 0)
        return found[inverse].reshape(keys.shape)

    def attested(self, ids: np.ndarray, min_count: int) -> np.ndarray:
        """Per position: the centred trigram and the 4-gram ending or starting one after it
        both occur at least ``min_count`` times."""
        z = np.zeros(2, dtype=np.int64)
        padded = np.concatenate([z, ids, z])
        n = len(ids)
        windows = np.lib.stride_tricks.sliding_window_view(padded, 4)
        tri = self.count(3, ngram_keys(np.lib.stride_tricks.sliding_window_view(padded[1:n + 3], 3), 3))
        left = self.count(4, ngram_keys(windows[:n], 4))
        right = self.count(4, ngram_keys(windows[1:n + 1], 4))
        return (tri >= min_count) & ((left >= min_count) | (right >= min_count))

    def char_count(self, ids: np.ndarray) -> np.ndarray:
        return self.count(1, ids.astype(np.uint64))

    def logprob(self, grams: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """log10 stupid-backoff score of the last character of each row of ``grams``
        (rows of ORDER ids, context first) and the order that matched (1..ORDER)."""
        rows = grams.shape[0]
        score = np.zeros(rows)
        matched = np.ones(rows, dtype=np.int64)
        rest = np.arange(rows)  # rows not yet matched: only they are looked up at lower orders
        for n in range(ORDER, 1, -1):
            g = grams[rest]
            full = self.count(n, ngram_keys(g[:, ORDER - n:], n))
            hit = full > 0
            ctx = np.zeros(len(rest), dtype=full.dtype)
            ctx[hit] = self.count(n - 1, ngram_keys(g[hit, ORDER - n:ORDER - 1], n - 1))
            hit &= ctx > 0  # (a seen n-gram has a seen context, unless pruning removed it)
            score[rest[hit]] = np.log10(full[hit] / ctx[hit]) + BACKOFF * (ORDER - n)
            matched[rest[hit]] = n
            rest = rest[~hit]
        uni = self.char_count(grams[rest, -1])
        score[rest] = np.log10((uni + 1.0) / (self.total + self.vocab)) + BACKOFF * (ORDER - 1)
        return score, matched

    def window_grams(self, ids: np.ndarray, positions: np.ndarray, chars: np.ndarray,
                     limit: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """For each replacement of ``ids[p:p + k]`` by the row of ``chars`` (shape (P, k)),
        the n-grams whose last character's score changes: shape (P, ORDER + k - 1, ORDER),
        plus a mask of the terms inside the sentence (the end boundary included). ``limit``
        (per replacement, an index into the padded ids) ends each sentence of a batch."""
        k = chars.shape[1]
        pad = ORDER - 1
        padded = np.concatenate([np.zeros(pad, dtype=np.int64), ids, np.zeros(1, dtype=np.int64)])
        p = positions + pad  # index of the first replaced character in ``padded``
        term = p[:, None] + np.arange(ORDER + k - 1)[None, :]  # index of each predicted character
        valid = term < len(padded)
        if limit is not None:
            valid &= term <= limit[:, None]
        term = np.minimum(term, len(padded) - 1)
        cols = term[:, :, None] + np.arange(-pad, 1)[None, None, :]
        grams = padded[cols]
        for j in range(k):
            grams = np.where(cols == (p + j)[:, None, None], chars[:, j][:, None, None], grams)
        return grams, valid

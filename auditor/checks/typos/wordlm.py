"""The general-register word trigram model (open-gram, converted by
scripts/build_general_lm.py): how likely general Chinese finds a stretch of text.

The official-register character LM knows laws and reports; this one knows the web's news and
forums. A correction one register likes and the other rejects is a feature for the classifier,
not a verdict. Text is cut into the lexicon's words by the most probable segmentation (unigram
Viterbi); a character outside every word is an unknown word of its own."""
from __future__ import annotations

from pathlib import Path

import numpy as np

ID_BITS = 17  # compact word ids (71k words) fit 17 bits; three of them pack into one uint64
MAX_WORD = 4  # longest word looked up while segmenting (longer words are rare in typo windows)
OOV_LP = -16.0  # log probability of a character that is in no word (below the rarest word's)
_MASK = np.uint64((1 << ID_BITS) - 1)


def pack(ids: np.ndarray) -> np.ndarray:
    """Rows of 2 or 3 compact ids -> one uint64 key per row."""
    ids = ids.astype(np.uint64)
    key = ids[:, 0]
    for k in range(1, ids.shape[1]):
        key = (key << np.uint64(ID_BITS)) | ids[:, k]
    return key


def _lookup(keys: np.ndarray, table: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Values of ``keys`` in the sorted ``table`` (0 where absent) and whether each was found."""
    if not len(table) or not len(keys):
        return np.zeros(len(keys)), np.zeros(len(keys), dtype=bool)
    at = np.minimum(np.searchsorted(table, keys), len(table) - 1)
    found = table[at] == keys
    return np.where(found, values[at].astype(np.float64), 0.0), found


class GeneralLM:
    def __init__(self, words: list[str], uni_lp: np.ndarray, uni_bow: np.ndarray,
                 keys2: np.ndarray, lp2: np.ndarray, bow2: np.ndarray, keys3: np.ndarray, lp3: np.ndarray):
        self.ids = {w: i for i, w in enumerate(words, 1)}
        self.uni_lp = np.concatenate([[OOV_LP], uni_lp[1:].astype(np.float64)])
        self.uni_bow = uni_bow.astype(np.float64)
        self.keys2, self.lp2, self.bow2, self.keys3, self.lp3 = keys2, lp2, bow2, keys3, lp3
        self._lp = self.uni_lp.tolist()  # Python floats: the segmenter's inner loop
        # For segmenting many windows at once in numpy: each lexicon character gets a 16-bit
        # code, and a word of up to MAX_WORD characters is the uint64 of its codes (codes are
        # never 0, so words of different lengths never share a key).
        chars = sorted({c for w in words for c in w})
        self._codes = {c: i for i, c in enumerate(chars, 1)}
        keys, wids = [], []
        for wid, w in enumerate(words, 1):
            if len(w) <= MAX_WORD:
                key = 0
                for c in w:
                    key = (key << 16) | self._codes[c]
                keys.append(key)
                wids.append(wid)
        order = np.argsort(np.array(keys, dtype=np.uint64), kind="stable")
        self._word_keys = np.array(keys, dtype=np.uint64)[order]
        self._word_ids = np.array(wids, dtype=np.int64)[order]

    @classmethod
    def load(cls, path: Path) -> "GeneralLM":
        with np.load(path) as data:
            return cls(str(data["words"]).split("\n"), data["uni_lp"], data["uni_bow"], data["keys2"],
                       data["lp2"], data["bow2"], data["keys3"], data["lp3"])

    def segment(self, text: str) -> list[int]:
        """Compact word ids of the most probable cut of ``text`` (0 for a character in no word)."""
        n = len(text)
        if not n:
            return []
        get, lp = self.ids.get, self._lp
        best = [0.0] + [-1e18] * n
        back = [0] * (n + 1)
        word = [0] * (n + 1)
        for end in range(1, n + 1):
            for length in range(1, min(MAX_WORD, end) + 1):
                wid = get(text[end - length:end], 0)
                if not wid and length > 1:
                    continue
                score = best[end - length] + lp[wid]
                if score > best[end]:
                    best[end], back[end], word[end] = score, length, wid
        out = []
        at = n
        while at > 0:
            out.append(word[at])
            at -= back[at]
        return out[::-1]

    def segment_many(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """``segment`` for many texts at once, as one array of word ids and the number of words
        of each text: the same dynamic programme, run across all texts together in numpy."""
        count = len(texts)
        width = max((len(t) for t in texts), default=0)
        if not width:
            return np.zeros(0, dtype=np.int64), np.zeros(count, dtype=np.int64)
        get = self._codes.get
        codes = np.zeros((count, width), dtype=np.uint64)
        for k, t in enumerate(texts):
            codes[k, :len(t)] = [get(c, 0) for c in t]
        n = np.array([len(t) for t in texts], dtype=np.int64)
        # words_at[length][:, e]: the lexicon word (0: none) of ``length`` characters ending
        # after character e; its key grows leftwards one character per length.
        table, wids = self._word_keys, self._word_ids
        keys = np.zeros((count, width), dtype=np.uint64)
        known = np.ones((count, width), dtype=bool)  # no character outside the lexicon in it
        words_at = {}
        for length in range(1, min(MAX_WORD, width) + 1):
            span = width - length + 1
            keys[:, length - 1:] |= codes[:, :span] << np.uint64(16 * (length - 1))
            known[:, length - 1:] &= codes[:, :span] > 0
            at = np.minimum(np.searchsorted(table, keys[:, length - 1:]), len(table) - 1)
            found = np.zeros((count, width), dtype=np.int64)
            found[:, length - 1:] = np.where((table[at] == keys[:, length - 1:]) & known[:, length - 1:], wids[at], 0)
            words_at[length] = found
        # The programme, position by position across all texts (they are windows of a few characters).
        lp = self.uni_lp
        best = np.full((count, width + 1), -1e18)
        best[:, 0] = 0.0
        back = np.ones((count, width + 1), dtype=np.int64)
        word = np.zeros((count, width + 1), dtype=np.int64)
        for end in range(1, width + 1):
            top = np.full(count, -1e18)
            for length in range(1, min(MAX_WORD, end) + 1):
                wid = words_at[length][:, end - 1]
                score = best[:, end - length] + lp[wid]
                if length > 1:
                    score = np.where(wid > 0, score, -1e18)
                better = score > top
                top = np.where(better, score, top)
                back[better, end] = length
                word[better, end] = wid[better]
            best[:, end] = top
        out_w, out_k, out_step = [], [], []
        at = n.copy()
        step = 0
        while True:
            live = np.nonzero(at > 0)[0]
            if not len(live):
                break
            out_w.append(word[live, at[live]])
            out_k.append(live)
            out_step.append(np.full(len(live), step))
            at[live] -= back[live, at[live]]
            step += 1
        w, k, st = np.concatenate(out_w), np.concatenate(out_k), np.concatenate(out_step)
        order = np.lexsort((-st, k))
        return w[order], np.bincount(k, minlength=count)

    def score_many(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Natural-log probability of each text as a word sequence (no sentence boundaries: the
        texts are windows cut from sentences) and its number of words. Always finite."""
        ids, lengths = self.segment_many(texts)
        if not lengths.sum():
            return np.zeros(len(texts)), lengths
        owner = np.repeat(np.arange(len(texts)), lengths)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        pos = np.arange(len(ids)) - starts[owner]  # position of each word in its text
        prev1 = np.where(pos >= 1, np.roll(ids, 1), 0)
        prev2 = np.where(pos >= 2, np.roll(ids, 2), 0)
        # Bigram P(w | w1): listed, else bow(w1) * P(w); trigram P(w | w2 w1): listed, else
        # bow(w2 w1) * bigram P(w | w1). An unknown word (id 0) is in no n-gram.
        uni = self.uni_lp[ids]
        bi_lp, bi_found = _lookup(pack(np.column_stack([prev1, ids])), self.keys2, self.lp2)
        bigram = np.where(bi_found, bi_lp, self.uni_bow[prev1] * (prev1 > 0) + uni)
        ctx_bow, _ = _lookup(pack(np.column_stack([prev2, prev1])), self.keys2, self.bow2)
        tri_lp, tri_found = _lookup(pack(np.column_stack([prev2, prev1, ids])), self.keys3, self.lp3)
        trigram = np.where(tri_found, tri_lp, ctx_bow + bigram)
        term = np.where(pos == 0, uni, np.where(pos == 1, bigram, trigram))
        term = np.where((ids == 0) | ((prev1 == 0) & (pos >= 1)), np.minimum(term, uni), term)
        scores = np.bincount(owner, weights=term, minlength=len(texts))
        return scores, lengths

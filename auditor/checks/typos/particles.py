"""的/地/得 misuse (TYP005): a three-way classifier over the context of each 的, 地 or 得.

Every 的/地/得 in correct text is a labelled example (self-supervised), so the classifier
learns which of the three the context asks for without seeing the written one: the features
never read the character itself. A written particle is corrected only when the model prefers
another by more than the calibrated margin (log-odds), which keeps clean text quiet. The margin
depends on the change (的→地, 地→的, …): some mistakes are much rarer in clean text than others.

A sentence's particles are judged together (``SentenceRule``): a writer who confuses 的/地/得
does so repeatedly, so several moderate disagreements flag a sentence as one strong one does,
and once a sentence is flagged its other disagreements are corrected under a much lower margin.
The second step flags no further sentence, so it costs clean text nothing.

Features (hashed into ``DIM`` buckets, one weight per bucket and class): neighbouring
characters and character n-grams, the dictionary words on either side (longest match in
jieba's dictionary) with their jieba part-of-speech tags, the word before those, whether a
candidate forms a word with a neighbour (地方, 得到, 目的, 的确, 种地), reduplication (慢慢,
清清楚楚). The model is plain numpy arrays (``models/typos/de.npz``), loaded once, lazily; the
part-of-speech tags are jieba's, shipped as a sorted table (``models/typos/jieba_tags.npz``)."""
from __future__ import annotations

import threading
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping

import numpy as np

from auditor.resources import MODELS
from auditor.text.normalize import is_han

if TYPE_CHECKING:
    from auditor.checks.typos.wordlm import GeneralLM

PARTICLES = "的地得"
DIM = 1 << 20
MAX_WORD = 4  # longest dictionary word looked up on either side
WINDOW = 6  # characters either side that the general-register LM reads
_PAD_LEFT, _PAD_RIGHT = "^", "$"
TAGS = MODELS / "typos" / "jieba_tags.npz"


@dataclass(frozen=True)
class SentenceRule:
    """How a sentence's particles are judged together (margins in log-odds). A sentence is
    flagged when one disagreement passes its change's margin, or when at least
    ``MIN_SUPPORT`` disagreements pass ``support`` and their margins sum past ``evidence``.
    In a flagged sentence every disagreement above ``follow`` is corrected."""

    support: float = np.inf
    evidence: float = np.inf
    follow: float = np.inf

    def as_array(self) -> np.ndarray:
        return np.array([self.support, self.evidence, self.follow])


MIN_SUPPORT = 2  # a single disagreement is judged by its own change's margin


def sentence_decisions(sentence: np.ndarray, change: np.ndarray, margin: np.ndarray, n: int, margins: np.ndarray,
                       rule: SentenceRule) -> tuple[np.ndarray, np.ndarray]:
    """The joint decision over disagreements (each: its sentence index < ``n``, its change
    ``written * 3 + right``, its margin): which sentences are flagged (n booleans) and which
    disagreements are corrected. ``margins`` is the written × right matrix of margins."""
    strong = margin > margins.reshape(-1)[change]
    support = margin > rule.support
    count = np.bincount(sentence, weights=support, minlength=n)
    total = np.bincount(sentence, weights=np.where(support, margin, 0.0), minlength=n)
    flagged = (np.bincount(sentence, weights=strong, minlength=n) > 0) | ((count >= MIN_SUPPORT) & (total > rule.evidence))
    return flagged, flagged[sentence] & (strong | (margin > rule.follow))


@dataclass(frozen=True)
class ParticleFix:
    pos: int
    wrong: str
    right: str
    margin: float  # log-odds of the right particle over the written one
    before: str  # the words around it, for the message
    after: str


def _shape(ch: str) -> str:
    """Characters as features: Han as themselves, digits and Latin letters by class."""
    if is_han(ch) or not ch.isalnum():
        return ch
    return "0" if ch.isdigit() else "a"


class TagTable:
    """jieba's part-of-speech tag of each dictionary word of at most ``MAX_WORD`` characters (the
    longest the featurizer looks up), as sorted numpy arrays. Loading it takes about 15 ms;
    reading jieba's dictionary file into a dict took 0.25 s of every cold start."""

    def __init__(self, words: np.ndarray, codes: np.ndarray, names: list[str]):
        self.words, self.codes, self.names = words, codes, names
        # Words looked up before (a search of the array costs about thirty dict lookups); bounded by the
        # table and the characters, the only things the featurizer asks about.
        self._seen: dict[str, str | None] = {}

    @classmethod
    def from_dictionary(cls, lines) -> "TagTable":
        """From the lines (bytes) of a jieba dictionary file: ``word freq tag``; a later line
        of the same word wins, as in jieba."""
        tags = {}
        for line in lines:
            parts = line.decode("utf-8").split()
            if len(parts) == 3 and len(parts[0]) <= MAX_WORD:
                tags[parts[0]] = parts[2]
        names = sorted(set(tags.values()))
        code = {t: k for k, t in enumerate(names)}
        words = sorted(tags)
        return cls(np.array(words, dtype=f"U{MAX_WORD}"), np.array([code[tags[w]] for w in words], dtype=np.uint8),
                   names)

    @classmethod
    def load(cls, path: Path) -> "TagTable":
        with np.load(path) as z:
            return cls(z["words"], z["codes"], z["names"].tolist())

    def save(self, path: Path) -> None:
        np.savez_compressed(path, words=self.words, codes=self.codes, names=np.array(self.names))

    def get(self, word: str, default: str) -> str:
        try:
            tag = self._seen[word]
        except KeyError:
            tag = self._seen[word] = self._find(word)
        return default if tag is None else tag

    def _find(self, word: str) -> str | None:
        if len(word) > MAX_WORD:
            return None
        k = int(np.searchsorted(self.words, word))
        return self.names[self.codes[k]] if k < len(self.words) and self.words[k] == word else None


class Featurizer:
    """The hashed feature ids of a position. ``words`` is jieba's frequency table (prefixes
    carry 0), ``tags`` its part-of-speech tags."""

    def __init__(self, words: Mapping[str, int], tags: TagTable):
        self.words = words
        self.tags = tags

    def _is_word(self, w: str) -> bool:
        return self.words.get(w, 0) > 0

    def _left_word(self, text: str, end: int) -> str:
        for k in range(min(MAX_WORD, end), 1, -1):
            if self._is_word(text[end - k:end]):
                return text[end - k:end]
        return text[end - 1:end] if end > 0 else _PAD_LEFT

    def _right_word(self, text: str, start: int) -> str:
        for k in range(min(MAX_WORD, len(text) - start), 1, -1):
            if self._is_word(text[start:start + k]):
                return text[start:start + k]
        return text[start:start + 1] if start < len(text) else _PAD_RIGHT

    def names(self, text: str, i: int, candidates: str = PARTICLES) -> list[str]:
        """The feature strings of position ``i`` (the character itself is never read); word formation
        is asked of each of ``candidates`` (none: the context alone, for other confusion sets)."""
        left = "".join(map(_shape, text[max(0, i - 4):i])).rjust(4, _PAD_LEFT)
        right = "".join(map(_shape, text[i + 1:i + 5])).ljust(4, _PAD_RIGHT)
        tag = self.tags.get
        lw = self._left_word(text, i)
        rw = self._right_word(text, i + 1)
        pw = self._left_word(text, i - len(lw)) if i - len(lw) > 0 else _PAD_LEFT
        nw = self._right_word(text, i + 1 + len(rw)) if i + 1 + len(rw) < len(text) else _PAD_RIGHT
        tl, tr, tp, tn = tag(lw, "x"), tag(rw, "x"), tag(pw, "x"), tag(nw, "x")
        l1, l2, r1, r2 = left[3], left[2:], right[0], right[:2]
        f = ["b", "l1" + l1, "l2" + l2, "l3" + left[1:], "l4" + left, "r1" + r1, "r2" + r2, "r3" + right[:3],
             "L2" + left[2], "R2" + right[1], "lr" + l1 + r1, "lr2" + l2 + r1, "lr3" + l1 + r2, "lr4" + l2 + r2,
             "lw" + lw, "rw" + rw, "lwrw" + lw + "|" + rw, "tl" + tl, "tr" + tr, "tt" + tl + "|" + tr,
             "tlrw" + tl + "|" + rw, "lwtr" + lw + "|" + tr, "pw" + pw, "tp" + tp, "ttt" + tp + "|" + tl + "|" + tr,
             "pwlw" + pw + "|" + lw, "nw" + nw, "trn" + tr + "|" + tn, "rwnw" + rw + "|" + nw,
             "tlr1" + tl + "|" + r1, "l1tr" + l1 + "|" + tr, "llw" + str(len(lw)) + tl, "lrw" + str(len(rw)) + tr]
        if l1 == left[2] and is_han(l1):
            f.append("AA" + tr)  # 慢慢地, 好好地
            if left[0] == left[1]:
                f.append("AABB" + tr)  # 清清楚楚地
        for c in candidates:
            # A candidate that makes a word with its neighbours: 土地, 地方, 目的, 的确, 得到, 有的是.
            for k in (1, 2, 3):
                if i - k >= 0 and self._is_word(text[i - k:i] + c):
                    f.append(f"wl{k}{c}")
                if i + 1 + k <= len(text) and self._is_word(c + text[i + 1:i + 1 + k]):
                    f.append(f"wr{k}{c}")
            if 0 < i < len(text) - 1 and self._is_word(text[i - 1] + c + text[i + 1]):
                f.append("wm" + c)
        return f

    def ids(self, text: str, i: int) -> np.ndarray:
        return np.fromiter((zlib.crc32(n.encode("utf-8")) & (DIM - 1) for n in self.names(text, i)),
                           dtype=np.int64)


def general_features(general: "GeneralLM", places: list[tuple[str, int]]) -> np.ndarray:
    """What general Chinese thinks of each particle at each (text, position): the
    general-register word LM's log-probability of the window with 的, 地 and 得 in turn, less
    the best of the three (len(places) × 3, each row's maximum 0)."""
    windows = [text[max(0, i - WINDOW):i] + c + text[i + 1:i + 1 + WINDOW] for text, i in places for c in PARTICLES]
    scores, _ = general.score_many(windows)
    scores = scores.reshape(len(places), 3)
    return scores - scores.max(axis=1, keepdims=True)


class ParticleModel:
    """Weights (3 × DIM hashed, 3 × 3 for the general LM's scores), the correction margins
    (``margins[written, right]``, or one ``margin`` for every change) and the sentence rule,
    from ``de.npz``."""

    def __init__(self, weights: np.ndarray, dense: np.ndarray, margin: float | np.ndarray, featurizer: Featurizer,
                 general: "GeneralLM", rule: SentenceRule = SentenceRule()):
        self.weights = weights
        self.dense = dense
        self.margins = np.broadcast_to(np.asarray(margin, dtype=np.float64), (3, 3))
        self.rule = rule
        self.featurizer = featurizer
        self.general = general

    @classmethod
    def load(cls, path: Path, words: Mapping[str, int], tags: Mapping[str, str], general: "GeneralLM"
             ) -> "ParticleModel":
        with np.load(path) as z:
            if "".join(z["classes"].tolist()) != PARTICLES or int(z["dim"]) != DIM:
                raise ValueError(f"{path}: not a {PARTICLES} model with {DIM} features")
            margin = z["margins"] if "margins" in z.files else float(z["margin"])
            rule = SentenceRule(*z["sentence_rule"].astype(np.float64)) if "sentence_rule" in z.files else SentenceRule()
            # The hashed weights stay float16 (6 MB, no conversion at load); the few columns a
            # batch reads are widened before summing, so the sums are those of float32 weights.
            return cls(z["weights"], z["dense"].astype(np.float32), margin,
                       Featurizer(words, tags), general, rule)

    def scores(self, text: str, positions: list[int]) -> np.ndarray:
        """Log-probabilities (len(positions) × 3) of 的, 地, 得 at each position."""
        return self.scores_many([(text, i) for i in positions])

    def scores_many(self, places: list[tuple[str, int]]) -> np.ndarray:
        """``scores`` of (text, position) pairs from many texts: one numpy pass, one call of
        the general-register LM for all of them."""
        if not places:
            return np.zeros((0, 3), dtype=np.float32)
        ids = [self.featurizer.ids(text, i) for text, i in places]
        starts = np.cumsum([0] + [len(r) for r in ids[:-1]])
        columns = self.weights[:, np.concatenate(ids)].astype(np.float32)
        logits = np.add.reduceat(columns, starts, axis=1).T
        logits = logits + general_features(self.general, places) @ self.dense.T
        logits -= logits.max(axis=1, keepdims=True)
        return logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))

    def fixes(self, text: str, skip: Callable[[int], bool] | None = None, margin: float | None = None
              ) -> list[ParticleFix]:
        """The particles of ``text`` the model would change, with the margin over the written one.
        ``skip(pos)`` leaves a position alone (names, quotations of titles, Traditional text)."""
        return self.fixes_many([text], None if skip is None else [skip], margin)[0]

    def fixes_many(self, texts: list[str], skips: list[Callable[[int], bool] | None] | None = None,
                   margin: float | None = None) -> list[list[ParticleFix]]:
        """``fixes`` of many sentences, scored together (a document's sentences), each sentence's
        particles judged jointly by the sentence rule. With ``margin``, every disagreement above it
        instead (calibration reads them all at 0)."""
        places = [(k, i) for k, text in enumerate(texts) for i, ch in enumerate(text) if ch in PARTICLES
                  and not (skips is not None and skips[k] is not None and skips[k](i))]
        out: list[list[ParticleFix]] = [[] for _ in texts]
        if not places:
            return out
        rows = self.scores_many([(texts[k], i) for k, i in places])
        written = np.array([PARTICLES.index(texts[k][i]) for k, i in places])
        best = rows.argmax(axis=1)
        gain = (rows[np.arange(len(places)), best] - rows[np.arange(len(places)), written]).astype(np.float64)
        differ = np.flatnonzero(best != written)
        if margin is None:
            sentence = np.array([places[j][0] for j in differ], dtype=np.int64)
            _, on = sentence_decisions(sentence, written[differ] * 3 + best[differ], gain[differ], len(texts),
                                       self.margins, self.rule)
        else:
            on = gain[differ] > margin
        f = self.featurizer
        for j in differ[on]:
            k, i = places[j]
            text = texts[k]
            before = f._left_word(text, i) if i > 0 else ""
            after = f._right_word(text, i + 1) if i + 1 < len(text) else ""
            out[k].append(ParticleFix(i, text[i], PARTICLES[best[j]], float(gain[j]), before.strip(_PAD_LEFT),
                                      after.strip(_PAD_RIGHT)))
        return out


_lock = threading.Lock()
_tags: TagTable | None = None


def jieba_tags() -> TagTable:
    """jieba's part-of-speech tags (the shipped table, loaded once)."""
    global _tags
    with _lock:
        if _tags is None:
            _tags = TagTable.load(TAGS)
    return _tags

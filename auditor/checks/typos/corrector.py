"""The spelling corrector behind TYP001: candidates from confusion sets, scored in
context by the official-register character LM and by word validity, accepted by a
classifier trained on training data only (scripts/train_typos.py).

For each Han character the corrector tries every confusable character (same pinyin,
fuzzy pinyin, similar shape), keeps the replacements that make the LM prefer the
sentence, describes each by a feature vector and lets the classifier give the
probability that it is the right correction."""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping

import numpy as np

from auditor.checks.typos.forest import Forest
from auditor.checks.typos.lm import BOUNDARY, ORDER, UNKNOWN, CharLM
from auditor.checks.typos.wordlm import GeneralLM
from auditor.text.normalize import is_han

# How a candidate relates to the written character; "seen": the pair occurs in training data.
CONFUSION_TYPES = {"tone": 1, "pinyin": 2, "shape": 4, "fuzzy": 8, "seen": 16}
FEATURES = ("lp_delta", "lp_orig", "lp_cand", "order_orig", "order_cand", "char_orig", "char_cand",
            "tone", "pinyin", "shape", "fuzzy", "seen", "word_orig", "word_cand", "wordlen_orig", "wordlen_cand",
            "margin", "rivals", "span", "familiarity", "g_delta", "g_orig", "g_words")
# The word route's extra features (a classifier fitted with them turns the route on): whether the
# row is a word-level candidate, how many characters it changes, and the log frequency in jieba's
# dictionary of the written span and of its replacement as whole words (0: not a word).
WORD_FEATURES = ("word_route", "changed", "seg_orig", "seg_cand")
# A character whose centred trigram and one of its 4-grams occur this often in the official
# corpus is left alone: 55% of positions, 0.5% of the errors in the ECSpell training data.
SAFE_COUNT = 3
TOP_PER_POSITION = 4
LM_KEEP = 0.0  # a replacement must change the official LM's log score by more than this
PAIR_MIN_FREQ = 100  # two-character words offered as two-character replacements
_SOUND = CONFUSION_TYPES["tone"] | CONFUSION_TYPES["pinyin"] | CONFUSION_TYPES["fuzzy"]
MAX_WORD = 4  # longest dictionary word looked at around a character
PAIR_MEMO = 20_000  # neighbour pairs memoized (about 0.7 kB each; the common ones recur)
WORD_MEMO = 100_000  # dictionary words whose log frequency is memoized (about 0.1 kB each)
# A single character this frequent as a word in jieba's dictionary (是, 为, 也, 便, 却:
# 93 characters) is a word of its own: replacing it is a real-word substitution.
COMMON_CHAR_WORD = 50_000
GENERAL_WINDOW = 5  # characters either side of a replacement that the general-register LM reads
# Word-level candidates (不旦→不但, 失误招领→失物招领): a written segment of 2-4 characters that is
# no word, or a rare one (jieba frequency <= WORD_RARE), becomes a dictionary word at least this
# frequent through one sound-alike change. (Two changes in a word of three or four characters
# added 1 right candidate of 117 on CSCD-NS part 1 and cost 5 s of index at start.)
WORD_ROUTE_MIN = {2: 100, 3: 20, 4: 3}
WORD_RARE = 10
WORD_ROUTE_TOP = 1  # word candidates kept per start, best LM change first (two: 42% slower, MODEL_CARD.md)
_WORDLEN_ORIG = FEATURES.index("wordlen_orig")
_WORDLEN_CAND = FEATURES.index("wordlen_cand")


@dataclass(frozen=True)
class Correction:
    start: int
    wrong: str
    right: str  # same length as wrong
    probability: float


@dataclass(frozen=True)
class Confusable:
    """The candidates for one written character."""

    chars: tuple[str, ...]
    ids: np.ndarray  # their LM ids
    bits: np.ndarray  # their CONFUSION_TYPES bits
    by_char: dict[str, tuple[int, int]]  # candidate -> (LM id, bits), as Python ints
    sounds: frozenset[str]  # the candidates that sound alike


class Corrector:
    def __init__(self, lm: CharLM, confusion: Mapping[str, Confusable],
                 words: Mapping[str, int], model: Forest | None = None, thresholds: Mapping[str, float] | None = None,
                 general: GeneralLM | None = None, word_route: bool = False):
        self.lm, self.confusion, self.words, self.general = lm, confusion, words, general
        self.word_route = word_route
        self._word_index: dict[str, set[str]] | None = None  # built on first need (word route only)
        self._segments: dict[str, tuple] = {}  # written segment -> its word candidates, on first need
        pairs: dict[str, set[str]] = {}
        for w, f in words.items():
            if len(w) == 2 and f >= PAIR_MIN_FREQ and w[0] in lm.ids and w[1] in lm.ids:
                pairs.setdefault(w[0], set()).add(w[1])
        self._pair_words = {c: frozenset(v) for c, v in pairs.items()}
        self._pair_firsts: dict[str, tuple] = {}  # filled per written character on first need
        self._pairs: dict[str, tuple] = {}  # per two written characters, on first need
        # "error": confident typo; "warning": the lowest probability reported at all.
        self.model, self.thresholds = model, dict(thresholds or {"error": 0.5, "warning": 0.5})
        self._word_total = float(sum(words.values())) or 1.0
        self._word_scores: dict[str, float] = {}  # word -> log relative frequency + 20, on first need

    @property
    def features(self) -> tuple[str, ...]:
        """The columns of ``candidates``' feature rows."""
        return FEATURES + WORD_FEATURES if self.word_route else FEATURES

    @classmethod
    def load(cls, folder: Path, words: Mapping[str, int], word_route: bool | None = None) -> "Corrector":
        """The models in ``folder``; the word route is on if the classifier was fitted with its
        features, unless ``word_route`` says otherwise (training)."""
        lm = CharLM.load(folder / "lm.npz")
        raw = json.loads((folder / "confusion.json").read_text(encoding="utf-8"))
        confusion = {}
        for ch, packed in raw.items():
            cands = tuple(packed[0::3])
            ids = [lm.ids[c] for c in cands]
            bits = [int(packed[k + 1:k + 3], 16) for k in range(0, len(packed), 3)]
            confusion[ch] = Confusable(cands, np.array(ids, dtype=np.int64), np.array(bits),
                                       dict(zip(cands, zip(ids, bits))), frozenset())
            entry = confusion[ch]
            confusion[ch] = replace(entry, sounds=frozenset(c for c, b in zip(cands, entry.bits) if b & _SOUND))
        model, thresholds = None, None
        if (folder / "classifier.npz").is_file():
            with np.load(folder / "classifier.npz") as data:
                model = Forest.load(data)
                thresholds = {"error": float(data["error"]), "warning": float(data["warning"])}
                fitted_with = "features" in data and WORD_FEATURES[0] in data["features"].tolist()
                word_route = fitted_with if word_route is None else word_route
        general = GeneralLM.load(folder / "open-gram.npz") if (folder / "open-gram.npz").is_file() else None
        return cls(lm, confusion, words, model, thresholds, general, bool(word_route))

    def pair_firsts(self, ch: str) -> tuple[tuple[str, int, int, frozenset[str]], ...]:
        """For the written character ``ch``: its sound-alike candidates that start a common
        two-character word, with the word's possible second characters."""
        found = self._pair_firsts.get(ch)
        if found is None:
            e, words = self.confusion[ch], self._pair_words
            found = tuple((c, i, b, words[c]) for c, i, b in zip(e.chars, e.ids.tolist(), e.bits.tolist())
                          if b & _SOUND and c in words)
            self._pair_firsts[ch] = found
        return found

    def pair_words(self, written: str) -> tuple[tuple[str, int, int, int], ...]:
        """For two written characters: the common two-character words that sound like both
        (word, first id, second id, confusion bits), in a fixed order. Memoized: the same
        neighbours recur all through a text."""
        found = self._pairs.get(written)
        if found is None:
            second = self.confusion[written[1]]
            info, sounds = second.by_char, second.sounds
            words = []
            for c1, id1, bit1, seconds in self.pair_firsts(written[0]):
                for c2 in seconds & sounds:
                    id2, bit2 = info[c2]
                    words.append((c1 + c2, id1, id2, bit1 | bit2))
            words.sort()
            found = tuple(words)
            if len(self._pairs) >= PAIR_MEMO:
                self._pairs.clear()
            self._pairs[written] = found
        return found

    def segment_words(self, written: str) -> tuple[tuple[str, int], ...]:
        """For a written segment of 2-4 characters: the common dictionary words it becomes by one
        sound-alike change (word, confusion bits). Memoized like ``pair_words``."""
        found = self._segments.get(written)
        if found is not None:
            return found
        if self._word_index is None:  # the word with one character left out -> that character
            index: dict[str, set[str]] = {}
            for w, f in self.words.items():
                n = len(w)
                if 2 <= n <= MAX_WORD and f >= WORD_ROUTE_MIN[n]:
                    for j in range(n):
                        index.setdefault(w[:j] + "*" + w[j + 1:], set()).add(w[j])
            self._word_index = index
        index = self._word_index
        get, n, out = self.confusion.get, len(written), []
        for j in range(n):
            e = get(written[j])
            if e is None:
                continue
            for c in index.get(written[:j] + "*" + written[j + 1:], set()) & e.sounds:
                out.append((written[:j] + c + written[j + 1:], e.by_char[c][1]))
        found = tuple(sorted(out))
        if len(self._segments) >= WORD_MEMO:
            self._segments.clear()
        self._segments[written] = found
        return found

    def _word_route_rows(self, text: str, blocked: np.ndarray) -> tuple[list, list, list, list]:
        """Word-level candidates over the segments of ``text`` that no guard or separator
        touches and that are no word or a rare one: starts, words, LM ids (MAX_WORD columns), bits."""
        ok = [not b and is_han(ch) for b, ch in zip(blocked.tolist(), text)]
        get, ids, out = self.words.get, self.lm.ids, ([], [], [], [])
        for a in range(len(text)):
            for n in range(2, MAX_WORD + 1):
                if a + n > len(text) or not ok[a + n - 1] or not ok[a]:
                    break
                written = text[a:a + n]
                if get(written, 0) > WORD_RARE:
                    continue
                for word, bit in self.segment_words(written):
                    for column, value in zip(out, (a, word, [ids.get(c, UNKNOWN) for c in word] + [0] * (MAX_WORD - n), bit)):
                        column.append(value)
        return out

    def candidates(self, text: str, protected: np.ndarray | None = None,
                   batch: "Batch | None" = None) -> tuple[np.ndarray, list[str], np.ndarray]:
        """Start positions, replacements (one character, two for a two-character word written
        wrong in both characters, or with the word route a whole word of 2-4) and feature rows
        (columns = ``self.features``) of the replacements the LM prefers. ``text`` is normalized text; ``protected`` marks
        positions that must not change (known names). With ``batch``, ``text`` is many
        sentences joined by boundary separators and every sentence is scored as if alone."""
        empty = (np.zeros(0, dtype=np.int64), [], np.zeros((0, len(self.features))))
        if not text:
            return empty
        ids = self.lm.encode(text) if batch is None else batch.ids
        skip = self.lm.attested(ids, SAFE_COUNT)
        if protected is not None:
            skip |= protected
        if batch is not None:
            skip |= batch.separator
        get = self.confusion.get
        entries = [None if skipped else get(ch) for skipped, ch in zip(skip.tolist(), text)]
        starts, repls, cand_ids, bits, spans = [], [], [], [], []
        at = [i for i, entry in enumerate(entries) if entry is not None]
        if at:
            pos1 = np.repeat(at, [len(entries[i].ids) for i in at])
            ids1 = np.concatenate([entries[i].ids for i in at])
            # A replacement that forms a seen bigram with neither neighbour has only its
            # character frequency to offer: 70% of the candidates, almost never the right one.
            padded = np.concatenate([[BOUNDARY], ids, [BOUNDARY]]).astype(np.uint64)
            c = ids1.astype(np.uint64)
            seen = (self.lm.count(2, (padded[pos1] << np.uint64(16)) | c) > 0) | \
                   (self.lm.count(2, (c << np.uint64(16)) | padded[pos1 + 2]) > 0)
            flat = [ch for i in at for ch in entries[i].chars]
            sel = np.nonzero(seen)[0]
            starts.append(pos1[sel])
            repls.extend(flat[k] for k in sel.tolist())
            cand_ids.append(ids1[sel][:, None])
            bits.append(np.concatenate([entries[i].bits for i in at])[sel])
            spans.append(np.ones(len(sel), dtype=np.int64))
        # Two neighbours both wrong ("行市" for "夯实"): common dictionary words that sound like
        # what is written in both characters.
        p2, r2, i2, b2 = [], [], [], []
        for i in at:
            if i + 1 < len(text) and entries[i + 1] is not None:
                for word, id1, id2, bit in self.pair_words(text[i:i + 2]):
                    p2.append(i)
                    r2.append(word)
                    i2.append((id1, id2))
                    b2.append(bit)
        if p2:
            starts.append(np.array(p2))
            repls.extend(r2)
            cand_ids.append(np.array(i2, dtype=np.int64))
            bits.append(np.array(b2))
            spans.append(np.full(len(p2), 2))
        # Word-level candidates (不旦→不但), past the gates above: the right word may sit in an
        # attested context or form no seen bigram character by character.
        p4 = []
        if self.word_route:
            blocked = np.zeros(len(text), dtype=bool) if protected is None else protected.copy()
            if batch is not None:
                blocked |= batch.separator
            p4, r4, i4, b4 = self._word_route_rows(text, blocked)
            if p4:
                starts.append(np.array(p4))
                repls.extend(r4)
                cand_ids.append(np.array(i4, dtype=np.int64))
                bits.append(np.array(b4))
                spans.append(np.array([len(w) for w in r4]))
        if not starts:
            return empty
        width = MAX_WORD if p4 else 2
        cand_ids = [np.pad(c, ((0, 0), (0, width - c.shape[1]))) for c in cand_ids]
        is_word = np.concatenate([np.zeros(sum(map(len, spans)) - len(p4), dtype=bool), np.ones(len(p4), dtype=bool)])
        positions, cand_ids = np.concatenate(starts), np.concatenate(cand_ids)
        bits, span = np.concatenate(bits), np.concatenate(spans)
        # Every n-gram the features need — the whole sentence (familiarity), originals once
        # per position and replacements, for one- and two-character spans — scored in one call.
        fam = np.lib.stride_tricks.sliding_window_view(
            np.concatenate([np.zeros(ORDER - 1, dtype=np.int64), ids]), ORDER)
        plans, blocks = [], [fam]
        for k in range(1, width + 1):
            sel = np.nonzero(span == k)[0]
            if len(sel):
                uniq, row = np.unique(positions[sel], return_inverse=True)
                limit_o = limit_c = None
                if batch is not None:  # terms past a sentence's end boundary belong to the next one
                    limit_o, limit_c = batch.end[uniq], batch.end[positions[sel]]
                grams_o, valid_o = self.lm.window_grams(ids, uniq, ids[uniq[:, None] + np.arange(k)[None, :]], limit_o)
                grams_c, valid_c = self.lm.window_grams(ids, positions[sel], cand_ids[sel, :k], limit_c)
                plans.append((sel, row, valid_o, valid_c))
                blocks += [grams_o.reshape(-1, ORDER), grams_c.reshape(-1, ORDER)]
        scores, orders = self.lm.logprob(np.concatenate(blocks))
        if batch is None:
            familiarity: float | np.ndarray = float(scores[:len(fam)].mean())
        else:  # per sentence: the mean over its own characters
            fam_scores = scores[:len(fam)]
            sums = np.add.reduceat(np.where(batch.separator, 0.0, fam_scores), batch.starts)
            familiarity = (sums / batch.lengths)[batch.sentence]
        at = len(fam)
        lm = np.zeros((len(positions), 5))
        for sel, row, valid_o, valid_c in plans:
            parts = []
            for valid in (valid_o, valid_c):
                size = valid.size
                parts.append((scores[at:at + size].reshape(valid.shape), orders[at:at + size].reshape(valid.shape), valid))
                at += size
            lm[sel] = _lm_features(*parts[0], *parts[1], row)
        keep = np.nonzero((lm[:, 0] > LM_KEEP) | is_word)[0]
        if not len(keep):
            return empty
        # Only the TOP_PER_POSITION replacements the LM likes best at each start (WORD_ROUTE_TOP
        # word candidates) go on to the word features and the classifier (the cost of both grows
        # with candidates).
        group_of = positions * 2 + is_word
        order = keep[np.lexsort((-lm[keep, 0], group_of[keep]))]
        group = group_of[order]
        first = np.searchsorted(group, group)
        keep = np.sort(order[np.arange(len(order)) - first < np.where(is_word[order], WORD_ROUTE_TOP, TOP_PER_POSITION)])
        positions, cand_ids, bits, span, lm = positions[keep], cand_ids[keep], bits[keep], span[keep], lm[keep]
        is_word = is_word[keep]
        repls = [repls[k] for k in keep]
        if batch is None:
            lo, hi = np.zeros(len(positions), dtype=np.int64), np.full(len(positions), len(text))
        else:
            lo = batch.offsets[batch.sentence[positions]]
            hi = lo + batch.lengths[batch.sentence[positions]]
        general = self._general_features(text, positions, repls, lo, hi)
        if self.word_route:
            # A word candidate general Chinese does not prefer is dropped: on CSCD-NS part 1 that
            # keeps 110 of its 117 right ones and a sixth of the rest.
            keep = np.nonzero(~is_word | (general[:, 0] > 0))[0]
            positions, cand_ids, bits, span, lm = positions[keep], cand_ids[keep], bits[keep], span[keep], lm[keep]
            is_word, general, repls = is_word[keep], general[keep], [repls[k] for k in keep]
        delta = lm[:, 0]
        best = np.zeros(len(text))
        rivals = np.zeros(len(text))
        # Over the character candidates: a word candidate is measured against them.
        np.maximum.at(best, positions[~is_word], delta[~is_word])
        np.add.at(rivals, positions[~is_word], 1)
        counts_o = np.log1p(self.lm.char_count(ids))
        inside = np.arange(width)[None, :] < span[:, None]
        covered = np.minimum(positions[:, None] + np.arange(width)[None, :], len(text) - 1)
        char_o = np.where(inside, counts_o[covered], np.inf).min(1)
        counts_c = np.log1p(self.lm.char_count(cand_ids))
        char_c = np.where(inside, counts_c, np.inf).min(1)
        written: dict[tuple[int, int], tuple[float, int]] = {}  # the original's words, once per span
        word = np.array([self._word_features(text, int(p), r, written) for p, r in zip(positions, repls)]).reshape(-1, 4)
        X = np.column_stack([
            lm, char_o, char_c, *[(bits & b) > 0 for b in CONFUSION_TYPES.values()],
            word, best[positions] - delta, rivals[positions], span,
            np.full(len(positions), familiarity) if batch is None else familiarity[positions],
            general,
        ]).astype(float)
        if self.word_route:
            seg = [(self._word_score(text[p:p + len(r)]), self._word_score(r)) for p, r in zip(positions.tolist(), repls)]
            changed = np.array([sum(a != b for a, b in zip(text[p:p + len(r)], r)) for p, r in zip(positions.tolist(), repls)])
            X = np.column_stack([X, is_word, changed, np.array(seg).reshape(-1, 2)])
        return positions, repls, X

    def _word_score(self, word: str) -> float:
        """log relative frequency + 20 of ``word`` in jieba's dictionary, 0 if it is none (memoized:
        np.log of a scalar is slow)."""
        score = self._word_scores.get(word)
        if score is None:
            f = self.words.get(word, 0)
            if f <= 0:
                return 0.0
            if len(self._word_scores) >= WORD_MEMO:
                self._word_scores.clear()
            score = self._word_scores[word] = np.log(f / self._word_total) + 20
        return score

    def _general_features(self, text: str, positions: np.ndarray, repls: list[str],
                          lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """What general Chinese thinks of each replacement: the general-register LM's score
        change over a window around it (never past its sentence), the original window's score,
        and the change in the number of words the window is cut into (a typo splits words)."""
        if self.general is None or not len(positions):
            return np.zeros((len(positions), 3))
        windows: dict[str, int] = {}
        pairs = []
        for p, r, a, b in zip(positions.tolist(), repls, lo.tolist(), hi.tolist()):
            a, b = max(a, p - GENERAL_WINDOW), min(b, p + len(r) + GENERAL_WINDOW)
            orig, cand = text[a:b], text[a:p] + r + text[p + len(r):b]
            pairs.append((windows.setdefault(orig, len(windows)), windows.setdefault(cand, len(windows))))
        scores, words = self.general.score_many(list(windows))
        o, c = np.array(pairs).T
        return np.column_stack([scores[c] - scores[o], scores[o], words[c] - words[o]])

    def _word_features(self, text: str, i: int, repl: str,
                       written: dict[tuple[int, int], tuple[float, int]]) -> tuple[float, float, int, int]:
        """Best log frequency and longest length of a dictionary word covering the replaced
        span, in the original (memoized in ``written`` per span) and with ``repl`` written at i."""
        k = len(repl)
        if (i, k) not in written:
            written[(i, k)] = self._best_word(text, i, k, text[i:i + k])
        freq_o, len_o = written[(i, k)]
        freq_c, len_c = self._best_word(text, i, k, repl)
        return freq_o, freq_c, len_o, len_c

    def _best_word(self, text: str, i: int, k: int, middle: str) -> tuple[float, int]:
        """Over the words of 2..MAX_WORD characters that cover text[i:i + k] read as ``middle``."""
        get = self.words.get
        best, longest = 0.0, 0
        n = len(text)
        for length in range(max(2, k), MAX_WORD + 1):
            for a in range(max(0, i + k - length), min(i, n - length) + 1):
                word = text[a:i] + middle + text[i + k:a + length]
                if get(word, 0) > 0:
                    score = self._word_score(word)
                    if score > best:
                        best = score
                    longest = length
        return best, longest

    def probabilities(self, X: np.ndarray) -> np.ndarray:
        if self.model is None or not len(X):
            return np.zeros(len(X))
        return self.model.predict_proba(X)

    def cuts(self, X: np.ndarray, threshold: float | None, written: list[str] | None = None) -> np.ndarray | float:
        """The probability each candidate must reach: ``threshold`` if given; otherwise the
        warning cut, but the error cut for a real-word substitution, where the written
        characters already form a dictionary word with a neighbour (登机→登记) or are by
        themselves a common word (``written``: 敢走→赶走, 为→未). That is where the
        official-register LM misleads most. Chosen on dev sentences (see MODEL_CARD.md)."""
        if threshold is not None:
            return threshold
        in_word = X[:, _WORDLEN_ORIG] >= 2
        real_word = in_word
        if written is not None:
            get = self.words.get
            real_word = in_word | np.array([len(w) == 1 and get(w, 0) >= COMMON_CHAR_WORD for w in written], dtype=bool)
        cut = np.where(real_word, self.thresholds["error"], self.thresholds["warning"])
        # Breaking a dictionary word without making one (中医义诊 → 中医医诊, where the LM
        # knows 中医医院) is not reported at all. On dev sentences it changed odw F1 by 0.000,
        # law by -0.004 and no clean or People's Daily false-alarm rate.
        return np.where(in_word & (X[:, _WORDLEN_CAND] < 2), np.inf, cut)

    def correct(self, text: str, protected: np.ndarray | None = None, threshold: float | None = None) -> list[Correction]:
        """The most probable non-overlapping replacements whose probability reaches its cut."""
        positions, repls, X = self.candidates(text, protected)
        written = [text[p:p + len(r)] for p, r in zip(positions.tolist(), repls)]
        return select(text, positions, repls, self.probabilities(X), self.cuts(X, threshold, written))

    def correct_many(self, texts: list[str], protected: list[np.ndarray],
                     threshold: float | None = None) -> list[list[Correction]]:
        """``correct`` for many sentences in one pass: the same results, but the n-gram
        lookups of a whole document go to numpy together instead of a dozen calls per sentence."""
        if not texts:
            return []
        batch = Batch.build(self.lm, texts)
        joined = SEPARATOR.join(texts)
        mask = np.concatenate([np.concatenate([m, np.ones(len(SEPARATOR), dtype=bool)]) for m in protected])[:len(joined)]
        positions, repls, X = self.candidates(joined, mask, batch)
        written = [joined[p:p + len(r)] for p, r in zip(positions.tolist(), repls)]
        cut = np.broadcast_to(self.cuts(X, threshold, written), len(positions))
        prob = self.probabilities(X)
        out: list[list[Correction]] = []
        which = batch.sentence[positions] if len(positions) else positions
        for k, text in enumerate(texts):
            sel = np.nonzero(which == k)[0]
            offset = int(batch.offsets[k])
            out.append(select(text, positions[sel] - offset, [repls[j] for j in sel], prob[sel], cut[sel]))
        return out


SEPARATOR = "\x00" * (ORDER - 1)  # enough boundary ids that no n-gram spans two sentences


@dataclass(frozen=True)
class Batch:
    """Sentences joined by SEPARATOR: their ids (separators = boundary 0), where each
    sentence starts, which sentence each position belongs to, and the index of the boundary
    that ends it (n-gram terms past it are not the sentence's)."""

    ids: np.ndarray
    separator: np.ndarray
    offsets: np.ndarray
    starts: np.ndarray  # offsets, for reduceat over per-position arrays
    lengths: np.ndarray
    sentence: np.ndarray
    end: np.ndarray  # per position: index, in the padded ids window_grams uses, of the end boundary

    @classmethod
    def build(cls, lm: CharLM, texts: list[str]) -> "Batch":
        sep = len(SEPARATOR)
        lengths = np.array([len(t) for t in texts], dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(lengths + sep)[:-1]]).astype(np.int64)
        total = int(offsets[-1] + lengths[-1])
        ids = np.zeros(total, dtype=np.int64)
        separator = np.ones(total, dtype=bool)
        sentence = np.zeros(total, dtype=np.int64)
        end = np.zeros(total, dtype=np.int64)
        for k, (text, off, n) in enumerate(zip(texts, offsets, lengths)):
            ids[off:off + n] = lm.encode(text)
            separator[off:off + n] = False
            sentence[off:off + n + sep] = k
            end[off:off + n + sep] = off + n + ORDER - 1  # the first separator after it, padded
        return cls(ids, separator, offsets, offsets, lengths, sentence, end)


def _lm_features(lp_o, ord_o, valid_o, lp_c, ord_c, valid_c, row) -> np.ndarray:
    """Per replacement: the LM score change of the sentence, the first changed term's score
    and the mean matched n-gram order, original (rows ``row`` of the *_o arrays) vs replaced."""
    sum_o, sum_c = (lp_o * valid_o).sum(1), (lp_c * valid_c).sum(1)
    mean_o = (ord_o * valid_o).sum(1) / valid_o.sum(1)
    mean_c = (ord_c * valid_c).sum(1) / valid_c.sum(1)
    return np.column_stack([sum_c - sum_o[row], lp_o[row, 0], lp_c[:, 0], mean_o[row], mean_c])


def select(text: str, positions: np.ndarray, repls: list[str], prob: np.ndarray,
           cut: float | np.ndarray) -> list[Correction]:
    """Greedy choice, most probable first, of replacements that reach their cut (one for
    all, or one per replacement) and do not overlap."""
    taken: set[int] = set()
    out = []
    cuts = np.broadcast_to(cut, prob.shape)
    for k in np.argsort(-prob, kind="stable"):
        if prob[k] < cuts[k]:
            continue
        p, r = int(positions[k]), repls[k]
        cells = set(range(p, p + len(r)))
        if cells & taken:
            continue
        taken |= cells
        out.append(Correction(p, text[p:p + len(r)], r, float(prob[k])))
    return sorted(out, key=lambda c: c.start)

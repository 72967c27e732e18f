"""Real-word confusions (在/再, 做/作, 以/已, 象/像, 他/她 …): context-sensitive spelling in the
manner of Golding & Roth, the same shape as TYP005's 的/地/得 model.

At each character of a confusion set the model scores every member of the written character's
set from the context alone: score(c) = w · φ(context, c) + α · g(c), where φ is the 的/地/得
featurizer's context (``Featurizer.names`` with no candidates) hashed and conjoined with the
candidate, plus whether the candidate makes a dictionary word with its neighbours (conjoined and
shared across candidates, so 再次/在于 teach every set), g(c) is the general-register word LM's
score of the window with c, less the best candidate's, and a per-character prior (training keeps at
most a fixed number of each character's occurrences; the prior gives back the text's odds). The features never read the written
character, so every occurrence in correct text is a labelled example. A written character is
changed when another member beats it by more than the calibrated margin; a sentence gets at most
one such change (real writers seldom make two in a sentence, and clean text pays for each).
The model is plain numpy arrays (``models/typos/confusables.npz``), loaded once, lazily. With a
``context_weight``, the contextual character model's log P(c | context) - log P(written | context)
(``context.npz`` beside it), times that weight, is added to each member's score: its weight is
chosen on dev with the margins, not fitted (the model has read the training text)."""
from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping

import numpy as np

from auditor.checks.typos.context import ContextModel
from auditor.checks.typos.particles import Featurizer

if TYPE_CHECKING:
    from auditor.checks.typos.wordlm import GeneralLM

DIM = 1 << 21
WINDOW = 6  # characters either side that the general-register LM reads
_GOLDEN = 0x9E3779B1
NEVER = 1e9  # a margin that is never passed (how the file stores "this change is not made")
CONTEXT_FLOOR = 6.0  # the context model is asked only where a rival is at most this far behind
SHARED = 0  # candidate code of features whose weight every candidate shares


def conjoin(base: np.ndarray, candidate: str | int) -> np.ndarray:
    """Hashed context features conjoined with a candidate (its code point; SHARED for none)."""
    code = candidate if isinstance(candidate, int) else ord(candidate)
    return ((base.astype(np.uint64) ^ np.uint64((code * _GOLDEN) & 0xFFFFFFFF)) & np.uint64(DIM - 1)).astype(np.int64)


def _hash(names: list[str]) -> np.ndarray:
    return np.fromiter((zlib.crc32(n.encode("utf-8")) for n in names), dtype=np.uint32, count=len(names))


def candidate_sets(pairs: list[str]) -> dict[str, str]:
    """Each member's rivals, from the confusion pairs (``ab``: a and b are confused, either way)."""
    sets: dict[str, set[str]] = {}
    for a, b in pairs:
        sets.setdefault(a, set()).add(b)
        sets.setdefault(b, set()).add(a)
    return {c: "".join(sorted(r)) for c, r in sets.items()}


@dataclass(frozen=True)
class ConfusableFix:
    pos: int
    wrong: str
    right: str
    margin: float  # score of the right character over the written one (log-odds)


class ConfusableModel:
    """Hashed weights (DIM), the general LM's weight, the confusion pairs, the margin and the
    margins of the changes calibrated apart (``changes``: written + right -> margin), from
    ``confusables.npz``."""

    def __init__(self, weights: np.ndarray, dense: np.ndarray, pairs: list[str], margin: float,
                 featurizer: Featurizer, general: "GeneralLM", changes: Mapping[str, float] | None = None,
                 prior: Mapping[str, float] | None = None, context: ContextModel | None = None,
                 context_weight: float = 0.0):
        self.weights = weights
        self.dense = dense
        self.pairs = pairs
        self.rivals = candidate_sets(pairs)
        self.margin = margin
        self.changes = dict(changes or {})
        # log(occurrences / examples kept) of each character in training: the sample's capped
        # priors back to the text's.
        self.prior = dict(prior or {})
        self.featurizer = featurizer
        self.general = general
        self.context = context
        self.context_weight = context_weight

    @classmethod
    def load(cls, path: Path, words: Mapping[str, int], tags, general: "GeneralLM") -> "ConfusableModel":
        with np.load(path) as z:
            if int(z["dim"]) != DIM:
                raise ValueError(f"{path}: not a confusion model with {DIM} features")
            changes = dict(zip(z["changes"].tolist(), z["change_margins"].astype(float).tolist()))
            prior = dict(zip(z["prior_chars"].tolist(), z["prior"].astype(float).tolist())) if "prior" in z.files else {}
            weight = float(z["context_weight"]) if "context_weight" in z.files else 0.0
            context = ContextModel.load(path.parent / "context.npz") if weight else None
            return cls(z["weights"], z["dense"].astype(np.float32), z["pairs"].tolist(), float(z["margin"]),
                       Featurizer(words, tags), general, changes, prior, context, weight)

    @property
    def live(self) -> set[str]:
        """The written characters some change can leave (all, when the uniform margin is ever
        passed): the only ones the check needs to score."""
        if self.margin < NEVER:
            return set(self.rivals)
        return {a for a, rivals in self.rivals.items() if any(self.changes.get(a + b, NEVER) < NEVER for b in rivals)}

    def candidate_names(self, text: str, i: int, c: str) -> list[str]:
        """The dictionary words candidate ``c`` at ``i`` makes with its neighbours (再次, 在于, 一以贯之):
        each word's length, the candidate's place in it and its frequency band, and the longest."""
        freq = self.featurizer.words.get
        out, longest = [], 1
        for a in range(max(0, i - 3), i + 1):
            for b in range(max(i + 1, a + 2), min(len(text), a + 4) + 1):
                f = freq(text[a:i] + c + text[i + 1:b], 0)
                if f > 0:
                    out.append(f"w{b - a}:{i - a}:{int(math.log10(f))}")
                    longest = max(longest, b - a)
        out.append(f"W{longest}")
        return out

    def rows(self, text: str, i: int, members: str) -> list[np.ndarray]:
        """The hashed feature ids of each member at position ``i``."""
        context = _hash(self.featurizer.names(text, i, ""))
        out = []
        for c in members:
            own = _hash(self.candidate_names(text, i, c))
            out.append(np.concatenate([conjoin(context, c), conjoin(own, c), conjoin(own, SHARED)]))
        return out

    def general_features(self, places: list[tuple[str, int, str]]) -> list[np.ndarray]:
        """The general-register LM's score of each member's window, less the best member's."""
        windows = [text[max(0, i - WINDOW):i] + c + text[i + 1:i + 1 + WINDOW] for text, i, members in places
                   for c in members]
        scores, _ = self.general.score_many(windows) if windows else (np.zeros(0), None)
        out, at = [], 0
        for _, _, members in places:
            s = scores[at:at + len(members)]
            out.append(s - s.max())
            at += len(members)
        return out

    def scores_many(self, places: list[tuple[str, int, str]]) -> list[np.ndarray]:
        """Scores (log-odds up to a constant) of each place's members."""
        if not places:
            return []
        rows = [r for text, i, members in places for r in self.rows(text, i, members)]
        starts = np.cumsum([0] + [len(r) for r in rows[:-1]])
        sums = np.add.reduceat(self.weights[np.concatenate(rows)].astype(np.float32), starts)
        dense = np.concatenate(self.general_features(places)) * self.dense[0]
        prior = self.prior.get
        sums = sums + dense + np.array([prior(c, 0.0) for _, _, members in places for c in members])
        out, at = [], 0
        for _, _, members in places:
            out.append(sums[at:at + len(members)])
            at += len(members)
        if self.context is not None and self.context_weight:
            # Only where a rival comes within CONTEXT_FLOOR of the written character (the context
            # model costs about 1 ms a sentence; scripts/dev_context.py prints what the floor loses).
            near = [k for k, s in enumerate(out) if s[1:].max() - s[0] > -CONTEXT_FLOOR]
            for k, m in zip(near, self.context.margins([places[k] for k in near])):
                out[k] = out[k] + self.context_weight * m
        return out

    def fixes_many(self, texts: list[str], skips: list[Callable[[int], bool] | None] | None = None,
                   margin: float | None = None) -> list[list[ConfusableFix]]:
        """The change each sentence would get (at most one: its largest margin above its change's
        cut); with ``margin``, every disagreement above it instead (calibration reads them all at 0)."""
        rivals = self.rivals
        live = rivals if margin is not None else self.live
        places = [(k, i) for k, text in enumerate(texts) for i, ch in enumerate(text) if ch in live
                  and not (skips is not None and skips[k] is not None and skips[k](i))]
        out: list[list[ConfusableFix]] = [[] for _ in texts]
        scored = self.scores_many([(texts[k], i, texts[k][i] + rivals[texts[k][i]]) for k, i in places])
        for (k, i), s in zip(places, scored):
            best = int(np.argmax(s))
            gain = float(s[best] - s[0])
            if not best:
                continue
            right = rivals[texts[k][i]][best - 1]
            if gain > (self.changes.get(texts[k][i] + right, self.margin) if margin is None else margin):
                out[k].append(ConfusableFix(i, texts[k][i], right, gain))
        if margin is None:
            out = [[max(found, key=lambda f: f.margin)] if found else [] for found in out]
        return out

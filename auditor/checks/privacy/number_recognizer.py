"""Recognizers of numbers (IDs, phones, cards): they classify consecutive digit groups of a
``NumberRun`` instead of running their own regex, so a number split by spaces, hyphens or line
breaks is seen once, and a run holding two numbers (table cells joined by spaces) is split."""
from __future__ import annotations

from typing import ClassVar

from auditor.checks.privacy.numbers import Group, NumberRun, digit_positions
from auditor.checks.privacy.recognizer import Candidate, Recognizer
from auditor.text import PreparedDocument

MAX_GROUPS = 6


class NumberRecognizer(Recognizer):
    lengths: ClassVar[frozenset[int]]  # digit-string lengths worth classifying
    top_score: ClassVar[float]  # the highest score ``classify`` gives: a better candidate needs no asking

    def classify(self, doc: PreparedDocument, run: NumberRun, groups: tuple[Group, ...],
                 digits: str) -> Candidate | None:
        raise NotImplementedError

    def candidate(self, groups: tuple[Group, ...], score: float, state: str = "leak", start: int | None = None,
                  **evidence) -> Candidate:
        return Candidate(self.kind, groups[0].start if start is None else start, groups[-1].end, score,
                         digit_positions(groups), state, evidence)


def plausible_grouping(groups: tuple[Group, ...]) -> bool:
    """A number split into groups keeps groups of 2+ digits (a lone digit is a list number or
    a count, not part of an ID or a phone)."""
    return len(groups) == 1 or all(len(g.digits) >= 2 for g in groups)


def segment_run(doc: PreparedDocument, run: NumberRun, recognizers: list[NumberRecognizer]) -> list[Candidate]:
    """Best split of a run into candidates: dynamic programming over group boundaries,
    maximising digits covered × score."""
    groups = run.groups
    n = len(groups)
    best: list[tuple[float, list[Candidate]]] = [(0.0, [])] * (n + 1)
    for i in range(n - 1, -1, -1):
        best_i = best[i + 1]
        digits = ""
        for j in range(i + 1, min(n, i + MAX_GROUPS) + 1):
            part = groups[i:j]
            if j > i + 1 and "\n" in part[-1].sep_before and not plausible_grouping(part):
                break
            digits += part[-1].digits
            if len(digits) > 24:
                break
            if not plausible_grouping(part):
                continue
            found = None
            for rec in recognizers:
                if len(digits) in rec.lengths and (found is None or rec.top_score > found.score):
                    c = rec.classify(doc, run, part, digits)
                    if c is not None and (found is None or c.score > found.score):
                        found = c
            if found is not None:
                value = found.score * len(digits) + best[j][0]
                if value > best_i[0]:
                    best_i = (value, [found] + best[j][1])
        best[i] = best_i
    return best[0][1]

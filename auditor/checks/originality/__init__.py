"""ORG: originality. What a page says about its origin (来源, 转载自, 原创 mark, repost notices)
against what the reference index shows: original, attributed repost, unattributed repost,
partial reuse with the share reused; and per-account originality ratios."""
from __future__ import annotations

from auditor.checks.base import Check
from auditor.checks.originality.repost import Originality

LABEL = "原创与转载"  # the family as editors know it (checker page groups)


def checks() -> list[Check]:
    return [Originality()]

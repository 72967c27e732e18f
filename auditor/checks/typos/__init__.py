"""TYP: typos (错别字). Wrong characters that sound or look like the right one, listed
wrong words and non-standard variants, accidentally doubled characters, and — the
inspection's 单项否决 case — a typo in the name of the state, a central organ or a
division. Precision first: editors stop reading a checker that cries wolf."""
from __future__ import annotations

from auditor.checks.base import Check
from auditor.checks.typos.check import TypoCheck

LABEL = "错别字"  # the family as editors know it (checker page groups)


def checks() -> list[Check]:
    return [TypoCheck()]

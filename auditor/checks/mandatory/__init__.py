"""RPT: mandatory reposts (必转信息). Late reposts found in checked pages; missed and late
reposts per account come from `auditor mandatory status`."""
from __future__ import annotations

from auditor.checks.base import Check
from auditor.checks.mandatory.rules import LateMandatoryRepost

LABEL = "转载任务"  # the family as editors know it (checker page groups)


def checks() -> list[Check]:
    return [LateMandatoryRepost()]

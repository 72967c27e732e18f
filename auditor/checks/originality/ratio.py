"""Per-account originality ratio over the documents of a run, against the account's threshold.

No national rule fixes a percentage: the threshold and the local rule that imposes it come
from the organisation's profile (thresholds.originality_min, thresholds.originality_rule)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from auditor.types import Report

REPOST_CODES = ("ORG001", "ORG003")  # unattributed and attributed reposts; partial reuse stays original


@dataclass(frozen=True)
class AccountOriginality:
    account: str
    documents: int
    reposts: int
    threshold: float | None
    rule: str
    first: datetime | None
    last: datetime | None

    @property
    def ratio(self) -> float:
        return (self.documents - self.reposts) / self.documents if self.documents else 0.0

    @property
    def below(self) -> bool:
        return self.threshold is not None and self.ratio < self.threshold

    def line(self) -> str:
        period = (f"{self.first:%Y-%m-%d} 至 {self.last:%Y-%m-%d}" if self.first and self.last else "发布时间不详")
        text = f"{self.account}：{period} 共 {self.documents} 篇，转载 {self.reposts} 篇，原创比例 {self.ratio:.0%}"
        if self.threshold is not None:
            verdict = "低于" if self.below else "达到"
            text += f"，{verdict}要求 {self.threshold:.0%}" + (f"（{self.rule}）" if self.rule else "")
        return text


def account_of(report: Report) -> str:
    doc = report.document
    return str(doc.meta.get("account") or doc.site or "未知账号")


def originality_by_account(reports: Iterable[Report], threshold: float | None = None,
                           rule: str = "") -> list[AccountOriginality]:
    groups: dict[str, list[Report]] = {}
    for report in reports:
        groups.setdefault(account_of(report), []).append(report)
    out = []
    for account, group in sorted(groups.items()):
        dates = [r.document.published_at for r in group if r.document.published_at is not None]
        reposts = sum(1 for r in group if any(f.code in REPOST_CODES for f in r.findings))
        out.append(AccountOriginality(account, len(group), reposts, threshold, rule,
                                      min(dates, default=None), max(dates, default=None)))
    return out

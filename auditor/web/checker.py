"""The draft checker page as data: findings beside the text, grouped by severity and family,
counts and a one-line verdict on what stands between the draft and 三审三校, and the edits an
editor accepts (one finding, or every finding of a mechanical rule at once).

Dismissals are kept by fingerprint, which survives edits elsewhere in the text, so a re-check
after an edit leaves dismissed findings dismissed."""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from auditor.report.fixes import fixes_of
from auditor.report.highlight import marked
from auditor.review.workflow import Workflow
from auditor.types import Finding, Report, Severity

SEVERITIES = (Severity.BLOCKER, Severity.ERROR, Severity.WARNING, Severity.INFO)
SEVERITY_VALUES = tuple(s.value for s in SEVERITIES)


@dataclass(frozen=True)
class Entry:
    """One finding as the page lists it; ``n`` ties the list item (f-n) to its mark (m-n)."""

    n: int
    finding: Finding
    family: str
    dismissed: str | None  # the editor's reason
    blocking: bool
    same_kind: int  # open findings of the same mechanical rule, 0 when the rule is not mechanical

    @property
    def suggestion(self) -> str | None:
        return self.finding.suggestions[0] if self.finding.suggestions else None


@dataclass(frozen=True)
class Family:
    prefix: str
    label: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Group:
    severity: Severity
    families: tuple[Family, ...]

    @property
    def count(self) -> int:
        return sum(len(f.entries) for f in self.families)


@dataclass(frozen=True)
class Verdict:
    level: str  # blocked | attention | clear
    headline: str
    detail: str


@dataclass(frozen=True)
class CheckerView:
    groups: tuple[Group, ...]  # open findings, blockers first
    dismissed: tuple[Entry, ...]
    counts: tuple[tuple[Severity, int], ...]
    verdict: Verdict
    highlighted: Markup


def build_view(report: Report, dismissed: dict[str, str], workflow: Workflow, mechanical: set[str],
               families: dict[str, str]) -> CheckerView:
    findings = sorted(report.findings, key=lambda f: (-f.severity.rank, f.code[:3], f.start, f.code))
    open_codes: dict[str, int] = {}
    for f in findings:
        if f.fingerprint not in dismissed and f.code in mechanical and fixes_of(f):
            open_codes[f.code] = open_codes.get(f.code, 0) + len(fixes_of(f))
    entries = [Entry(n=i, finding=f, family=f.code[:3], dismissed=dismissed.get(f.fingerprint),
                     blocking=f.severity.value in workflow.blocking_severities, same_kind=open_codes.get(f.code, 0))
               for i, f in enumerate(findings, 1)]
    open_entries = [e for e in entries if e.dismissed is None]
    groups = []
    for severity in SEVERITIES:
        of_severity = [e for e in open_entries if e.finding.severity == severity]
        prefixes = dict.fromkeys(e.family for e in of_severity)
        if of_severity:
            groups.append(Group(severity, tuple(
                Family(p, families.get(p, p), tuple(e for e in of_severity if e.family == p)) for p in prefixes)))
    counts = tuple((s, sum(1 for e in open_entries if e.finding.severity == s)) for s in SEVERITIES)
    spans = [(e.finding.start, e.finding.end, "dismissed" if e.dismissed is not None else e.finding.severity.value,
              f"{e.finding.code} {e.finding.message}", str(e.n)) for e in entries]
    return CheckerView(groups=tuple(groups), dismissed=tuple(e for e in entries if e.dismissed is not None),
                       counts=counts, verdict=verdict(entries, workflow, families),
                       highlighted=marked(report.document.text, spans))


def verdict(entries: list[Entry], workflow: Workflow, families: dict[str, str]) -> Verdict:
    """One line: may this draft go into 三审三校, and if not, why."""
    blocking = [e for e in entries if e.blocking]
    if blocking:
        by_family: dict[str, int] = {}
        for e in blocking:
            by_family[e.family] = by_family.get(e.family, 0) + 1
        reasons = "、".join(f"{families.get(p, p)} {n} 个" for p, n in by_family.items())
        secrecy = sum(1 for e in blocking if workflow.needs_secrecy(e.finding.code, e.finding.name))
        ignored = sum(1 for e in blocking if e.dismissed is not None)
        levels = "、".join(Severity(s).label for s in SEVERITY_VALUES if s in workflow.blocking_severities)
        detail = (f"按本单位流程，{levels}级问题须改正，或经领导书面豁免"
                  + ("（个人信息、密级标志类还需保密审查）" if secrecy else "") + "，否则审完也不能发布"
                  + (f"；其中 {ignored} 个已忽略，忽略不等于豁免" if ignored else "") + "。")
        return Verdict("blocked", f"不宜提交三审三校：{len(blocking)} 个问题阻断发布（{reasons}）", detail)
    remaining = [e for e in entries if e.dismissed is None]
    if remaining:
        worst = {s: sum(1 for e in remaining if e.finding.severity == s) for s in SEVERITIES}
        listed = "、".join(f"{n} 个{s.label}" for s, n in worst.items() if n)
        return Verdict("attention", "没有阻断问题，可以提交三审三校", f"另有 {listed}，建议提交前逐条采纳或忽略。")
    return Verdict("clear", "可以提交三审三校", "没有待处理的问题。")

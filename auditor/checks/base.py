"""What a check is.

A *rule* is the unit users see: an opaque code (family prefix + 3 digits, never
reused), a kebab-case name, a severity, a Chinese message, docs and examples.
A *check* is the code that finds problems for one or more rules. Most checks serve
one rule; a data-driven engine (wording packs) serves many.

Checks are pure: same PreparedDocument and CheckContext in, same Findings out. They
never print, fetch, write or open the store (what they may read of it comes in the
context, see ``readers.py``). Heavy resources are loaded in ``load()``, once per process.
"""
from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Iterable, Mapping

from auditor.types import Document, Finding, Severity

if TYPE_CHECKING:
    from auditor.checks.readers import MandatoryRegistry, ReferenceIndex
    from auditor.settings import Settings
    from auditor.text import PreparedDocument

CODE_RE = re.compile(r"^[A-Z]{3}\d{3}$")
NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MARK_OPEN, MARK_CLOSE = "⟦", "⟧"


@dataclass(frozen=True)
class Example:
    """A rule's example document. In a bad example each ``⟦…⟧`` marks a span the rule
    must report, and the rule must report nothing else (``⟦⟧`` at the start stands for a
    whole-document finding). A good example must yield no finding of the rule.
    ``fields`` sets other Document fields (title, published_at as ISO text, provenance,
    meta, source, site)."""

    text: str
    suggestion: str | None = None
    fields: Mapping[str, Any] = field(default_factory=dict)

    def document(self) -> tuple[Document, list[tuple[int, int]]]:
        text = self.text
        spans: list[tuple[int, int]] = []
        while MARK_OPEN in text:
            start = text.index(MARK_OPEN)
            text = text.replace(MARK_OPEN, "", 1)
            end = text.index(MARK_CLOSE)
            text = text.replace(MARK_CLOSE, "", 1)
            spans.append((start, end))
        values = dict(self.fields)
        if isinstance(values.get("published_at"), str):
            values["published_at"] = datetime.fromisoformat(values["published_at"])
        values.setdefault("provenance", {"kind": "draft"})
        return Document(text=text, **values), spans


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    message: str  # default Chinese message for editors
    what: str  # what it finds
    why: str  # why it matters (the inspection rule or standard)
    fix: str  # what to write instead
    source: str  # standard and clause, or document and date
    bad: tuple[Example, ...] = ()
    good: tuple[Example, ...] = ()
    status: str = "stable"  # stable | preview | removed (a removed code is never reused)
    # The fix is a change of form with one right answer (full-width punctuation, 〔〕 in 发文字号):
    # safe to apply to every instance at once ("采纳全部同类" in the checker page).
    mechanical: bool = False

    def __post_init__(self) -> None:
        if not CODE_RE.match(self.code):
            raise ValueError(f"rule code {self.code!r} must be a 3-letter family prefix + 3 digits")
        if not NAME_RE.match(self.name):
            raise ValueError(f"rule name {self.name!r} must be kebab-case")
        if self.status not in {"stable", "preview", "removed"}:
            raise ValueError(f"rule {self.code}: unknown status {self.status!r}")

    @property
    def family(self) -> str:
        return self.code[:3]

    def explain(self) -> str:
        lines = [f"{self.code} {self.name} ({self.severity.value}/{self.severity.label})", "",
                 f"检查内容: {self.what}", f"原因: {self.why}", f"修改建议: {self.fix}", f"依据: {self.source}"]
        for ex in self.bad:
            lines.append(f"错误示例: {ex.text}" + (f"  → {ex.suggestion}" if ex.suggestion else ""))
        for ex in self.good:
            lines.append(f"正确示例: {ex.text}")
        return "\n".join(lines)


@dataclass(frozen=True)
class CheckContext:
    """What a check may read besides the document: the settings (profile, thresholds) and,
    when the store holds any, its reference index and mandatory registry (read-only; None
    otherwise). The pipeline opens them for the checks that declare they read them."""

    settings: "Settings"
    references: "ReferenceIndex | None" = None
    mandatory: "MandatoryRegistry | None" = None


class Check(ABC):
    """Finds problems for ``rules``. Subclasses set ``rules`` and implement ``run``."""

    rules: ClassVar[tuple[Rule, ...]]
    reads_references: ClassVar[bool] = False  # wants CheckContext.references
    reads_mandatory: ClassVar[bool] = False  # wants CheckContext.mandatory

    def load(self, settings: "Settings") -> None:
        """Load heavy resources once per process (models, lexicons). Default: nothing."""

    @abstractmethod
    def run(self, doc: "PreparedDocument", ctx: CheckContext) -> Iterable[Finding]:
        ...

    @property
    def rule(self) -> Rule:
        return self.rules[0]

    def finding(self, doc: "PreparedDocument", start: int, end: int, *, rule: Rule | None = None,
                message: str | None = None, suggestions: Iterable[str] = (), confidence: float = 1.0,
                evidence: Mapping[str, Any] | None = None, severity: Severity | None = None) -> Finding:
        rule = rule or self.rule
        return Finding(code=rule.code, name=rule.name, severity=severity or rule.severity,
                       start=start, end=end, text=doc.text[start:end], message=message or rule.message,
                       suggestions=tuple(suggestions), confidence=confidence, evidence=evidence or {})

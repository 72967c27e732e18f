"""The edits that accepting findings makes, shared by the web checker (采纳) and the Word
annotator (修订), so that both change a draft the same way."""
from __future__ import annotations

from typing import Iterable

from auditor.types import Finding


def fixes_of(finding: Finding) -> list[tuple[int, int, str]]:
    """The edits accepting ``finding`` makes: its own suggestion, or, for a finding that stands
    for many hits of one rule, every hit's."""
    listed = finding.evidence.get("fixes")
    if listed:
        return [(int(s), int(e), str(r)) for s, e, r in listed]
    if finding.suggestions and finding.end > finding.start:
        return [(finding.start, finding.end, finding.suggestions[0])]
    return []


def chosen_fixes(findings: Iterable[Finding], length: int) -> list[tuple[int, int, str]]:
    """The findings' edits in text order inside ``[0, length]``; where edits overlap, the first
    is kept and the rest are left for a re-check."""
    edits = sorted({fix for f in findings for fix in fixes_of(f)}, key=lambda x: (x[0], x[1]))
    kept: list[tuple[int, int, str]] = []
    for edit in edits:
        if kept and edit[0] < kept[-1][1]:
            continue
        if 0 <= edit[0] <= edit[1] <= length:
            kept.append(edit)
    return kept


def apply_fixes(text: str, findings: Iterable[Finding]) -> tuple[str, int]:
    """``text`` with the findings' fixes applied back to front. Returns the text and how many
    edits were made."""
    kept = chosen_fixes(findings, len(text))
    for start, end, replacement in reversed(kept):
        text = text[:start] + replacement + text[end:]
    return text, len(kept)

"""Text (terminal), JSON and JSON Lines renderings of Reports."""
from __future__ import annotations

import json
from typing import Iterable

import click

from auditor.types import Report, Severity

FORMATS = ("text", "json", "jsonl")
_COLOR = {Severity.BLOCKER: "magenta", Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
CONTEXT = 18  # characters of context on each side of the span


def render(reports: Iterable[Report], fmt: str, *, color: bool = False) -> Iterable[str]:
    if fmt == "json":
        yield json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2)
    elif fmt == "jsonl":
        for report in reports:
            doc = {k: v for k, v in report.document.to_dict().items() if k != "text"}
            for finding in report.findings:
                yield json.dumps({"document": doc, **finding.to_dict()}, ensure_ascii=False)
    elif fmt == "text":
        for report in reports:
            yield from _text(report, color)
    else:
        raise ValueError(f"unknown format {fmt!r}")


def location_text(location: object) -> str:
    """A finding's place in its file, for editors: 附件《x.xlsx》 第2个工作表“名单” 第3–812行 “身份证号”列."""
    if not isinstance(location, dict):
        return ""
    parts = []
    if location.get("attachment"):
        parts.append(f"附件《{location['attachment']}》")
    if location.get("region"):
        parts.append(str(location["region"]))
    rows = location.get("rows")
    if isinstance(rows, (list, tuple)) and len(rows) == 2:
        parts.append(f"第{rows[0]}行" if rows[0] == rows[1] else f"第{rows[0]}–{rows[1]}行")
    elif location.get("row"):
        parts.append(f"第{location['row']}行")
    if location.get("column"):
        column = str(location["column"])
        parts.append(column if column.startswith("第") else f"“{column}”列")
    return " ".join(parts)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def _text(report: Report, color: bool) -> Iterable[str]:
    doc = report.document
    style = (lambda s, **kw: click.style(s, **kw)) if color else (lambda s, **kw: s)
    where = doc.url or doc.provenance.get("path") or "-"
    head = f"{where}"
    if doc.title:
        head += f"  《{doc.title}》"
    yield style(head, bold=True)
    facts = []
    if doc.published_at:
        facts.append(f"发布时间 {doc.published_at:%Y-%m-%d %H:%M}")
    if doc.site:
        facts.append(f"站点 {doc.site}")
    if doc.source:
        facts.append(f"来源 {doc.source}")
    facts.append(f"正文 {len(doc.text)} 字")
    yield "  " + " · ".join(facts)
    for f in report.findings:
        line, col = _line_col(doc.text, f.start)
        sev = style(f"{f.severity.label}", fg=_COLOR[f.severity], bold=True)
        yield f"  {line}:{col}  {style(f.code, bold=True)} {sev}  {f.message}"
        if f.end > f.start:
            left = doc.text[max(0, f.start - CONTEXT):f.start].replace("\n", "⏎")
            mid = doc.text[f.start:f.end].replace("\n", "⏎")
            if len(mid) > 60:
                mid = mid[:28] + "……" + mid[-28:]
            right = doc.text[f.end:f.end + CONTEXT].replace("\n", "⏎")
            marked = style(mid, fg=_COLOR[f.severity], underline=True) if color else f"【{mid}】"
            yield f"        {left}{marked}{right}"
        where = location_text(f.evidence.get("location"))
        if where:
            yield f"        位置: {where}"
        if f.suggestions:
            shown = ["（删除）" if s == "" else s for s in f.suggestions[:3]]
            yield f"        建议: {' / '.join(shown)}"
    counts = report.count_by_severity()
    summary = "，".join(f"{Severity(k).label} {v}" for k, v in reversed(counts.items()) if v)
    yield f"  共 {len(report.findings)} 个问题" + (f"（{summary}）" if summary else "") + "\n"

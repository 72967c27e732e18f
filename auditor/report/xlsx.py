"""The batch report as an Excel workbook (openpyxl): levels, sites and accounts, findings,
mandatory reposts, new and fixed findings, failed pages. Same numbers as the HTML report."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font

from auditor.report.render import location_text
from auditor.report.batch import NOT_AVAILABLE, BatchReport
from auditor.report.html import STATUS_LABELS, local_time

ILLEGAL = {i for i in range(32) if chr(i) not in "\t\n\r"}


def _cell(value: Any) -> Any:
    """openpyxl refuses control characters; pages sometimes contain them."""
    if isinstance(value, str):
        return value.translate({i: " " for i in ILLEGAL})
    return value


def _sheet(wb: Workbook, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    ws = wb.create_sheet(title)
    ws.append(list(header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_cell(v) for v in row])
    ws.freeze_panes = "A2"


def write_xlsx(report: BatchReport, path: str | Path, masked: dict[int, str] | None = None) -> Path:
    """``masked``: the masked copies of attachments by document id, relative to the workbook's folder."""
    masked = masked or {}
    wb = Workbook()
    wb.remove(wb.active)
    fams = list(report.families)
    _sheet(wb, "按层级", ["层级", "站点/账号", "检查文章", "字数", "问题", *[f"{f}/万字" for f in fams], "严重问题",
                       "隐私泄露", "抓取失败", "超期未更新", "原创比例未达标", "按时转载", "迟转", "漏转"],
           ([l.label, l.sites, l.articles, l.chars, l.findings, *[l.per_10k(f) for f in fams], l.blockers, l.privacy,
             l.failed, l.stale, NOT_AVAILABLE if l.below_originality is None else l.below_originality,
             *([NOT_AVAILABLE] * 3 if l.mandatory is None else [l.mandatory["on-time"], l.mandatory["late"],
                                                                 l.mandatory["missed"]])]
            for l in report.levels))

    def fresh(s, column):
        f = s.freshness.get(column)
        return ("", "") if f is None else (f["days"] if f["days"] is not None else "无", "超期" if f["stale"] else "")

    _sheet(wb, "按站点与账号",
           ["名称", "类型", "层级", "上级", "网站标识码", "检查文章", "字数", "问题", *[f"{f}/万字" for f in fams], "严重问题",
            "隐私泄露", "抓取失败", "动态栏目距更新（天）", "动态栏目", "通知公告距更新（天）", "通知公告", "原创比例", "原创要求",
            "原创依据", "按时转载", "迟转", "漏转", "新增问题", "已整改", "附件"],
           ([s.name, s.kind_label, s.level_label, s.parent or "", s.site_id_code or "", s.articles, s.chars, s.findings,
             *[s.per_10k(f) for f in fams], s.blockers, s.privacy, s.failed, *fresh(s, "dynamic"), *fresh(s, "notices"),
             *((NOT_AVAILABLE, "", "") if not s.originality.get("available") else
               (s.originality.get("ratio"), s.originality.get("threshold"), s.originality.get("rule", ""))),
             *((NOT_AVAILABLE,) * 3 if not s.mandatory.get("available") else
               (s.mandatory["on-time"], s.mandatory["late"], s.mandatory["missed"])), s.new, s.fixed,
             s.attachments_label]
            for s in report.sites))
    _sheet(wb, "问题明细", ["站点/账号", "标题", "网址", "发布时间", "规则", "级别", "内容", "说明", "建议"],
           ([a.site, a.document.title, a.document.url, local_time(a.document.published_at), f.code, f.severity, f.text,
             f.message, " / ".join(f.suggestions)] for a in report.articles for f in a.findings))
    _sheet(wb, "附件问题", ["站点/账号", "文章", "附件", "附件网址", "规则", "级别", "位置", "说明", "遮蔽副本"],
           ([a.site, a.document.title, att.document.meta.get("attachment", {}).get("name", ""), att.document.url,
             f.code, f.severity, location_text(f.evidence.get("location")), f.message,
             masked.get(att.document.id) or att.masked_note]
            for a in report.articles for att in a.attachments for f in att.findings))
    for (cell,) in wb["附件问题"].iter_rows(min_row=2, min_col=9, max_col=9):
        if cell.value in masked.values():  # a relative link: opens beside the workbook
            cell.hyperlink = cell.value
    _sheet(wb, "转载任务", ["站点/账号", "任务", "发布单位", "状态", "延迟（小时）", "转载网址"],
           ([s.name, i["title"], i.get("publisher") or "", STATUS_LABELS.get(i["status"], i["status"]),
             i.get("delay_hours"), i.get("url") or ""] for s in report.sites for i in s.mandatory.get("items", [])))
    _sheet(wb, "新增问题", ["标题", "网址", "规则", "内容", "说明"],
           ([c.title, c.url, c.code, c.text, c.message] for c in report.new))
    _sheet(wb, "已整改", ["标题", "网址", "规则", "原内容", "说明"],
           ([c.title, c.url, c.code, c.text, c.message] for c in report.fixed))
    _sheet(wb, "抓取失败", ["站点/账号", "网址", "原因"], report.failures)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out

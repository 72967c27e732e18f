"""ATT: files the audit could not read in full. A scanned PDF has no text to check (and scanned
公示 forms are where ID numbers hide); an attachment of a page that could not be fetched or read
(encrypted, damaged, a zip bomb, too large) was not checked at all. Both are said, never skipped
in silence. What ingest learnt is on the Document: ``meta["pdf"]`` (pages without a text layer)
and, for a page, ``meta["attachments"]`` (each attachment's name, URL and error if any)."""
from __future__ import annotations

from typing import Iterable

from auditor.checks.base import Check, CheckContext, Example, Rule
from auditor.text import PreparedDocument
from auditor.types import Finding, Severity

LABEL = "附件与文件"  # the family as editors know it (checker page groups)

_LAW = "《中华人民共和国个人信息保护法》第五十一条；《政府网站与政务新媒体检查指标》(国办秘函〔2019〕19号) 隐私泄露"
MAX_LISTED = 10  # pages named in a message


class ScannedPdf(Check):
    rules = (Rule(
        code="ATT001", name="scanned-pdf", severity=Severity.WARNING,
        message="PDF 为扫描件（无文字层），未能检查其内容，请人工核查",
        what="PDF 文件全部或部分页面只有图片、没有文字层（扫描件），程序无法读出其中的文字。",
        why="扫描的公示表、申请表常含身份证号、电话等个人信息，检查通报中多有此类泄露；无文字层的内容只能人工核查。",
        fix="人工逐页核查扫描件内容；发布时优先提供文字版 PDF，个人信息遮蔽后再扫描。",
        source=_LAW,
        bad=(Example("⟦⟧", fields={"meta": {"pdf": {"pages": 2, "pages_without_text": [1, 2]}}}),
             Example("⟦⟧第一页的文字内容。", fields={"meta": {"pdf": {"pages": 3, "pages_without_text": [2, 3]}}})),
        good=(Example("全部页面都有文字层的 PDF。", fields={"meta": {"pdf": {"pages": 1, "pages_without_text": []}}}),),
    ),)

    def run(self, doc: PreparedDocument, ctx: CheckContext) -> Iterable[Finding]:
        pdf = doc.document.meta.get("pdf") or {}
        blank = list(pdf.get("pages_without_text") or ())
        if not blank:
            return
        name = doc.document.file_label or "PDF"
        total = int(pdf.get("pages") or len(blank))
        if len(blank) == total:
            message = f"{name}为扫描件（共 {total} 页均无文字层），未能检查其内容，请人工核查是否含个人信息"
        else:
            listed = "、".join(str(p) for p in blank[:MAX_LISTED]) + ("等" if len(blank) > MAX_LISTED else "")
            message = f"{name}第{listed}页无文字层（扫描页，共 {len(blank)} 页），未能检查其内容，请人工核查"
        yield self.finding(doc, 0, 0, message=message, evidence={"pages": total, "pages_without_text": blank})


class UnreadAttachment(Check):
    rules = (Rule(
        code="ATT002", name="unread-attachment", severity=Severity.WARNING,
        message="附件无法读取，未能检查其内容",
        what="页面链接的附件未能下载或读取（加密、损坏、格式不支持、超过大小上限、疑似压缩炸弹等）。",
        why="附件是隐私泄露最多的地方；未检查的附件不能当作没有问题。",
        fix="人工打开附件核查；损坏或加密的附件应替换为可正常打开、已去标识化的版本。",
        source=_LAW,
        bad=(Example("⟦⟧正文。", fields={"provenance": {"kind": "page"}, "published_at": "2024-05-01T10:00:00+08:00",
                                       "meta": {"attachments": [{"name": "名单.xls", "url": "https://x.gov.cn/a.xls",
                                                                 "error": "无法读取 Excel 文件: 已加密"}]}}),),
        good=(Example("正文。", fields={"meta": {"attachments": [{"name": "名单.xlsx", "url": "https://x.gov.cn/a.xlsx"}]}}),),
    ),)

    def run(self, doc: PreparedDocument, ctx: CheckContext) -> Iterable[Finding]:
        for attachment in doc.document.meta.get("attachments") or ():
            error = attachment.get("error")
            if error:
                yield self.finding(doc, 0, 0, message=f"附件《{attachment.get('name') or attachment.get('url')}》无法读取"
                                                      f"（{error}），未能检查其内容",
                                   evidence={"attachment": attachment.get("name"), "url": attachment.get("url"),
                                             "error": error})


def checks() -> list[Check]:
    return [ScannedPdf(), UnreadAttachment()]

"""Whole-document conditions: no publish date, empty body, Traditional-character copies."""
from __future__ import annotations

from typing import Iterable

from auditor.checks.base import Check, CheckContext, Example, Rule
from auditor.text import PreparedDocument
from auditor.types import Finding, Severity


class MissingPublishDate(Check):
    rules = (Rule(
        code="TXT008", name="missing-publish-date", severity=Severity.WARNING,
        message="未标注发布时间：按检查指标，未注明发布时间的信息视为不更新",
        what="已发布的网页或新媒体文章找不到发布时间（PubDate 标签、页面上的“发布时间：”、微信发布时间均无）。",
        why="检查指标规定“未注明发布时间的视为不更新”，首页和栏目不更新可导致单项否决。",
        fix="在页面上显示发布时间，并在 <meta name=\"PubDate\"> 中标注。",
        source="2015年全国政府网站普查评分表“首页不更新”“栏目不更新”；《政府网站与政务新媒体检查指标》(国办秘函〔2019〕19号)；"
               "《政府网站发展指引》(国办发〔2017〕47号) 附件 网页标签",
        bad=(Example("⟦⟧关于开展检查工作的通知正文内容，共计若干字。", fields={"provenance": {"kind": "page"}}),),
        good=(Example("关于开展检查工作的通知正文内容。",
                      fields={"provenance": {"kind": "page"}, "published_at": "2024-12-31T10:28:00+08:00"}),
              Example("尚未发布的草稿不需要发布时间。")),
    ),)

    def run(self, doc: PreparedDocument, ctx: CheckContext) -> Iterable[Finding]:
        if doc.document.kind == "page" and doc.document.published_at is None:
            yield self.finding(doc, 0, 0)


class EmptyBody(Check):
    rules = (Rule(
        code="TXT009", name="empty-body", severity=Severity.ERROR,
        message="正文为空或过短：未能找到文章内容",
        what="已发布的网页或有标题的稿件，正文去除空白后少于阈值（默认 50 字），可能是空白页面、只有附件或图片、"
             "或正文未能提取。粘贴检查的一句话或一段话不是整篇文章，不作此项检查。",
        why="空白栏目和无内容页面在检查中按“空白栏目”“栏目不更新”处理。",
        fix="补充正文；如正文在附件或图片中，应同时提供文字版本。",
        source="《政府网站与政务新媒体检查指标》(国办秘函〔2019〕19号) 空白栏目",
        bad=(Example("⟦⟧详见附件。", fields={"provenance": {"kind": "page"}}),
             Example("⟦⟧关于开展燃气安全检查的通知\n详见附件。")),
        good=(Example("为进一步提升全市政府网站与政务新媒体服务水平，市政务服务和数据管理局组织开展了"
                      "2023年第四季度全市政府网站与政务新媒体检查，现将有关情况通报如下。"),
              Example("会议于二〇二四年三月十五日在市行政中心召开。")),
    ),)

    def run(self, doc: PreparedDocument, ctx: CheckContext) -> Iterable[Finding]:
        if doc.is_snippet:
            return
        pdf = doc.document.meta.get("pdf")
        if pdf and pdf.get("pages_without_text"):
            return  # a scan: ATT001 says why there is no text
        size = len("".join(doc.text.split()))
        if size < ctx.settings.profile.thresholds.min_body_chars:
            yield self.finding(doc, 0, 0, message=f"正文为空或过短（{size} 字）：未能找到文章内容",
                               evidence={"chars": size})


class TraditionalText(Check):
    rules = (Rule(
        code="TXT010", name="traditional-text", severity=Severity.WARNING,
        message="正文使用繁体字：政府网站应使用规范汉字（简体）",
        what="正文中繁体字所占比例超过阈值（默认 20%），多为从港澳台或繁体站点转载而未转换。",
        why="《国家通用语言文字法》规定国家机关以规范汉字为公务用字；繁体副本也常是未经处理的转载。",
        fix="转换为规范简体字后再发布（注意人名、地名中的特殊用字）。",
        source="《中华人民共和国国家通用语言文字法》第三条、第九条、第十四条",
        bad=(Example("⟦⟧為貫徹落實有關要求，不斷完善我區門戶網站信息內容建設。"),),
        good=(Example("为贯彻落实有关要求，不断完善我区门户网站信息内容建设。"),),
    ),)

    def run(self, doc: PreparedDocument, ctx: CheckContext) -> Iterable[Finding]:
        if doc.han_count < 10:
            return
        positions = doc.traditional_positions
        ratio = len(positions) / doc.han_count
        if ratio >= ctx.settings.profile.thresholds.traditional_ratio:
            yield self.finding(doc, 0, 0, message=f"正文使用繁体字（{len(positions)} 个，占汉字 {ratio:.0%}）：政府网站应使用规范汉字",
                               suggestions=("转换为简体",), evidence={"count": len(positions), "ratio": round(ratio, 3),
                                                                   "first": positions[0]})

"""Reposts with and without attribution, partial reuse, repost notices, false 原创 marks."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Iterable

from auditor.checks.base import Check, CheckContext, Example, Rule
from auditor.checks.originality.attribution import Attribution, read_attribution
from auditor.checks.originality.index import NO_MATCH, Match, match_references, reference_label
from auditor.text import PreparedDocument
from auditor.types import Document, Finding, Severity

_INSPECTION = "《政府网站与政务新媒体检查指标》(国办秘函〔2019〕19号)；《政府网站发展指引》(国办发〔2017〕47号) 信息发布"
_NEEDS_INDEX = "（需要参照库：`auditor index add` 收录上级网站、同级网站和本账号历史文章。）"

# The reference document the index-based examples were copied from; tests index it.
EXAMPLE_REFERENCES = (
    Document(
        title="省政府办公厅关于开展政府网站和政务新媒体专项检查的通知",
        text="为深入贯彻落实党中央、国务院关于加强数字政府建设的决策部署，进一步提升政府网站和政务新媒体服务水平，"
             "省政府办公厅决定在全省范围内开展政府网站和政务新媒体专项检查。\n"
             "检查内容包括信息发布的及时性、准确性和规范性，互动回应是否及时，办事服务是否便捷，"
             "以及安全防护措施是否落实到位。各地各部门要对照检查指标逐项开展自查，发现问题立即整改。\n"
             "各市政府办公室要在4月15日前将自查整改情况报送省政府办公厅，省政府办公厅将适时组织抽查，并将抽查结果在全省通报。",
        url="https://www.example.gov.cn/zwgk/2024/0301/notice.html", site="某省人民政府",
        source="某省人民政府办公厅", published_at=datetime(2024, 3, 1, 9, 0, tzinfo=timezone(timedelta(hours=8))), provenance={"kind": "page"}),
)
_COPY = EXAMPLE_REFERENCES[0].text
_PARA = _COPY.split("\n")[1]
_PAGE = {"site": "某县人民政府", "published_at": "2024-03-05T10:00:00+08:00", "provenance": {"kind": "page"}}
_OWN = ("我县高度重视政府网站和政务新媒体管理工作，县政府办公室召开专题会议进行部署，明确由县融媒体中心负责日常运维，"
        "各乡镇和县直部门指定专人负责信息报送。\n")
_OWN_END = "\n下一步，我县将建立常态化巡查机制，每周对全县政务新媒体账号开展一次巡查，确保问题早发现、早整改。"


class Originality(Check):
    rules = (
        Rule(code="ORG001", name="unattributed-repost", severity=Severity.ERROR,
             message="转载未注明来源：正文与其他网站已发布的文章基本相同，但未标注来源或把本站标为来源",
             what="正文与参照库中其他单位先发布的文章基本相同（默认 70% 以上内容一致），而页面没有“来源：”或来源标签，"
                  "或来源写的是本网站、本账号，或写作“网络”等不明来源。" + _NEEDS_INDEX,
             why="检查指标要求转载信息注明来源；把他人稿件当作本单位原创发布，既侵犯著作权，也虚增原创比例。",
             fix="在正文前后注明“来源：原发布单位”，并在 <meta name=\"ContentSource\"> 中填写原发布单位；本单位原创应重写。",
             source=_INSPECTION + "；《中华人民共和国著作权法》第二十四条（引用应当指明作者姓名或者名称、作品名称）",
             bad=(Example("⟦⟧" + _COPY, fields=_PAGE),
                  Example("⟦⟧" + _COPY + "\n来源：某县人民政府", fields=_PAGE)),
             good=(Example(_COPY + "\n来源：某省人民政府办公厅", fields=_PAGE),
                   Example(_OWN + _OWN_END, fields=_PAGE))),
        Rule(code="ORG002", name="partial-reuse", severity=Severity.WARNING,
             message="部分内容照搬其他文章且未注明出处",
             what="正文中的段落与参照库中其他单位先发布的文章相同或仅有少量改动，占正文的一部分（默认 10%–70%），"
                  "而页面没有注明来源。每段照搬的内容单独报告，并给出原文标题和所占比例。" + _NEEDS_INDEX,
             why="照搬上级或同级文件的段落而不注明出处，会被检查认定为转载冒充原创；也常带入与本地不符的表述。",
             fix="用本单位的话重写，或注明引用来源。",
             source=_INSPECTION + "；《中华人民共和国著作权法》第二十四条",
             bad=(Example(_OWN + "⟦" + _PARA + "⟧" + _OWN_END, fields=_PAGE),),
             good=(Example(_OWN + _PARA + _OWN_END + "\n来源：某省人民政府办公厅", fields=_PAGE),
                   Example(_OWN + _OWN_END, fields=_PAGE))),
        Rule(code="ORG003", name="attributed-repost", severity=Severity.INFO,
             message="转载稿件（已注明来源），不计入原创",
             what="页面注明了转载（“转载自”“原标题”，或来源为新华社、人民日报等媒体），或正文与参照库中注明的来源文章基本相同。"
                  "用于统计账号的原创比例。",
             why="一些地方规定政务新媒体原创信息应占发布总量的一定比例（如 50%），转载稿件不计入原创。",
             fix="无需修改；如账号原创比例低于本地规定，应增加原创稿件。",
             source="地方政务新媒体管理办法中的原创比例要求（见机构配置 originality_rule）；" + _INSPECTION,
             bad=(Example("⟦⟧国务院常务会议部署进一步优化政务服务提升行政效能的举措。\n转载自：新华社", fields=_PAGE),
                  Example("⟦⟧" + _COPY + "\n来源：某省人民政府办公厅", fields=_PAGE)),
             good=(Example(_OWN + _OWN_END, fields=_PAGE),
                   Example(_OWN + _OWN_END + "\n来源：某县政务服务中心", fields=_PAGE))),
        Rule(code="ORG004", name="repost-notice", severity=Severity.WARNING,
             message="正文带有转载网站的版权或侵权声明：内容取自第三方网站",
             what="正文中有采集站、建站公司常见的声明，如“本文由……转载于网络，如有侵权联系站长删除”“转载请注明出处”"
                  "“版权归原作者所有”“来源网络”。",
             why="这类声明说明稿件是从商业网站复制来的，来源不可靠，也可能带入商业信息和错误。",
             fix="删除该声明，核对原始出处（原发布单位）并注明来源，或改为本单位原创。",
             source=_INSPECTION + "（页面存在商业信息扣分；转载应注明来源）",
             bad=(Example("平谷区政务服务管理局\n2021年8月25日\n⟦版权声明：本文由信途科技转载于网络，如有侵权联系站长删除。⟧"),
                  Example("正文内容。\n⟦声明：此文版权归原作者所有，若有来源错误或者侵犯您的合法权益，请与我们联系。⟧")),
             good=(Example("平谷区政务服务管理局\n2021年8月25日\n来源：北京市平谷区人民政府"),
                   Example("未经授权，禁止转载本网站内容。"))),
        Rule(code="ORG005", name="false-original-mark", severity=Severity.ERROR,
             message="转载稿件标注了“原创”",
             what="微信文章声明了“原创”，但正文注明转载自他处，或与参照库中他人先发布的文章基本相同。",
             why="把转载稿件标为原创违反平台规则和著作权规定，并虚增原创比例。",
             fix="取消原创声明，改为转载并注明来源。",
             source="《微信公众平台原创声明功能使用规范》；《中华人民共和国著作权法》第二十四条",
             bad=(Example("⟦⟧国务院常务会议部署进一步优化政务服务提升行政效能的举措。\n转载自：新华社",
                          fields={"meta": {"wechat": {"original": True}}, "provenance": {"kind": "page"}}),),
             good=(Example(_OWN + _OWN_END, fields={"meta": {"wechat": {"original": True}}, "provenance": {"kind": "page"}}),
                   Example("国务院常务会议部署举措。\n转载自：新华社",
                           fields={"meta": {"wechat": {"original": False}}, "provenance": {"kind": "page"}}))),
    )
    reads_references = True

    def run(self, doc: PreparedDocument, ctx: CheckContext) -> Iterable[Finding]:
        attribution = read_attribution(doc)
        for notice in attribution.notices:
            yield self.finding(doc, notice.start, notice.end, rule=self.rules[3], suggestions=("",),
                               evidence={"notice": notice.value})
        match = match_references(ctx.references, doc.document) if ctx.references is not None else NO_MATCH
        th = ctx.settings.profile.thresholds
        repost = match.share >= th.repost_share
        if repost or attribution.claims_repost:
            yield from self._repost(doc, attribution, match, repost)
        elif match.share >= th.partial_reuse_min and not attribution.names_other_source:
            for passage in match.passages:
                ref = passage.reference
                yield self.finding(doc, passage.start, passage.end, rule=self.rules[1],
                                   message=f"本段照搬{reference_label(ref)}，未注明出处；"
                                           f"全文照搬约 {match.share:.0%}",
                                   evidence={"share": round(match.share, 3), "passage_chars": passage.chars,
                                             "references": [m.evidence() for m in match.references]},
                                   confidence=0.9)

    def _repost(self, doc: PreparedDocument, attribution: Attribution, match: Match, by_index: bool
                ) -> Iterable[Finding]:
        best = match.best
        evidence = {"basis": "index" if by_index else "attribution", "share": round(match.share, 3),
                    "claimed_source": attribution.source, "site": attribution.site,
                    "people": {c.label: c.value for c in attribution.people},
                    "references": [m.evidence() for m in match.references]}
        if by_index and not attribution.names_other_source:
            ref = best.reference
            why = ("把本站标为来源" if attribution.self_claimed else
                   f"来源“{attribution.source}”不明" if attribution.vague else "未标注来源")
            yield self.finding(doc, 0, 0, rule=self.rules[0], confidence=min(1.0, 0.5 + match.share / 2),
                               message=f"转载未注明来源：正文约 {match.share:.0%} 与{reference_label(ref)}相同，"
                                       f"但{why}",
                               suggestions=(f"来源：{ref.source or ref.site}",) if (ref.source or ref.site) else (),
                               evidence=evidence)
        else:
            yield self.finding(doc, 0, 0, rule=self.rules[2], evidence=evidence,
                               message=f"转载稿件（来源：{attribution.source or (best and best.reference.site) or '已注明'}），"
                                       "不计入原创")
        if attribution.original_mark:
            yield self.finding(doc, 0, 0, rule=self.rules[4], evidence=evidence)

"""Late reposts of mandatory items, seen on the reposting page."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Iterable

from auditor.checks.base import Check, CheckContext, Example, Rule
from auditor.checks.mandatory.matching import MandatoryItem, Published, delay_hours, is_repost
from auditor.text import PreparedDocument
from auditor.types import Finding, Severity

_CST = timezone(timedelta(hours=8))
# The registry the rule's examples were written against; tests load it into their store.
EXAMPLE_MANDATORY_ITEMS = (
    MandatoryItem(title="关于切实做好2024年防汛救灾工作的紧急通知", publisher="某省人民政府",
                  published_at=datetime(2024, 6, 1, 9, 0, tzinfo=_CST), deadline_hours=8,
                  text="当前我省已全面进入主汛期，各地要立即进入临战状态，压紧压实防汛责任，"
                       "全面排查山洪地质灾害隐患点，提前转移危险区域群众，确保人民群众生命财产安全。"),
)
_ITEM = EXAMPLE_MANDATORY_ITEMS[0]


def _page(title: str, hour: int) -> dict:
    return {"title": title, "site": "某县人民政府", "published_at": f"2024-06-01T{hour:02d}:30:00+08:00",
            "provenance": {"kind": "page"}}


class LateMandatoryRepost(Check):
    rules = (Rule(
        code="RPT001", name="late-mandatory-repost", severity=Severity.WARNING,
        message="必转信息转发超时",
        what="页面转发了上级要求转载的必转信息（按正文近似重复或标题相似匹配，标题可带“【转载】”等前缀），"
             "但发布时间晚于必转清单规定的时限（如福建要求 8 小时内转发）。（需要必转清单：`auditor mandatory add`。）",
        why="检查通报点名“未按要求转载上级重要信息”（漏转、迟转）的单位；转发时限由上级通知规定。",
        fix="在规定时限内转发必转信息；超时的要在整改报告中说明原因。",
        source="《政府网站与政务新媒体检查指标》(国办秘函〔2019〕19号) 信息发布；各省必转信息转载时限规定（如福建省 8 小时）",
        bad=(Example("⟦⟧" + _ITEM.text + "\n来源：某省人民政府", fields=_page("【转载】关于切实做好2024年防汛救灾工作的紧急通知", 20)),),
        good=(Example(_ITEM.text + "\n来源：某省人民政府", fields=_page("【转载】关于切实做好2024年防汛救灾工作的紧急通知", 12)),
              Example("我县召开防汛工作会议，部署落实各项防汛措施。", fields=_page("我县部署防汛工作", 20))),
    ),)
    reads_mandatory = True

    def run(self, doc: PreparedDocument, ctx: CheckContext) -> Iterable[Finding]:
        document = doc.document
        registry = ctx.mandatory
        if registry is None or document.published_at is None:
            return
        account = document.meta.get("account") or document.site or ""
        published = Published(title=document.title, text=document.text, published_at=document.published_at,
                              url=document.url)
        for item in registry.items:
            if not item.applies_to(account, registry.levels.get(account)) or not is_repost(item, published):
                continue
            delay = delay_hours(item, published)
            if delay > item.deadline_hours:
                yield self.finding(doc, 0, 0, message=f"必转信息《{item.title}》转发超时：规定 {item.deadline_hours:g} 小时内转发，"
                                                      f"实际在发布后 {delay:.1f} 小时转发",
                                   evidence={"item": item.id, "title": item.title, "publisher": item.publisher,
                                             "published_at": item.published_at.isoformat(),
                                             "deadline_hours": item.deadline_hours, "delay_hours": round(delay, 2)})
            return

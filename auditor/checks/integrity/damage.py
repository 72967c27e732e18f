"""Character-level damage: mojibake, pinyin inserted after characters, lost characters."""
from __future__ import annotations

import re
from typing import Iterable

from auditor.checks.base import Check, CheckContext, Example, Rule
from auditor.text import PreparedDocument, regex
from auditor.types import Finding, Severity

_GB_SOURCE = "《国家通用语言文字法》第三条、第十四条；《政府网站与政务新媒体检查指标》(国办秘函〔2019〕19号) 内容准确性要求"

# U+FFFD runs; the classic GBK<->UTF-8 round-trip garbage; UTF-8 bytes read as Latin-1/CP1252
# (at least three lead+continuation pairs, so a lone "é" in a name is not flagged).
_MOJIBAKE = re.compile(
    r"\ufffd+"
    r"|(?:锟斤拷)+|(?:烫){3,}|(?:屯){3,}"
    r"|(?:[\u00c2-\u00ef][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    r"\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]{1,2}){3,}")

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# A Han character immediately followed by a toned pinyin syllable in parentheses: 政務(wù).
_INLINE_PINYIN = regex.compile(r"(?<=[\u4e00-\u9fff])[(（](?=[a-zü" + _TONED + r"]*[" + _TONED + r"])[a-zü"
                            + _TONED + r"]{1,6}[)）]")
# '?' standing where characters were lost in a conversion: "工作?,F", "閱讀 ?·? 發布".
_LOST = regex.compile(r"\?(?=[,·])|(?<=·)\?|(?<=[\u4e00-\u9fff])\?{2,}|\?{2,}(?=[\u4e00-\u9fff])")


class Mojibake(Check):
    rules = (Rule(
        code="TXT001", name="mojibake", severity=Severity.ERROR,
        message="文字乱码：字符编码转换出错，原文已损坏",
        what="U+FFFD 替换符、“锟斤拷”“烫烫烫”等转码残留，以及 UTF-8 被当作 Latin-1 读出的乱码（如“æ”¿åºœ”）。",
        why="乱码使信息无法阅读，属于内容不准确；检查中按错误内容扣分。",
        fix="从原始稿件重新复制或按正确编码（UTF-8 / GB18030）重新导入。",
        source=_GB_SOURCE,
        bad=(Example("通知如下：⟦\ufffd\ufffd⟧工作要求。"), Example("发布单位：⟦锟斤拷锟斤拷⟧")),
        good=(Example("Café 与 résumé 是外文词，不是乱码。"), Example("通知如下：工作要求。")),
    ),)

    def run(self, doc: PreparedDocument, ctx: CheckContext) -> Iterable[Finding]:
        for m in _MOJIBAKE.finditer(doc.text):
            yield self.finding(doc, m.start(), m.end())


class InlinePinyin(Check):
    rules = (Rule(
        code="TXT002", name="inline-pinyin", severity=Severity.ERROR,
        message="汉字后夹带拼音注音，转载或转换时文本被破坏",
        what="汉字后紧跟带声调的拼音括注，如“政務(wù)”“門(mén)戶”，是经过注音工具处理的损坏副本的特征。",
        why="此类文本不可读，且说明内容是从第三方转载的损坏副本。",
        fix="删除拼音括注，最好从原始来源重新获取正文。",
        source=_GB_SOURCE,
        bad=(Example("市政務⟦(wù)⟧服务管理局", suggestion=""),),
        good=(Example("拼音 zhèngwù 单独出现时不算。"), Example("世界卫生组织(WHO)发布报告。")),
    ),)
    # Above this many, one finding stands for the whole document: the copy must be replaced.
    max_individual = 5

    def run(self, doc: PreparedDocument, ctx: CheckContext) -> Iterable[Finding]:
        hits = list(_INLINE_PINYIN.finditer(doc.text))
        if len(hits) <= self.max_individual:
            for m in hits:
                yield self.finding(doc, m.start(), m.end(), suggestions=("",))
            return
        first = hits[0]
        yield self.finding(doc, first.start(), first.end(), suggestions=("",),
                           message=f"全文共 {len(hits)} 处汉字后夹带拼音注音（如“{doc.text[first.start() - 1:first.end()]}”），"
                                   f"文本已被破坏，应从原始来源重新获取",
                           evidence={"count": len(hits), "offsets": [m.start() for m in hits[:50]]})


class LostCharacters(Check):
    rules = (Rule(
        code="TXT003", name="lost-characters", severity=Severity.ERROR,
        message="字符丢失：此处的“?”是转码时丢失的字符或标点",
        what="半角问号夹在汉字、逗号或间隔号之间，如“自查工作?,F将”“阅读 ?·? 发布日期”，原字符在转码中丢失。",
        why="丢字使句子残缺，是转载或编码错误的典型痕迹。",
        fix="对照原文补回丢失的字符和标点。",
        source=_GB_SOURCE,
        bad=(Example("组织开展了自查工作⟦?⟧,F将有关情况汇报如下"),),
        good=(Example("你知道吗? 这是半角问号，另有规则检查。"),),
    ),)

    def run(self, doc: PreparedDocument, ctx: CheckContext) -> Iterable[Finding]:
        for m in _LOST.finditer(doc.text):
            yield self.finding(doc, m.start(), m.end())

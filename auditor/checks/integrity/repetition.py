"""Repeated material: duplicated paragraphs and sections, site tags injected into the body."""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable

from auditor.checks.base import Check, CheckContext, Example, Rule
from auditor.text import PreparedDocument
from auditor.types import Finding, Segment, Severity

_SPACE = re.compile(r"\s+")
_TAG = re.compile(r"[\[【]([^\[\]【】\n]{2,24})[\]】]")
# Words that mark a commercial site's own name (SEO injection by site builders and scrapers).
_COMMERCIAL = re.compile(r"公司|网络|科技|建站|网站建设|网站制作|网站设计|优化|推广|SEO|seo|传媒|工作室")
# Bracketed labels that legitimately repeat in government text.
_LEGIT_TAG = re.compile(r"^(?:\d+|[一二三四五六七八九十]+|注|图|表|附件?\d*|来源.*|编者按|链接|延伸阅读|相关链接)$")


def _key(doc: PreparedDocument, seg: Segment) -> str:
    """Paragraph text without whitespace and without bracketed tags (injected tags must
    not hide a duplicate)."""
    return _SPACE.sub("", _TAG.sub("", doc.norm[seg.start:seg.end]))


def _shingles(key: str, n: int = 5) -> set[str]:
    return {key[i:i + n] for i in range(max(1, len(key) - n + 1))}


NEAR_DUPLICATE = 0.85  # Jaccard of character 5-grams above which two long paragraphs are "the same"
NEAR_MIN_CHARS = 80  # shorter lines (captions, page labels) differ meaningfully by one number


class DuplicatedBlocks(Check):
    rules = (
        Rule(code="TXT004", name="duplicated-paragraph", severity=Severity.ERROR,
             message="段落重复：本段与前文某段完全相同",
             what="正文中出现与前文完全相同的段落（忽略空白，长度达到阈值的段落）。",
             why="重复段落是编辑粘贴失误的典型表现，影响内容准确性与可读性。",
             fix="删除重复的段落。",
             source="《政府网站与政务新媒体检查指标》(国办秘函〔2019〕19号) 内容准确性；GB/T 9704-2012 公文正文要求",
             bad=(Example("一是加强组织领导，明确责任分工，压实各级责任，确保各项工作落到实处。\n二是强化督查。\n"
                          "⟦一是加强组织领导，明确责任分工，压实各级责任，确保各项工作落到实处。⟧"),),
             good=(Example("一是加强组织领导，明确责任分工，确保工作落到实处。\n二是强化督查考核，确保工作落到实处。"),
                   Example("附件：\n1.名单\n附件：\n2.表格")),
             ),
        Rule(code="TXT005", name="duplicated-section", severity=Severity.ERROR,
             message="章节重复：连续多段与前文完全相同",
             what="连续两段及以上的内容在正文中重复出现（整节重复）。",
             why="整节重复多见于转载拼接或排版失误，严重影响内容质量。",
             fix="删除重复的整节内容。",
             source="《政府网站与政务新媒体检查指标》(国办秘函〔2019〕19号) 内容准确性",
             bad=(Example("开展集约化建设\n我市建成统一的政府网站集约化平台，实现运维统一管理。\n"
                          "⟦开展集约化建设\n我市建成统一的政府网站集约化平台，实现运维统一管理。⟧"),),
             good=(Example("开展集约化建设\n我市建成统一平台。\n强化监管\n我市加强日常监测。"),),
             ),
    )

    def run(self, doc: PreparedDocument, ctx: CheckContext) -> Iterable[Finding]:
        min_chars = ctx.settings.profile.thresholds.duplicate_min_chars
        paras = doc.paragraphs
        keys = [_key(doc, p) for p in paras]
        first_seen: dict[str, int] = {}
        long_paras: list[tuple[int, set[str]]] = []
        original: list[int | None] = []  # index of the earlier identical paragraph, if any
        for i, key in enumerate(keys):
            match = first_seen.get(key) if len(key) >= 4 else None
            if match is None and len(key) >= max(min_chars, NEAR_MIN_CHARS):
                grams = _shingles(key)
                for j, other in long_paras:
                    if 0.8 <= len(keys[j]) / len(key) <= 1.25 and \
                            len(grams & other) / len(grams | other) >= NEAR_DUPLICATE:
                        match = j
                        break
                long_paras.append((i, grams))
            original.append(match)
            first_seen.setdefault(key, i)
        i = 0
        while i < len(paras):
            if original[i] is None:
                i += 1
                continue
            # Extend a run while the copies stay consecutive and so do their originals.
            j = i
            while j + 1 < len(paras) and original[j + 1] is not None and original[j + 1] == original[j] + 1:
                j += 1
            run_len = j - i + 1
            if run_len >= 2:
                yield self.finding(doc, paras[i].start, paras[j].end, rule=self.rules[1],
                                   message=f"章节重复：连续 {run_len} 段与前文完全相同", suggestions=("",),
                                   evidence={"paragraphs": run_len, "original_start": paras[original[i]].start})
            elif len(keys[i]) >= min_chars:
                exact = keys[i] == keys[original[i]]
                yield self.finding(doc, paras[i].start, paras[i].end, rule=self.rules[0], suggestions=("",),
                                   message=None if exact else "段落重复：本段与前文某段基本相同",
                                   evidence={"original_start": paras[original[i]].start, "exact": exact})
            i = j + 1


class InjectedSiteTag(Check):
    rules = (Rule(
        code="TXT006", name="injected-site-tag", severity=Severity.ERROR,
        message="正文中被插入网站或商业标签",
        what="同一个方括号标签在多个段落中反复出现，如“[哈尔滨网站建设公司]”，是采集站或建站公司插入的推广标签。",
        why="政府网站和政务新媒体不得出现商业信息；插入的标签还说明内容是未经处理的转载。",
        fix="删除所有插入的标签。",
        source="《政府网站与政务新媒体检查指标》(国办秘函〔2019〕19号)：页面存在商业信息扣分",
        bad=(Example("⟦[某某网站建设公司]⟧近年来我市创新政府网站建设。\n⟦[某某网站建设公司]⟧针对运维力量薄弱的现状，我市建成集约化平台。",
                     suggestion=""),),
        good=(Example("【政策解读】关于开展检查的通知。\n正文内容。"),
              Example("参考文献[1]的说明。\n参考文献[1]的补充。")),
    ),)

    def run(self, doc: PreparedDocument, ctx: CheckContext) -> Iterable[Finding]:
        by_tag: dict[str, list[re.Match[str]]] = defaultdict(list)
        for m in _TAG.finditer(doc.text):
            label = m.group(1).strip()
            if _LEGIT_TAG.match(label) or sum(1 for ch in label if "\u4e00" <= ch <= "\u9fff") < 2:
                continue
            by_tag[label].append(m)
        for label, hits in by_tag.items():
            paragraphs = {self._paragraph_of(doc, m.start()) for m in hits}
            commercial = bool(_COMMERCIAL.search(label))
            if len(paragraphs) >= 3 or (commercial and len(paragraphs) >= 2):
                for m in hits:
                    yield self.finding(doc, m.start(), m.end(), suggestions=("",),
                                       confidence=0.95 if commercial else 0.8,
                                       evidence={"occurrences": len(hits), "paragraphs": len(paragraphs)})

    @staticmethod
    def _paragraph_of(doc: PreparedDocument, offset: int) -> int:
        for p in doc.paragraphs:
            if p.start <= offset < p.end:
                return p.index
        return -1

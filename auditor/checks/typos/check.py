"""The TYP rules and the one check that serves them (one engine pass per sentence; in a worksheet
table, one per distinct text of its prose columns)."""
from __future__ import annotations

from typing import Iterable

from auditor.checks.base import Check, CheckContext, Example, Rule
from auditor.checks.typos.engine import Typo, TypoEngine, typo_engine
from auditor.settings import Settings
from auditor.text import PreparedDocument
from auditor.text.tables import prose_view
from auditor.types import Finding, Severity

_SOURCE = ("《政府网站与政务新媒体检查指标》(国办秘函〔2019〕19号)：内容不准确、存在错别字扣分；"
           "严重错别字（国名、国家机构名称、领导人姓名写错）单项否决")

WRONG_CHARACTER = Rule(
    code="TYP001", name="wrong-character", severity=Severity.ERROR,
    message="疑似错别字",
    what="音近、形近造成的错别字，如“发展机智”应为“发展机制”。候选字来自同音、近音、形近字表，"
         "由公文语料训练的语言模型和分类器判断；把握较低的以“提示”级别报告。"
         "本身成词的常用字互相误用（再/在、作/做、己/已、带/戴等），由上下文分类器判断，以“提示”级别报告。",
    why="错别字是政府网站和政务新媒体检查中最常见的扣分项，影响政府公信力。",
    fix="核对原文，把错字改为建议的正确字。",
    source=_SOURCE,
    bad=(Example("各地区各部门要切实加强组织领⟦到⟧，确保各项任务落到实处。", suggestion="导"),),
    good=(Example("各地区各部门要切实加强组织领导，确保各项任务落到实处。"),
          Example("《平凡的世界》是一部长篇小说。")),
)
WRONG_WORD = Rule(
    code="TYP002", name="wrong-word", severity=Severity.ERROR,
    message="错词或不规范词形",
    what="常见错词（如“按装”“一如继往”）、“截止/截至”误用，以及《第一批异形词整理表》中的非推荐词形（以提示级别报告）。",
    why="错词同样属于错别字；公文和政务信息应使用规范词形。",
    fix="改为建议的正确词形。",
    source=_SOURCE + "；GF 1001-2001《第一批异形词整理表》",
    bad=(Example("新建小区已全部完成燃气管道⟦按装⟧。", suggestion="安装"),
         Example("⟦截止⟧2024年底，全市共建成充电桩3000个。", suggestion="截至")),
    good=(Example("补贴按装机容量计算，截至2024年底已发放到位。"),
          Example("申报截止日期为6月30日。")),
)
REPEATED_CHARACTER = Rule(
    code="TYP003", name="repeated-character", severity=Severity.ERROR,
    message="疑似多字（重复字）",
    what="同一个字被误打两遍，如“我们的的工作”；正常的重叠词（看看、常常、渐渐、清清楚楚）和量词重叠（件件、项项）不报告。",
    why="多字属于文字差错，影响内容准确性。",
    fix="删除重复的字。",
    source=_SOURCE,
    bad=(Example("这是我们的⟦的⟧重点工作。", suggestion=""),),
    good=(Example("我们常常去看看，情况渐渐好转，事情讲得清清楚楚，不了了之的做法要纠正。"),
          Example("做到事事有落实、件件有反馈。"),),
)
NAME_TYPO = Rule(
    code="TYP004", name="name-typo", severity=Severity.BLOCKER,
    message="严重错别字：国名、国家机构或行政区划名称写错",
    what="错别字落在国名、党和国家机构、国务院部门或行政区划的名称中，如“国务院办公厅”写成别的字。",
    why="国名、国家机构名称、领导人姓名写错属于严重错误，检查中单项否决。",
    fix="按正式名称改正。",
    source=_SOURCE,
    bad=(Example("近日，国务院办公⟦听⟧印发通知，部署有关工作。", suggestion="厅"),),
    good=(Example("近日，国务院办公厅印发通知，部署有关工作。"),),
)
WRONG_PARTICLE = Rule(
    code="TYP005", name="wrong-particle", severity=Severity.WARNING,
    message="“的地得”误用",
    what="结构助词“的、地、得”用错：修饰动词用“地”（认真地学习），补充说明动作结果或程度用“得”（跑得很快），"
         "修饰名词用“的”。由分类器根据上下文判断，只报告把握很大的；“的确、目的、土地、地方、得到、值得”等词中的字不报告，"
         "书名号、短引号内的文字和人名、繁体文字不检查。",
    why="“的地得”混用是公文和政务信息中最常见的用字差错之一，检查中按错别字扣分。",
    fix="核对句子结构，按建议改用正确的助词；确属修饰名词等正确用法的，可忽略。",
    source=_SOURCE + "；《现代汉语词典》第7版“的”“地”“得”条",
    bad=(Example("同志们认真⟦的⟧学习了会议精神。", suggestion="地"),
         Example("这匹马跑⟦的⟧很快，第一个到达终点。", suggestion="得")),
    good=(Example("同志们认真地学习了会议精神，这匹马跑得很快。"),
          Example("这项工作的目的是保护好土地资源，的确值得各地方借鉴。"),
          Example("把“认真的学习”改为“认真地学习”。")),
)


class TypoCheck(Check):
    rules = (WRONG_CHARACTER, WRONG_WORD, REPEATED_CHARACTER, NAME_TYPO, WRONG_PARTICLE)

    def __init__(self) -> None:
        self.engine: TypoEngine | None = None

    def load(self, settings: Settings) -> None:
        self.engine = typo_engine()

    def run(self, doc: PreparedDocument, ctx: CheckContext) -> Iterable[Finding]:
        engine = self.engine or typo_engine()
        # A worksheet's record rows are read as their prose cells (``PreparedDocument.prose_cells``),
        # and a list repeats its values (性别, 民族, 单位, 职务): each distinct text is scored once
        # and reported on every cell holding it.
        sentences = prose_view(doc.sentences, doc.table_rows, ())
        cells: dict[str, list[int]] = {}
        for seg in doc.prose_cells:
            cells.setdefault(doc.norm[seg.start:seg.end], []).append(seg.start)
        texts = [doc.norm[seg.start:seg.end] for seg in sentences]
        values = list(cells)
        results = engine.document_typos(texts + values)
        for seg, text, typos in zip(sentences, texts, results):
            for t in typos:
                yield self._finding(doc, seg.start, text, t)
        for value, typos in zip(values, results[len(texts):]):
            for start in cells[value] if typos else ():
                for t in typos:
                    yield self._finding(doc, start, value, t)

    def _finding(self, doc: PreparedDocument, offset: int, text: str, t: Typo) -> Finding:
        start, end = offset + t.start, offset + t.end
        evidence = {"kind": t.kind}
        if t.kind == "repeat":
            return self.finding(doc, start, end, rule=REPEATED_CHARACTER, suggestions=("",),
                                message=f"疑似多字：“{t.wrong}{t.wrong}”重复", confidence=t.confidence,
                                evidence=evidence)
        if t.kind in ("word", "variant"):
            label = "错词" if t.kind == "word" else "不规范词形"
            return self.finding(doc, start, end, rule=WRONG_WORD, suggestions=(t.right,),
                                message=f"{label}：“{t.wrong}”应为“{t.right}”", confidence=t.confidence,
                                severity=None if t.confident else Severity.WARNING, evidence=evidence)
        if t.kind == "particle":
            before, after = t.around
            return self.finding(doc, start, end, rule=WRONG_PARTICLE, suggestions=(t.right,),
                                message=f"“的地得”误用：“{before}{t.wrong}{after}”应为“{before}{t.right}{after}”",
                                confidence=t.confidence,
                                evidence={**evidence, "context": before + t.wrong + after,
                                          "corrected": before + t.right + after})
        a, b = max(0, t.start - 2), min(len(text), t.end + 2)
        context, fixed = text[a:b], text[a:t.start] + t.right + text[t.end:b]
        evidence.update(context=context, corrected=fixed)
        if t.protected_name:
            return self.finding(doc, start, end, rule=NAME_TYPO, suggestions=(t.right,),
                                message=f"严重错别字：“{context}”疑为“{fixed}”（{t.protected_name}）",
                                confidence=t.confidence, evidence={**evidence, "name": t.protected_name})
        return self.finding(doc, start, end, rule=WRONG_CHARACTER, suggestions=(t.right,),
                            message=f"疑似错别字：“{context}”中的“{t.wrong}”应为“{t.right}”",
                            confidence=t.confidence, severity=None if t.confident else Severity.WARNING,
                            evidence=evidence)


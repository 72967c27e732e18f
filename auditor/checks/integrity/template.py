"""Template leftovers: XX市, ××县, 20XX年, 某某单位, 此处填写."""
from __future__ import annotations

import re
from typing import Iterable

from auditor.checks.base import Check, CheckContext, Example, Rule
from auditor.text import PreparedDocument, regex
from auditor.types import Finding, Severity

_HAN = r"\u4e00-\u9fff"
_X = r"[XＸxｘ×✕╳]"
# Org and place suffixes after which 某某 is a template slot, not an anonymised person.
_SLOT_SUFFIX = r"[省市县区镇乡村街社局委办厅处科院所校部中队站单位公司集团协会学会医院年月日号]"
# After a surname 某某 anonymises a person (张某某), which is correct practice.
_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
             "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
_PLACEHOLDER = regex.compile(
    # A run of X between Han text or brackets: XX县, XX镇, 国办发(XX)47号, 20XX年, ××区.
    # Not after Latin letters (XXL), not before a digit (138XXXX1234), not a masked name (张XX同志).
    rf"(?<![A-Za-z]){_X}{{2,}}(?=[{_HAN}〕）)”\"])(?!同志|先生|女士|某)"
    rf"|(?<![{_SURNAMES}])某某(?={_SLOT_SUFFIX})"
    r"|此处填写|在此填写|请在此处|请填写|（填写[^）\n]{0,12}）|\(填写[^)\n]{0,12}\)|【[^】\n]{0,8}填写[^】\n]{0,8}】"
    r"|[〇○]{2,}(?=[年月日号])",
    re.M,
)


class TemplatePlaceholder(Check):
    rules = (Rule(
        code="TXT007", name="template-placeholder", severity=Severity.ERROR,
        message="模板占位符未替换：“{text}”应替换为实际内容",
        what="公文模板中的占位符未被替换，如“XX县”“××镇”“20XX年”“国办发(XX)47号”“某某单位”“此处填写”。",
        why="带占位符发布说明稿件未经审核，属于内容错误，也是“三审三校”失守的明显证据。",
        fix="替换为实际的名称、年份或编号。",
        source="《政府网站与政务新媒体检查指标》(国办秘函〔2019〕19号) 内容准确性；GB/T 9704-2012 发文字号",
        bad=(Example("第二季度，⟦XX⟧县人民政府门户网站共发布信息3378条。"),
             Example("根据《通知》(川府公开办函(⟦XX⟧)28号)要求"),
             Example("请⟦某某⟧单位于月底前报送。"),
             Example("第二季度,⟦XX⟧县人民政府门户网站共发布信息。"),
             Example("于20⟦XX⟧年底前完成。"),
             Example("联系人：⟦此处填写⟧")),
        good=(Example("犯罪嫌疑人张某某已被依法刑事拘留。"),
              Example("手机号138XXXX1234已作脱敏处理。"),
              Example("负责人：张XX，联系电话已隐去。"),
              Example("表彰张XX同志。"),
              Example("XXL 号服装与 Xbox 游戏机")),
    ),)

    def run(self, doc: PreparedDocument, ctx: CheckContext) -> Iterable[Finding]:
        for m in _PLACEHOLDER.finditer(doc.norm):
            text = doc.text[m.start():m.end()]
            yield self.finding(doc, m.start(), m.end(), message=self.rule.message.format(text=text))

"""What looks like personal data but is not a leak: codes of organisations (统一社会信用代码),
document numbers (发文字号, 索引号), order, serial and case numbers after their labels, and
official phone numbers (hotlines, office numbers, fax of a unit). Figures followed by a unit
or written as decimals are statistics."""
from __future__ import annotations

import re

from auditor.checks.privacy.numbers import id18_checksum_ok, usci_ok
from auditor.checks.privacy.recognizer import Candidate, context_before
from auditor.text import PreparedDocument, regex

_USCI = regex.compile(r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])")
_USCI_WORDS = ("信用代码", "纳税人识别号", "税号", "注册号", "机构代码")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*第?\s*\d+\s*号")
_LABELLED = re.compile(
    r"(?:索引号|文号|订单号|订单编号|流水号|交易号|交易单号|运单号|快递单号|单号|工单号|编号|批号|批准文号|合同号|"
    r"项目编号|证书编号|登记号|许可证号|备案号|案号|发票号码|发票代码|税号|纳税人识别号|统一社会信用代码|信用代码|"
    r"注册号|邮编|邮政编码|ISBN|ISSN|识别码|验证码|准考证号|考号|学号|工号|序列号|标准号|代码|账单号|申请号|受理号)"
    r"\s*[：:]?\s*(?P<value>[0-9A-Za-z][0-9A-Za-z\-/.()（）〔〕]*)")
# Labels that make a phone number an agency's: hotlines, office, duty and fax numbers.
OFFICIAL_PHONE_WORDS = ("咨询", "监督", "举报", "投诉", "服务", "热线", "值班", "办公", "传真", "受理", "报名", "预约",
                        "求助", "客服", "总机", "业务", "政务", "应急", "报警", "信访", "接待", "纠错")
# A unit named just before a landline ("区民政局电话") makes it an office number.
_UNIT = re.compile(r"(?:局|委|办|厅|院|所|中心|政府|部|处|科|站|队|街道|公司|银行|医院|学校|协会|窗口|大厅|委员会)"
                   r"[^，。；,;]{0,6}$")
_UNITS_AFTER = re.compile(r"^(?:元|万|亿|千|百|人|户|个|次|件|台|套|吨|亩|公顷|平方|米|公里|千米|%|‰|斤|辆|册|条|项|家|"
                          r"所|名|位|岁|年|月|日|天|小时|分|秒|份|块|股|倍|kg|km|t\b)")
_CURRENCY_BEFORE = re.compile(r"[¥￥$€]\s*$|[.．]$")


def excluded_spans(doc: PreparedDocument) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    for m in _USCI.finditer(doc.norm):
        value = m.group()
        labelled = any(w in context_before(doc, m.start(), 24) for w in _USCI_WORDS)
        # An ID number ending in X can pass the USCI checksum by chance (1 in 31).
        if labelled or (not value.isdigit() and usci_ok(value) and not _valid_id(value)):
            spans.append((m.start(), m.end(), "统一社会信用代码"))
    for m in _DOC_NUMBER.finditer(doc.norm):
        spans.append((m.start(), m.end(), "发文字号"))
    for m in _LABELLED.finditer(doc.norm):
        spans.append((m.start("value"), m.end("value"), "编号"))
    return spans


def _valid_id(value: str) -> bool:
    from auditor.checks.privacy.id_card import birth_date

    return id18_checksum_ok(value) and birth_date(value[6:14]) is not None


def is_statistic(doc: PreparedDocument, c: Candidate) -> bool:
    after = doc.norm[c.end:c.end + 4]
    before = doc.norm[max(0, c.start - 2):c.start]
    return bool(_UNITS_AFTER.match(after) or _CURRENCY_BEFORE.search(before)
                or (after[:1] in ".．" and after[1:2].isdigit()))


def is_official_phone(doc: PreparedDocument, c: Candidate) -> bool:
    """A hotline, office or fax number of an agency (never a leak)."""
    if c.state == "service":
        return True
    before = context_before(doc, c.start, 20)
    clause = re.split(r"[，。；,;]", before)[-1]
    if any(w in clause for w in OFFICIAL_PHONE_WORDS):
        return True
    return c.kind == "landline" and bool(_UNIT.search(re.sub(r"(?:联系)?电话[：:]?\s*$", "", clause)))

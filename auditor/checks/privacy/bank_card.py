"""Bank card numbers: 16–19 digits, Luhn (mod 10), issuer prefix (UnionPay 62, Visa 4,
Mastercard 51–55, JCB 35, Amex 34/37). Luhn raises confidence; a 62 number after a card word
that fails Luhn is still reported (some accounts do not follow Luhn), as a suspect."""
from __future__ import annotations

from auditor.checks.privacy.number_recognizer import NumberRecognizer
from auditor.checks.privacy.numbers import Group, NumberRun, luhn_ok
from auditor.checks.privacy.recognizer import Candidate, has_context
from auditor.text import PreparedDocument

CARD_WORDS = ("卡号", "银行卡", "账号", "帐号", "银行", "开户", "存折", "社保卡", "一卡通", "储蓄卡", "信用卡", "收款")
_ISSUERS = ("62", "4", "51", "52", "53", "54", "55", "35", "34", "37", "60", "9")


class BankCard(NumberRecognizer):
    kind = "bank_card"
    lengths = frozenset(range(16, 20))
    top_score = 0.8
    context = CARD_WORDS

    def classify(self, doc: PreparedDocument, run: NumberRun, groups: tuple[Group, ...],
                 digits: str) -> Candidate | None:
        if not digits.isdigit():
            return None
        issuer = digits.startswith(_ISSUERS)
        if luhn_ok(digits):
            return self.candidate(groups, 0.8 if issuer else 0.4, luhn=True)
        if digits.startswith("62") and has_context(doc, groups[0].start, CARD_WORDS):
            return self.candidate(groups, 0.4, state="suspect", luhn=False)
        return None

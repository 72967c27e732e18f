import pytest

from auditor.checks.privacy.numbers import luhn_ok

CASES = [
    ("卡号6228480402564890018", [("6228480402564890018", "leak")]),
    ("卡号：6228 4804 0256 4890 018", [("6228 4804 0256 4890 018", "leak")]),
    ("打入账户6228-4804-0256-4890-018", [("6228-4804-0256-4890-018", "leak")]),
    ("4111111111111111", [("4111111111111111", "leak")]),
    # 62 account failing Luhn: reported as a suspect after a card word
    ("开户银行账号6222026006705354217", [("6222026006705354217", "suspect")]),
    ("6222026006705354217", []),
    # Luhn-valid but no issuer prefix and no context: an arbitrary number
    ("1234567812345670", []),
    ("交易流水号：6228480402564890018", []),
    ("发放资金6228480402564890018元", []),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_bank_card(find, text, expected):
    assert find(text, "bank_card") == expected


def test_reference_luhn():
    assert luhn_ok("6228480402564890018")
    assert not luhn_ok("6222026006705354217")

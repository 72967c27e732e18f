import pytest

CASES = [
    ("护照号码：E12345678", ["E12345678"]),
    ("护照号EA1234567", ["EA1234567"]),
    ("护照号G12345678", ["G12345678"]),
    ("护照号EI1234567", []),  # I is never used
    ("型号E12345678", []),
    ("护照号E123456789", []),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_passport(find, text, expected):
    assert [t for t, _ in find(text, "passport")] == expected

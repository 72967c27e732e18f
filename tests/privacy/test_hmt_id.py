import pytest

CASES = [
    ("香港身份证A123456(3)", ["A123456(3)"]),
    ("身份证号A123456（3）", ["A123456（3）"]),
    ("香港身份证A123456(4)", []),  # check digit wrong
    ("澳门身份证1234567(8)", ["1234567(8)"]),
    ("台湾身份证A123456789", ["A123456789"]),
    ("台湾身份证A123456788", []),
    ("编号1234567", []),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_hmt_id(find, text, expected):
    assert [t for t, _ in find(text, "hmt_id")] == expected

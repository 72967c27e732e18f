import pytest

CASES = [
    ("身份证号110101********1233", [("110101********1233", "masked")]),
    ("身份证号110101＊＊＊＊＊＊＊＊123X", [("110101＊＊＊＊＊＊＊＊123X", "masked")]),
    ("电话138****5678", [("138****5678", "masked")]),
    ("电话138 **** 5678", [("138 **** 5678", "masked")]),
    ("卡号622848*********0018", [("622848*********0018", "masked")]),
    # partial masks that still show what must be hidden
    ("身份证号11010119900307****", [("11010119900307****", "partial")]),
    ("身份证号1101011990****1233", [("1101011990****1233", "partial")]),
    ("电话1381234****", [("1381234****", "partial")]),
    ("卡号62284804025648****", [("62284804025648****", "partial")]),
    ("评分***", []),
    ("共计**万元", []),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_masked(find, text, expected):
    assert [(t, s) for t, s in find(text) if s in ("masked", "partial")] == expected


@pytest.mark.parametrize("text,severity", [
    ("身份证号110101********1233", "info"),
    ("身份证号11010119900307****", "error"),
])
def test_masked_severity(find, text, severity):
    assert [s for _, s in find(text, attr="severity")] == [severity]

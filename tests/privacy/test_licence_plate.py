import pytest

CASES = [
    ("车牌号京A12345", ["京A12345"]),
    ("号牌粤B·D12345", ["粤B·D12345"]),
    ("车辆沪A1234学", ["沪A1234学"]),
    ("京A级景区", []),
    ("鲁ABCDEF", []),  # no digit
    ("京I12345", []),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_licence_plate(find, text, expected):
    assert [t for t, _ in find(text, "plate")] == expected

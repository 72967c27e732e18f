import pytest

CASES = [
    ("手机13812345678", ["13812345678"]),
    ("电话：138 1234 5678。", ["138 1234 5678"]),
    ("电话：138-1234-5678", ["138-1234-5678"]),
    ("电话：+86 138 1234 5678", ["+86 138 1234 5678"]),
    ("电话：+8613812345678", ["+8613812345678"]),
    ("电话：0086-13812345678", ["0086-13812345678"]),
    ("电话：１３８１２３４５６７８", ["１３８１２３４５６７８"]),
    ("电话：1381234\n5678", ["1381234\n5678"]),
    ("联系19212345678或19912345678", ["19212345678", "19912345678"]),
    ("Tel13812345678", []),  # glued to letters: not taken apart
    ("号码15412345678", []),  # 154 is not allocated
    ("号码14412345678", []),  # IoT segment
    ("12345678901", []),
    ("累计13812345678人次", []),
    ("监督电话：13812345678", []),
    ("举报电话13812345678", []),
    ("138123456789", []),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_mobile(find, text, expected):
    assert [t for t, _ in find(text, "mobile")] == expected


@pytest.mark.parametrize("text,severity", [
    ("户主王某某，电话13812345678", "blocker"),
    ("会议联系人：李明，13812345678", "error"),
])
def test_mobile_severity(find, text, severity):
    assert [s for _, s in find(text, "mobile", attr="severity")] == [severity]

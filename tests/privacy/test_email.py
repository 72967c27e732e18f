import pytest

CASES = [
    ("邮箱：zhangsan@163.com", ["zhangsan@163.com"]),
    ("请发送至 li.ming_1990@qq.com。", ["li.ming_1990@qq.com"]),
    ("投稿邮箱：bgs@beijing.gov.cn", []),
    ("邮箱xxb@pku.edu.cn", []),
    ("邮箱z*******@163.com", []),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_email(find, text, expected):
    assert [t for t, _ in find(text, "email")] == expected

import pytest

CASES = [
    ("邮箱：zhangsan@163.com", ["zhangsan@163.com"]),
    ("请发送至 li.ming_1990@qq.com。", ["li.ming_1990@qq.com"]),
    ("投稿邮箱：bgs@beijing.gov.cn", []),
    ("邮箱xxb@pku.edu.cn", []),
    ("邮箱z*******@163.com", []),
    # glued to Chinese text: the address ends at the first Chinese character
    ("邮箱chenjie@corp.io如未收到请来电", ["chenjie@corp.io"]),
    ("请联系chenjie@corp.io。", ["chenjie@corp.io"]),
    ("对账单发至billing+invoices@corp.com，谢谢", ["billing+invoices@corp.com"]),
    ("请联系 billing+invoices@corp.com", ["billing+invoices@corp.com"]),
    ('{"email":"a.b@x.cn"}', ["a.b@x.cn"]),
    ('返回{"user":{"name":"陈杰","email":"a.b@x.cn"}}', ["a.b@x.cn"]),
    ("邮箱bgs@zj.gov.cn如未收到", []),  # a unit's mailbox, glued or not
    ("版本1.2.3.4发布", []),
    ("微博@人民日报", []),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_email(find, text, expected):
    assert [t for t, _ in find(text, "email")] == expected

import pytest

CASES = [
    ("姓名：王秀英", [("王秀英", "leak")]),
    ("户主王小明，男，1965年出生", [("王小明", "leak")]),
    ("申请人：欧阳明华", [("欧阳明华", "leak")]),
    ("联系人：李明同志，电话：13812345678", [("李明", "leak")]),
    ("户主姓名：张*", [("张*", "masked")]),
    ("当事人张某某", [("张某某", "masked")]),
    # names next to an ID number in running text
    ("经审核，村民赵国强（身份证号110101199003071233）符合条件。", [("赵国强", "leak")]),
    # names alone in news, officials in office
    ("市长张三出席会议并讲话。", []),
    ("记者王小明报道。", []),
    ("局长李建国带队检查，联系电话13812345678。", []),
    ("姓名：", []),
    ("姓名：合计", []),
    # a label word that is just a noun of the sentence, then 和/与 + a common word
    ("影响到更多学生和老师。", []),
    ("组织居民与家长参加活动。", []),
    # surnames that are also function words stay names after a label
    ("申请人于海（身份证号110101199003071233）", [("于海", "leak")]),
    ("申请人曾世民（身份证号110101199003071233）", [("曾世民", "leak")]),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_person_name(find, text, expected):
    assert find(text, "name") == expected


def test_name_column_of_table(find):
    text = "| 序号 | 姓名 | 性别 | 金额 |\n|---|---|---|---|\n| 1 | 王秀英 | 女 | 500 |\n| 2 | 李建国 | 男 | 450 |"
    assert find(text, "name") == [("王秀英", "leak"), ("李建国", "leak")]


def test_record_line_without_header(find):
    assert find("1 王秀英 女 110101199003071233 幸福村", "name") == [("王秀英", "leak")]

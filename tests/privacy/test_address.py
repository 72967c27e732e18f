import pytest

CASES = [
    ("家庭住址：幸福路12号3栋201室", ["幸福路12号3栋201室"]),
    ("申请人李某，家住北京市朝阳区建国路88号院2号楼1单元502", ["北京市朝阳区建国路88号院2号楼1单元502"]),
    ("王某，男，住城关镇和平村23号。", ["城关镇和平村23号"]),
    ("现住址：浙江省杭州市西湖区文三路478号", ["浙江省杭州市西湖区文三路478号"]),
    # village level is allowed, office addresses are not a person's
    ("家庭住址：幸福镇幸福村三组", []),
    ("办公地址：幸福路12号", []),
    ("地址：北京市西城区府右街2号", []),
    ("家庭住址：幸福路**号*栋***室", []),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_address(find, text, expected):
    assert [t for t, _ in find(text, "address")] == expected


@pytest.mark.parametrize("text", [
    # an organisation's contact block, with an e-mail address that makes it look like a record
    "湘公安网备号43010402000231号 医院地址：湖南省长沙市麓山路58号 联系邮箱： zyyfy2016@163.com",
    "医院地址：湖南省长沙市麓山路58号 联系邮箱： zyyfy2016@163.com",
])
def test_an_organisations_address_is_not_a_home_address(find, text):
    assert find(text, "address") == []


def test_a_record_line_address_is_still_found(find):
    assert [t for t, _ in find("王秀英 幸福路12号 13812345678", "address")] == ["幸福路12号"]


def test_address_column(find):
    text = "序号 姓名 家庭住址\n1 王秀英 幸福路12号\n2 李建国 和平村3组"
    assert [t for t, _ in find(text, "address")] == ["幸福路12号"]

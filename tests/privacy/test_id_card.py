import pytest

from auditor.checks.privacy.numbers import id18_checksum_ok

CASES = [
    ("身份证号：110101199003071233", [("110101199003071233", "leak")]),
    ("身份证号：11010519491231002X。", [("11010519491231002X", "leak")]),
    ("身份证号：11010519491231002x。", [("11010519491231002x", "leak")]),
    ("证号110101 19900307 1233", [("110101 19900307 1233", "leak")]),
    ("证号110101-1990-0307-1233", [("110101-1990-0307-1233", "leak")]),
    ("身份证号11010119900307\n1233", [("11010119900307\n1233", "leak")]),
    ("身份证号：１１０１０１１９９００３０７１２３３", [("１１０１０１１９９００３０７１２３３", "leak")]),
    ("我的号码110101199003071233请查收", [("110101199003071233", "leak")]),
    ("旧号码110105491231002", [("110105491231002", "leak")]),
    # checksum fails but division and date are real: a typo'd ID, still reported
    ("身份证号110101199003071234", [("110101199003071234", "suspect")]),
    # 110200 (a county code of Beijing) was abolished in 2014: valid for people born before, not after
    ("身份证号110200199003071232", [("110200199003071232", "leak")]),
    ("身份证号110200201503071239", [("110200201503071239", "suspect")]),
    # future birth date, impossible date
    ("编码110101209903071233", []),
    ("110101199002301233", []),
    # unknown division and wrong checksum: just a number
    ("990101199003071234", []),
    ("1101011990030712331", []),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_id_card(find, text, expected):
    assert find(text, "id_card") == expected


def test_reference_checksums():
    assert id18_checksum_ok("11010519491231002X")
    assert id18_checksum_ok("34052419800101001X")
    assert not id18_checksum_ok("622223199912051311")


def test_two_ids_in_one_run(find):
    assert find("110101199003071233 320583198506124414", "id_card") == [
        ("110101199003071233", "leak"), ("320583198506124414", "leak")]

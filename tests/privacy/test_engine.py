from auditor.checks.privacy import PersonalData
from auditor.checks.base import CheckContext
from auditor.settings import Settings
from auditor.text import PreparedDocument
from auditor.types import Document

TABLE = ("关于2023年城乡低保对象的公示\n"
         "| 序号 | 户主姓名 | 身份证号 | 联系电话 | 家庭住址 |\n"
         "|---|---|---|---|---|\n"
         "| 1 | 王秀英 | 110101199003071233 | 13812345678 | 幸福镇幸福村5号 |\n"
         "| 2 | 李建国 | 320583198506124414 | 0351-2345678 | 城关镇和平路12号3单元201室 |\n"
         "| 3 | 张* | 110101********1233 | 138****5678 | 幸福村 |\n"
         "公示期七天。联系人：赵明，联系电话：0351-6543210。")


def _findings(text):
    check = PersonalData()
    check.load(Settings())
    return list(check.run(PreparedDocument(Document(text=text)), CheckContext(Settings())))


def test_table_of_records_is_one_blocker():
    found = _findings(TABLE)
    tables = [f for f in found if f.code == "PII015"]
    assert len(tables) == 1
    assert tables[0].severity.value == "blocker"
    assert tables[0].text.startswith("| 1 | 王秀英") and tables[0].text.endswith("201室 |")
    assert tables[0].evidence["rows"] == 2


def test_every_cell_of_the_table():
    found = {(f.code, f.text) for f in _findings(TABLE)}
    assert {("PII012", "王秀英"), ("PII001", "110101199003071233"), ("PII003", "13812345678"),
            ("PII011", "幸福镇幸福村5号"), ("PII004", "0351-2345678"), ("PII013", "张*"),
            ("PII013", "138****5678"), ("PII012", "赵明")} <= found
    # the unit's contact landline outside the table is an office number
    assert ("PII004", "0351-6543210") not in found


def test_suggestions_carry_the_masked_form():
    by_text = {f.text: f for f in _findings(TABLE)}
    assert by_text["110101199003071233"].suggestions == ("110101********1233",)
    assert by_text["13812345678"].suggestions == ("138****5678",)
    assert by_text["王秀英"].suggestions == ("王**",)
    assert by_text["城关镇和平路12号3单元201室"].suggestions == ("城关镇和平路**号*单元***室",)


def test_overlaps_resolved_once():
    found = _findings("身份证号110101199003071233")
    assert [(f.code, f.text) for f in found] == [("PII001", "110101199003071233")]


def test_bad_input_never_crashes():
    for text in ("", "\n\n", "|" * 1000, "1" * 100000, "\ufffd\u0000\U0001F600" * 50, "１" * 30, "姓名：" * 200):
        _findings(text)


def test_id_ending_in_x_that_passes_the_usci_checksum_is_still_an_id(find):
    # 13060219570902223X is a valid ID and, by chance, also passes the USCI checksum
    assert find("| 3 | 李安 | 13060219570902223X |", "id_card") == [("13060219570902223X", "leak")]


def test_text_after_a_number_is_not_a_unit(find):
    # 天 / 百 start place names here, not units of a statistic
    assert find("申请人 350724196709241319 19994928071 天宁工业区", "mobile") == [("19994928071", "leak")]


NUMBERS = ("身份证号110101199003071233，旧证号110101900307123，有误的身份证号110101199003071234，"
           "手机+86 138 1234 5678、008613812345678，电话(0351)2345678转123、400-800-1234，座机电话2345678，"
           "银行卡号6222 0212 3456 7890 128，卡号6228480000000000001")


def test_no_number_recognizer_scores_above_its_top_score():
    """segment_run skips a recognizer whose top_score cannot beat the candidate it has: that holds
    only while every classify() stays at or under its recognizer's top_score."""
    from auditor.checks.privacy.engine import PrivacyEngine
    from auditor.checks.privacy.numbers import number_runs

    doc = PreparedDocument(Document(text=NUMBERS))
    kinds = set()
    for run in number_runs(doc.norm):
        for i in range(len(run.groups)):
            for j in range(i + 1, len(run.groups) + 1):
                digits = "".join(g.digits for g in run.groups[i:j])
                for rec in PrivacyEngine().numbers:
                    c = rec.classify(doc, run, run.groups[i:j], digits) if len(digits) in rec.lengths else None
                    if c is not None:
                        kinds.add(c.kind)
                        assert c.score <= rec.top_score, (rec.kind, digits, c.score)
    assert kinds == {"id_card", "mobile", "landline", "bank_card"}

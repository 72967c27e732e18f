import pytest
from click.testing import CliRunner

from auditor.checks.privacy.redact import redact_text
from auditor.cli import main

CASES = [
    ("身份证号110101199003071233", "身份证号110101********1233"),
    ("电话：+86 138-1234-5678", "电话：+86 138-****-5678"),
    ("卡号6228 4804 0256 4890 018", "卡号6228 48** **** ***0 018"),
    ("户主姓名：王秀英，家庭住址：幸福路12号", "户主姓名：王**，家庭住址：幸福路**号"),
    ("身份证号11010119900307****", "身份证号110101************"),
    ("申请人邮箱：zhangsan@163.com", "申请人邮箱：z*******@163.com"),
    ("咨询电话：0351-2345678", "咨询电话：0351-2345678"),
    ("手机138.0013.8000", "手机138.****.8000"),
    ("邮箱chenjie@corp.io如未收到", "邮箱c******@corp.io如未收到"),
    ("", ""),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_redact(text, expected):
    assert redact_text(text) == expected


@pytest.mark.parametrize("text", [c[0] for c in CASES])
def test_redaction_is_idempotent(text):
    once = redact_text(text)
    assert redact_text(once) == once


DOC = "低保公示\n| 序号 | 姓名 | 身份证号 | 电话 |\n| 1 | 王秀英 | 110101199003071233 | 13812345678 |\n"


def test_cli_redacts_a_file(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text(DOC, encoding="utf-8")
    result = CliRunner().invoke(main, ["redact", str(path)])
    assert result.exit_code == 0
    assert result.output == "低保公示\n| 序号 | 姓名 | 身份证号 | 电话 |\n| 1 | 王** | 110101********1233 | 138****5678 |\n"


def test_cli_redacts_stdin():
    result = CliRunner().invoke(main, ["redact", "-"], input=DOC.encode("utf-8"))
    assert result.exit_code == 0
    assert "110101********1233" in result.output and "110101199003071233" not in result.output


def test_cli_unreadable_input(tmp_path):
    result = CliRunner().invoke(main, ["redact", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1


def test_cli_redacts_a_url(site):
    url = site.add_bytes("/notice.txt", DOC.encode("utf-8"), "text/plain; charset=utf-8")
    result = CliRunner().invoke(main, ["redact", "--allow-private", url])
    assert result.exit_code == 0, result.output
    assert "王**" in result.output and "13812345678" not in result.output


def test_check_reports_pii_as_jsonl():
    import json

    result = CliRunner().invoke(main, ["check", "-", "--select", "PII", "--format", "jsonl"], input=DOC.encode("utf-8"))
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    by_code = {r["code"]: r for r in rows}
    assert by_code["PII001"]["suggestions"] == ["110101********1233"]
    assert by_code["PII001"]["evidence"]["checksum"] is True

"""Editors' drafts: a pasted sentence or paragraph is a snippet, not a page; a draft's title is
its first line when that reads as a title; no message ever shows None."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.ingest import read_bytes, read_path
from auditor.review.service import item_title
from auditor.text.segment import draft_title
from auditor.types import Document

from support import FIXTURES, HTML_DATA, SAMPLE, SEEDS

AUDITOR = str(Path(sys.executable).parent / "auditor")


def _snippets() -> list[str]:
    text = (FIXTURES / "drafts" / "snippets.txt").read_text(encoding="utf-8")
    blocks = ["\n".join(line for line in block.splitlines() if not line.startswith("#")).strip()
              for block in text.split("\n\n")]
    return [b for b in blocks if b]


SNIPPETS = _snippets()
NOTICE = "关于开展燃气安全检查的通知\n各乡镇：\n联系人：张伟明，电话：0531-12345678。\n请于5月20日前报送检查情况。"


def check_stdin(text: str, *args: str) -> list[dict]:
    result = CliRunner().invoke(main, ["check", "-", "--format", "json", *args], input=text.encode("utf-8"))
    assert result.exit_code == 0, result.output
    [report] = json.loads(result.output)
    return report["findings"]


def test_the_snippet_set_is_large_enough():
    assert len(SNIPPETS) >= 22 and sum("\n" in s for s in SNIPPETS) >= 3


@pytest.mark.parametrize("text", SNIPPETS, ids=[f"snippet{i}" for i in range(len(SNIPPETS))])
def test_a_correct_snippet_gets_no_finding(text):
    assert check_stdin(text) == []


def test_the_pasted_sentence_of_the_issue_through_the_installed_command():
    result = subprocess.run([AUDITOR, "check", "-", "--no-color"], input="会议于二〇二四年三月十五日在市行政中心召开。\n".encode(),
                            capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert "共 0 个问题" in out and "TXT009" not in out and "WRD063" not in out


# --- real titles keep their title checks --------------------------------------------------

def test_a_titled_draft_with_no_body_is_still_empty():
    codes = [f["code"] for f in check_stdin("关于开展燃气安全检查的通知\n详见附件。")]
    assert codes == ["TXT009"]


@pytest.mark.parametrize("title", ["关于开展燃气安全检查的通知。", "关于开展燃气安全检查的通知，"], ids=["period", "comma"])
def test_a_title_ending_with_a_point_is_reported(tmp_path, title):
    path = tmp_path / "draft.txt"
    path.write_text(f"{title}\n各乡镇人民政府，县直各部门：\n为切实加强燃气安全管理，有效防范燃气安全事故，"
                    "经县政府同意，决定在全县范围内开展燃气安全专项检查。请各单位认真组织实施。", encoding="utf-8")
    assert read_path(path).title == title
    result = CliRunner().invoke(main, ["check", str(path), "--format", "json"])
    [report] = json.loads(result.output)
    [finding] = [f for f in report["findings"] if f["code"] == "WRD063"]
    assert (finding["start"], finding["text"]) == (len(title) - 1, title[-1])


def test_a_saved_page_with_no_body_is_empty(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("<html><head><title>通知公告</title></head><body><h1>通知公告</h1><p>详见附件。</p></body></html>",
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path), "--format", "json", "--select", "TXT009"])
    [report] = json.loads(result.output)
    assert [f["code"] for f in report["findings"]] == ["TXT009"]


# --- a draft's title ------------------------------------------------------------------------

@pytest.mark.parametrize("text, title", [
    (NOTICE, "关于开展燃气安全检查的通知"),
    ("关于开展检查的通知。\n各单位：\n按要求开展检查。", "关于开展检查的通知。"),  # a title, by the salutation after it
    ("2024年政务公开工作要点\n一、总体要求", "2024年政务公开工作要点"),
    ("会议于二〇二四年三月十五日在市行政中心召开。", ""),  # a sentence
    ("现将有关情况通报如下。\n一、总体情况", ""),  # a sentence, then a heading
    ("会议指出，今年以来全县经济运行总体平稳。\n会议要求，各级各部门要全力以赴抓落实", ""),
    ("一、检查范围\n全县所有燃气经营企业。", ""),  # a section heading: an excerpt, not a title
    ("各乡镇人民政府，县直各部门：\n根据工作安排，开展专项检查。", ""),  # a salutation
    ("关于开展燃气安全检查的通知", ""),  # a title alone has no body to head
    ("我市召开" + "安全生产工作会议" * 8 + "\n正文", ""),  # too long for a title
], ids=["notice", "point-and-salutation", "plan", "sentence", "sentence-heading", "two-sentences", "heading",
        "salutation", "title-alone", "too-long"])
def test_draft_title(text, title):
    assert draft_title(text) == title


def test_a_docx_without_a_title_style_is_titled_by_its_first_line(tmp_path):
    d = docx.Document()
    for line in NOTICE.splitlines():
        d.add_paragraph(line)
    d.save(tmp_path / "draft.docx")
    assert read_path(tmp_path / "draft.docx").title == "关于开展燃气安全检查的通知"


def test_stdin_and_text_files_are_titled_alike(tmp_path):
    (tmp_path / "draft.txt").write_text(NOTICE, encoding="utf-8")
    assert read_path(tmp_path / "draft.txt").title == read_bytes(NOTICE.encode(), name="-", suffix=None).title \
        == "关于开展燃气安全检查的通知"


@pytest.mark.parametrize("text, title", [
    (NOTICE, "关于开展燃气安全检查的通知"),
    ("会议于二〇二四年三月十五日在市行政中心召开。\n会议强调，要切实解决群众急难愁盼问题。",
     "会议于二〇二四年三月十五日在市行政中心召开。"),
    ("\n各乡镇人民政府，县直各部门、各单位：根据工作安排，县政府决定在全县范围内开展燃气安全专项检查。",
     "各乡镇人民政府，县直各部门、各单位：根据工作安排，县政府决定…"),  # no title line: its start
], ids=["title", "sentences", "long-line"])
def test_queue_item_titles_are_one_line(text, title):
    assert item_title(Document(text=text)) == title


def test_queue_submit_titles_a_text_draft_by_its_first_line(tmp_path):
    from auditor.review.service import ReviewService
    from auditor.store import open_store

    db = f"sqlite:///{tmp_path / 'queue.sqlite'}"
    (tmp_path / "draft.txt").write_text(NOTICE, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["users", "add", "zhang", "--role", "编辑", "--db", db]).exit_code == 0
    result = runner.invoke(main, ["queue", "submit", str(tmp_path / "draft.txt"), "--as", "zhang", "--db", db])
    assert result.exit_code == 0, result.output
    assert "《关于开展燃气安全检查的通知》" in result.output
    [item] = ReviewService(open_store(db)).items()
    assert item.title == "关于开展燃气安全检查的通知"


# --- no message shows None --------------------------------------------------------------------

ORIGINAL = ("为切实加强燃气安全管理，有效防范和坚决遏制燃气安全事故发生，保障人民群众生命财产安全，经县政府同意，"
            "决定在全县范围内开展燃气安全专项检查。\n"
            "重点检查燃气经营许可证办理情况、安全管理制度落实情况、从业人员持证上岗情况、燃气设施设备维护保养情况"
            "和用户端安全隐患排查整治情况。\n"
            "各乡镇、各部门要高度重视，明确专人负责，对检查发现的问题建立台账，限期整改到位，确保不留死角、不留盲区。")
SALUTATION = "各乡镇人民政府，县直各部门：\n"


def _originals(folder: Path) -> dict[str, Path]:
    """The same kind of original three ways: a .txt and a .docx with no title line, and a saved page."""
    folder.mkdir()
    txt = folder / "燃气检查通知.txt"
    txt.write_text(SALUTATION + ORIGINAL.replace("燃气", "液化气"), encoding="utf-8")
    d = docx.Document()
    for line in (SALUTATION + ORIGINAL.replace("燃气", "天然气")).splitlines():
        d.add_paragraph(line)
    d.save(folder / "天然气检查.docx")
    page = folder / "page.html"
    page.write_text("<html><head><title>关于开展电动自行车安全检查的通知</title></head><body><div id=\"zoom\">"
                    + "".join(f"<p>{p}</p>" for p in ORIGINAL.replace("燃气", "电动自行车").splitlines())
                    + "</div></body></html>", encoding="utf-8")
    return {"txt": txt, "docx": folder / "天然气检查.docx", "html": page}


def _messages(report: dict) -> list[str]:
    return [text for f in report["findings"] for text in (f["message"], *f["suggestions"])]


def test_no_message_shows_none(tmp_path):
    db = f"sqlite:///{tmp_path / 'ref.sqlite'}"
    originals = _originals(tmp_path / "originals")
    runner = CliRunner()
    result = runner.invoke(main, ["index", "add", *map(str, originals.values()), "--db", db])
    assert result.exit_code == 0 and "已收录 3 篇" in result.output, result.output
    copies = []
    for word in ("液化气", "天然气", "电动自行车"):
        path = tmp_path / f"copy_{len(copies)}.txt"
        path.write_text(f"我县开展{word}安全专项检查\n" + ORIGINAL.replace("燃气", word), encoding="utf-8")
        copies.append(path)
    partial = tmp_path / "partial.txt"  # one reused paragraph among own ones: ORG002 names the passage's original
    partial.write_text("我县召开安全生产工作会议\n" + "\n".join([
        "会议听取了各乡镇和县直有关部门关于今年以来安全生产工作情况的汇报，分析了当前面临的形势和存在的突出问题。",
        ORIGINAL.replace("燃气", "液化气").splitlines()[1],
        "会议要求，各地各部门要坚持人民至上、生命至上，统筹发展和安全，以更加有力的举措抓好安全生产各项工作。",
        "会议强调，要压紧压实安全生产责任，加大执法检查力度，坚决防范遏制重特大事故发生，确保全县安全形势稳定。"]),
        encoding="utf-8")
    pages = [*sorted(HTML_DATA.rglob("*.html")), SAMPLE, *sorted(SEEDS.glob("*.txt"))]
    result = runner.invoke(main, ["check", *map(str, [*copies, partial, *pages]), "--db", db, "--format", "json"])
    assert result.exit_code == 0, result.output
    reports = json.loads(result.output)
    assert len(reports) == 4 + len(pages)
    named = [m for r in reports[:4] for m in _messages(r) if m.startswith(("转载未注明来源", "本段照搬"))]
    assert any("《燃气检查通知.txt》" in m for m in named), named
    assert any("《天然气检查.docx》" in m for m in named), named
    assert any("《关于开展电动自行车安全检查的通知》" in m for m in named), named
    assert sum(m.startswith("本段照搬") for m in named) >= 1, named
    messages = [m for r in reports for m in _messages(r)]
    assert len(messages) > 50
    assert not [m for m in messages if "None" in m]
    search = runner.invoke(main, ["index", "search", str(copies[0]), "--db", db])
    assert "《燃气检查通知.txt》" in search.output and "None" not in search.output, search.output

"""Word in, Word out (issue 15): the reader's fuller reading of a draft (list numbers, text
boxes, headers, footers, footnotes, WPS markup) with a map from offsets back to runs, and the
annotated copy: one comment per finding on exactly its characters, suggestions as tracked
changes, opened by python-docx and by LibreOffice."""
from __future__ import annotations

import io
import zipfile

import docx
import pytest

from auditor.ingest.docx_reader import format_number, read_docx
from auditor.ingest import read_bytes
from auditor.pipeline import Auditor

from word_drafts import long_draft, rich_draft, save, wps_styled

CAP = 20 * 1024 * 1024


@pytest.fixture(scope="module")
def auditor():
    return Auditor()


def audited(auditor, data: bytes):
    document = read_bytes(data, name="稿件.docx", suffix=".docx")
    return document, auditor.audit(document).findings


# --- reading ---------------------------------------------------------------------------------


def test_a_real_draft_is_read_whole_headers_footers_boxes_notes_and_list_numbers():
    read = read_docx(rich_draft(), "稿件.docx", CAP)
    assert read.title == "关于开展燃气安全检查的通知"
    assert read.text.split("\n") == [
        "各乡镇人民政府：", "一、总体要求", "（一）检查范围", "1.城镇燃气经营企业。", "2.餐饮场所。", "二、工作安排",
        "详见下图：", "咨询电话由县应急管理局公布",  # the text box once: mc:Fallback repeats it
        "单位\t联系人", "县应急管理局\t王五", "特此通知。",
        "某某县人民政府办公室", "联系电话：13812345678", "本通知自印发之日起施行。"]  # 第 1 页 left out
    labels = {r.label: read.text[r.start:r.end] for r in read.regions}
    assert labels == {"页眉": "某某县人民政府办公室", "页脚": "联系电话：13812345678", "脚注": "本通知自印发之日起施行。"}


def test_findings_in_headers_and_footers_say_where_they_are(auditor):
    _, findings = audited(auditor, rich_draft())
    where = {f.code: f.evidence.get("location", {}).get("region") for f in findings}
    assert where.get("PII003") == "页脚" and where.get("TXT007") == "页眉"


@pytest.mark.parametrize("fmt, n, shown", [
    ("chineseCounting", 1, "一"), ("chineseCounting", 10, "十"), ("chineseCounting", 12, "十二"),
    ("chineseCounting", 20, "二十"), ("chineseCounting", 105, "一百零五"), ("chineseCounting", 110, "一百一十"),
    ("chineseLegalSimplified", 3, "叁"), ("ideographTraditional", 2, "乙"), ("decimalEnclosedCircle", 3, "③"),
    ("decimal", 7, "7"), ("decimalFullWidth", 12, "１２"), ("upperRoman", 4, "IV"), ("lowerLetter", 27, "aa"),
])
def test_list_number_formats(fmt, n, shown):
    assert format_number(n, fmt) == shown


def test_list_numbers_restart_below_a_level_that_advances():
    from word_drafts import add_numbering, numbered

    d = docx.Document()
    num = add_numbering(d)
    for text, level in [("甲", 0), ("乙", 1), ("丙", 1), ("丁", 0), ("戊", 1), ("己", 2)]:
        numbered(d, text, num, level)
    assert read_docx(save(d), "x.docx", CAP).text.split("\n") == ["一、甲", "（一）乙", "（二）丙", "二、丁", "（一）戊", "1.己"]


def test_a_wps_saved_file_reads_as_the_word_one():
    word, wps = rich_draft(), wps_styled(rich_draft())
    assert b"wpsCustomData" in zipfile.ZipFile(io.BytesIO(wps)).read("word/document.xml")
    assert read_docx(wps, "稿件.docx", CAP).text == read_docx(word, "稿件.docx", CAP).text


def test_the_layout_maps_every_piece_to_its_run():
    data = long_draft(pages=2)
    read = read_docx(data, "稿件.docx", CAP, layout=True)
    paragraphs = [p for p in docx.Document(io.BytesIO(data)).paragraphs]
    by_index = {p.index: p for p in read.paragraphs if p.part == "word/document.xml"}
    assert len(by_index) == len(paragraphs) - 1  # every paragraph but the title
    for index, layout in by_index.items():
        runs = paragraphs[index].runs
        assert read.text[layout.start:layout.end] == paragraphs[index].text
        for start, end, run, offset in layout.runs:
            assert read.text[start:end] == runs[run].text[offset:offset + end - start]

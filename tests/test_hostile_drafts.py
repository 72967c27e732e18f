"""Broken and hostile Word drafts and pages: each is refused with one line naming the problem (exit 2
from the command), in bounded time and memory, or read as far as it is a document."""
from __future__ import annotations

import io
import random
import sqlite3
import zipfile

import openpyxl
import pytest

from auditor.ingest import IngestError, read_bytes
from auditor.ingest.docx_reader import MAX_MEMBERS
from auditor.settings import FetchOptions

from hostile import (BASE, document_xml, inflating_docx, part, patch_directory, random_han, rezip, run_auditor,
                     word_draft)


def read(data: bytes, **options):
    return read_bytes(data, name="draft.docx", suffix=".docx", options=FetchOptions(**options))


def refused(data: bytes, **options) -> str:
    with pytest.raises(IngestError) as info:
        read(data, **options)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("无法读取 .docx 文件 draft.docx") or "不是有效的 .docx" in message
    return message


def test_the_base_draft_reads():
    doc = read(BASE)
    assert doc.title == "关于开展政务公开检查的通知"
    assert doc.text.splitlines() == ["各县（市、区）人民政府：", "联系人：陈杰，手机13812345678，邮箱chenjie@corp.io。",
                                     "姓名\t单位", "王五\t县政府办公室"]


def test_vertically_and_horizontally_merged_cells_appear_once_per_row():
    import docx

    d = docx.Document()
    t = d.add_table(rows=3, cols=3)
    for i in range(3):
        for j in range(3):
            t.cell(i, j).text = f"{i}{j}"
    t.cell(0, 0).merge(t.cell(1, 0))  # vertical: row 1 shows the text above
    t.cell(2, 1).merge(t.cell(2, 2))  # horizontal: once
    buf = io.BytesIO()
    d.save(buf)
    # what python-docx gave: a merged cell's paragraphs on their lines, the text above repeated
    assert read(buf.getvalue()).text == "00\n10\t01\t02\n00\n10\t11\t12\n20\t21\n22"


# --- broken packages ---------------------------------------------------------------------

@pytest.mark.parametrize("content_types,message", [
    (b"<Types><Override PartName=/word/document.xml></Types>", "[Content_Types].xml 不是有效的 XML"),
    (b"<?xml version='1.0'?><NotTypes/>", "[Content_Types].xml 格式错误"),
    (b"\xff\xfe\x00garbage", "[Content_Types].xml 不是有效的 XML"),
    (b"", "[Content_Types].xml 不是有效的 XML"),
])
def test_malformed_content_types(content_types, message):
    assert message in refused(rezip(replace={"[Content_Types].xml": content_types}))


def test_missing_parts():
    assert "缺少 [Content_Types].xml" in refused(rezip(drop=("[Content_Types].xml",)))
    assert "缺少主文档" in refused(rezip(drop=("word/document.xml",)))


def test_a_spreadsheet_renamed_docx_is_no_word_document():
    wb = openpyxl.Workbook()
    wb.active["A1"] = "姓名"
    buf = io.BytesIO()
    wb.save(buf)
    assert "不是 Word 文档" in refused(buf.getvalue())


@pytest.mark.parametrize("body", [
    "<w:p><w:r><w:t>未闭合</w:r></w:p>",
    "<w:p><w:r><w:t>&undefined;</w:t></w:r></w:p>" + "<w:p>" * 3,
    "<w:p>" + "<w:r>" * 300 + "<w:t>x</w:t>" + "</w:r>" * 300 + "</w:p>",  # deeper than libxml2's 256
])
def test_malformed_document_xml(body):
    assert "word/document.xml 不是有效的 XML" in refused(rezip(replace={"word/document.xml": document_xml(body)}))


def test_entities_are_never_expanded():
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    billion = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY l0 "lol">{lol}]>'
               f'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
               f'<w:p><w:r><w:t>前&l9;后</w:t></w:r></w:p></w:body></w:document>').encode()
    assert "不是有效的 XML" in refused(rezip(replace={"word/document.xml": billion}))
    external = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                + document_xml("<w:p><w:r><w:t>前&x;后</w:t></w:r></w:p>").split(b"?>", 1)[1])
    assert read(rezip(replace={"word/document.xml": external})).text == "前后"


def test_truncated_and_corrupted_zips():
    assert "不是有效的 .docx" in refused(BASE[: len(BASE) // 2])
    flipped = bytearray(BASE)
    start = BASE.find(b"word/document.xml") + 40  # inside that member's deflated data
    flipped[start:start + 64] = bytes(64)
    assert "数据已损坏" in refused(bytes(flipped)) or "不是有效的 XML" in refused(bytes(flipped))


def test_encrypted_and_unsupported_compression():
    assert "word/document.xml 已加密" in refused(patch_directory(BASE, "word/document.xml", flag_bits=0x1))
    lzma = rezip(compression=zipfile.ZIP_LZMA)
    assert "不支持的压缩方式" in refused(lzma)


# --- zip bombs and size caps -----------------------------------------------------------------

def test_declared_size_over_the_cap_is_refused_before_inflating():
    forged = patch_directory(BASE, "word/document.xml", file_size=600 * 2**20)
    assert "解压后过大" in refused(forged)


def test_a_member_that_inflates_past_its_declared_size_is_refused():
    doc = part(BASE, "word/document.xml")
    assert "数据已损坏" in refused(patch_directory(BASE, "word/document.xml", file_size=len(doc) // 2))


def test_compression_ratio(tmp_path):
    path = tmp_path / "ratio.docx"
    inflating_docx(path, 30 * 2**20)  # under 4× the cap, but ~1000:1
    assert "压缩比异常" in refused(path.read_bytes())


def test_member_count():
    many = rezip(extra={f"word/extra/part{i}.xml": b"<a/>" for i in range(MAX_MEMBERS + 1)})
    assert "成员过多" in refused(many)
    # An end record that lies about the count: the directory itself is counted too.
    pos = many.rfind(b"PK\x05\x06")
    lying = many[:pos + 8] + (1).to_bytes(2, "little") * 2 + many[pos + 12:]
    assert "成员过多" in refused(lying)


def test_extracted_text_is_capped_like_every_input():
    rng = random.Random(7)
    # 400 KB of UTF-8 text in a 200 KB file: the file passes a 320 KB cap, its text does not
    data = word_draft(*(random_han(rng, 500, alphabet=1000) for _ in range(267)))
    assert len(data) < 320_000
    assert "文字内容超过上限 (320000 字节)" in refused(data, max_bytes=320_000)
    assert len(read(data, max_bytes=500_000).text) == 267 * 500 + 266


def test_the_input_itself_is_capped():
    assert "文件过大" in str(pytest.raises(IngestError, read, BASE, max_bytes=len(BASE) - 1).value)


def test_huge_attribute_values_and_grid_spans():
    rng = random.Random(3)
    noise = random_han(rng, 1_000_000)  # incompressible, so no ratio refusal: the parser must cope
    body = (f'<w:p><w:pPr><w:pStyle w:val="{noise}"/></w:pPr><w:r><w:t>正文</w:t></w:r></w:p>'
            f'<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="{"9" * 5000}"/></w:tcPr><w:p><w:r><w:t>甲</w:t></w:r>'
            f'</w:p></w:tc><w:tc><w:tcPr><w:gridSpan w:val="999"/><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>')
    doc = read(rezip(replace={"word/document.xml": document_xml(body)}))
    assert doc.text == "正文\n甲\t"


# --- the command, as a user runs it -----------------------------------------------------------

def test_the_reported_zip_bomb_exits_2_in_bounded_memory(tmp_path):
    bomb = tmp_path / "bomb.docx"
    inflating_docx(bomb, 600 * 2**20)
    assert bomb.stat().st_size < 3 * 2**20
    result = run_auditor("check", str(bomb))
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "疑似压缩炸弹" in result.stderr
    assert result.peak_rss_mb < 500 and result.seconds < 60


def test_the_reported_broken_content_types_exits_2(tmp_path):
    path = tmp_path / "draft.docx"
    path.write_bytes(rezip(replace={"[Content_Types].xml": b"<Types><Override PartName=/word/document.xml></Types>"}))
    result = run_auditor("check", str(path))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "[Content_Types].xml 不是有效的 XML" in result.stderr


def test_a_hostile_draft_among_others_saves_nothing_and_keeps_what_was_stored(tmp_path):
    good = tmp_path / "good.docx"
    good.write_bytes(BASE)
    bad = tmp_path / "bad.docx"
    bad.write_bytes(patch_directory(BASE, "word/document.xml", file_size=600 * 2**20))
    db = tmp_path / "store.sqlite"
    first = run_auditor("check", str(good), "--save", "--db", f"sqlite:///{db}", "--select", "TXT")
    assert first.returncode == 0, first.stderr
    result = run_auditor("check", str(good), str(bad), "--save", "--db", f"sqlite:///{db}", "--select", "TXT")
    assert result.returncode == 2 and "解压后过大" in result.stderr and "Traceback" not in result.stderr
    with sqlite3.connect(db) as con:
        assert con.execute("select count(*) from runs").fetchone()[0] == 1
        assert con.execute("select count(*) from documents").fetchone()[0] == 1


# --- hostile pages ---------------------------------------------------------------------------

def page(body: str) -> bytes:
    return f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>".encode()


def page_refused(data: bytes) -> str:
    with pytest.raises(IngestError) as info:
        read_bytes(data, name="page.html", suffix=".html")
    assert "\n" not in str(info.value)
    return str(info.value)


def test_pages_past_the_parser_limits_are_refused_not_half_read():
    assert "嵌套过深" in page_refused(page("<div>" * 300 + "正文" + "</div>" * 300))
    assert "Excessive depth" in page_refused(page("<font>" * 1000 + "未闭合的标签"))
    assert "超出解析限制" in page_refused(page('<div class="' + "a" * 11_000_000 + '">正文</div>'))


def test_too_many_elements_are_refused_before_parsing():
    assert "网页元素过多" in page_refused(page("<span>字</span>" * 400_001))


def test_a_long_list_page_is_taken_whole_instead_of_through_trafilatura():
    rows = "".join(f"<div><span>{i}</span> <span>王五{i}</span></div>" for i in range(20_000))
    doc = read_bytes(page(rows), name="list.html", suffix=".html")
    assert doc.meta["extraction"] == "whole-page"
    assert doc.text.splitlines()[-1] == "19999 王五19999"


def test_a_long_table_of_records_is_read_as_the_article():
    # A 公示名单 as a data table: its rows are the article's, all of them, by our block scoring.
    rows = "".join(f"<tr><td>{i}</td><td>王五{i}</td></tr>" for i in range(20_000))
    doc = read_bytes(page(f"<table>{rows}</table>"), name="list.html", suffix=".html")
    assert doc.meta["extraction"] == "blocks"
    lines = doc.text.splitlines()
    assert len(lines) == 20_000 and lines[-1] == "19999 王五19999"


def test_a_wechat_post_time_out_of_range_is_no_date():
    html = page('<div id="js_content"><p>' + "正文内容。" * 10 + '</p></div><script>var ct = "99999999999999999999";'
                "</script>")
    doc = read_bytes(html, name="wx.html", suffix=".html")
    assert doc.published_at is None and doc.meta["extraction"] == "wechat"

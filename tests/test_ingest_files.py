"""Drafts and saved pages from files and stdin, including broken ones."""
from __future__ import annotations

import io

import docx
import pytest

from auditor.ingest import IngestError, read_bytes, read_path, read_stream
from auditor.settings import FetchOptions

from support import HTML_DATA, SAMPLE


def test_docx_paragraphs_tables_and_title(tmp_path):
    d = docx.Document()
    d.add_heading("关于开展政务公开检查的通知", level=0)
    d.add_paragraph("各县（市、区）人民政府：")
    d.add_paragraph("现将有关事项通知如下。")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "姓名", "单位"
    table.cell(1, 0).text, table.cell(1, 1).text = "王五", "县政府办公室"
    path = tmp_path / "draft.docx"
    d.save(path)
    doc = read_path(path)
    assert doc.title == "关于开展政务公开检查的通知"
    assert doc.text.splitlines() == ["各县（市、区）人民政府：", "现将有关事项通知如下。", "姓名\t单位", "王五\t县政府办公室"]
    assert doc.kind == "draft"


def test_docx_that_is_not_a_zip(tmp_path):
    path = tmp_path / "fake.docx"
    path.write_text("这不是 docx 文件", encoding="utf-8")
    with pytest.raises(IngestError, match="不是有效的 .docx"):
        read_path(path)


def test_zip_that_is_not_a_docx(tmp_path):
    import zipfile

    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(IngestError, match="无法读取 .docx"):
        read_path(path)


def test_binary_renamed_html(tmp_path):
    path = tmp_path / "image.html"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    with pytest.raises(IngestError, match="二进制"):
        read_path(path)


def test_text_renamed_html_without_markup(tmp_path):
    path = tmp_path / "plain.html"
    path.write_text("只是一段文字，没有网页标记。", encoding="utf-8")
    with pytest.raises(IngestError, match="不是网页"):
        read_path(path)


def test_truncated_html_still_extracts(tmp_path):
    html = (HTML_DATA / "gne_tests" / "tests" / "shanxi" / "1.html").read_bytes()
    cut = html[: len(html) * 2 // 3]
    path = tmp_path / "cut.html"
    path.write_bytes(cut)
    doc = read_path(path)
    assert doc.title == "山西品牌丝路行（南美站）正式启动"
    assert "山西品牌丝路行首次登陆巴西" in doc.text


def test_gbk_text_draft(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_bytes("各乡镇人民政府：\r\n现将有关事项通知如下。".encode("gbk"))
    doc = read_path(path)
    assert doc.text == "各乡镇人民政府：\n现将有关事项通知如下。"
    assert doc.provenance["encoding"] == "gb18030"


def test_markdown_title(tmp_path):
    path = tmp_path / "draft.md"
    path.write_text("# 工作简报\n\n正文内容。", encoding="utf-8")
    assert read_path(path).title == "工作简报"


@pytest.mark.parametrize("name, message", [("a.pptx", "不支持的文件类型"), ("noext", "不支持的文件类型"),
                                           ("missing.txt", "文件不存在")])
def test_unusable_paths(tmp_path, name, message):
    if name != "missing.txt":
        (tmp_path / name).write_bytes(b"x")
    with pytest.raises(IngestError, match=message):
        read_path(tmp_path / name)


def test_file_over_the_size_cap(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("政" * 5000, encoding="utf-8")
    with pytest.raises(IngestError, match="文件过大"):
        read_path(path, FetchOptions(max_bytes=1000))


def test_stdin_text_and_html():
    assert read_stream(io.BytesIO("草稿正文。".encode("utf-8"))).text == "草稿正文。"
    page = read_stream(io.BytesIO(SAMPLE.read_bytes()))
    assert page.kind == "page" and page.title.startswith("关于2023年第二季度")


def test_stdin_over_the_cap():
    with pytest.raises(IngestError, match="标准输入过大"):
        read_stream(io.BytesIO(b"x" * 2000), FetchOptions(max_bytes=1000))


def test_empty_html_file(tmp_path):
    path = tmp_path / "empty.html"
    path.write_bytes(b"")
    with pytest.raises(IngestError):
        read_path(path)


def test_read_bytes_sniffs_docx_on_stdin(tmp_path):
    d = docx.Document()
    d.add_paragraph("正文。")
    buf = io.BytesIO()
    d.save(buf)
    assert read_bytes(buf.getvalue(), name="-", suffix=None).text == "正文。"

"""Office files and PDFs as drafts and attachments: worksheets read as tables (one finding per
column, with rows, column and masked samples), PDF pages located, scans said, old .doc read by
antiword, and every hostile file refused in one line (exit 2 from the command)."""
from __future__ import annotations

import io
import time
import zipfile

import openpyxl
import pytest

from auditor.ingest import IngestError, read_bytes
from auditor.ingest.sandbox import run_isolated
from auditor.pipeline import Auditor
from auditor.batch.engine import masked_folder
from auditor.report.redact_files import redact_file, save_masked_copy
from auditor.settings import FetchOptions, Settings, SettingsError

from attachment_files import (DOC_FIXTURE, encrypted_office, encrypted_pdf, id_number, mobile, ofd, person,
                              roster_docx, roster_xls, roster_xlsx, scanned_pdf, text_pdf, zip_bomb_xlsx)
from hostile import patch_directory, run_auditor


@pytest.fixture(scope="module")
def auditor():
    return Auditor().load()


def read(data: bytes, name: str):
    return read_bytes(data, name=name, suffix="." + name.rsplit(".", 1)[1], options=FetchOptions())


def refused(data: bytes, name: str) -> str:
    with pytest.raises(IngestError) as info:
        read(data, name)
    assert "\n" not in str(info.value)
    return str(info.value)


def by_code(report, code):
    return [f for f in report.findings if f.code == code]


# --- worksheets as tables ------------------------------------------------------------------

def test_a_roster_sheet_is_one_finding_per_column(auditor):
    doc = read(roster_xlsx(810), "低保名单.xlsx")
    assert [r.label for r in doc.regions] == ["第1个工作表“说明”", "第2个工作表“花名册”", "第2个工作表“花名册”"]
    table = doc.regions[2]
    assert table.header == ("序号", "姓名", "身份证号", "联系电话", "家庭住址")
    assert table.rows[0][1] == 2 and table.rows[-1][1] == 812  # the header's row, the last person's
    report = auditor.audit(doc)
    ids = by_code(report, "PII001")
    assert len(ids) == 1
    f = ids[0]
    assert f.message.startswith("《低保名单.xlsx》第2个工作表“花名册”第3–812行公开了 810 个身份证号（“身份证号”列，如 110105")
    assert f.evidence["count"] == 810
    assert f.evidence["location"] == {"region": "第2个工作表“花名册”", "rows": [3, 812], "column": "身份证号"}
    assert f.evidence["samples"][0] == id_number(0)[:6] + "********" + id_number(0)[-4:]
    phones, = by_code(report, "PII003")
    assert "810 个手机号码（“联系电话”列" in phones.message
    names, = by_code(report, "PII012")
    assert names.evidence["count"] == 810
    addresses, = by_code(report, "PII011")
    assert addresses.evidence["location"]["column"] == "家庭住址"
    assert not by_code(report, "PII015")  # the columns said it, once each
    assert len([f for f in report.findings if f.family == "PII"]) == 4


def test_a_single_leak_in_a_sheet_is_located_by_row_and_column(auditor):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "联系人"
    sheet.append(["单位", "职务", "备注"])
    sheet.append(["街道办", "主任", "本人手机" + mobile(7)])
    buf = io.BytesIO()
    book.save(buf)
    report = auditor.audit(read(buf.getvalue(), "通讯录.xlsx"))
    phone, = by_code(report, "PII003")
    assert phone.evidence["location"] == {"region": "第1个工作表“联系人”", "row": 2, "column": "备注"}


def test_region_index_answers_the_same_in_any_order():
    """RegionIndex remembers the line it found last (hits come in text order); asked in text order,
    then shuffled, it must place every offset as a fresh index does."""
    import random

    from auditor.text.tables import RegionIndex

    doc = read_bytes(roster_xlsx(30), name="名单.xlsx", suffix=".xlsx")
    positions = list(range(-1, len(doc.text) + 2))
    fresh = [RegionIndex(doc.text, doc.regions).place(p) for p in positions]
    # row 5 (the third person), column 2: the ID number's 18 characters and the tab after them
    assert sum(p is not None and p.row == 5 and p.column == 2 for p in fresh) == len(id_number(2)) + 1
    index = RegionIndex(doc.text, doc.regions)
    assert [index.place(p) for p in positions] == fresh
    order = list(range(len(positions)))
    random.Random(18).shuffle(order)
    assert {i: index.place(positions[i]) for i in order} == dict(enumerate(fresh))


def test_a_table_is_checked_in_its_prose_columns_never_in_its_names_numbers_and_dates(auditor):
    from auditor.checks.typos.engine import typo_engine

    odd_names = ["王园满", "张既使"]  # as text, TYP flags both (园→圆, 既使→即使)
    assert all(typo_engine().typos_many(odd_names))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(["2023年困难群众救助对象名单"])
    sheet.append(["序号", "姓名", "身份证号", "出生日期", "性别", "所在单位", "备注"])
    for i in range(10_000):
        name = odd_names[i % 2] if i % 100 == 0 else person(i)[1]
        note = {4321: "经群众评意通过", 9000: "健全工作机智", 77: "已核实，，待发放"}.get(i, "已核实")
        born = f"{1960 + i % 40}-{1 + i % 12}-{1 + i % 28}"  # as text, WRD flags 1960-1-1 (GB/T 7408 wants 1960-01-01)
        sheet.append([i + 1, name, id_number(i), born, "女" if i % 2 else "男", "朝阳区建国路街道办事处", note])
    buf = io.BytesIO()
    book.save(buf)
    report = auditor.audit(read(buf.getvalue(), "救助名单.xlsx"))
    typos = sorted((f for f in report.findings if f.family == "TYP"), key=lambda f: f.start)
    assert [(f.code, f.text, f.evidence["location"]) for f in typos] == [
        ("TYP001", "意", {"region": "第1个工作表“名单”", "row": 4324, "column": "备注"}),
        ("TYP001", "智", {"region": "第1个工作表“名单”", "row": 9003, "column": "备注"})]
    assert typos[0].suggestions == ("议",)
    wording = [f for f in report.findings if f.family == "WRD"]
    assert [(f.code, f.evidence["location"]) for f in wording] == [
        ("WRD052", {"region": "第1个工作表“名单”", "row": 80, "column": "备注"})]


def test_numbers_dates_and_a_forged_dimension_read_as_the_sheet_shows_them():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "手机", "出生日期"])
    sheet.append(["王秀英", 13912345678, __import__("datetime").datetime(1990, 3, 7)])
    buf = io.BytesIO()
    book.save(buf)
    data = buf.getvalue().replace(b'<dimension ref="A1:C2"/>', b'<dimension ref="A1:XFD1048576"/>')
    start = time.monotonic()
    doc = read(data, "x.xlsx")
    assert time.monotonic() - start < 2  # the declared range pads nothing
    assert doc.text == "姓名\t手机\t出生日期\n王秀英\t13912345678\t1990-03-07"


def test_xls_written_by_xlwt_reads_as_a_table(auditor):
    doc = read(roster_xls(30), "名单.xls")
    assert doc.regions[0].header[2] == "身份证号"
    f, = by_code(auditor.audit(doc), "PII001")
    assert f.message.startswith("《名单.xls》第1个工作表“名单”第2–31行公开了 30 个身份证号")


def test_misnamed_workbooks_are_read_by_what_they_are():
    assert read(roster_xls(3), "名单.xlsx").regions[0].header[1] == "姓名"  # an .xls called .xlsx
    assert read(roster_xlsx(3), "名单.xls").regions[-1].header[1] == "姓名"


# --- PDF and Word ------------------------------------------------------------------------------

def test_text_pdf_findings_carry_their_page(auditor):
    data = text_pdf("关于城乡低保对象名单的公示", f"申请人：王秀英，身份证号：{id_number(3)}，联系电话：{mobile(3)}。")
    doc = read(data, "公示.pdf")
    assert [r.label for r in doc.regions] == ["第1页", "第2页"]
    assert doc.meta["pdf"] == {"pages": 2, "pages_without_text": []}
    report = auditor.audit(doc)
    f, = by_code(report, "PII001")
    assert f.text == id_number(3) and f.evidence["location"] == {"region": "第2页"}
    assert not by_code(report, "ATT001")


def test_a_scanned_pdf_is_said_not_passed_over(auditor):
    doc = read(scanned_pdf(3), "扫描件.pdf")
    assert doc.text == ""
    report = auditor.audit(doc)
    f, = by_code(report, "ATT001")
    assert f.message == "《扫描件.pdf》为扫描件（共 3 页均无文字层），未能检查其内容，请人工核查是否含个人信息"
    assert not by_code(report, "TXT009")  # not "empty": we know why there is no text


def test_a_pdf_with_only_an_owner_password_is_read_and_one_with_an_open_password_refused():
    data = text_pdf(f"申请人：王秀英，身份证号：{id_number(1)}")
    assert id_number(1) in read(encrypted_pdf(data, user_password=""), "a.pdf").text
    assert refused(encrypted_pdf(data), "a.pdf") == "无法读取 PDF 文件 a.pdf: 已加密（设置了打开密码），无法读取"


def test_old_word_doc_is_read_by_antiword(auditor):
    doc = read(DOC_FIXTURE.read_bytes(), "notice.doc")
    assert doc.provenance["tool"] == "antiword"
    assert "320583198506124414" in doc.text
    codes = {f.code for f in auditor.audit(doc).findings}
    assert {"PII001", "PII003"} <= codes


# --- hostile files -----------------------------------------------------------------------------

def test_encrypted_workbook_and_word_file_are_refused():
    assert refused(encrypted_office(roster_xlsx(3)), "名单.xlsx") == "无法读取文件 名单.xlsx: 已加密（设置了打开密码），无法读取"
    assert "已加密" in refused(encrypted_office(roster_docx(2)), "名单.docx")


def test_zip_bombs_are_refused_before_inflating():
    message = refused(zip_bomb_xlsx(), "bomb.xlsx")
    assert "疑似压缩炸弹" in message
    # a directory that understates the size: zipfile stops at the declared size and the CRC fails
    data = roster_xlsx(50)
    lying = patch_directory(data, "xl/worksheets/sheet2.xml", file_size=100)
    assert refused(lying, "lying.xlsx").startswith("无法读取 .xlsx 文件 lying.xlsx: ")


@pytest.mark.parametrize("name,make", [
    ("t.xlsx", lambda: roster_xlsx(20)), ("t.xls", lambda: roster_xls(20)),
    ("t.pdf", lambda: text_pdf("关于城乡低保对象名单的公示")), ("t.doc", lambda: DOC_FIXTURE.read_bytes()),
])
def test_truncated_files_give_one_line(name, make):
    data = make()
    for cut in (len(data) // 3, len(data) - 100):
        message = refused(data[:cut], name)
        assert name in message


def test_a_reader_that_runs_too_long_or_too_big_is_stopped():
    data = text_pdf("关于城乡低保对象名单的公示")
    with pytest.raises(IngestError, match="解析超时"):
        run_isolated("pdf", data, what=" PDF 文件 a.pdf", max_text=1 << 20, timeout=0.01)
    with pytest.raises(IngestError, match="内存"):
        run_isolated("pdf", data, what=" PDF 文件 a.pdf", max_text=1 << 20, memory=20 << 20)


def test_the_command_checks_office_files_and_refuses_hostile_ones(tmp_path):
    good = tmp_path / "名单.xlsx"
    good.write_bytes(roster_xlsx(40))
    bad = tmp_path / "坏.xls"
    bad.write_bytes(roster_xls(20)[:1500])
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(zip_bomb_xlsx())
    run = run_auditor("check", str(good), str(bad), str(bomb), "--no-color")
    assert run.returncode == 2
    assert "第3–42行公开了 40 个身份证号" in run.stdout
    errors = run.stderr.strip().splitlines()
    assert len(errors) == 2 and all(e.startswith("错误: ") for e in errors), run.stderr
    assert "Traceback" not in run.stderr
    assert "坏.xls" in errors[0] and "疑似压缩炸弹" in errors[1]


# --- masked copies -----------------------------------------------------------------------------

def test_redacted_workbook_keeps_its_layout_and_leaks_nothing(auditor, tmp_path):
    source = tmp_path / "名单.xlsx"
    source.write_bytes(roster_xlsx(25))
    run = run_auditor("redact", str(source))
    assert run.returncode == 0, run.stderr
    copy = tmp_path / "名单-已遮蔽.xlsx"
    book = openpyxl.load_workbook(copy)
    sheet = book["花名册"]
    assert sheet["B2"].font.bold and sheet["A1"].value == "2023年第一批城乡低保对象名单"
    assert sheet["C3"].value == id_number(0)[:6] + "********" + id_number(0)[-4:]
    assert sheet["D3"].value == "139****0000"
    report = auditor.audit(read(copy.read_bytes(), "名单-已遮蔽.xlsx"))
    assert not [f for f in report.findings if f.family == "PII" and f.severity.rank >= 2]
    again = run_auditor("redact", str(source))  # never over an existing file
    assert again.returncode == 2 and "文件已存在" in again.stderr


def test_redacted_word_file_leaks_nothing(auditor):
    data, changed = redact_file(roster_docx(5), "名单.docx", ".docx", 1 << 24)
    assert changed >= 10
    doc = read(data, "名单.docx")
    assert id_number(2) not in doc.text and "110105********" in doc.text
    assert not [f for f in auditor.audit(doc).findings if f.family == "PII" and f.severity.rank >= 2]


def test_redacted_word_file_masks_every_part_the_reader_reads_and_keeps_run_formatting():
    import docx
    from docx.shared import Pt

    from word_drafts import add_footnote, save, text_box

    d = docx.Document()
    d.add_paragraph("关于城乡低保对象的公示")
    p = d.add_paragraph("申请人王秀英，身份证号：")
    p.add_run(id_number(3)[:10]).bold = True  # the number split over two runs of different formats
    p.add_run(id_number(3)[10:] + "。").font.size = Pt(14)
    text_box(d.add_paragraph("联系方式见下框："), f"申请人李娜手机{mobile(4)}")
    d.sections[0].footer.paragraphs[0].text = f"经办人张伟 联系电话{mobile(5)}"
    add_footnote(d, d.add_paragraph("特此公示。"), f"申请人刘敏，身份证号{id_number(6)}")
    data, changed = redact_file(save(d), "公示.docx", ".docx", 1 << 24)
    text = read(data, "公示.docx").text
    for leak in (id_number(3), id_number(3)[10:], mobile(4), mobile(5), id_number(6)):
        assert leak not in text
    assert changed >= 5
    with zipfile.ZipFile(io.BytesIO(data)) as z:  # the text box's fallback copy is Word's too: left as it was
        assert z.read("word/footnotes.xml").decode().count("********") == 1
    runs = docx.Document(io.BytesIO(data)).paragraphs[1].runs
    assert [r.text for r in runs] == ["申请人王**，身份证号：", id_number(3)[:6] + "****", "****" + id_number(3)[-4:] + "。"]
    assert runs[1].bold and runs[2].font.size == Pt(14)


def test_ofd_pages_are_read_in_the_order_document_xml_lists_them(auditor):
    data = ofd([["第二页：联系人张伟，|身份证号 " + id_number(7)], ["关于低保对象的公示", "申请人王芳，联系电话 " + mobile(3)], []],
               order=[1, 0, 2])
    report = auditor.audit(read(data, "公示.ofd"))
    doc = report.document
    assert doc.title == "公示通知" and doc.provenance["format"] == "ofd"
    assert doc.text.splitlines() == ["关于低保对象的公示", "申请人王芳，联系电话 " + mobile(3),
                                     "第二页：联系人张伟，身份证号 " + id_number(7)]
    ids = by_code(report, "PII001")
    assert [f.text for f in ids] == [id_number(7)] and ids[0].evidence["location"]["region"] == "第2页"
    assert by_code(report, "PII003")[0].evidence["location"]["region"] == "第1页"
    scan, = by_code(report, "ATT001")  # the third page holds no text
    assert "3" in scan.message


def test_hostile_ofd_and_et_files_give_one_line():
    assert "疑似压缩炸弹" in refused(ofd([["正文"]], bomb=300 << 20), "bomb.ofd")
    assert "缺少 OFD.xml" in refused(roster_xlsx(3), "x.ofd")
    broken = ofd([["正文"]])
    assert refused(broken[: len(broken) // 2], "半个.ofd").startswith("无法读取")
    assert "另存为 .xlsx" in refused(b"\x00\x01WPS native spreadsheet" * 50, "台账.et")
    table = read(roster_xls(5), "台账.et")  # an .et that is an OLE .xls underneath: read by xlrd
    assert table.regions and id_number(4) in table.text


def test_masked_copies_are_kept_once_by_content_and_only_where_something_was_masked(tmp_path):
    data = roster_xlsx(5)
    first = save_masked_copy(data, "名单.xlsx", ".xlsx", tmp_path / "masked", 1 << 24)
    assert first is not None and first.parent == tmp_path / "masked" and first.suffix == ".xlsx"
    stamp = first.stat().st_mtime_ns
    time.sleep(0.01)
    assert save_masked_copy(data, "另一个名字.xlsx", ".xlsx", tmp_path / "masked", 1 << 24) == first
    assert first.stat().st_mtime_ns == stamp and [p.name for p in (tmp_path / "masked").iterdir()] == [first.name]
    book = openpyxl.Workbook()
    book.active.append(["本表无个人信息"])
    clean = io.BytesIO()
    book.save(clean)
    assert save_masked_copy(clean.getvalue(), "说明.xlsx", ".xlsx", tmp_path / "masked", 1 << 24) is None
    with pytest.raises(IngestError, match="只能为 .xlsx 和 .docx"):
        save_masked_copy(b"%PDF-1.4", "公示.pdf", ".pdf", tmp_path / "masked", 1 << 24)


def test_the_masked_folder_is_the_setting_else_beside_a_sqlite_store(tmp_path):
    store = tmp_path / "db" / "batch.sqlite"
    assert masked_folder(Settings(db_url=f"sqlite:///{store}")) == store.parent / "masked"
    assert masked_folder(Settings(db_url="sqlite://")) is None  # in memory: nowhere beside it
    assert masked_folder(Settings(db_url="postgresql://auditor@db/auditor")) is None
    configured = Settings.from_mapping({"attachments": {"masked_dir": str(tmp_path / "copies")},
                                        "db_url": "postgresql://auditor@db/auditor"})
    assert masked_folder(configured) == tmp_path / "copies"
    with pytest.raises(SettingsError, match="masked_dir"):
        Settings.from_mapping({"attachments": {"masked_dir": 3}})

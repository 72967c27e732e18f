"""Real attachment files made by their libraries for the tests (and the benchmark): worksheets
by openpyxl and xlwt, Word files by python-docx, PDFs by fpdf2 (Chinese through a subset of Noto
Sans CJK kept in tests/fixtures/attachments), encrypted ones by pypdf and msoffcrypto-tool, and
zip bombs built with zipfile. ID numbers are synthetic (valid GB 11643 checksum)."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

FONT = Path(__file__).resolve().parent / "fixtures" / "attachments" / "NotoSansSC-subset.otf"
DOC_FIXTURE = FONT.with_name("notice.doc")
SURNAMES = "王李张刘陈"
GIVEN = "伟芳娜敏静明秀英"
HEADER = ["序号", "姓名", "身份证号", "联系电话", "家庭住址"]


def id_number(i: int) -> str:
    base = f"110105{1960 + i % 40:04d}{1 + i % 12:02d}{1 + i % 28:02d}{i % 1000:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return base + "10X98765432"[sum(int(c) * w for c, w in zip(base, weights)) % 11]


def mobile(i: int) -> str:
    return f"139{i % 100000000:08d}"


def person(i: int) -> list[str]:
    name = SURNAMES[i % 5] + GIVEN[i % 8] + GIVEN[(i // 8) % 8]
    return [str(i + 1), name, id_number(i), mobile(i), f"北京市朝阳区建国路{i % 300 + 1}号"]


def roster_xlsx(rows: int, *, title: str = "2023年第一批城乡低保对象名单", first: int = 0) -> bytes:
    """Sheet 1 a note; sheet 2 “花名册”: a title row, the header row, ``rows`` people from row 3
    (people ``first``, ``first + 1`` …)."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["本表由街道办事处填报"])
    sheet = book.create_sheet("花名册")
    sheet.append([title])
    sheet.append(HEADER)
    sheet["B2"].font = Font(bold=True)
    for i in range(first, first + rows):
        sheet.append(person(i))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def roster_xls(rows: int, *, first: int = 0) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名单")
    for col, head in enumerate(HEADER):
        sheet.write(0, col, head)
    for i in range(rows):
        for col, value in enumerate(person(first + i)):
            sheet.write(i + 1, col, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def roster_docx(rows: int) -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("关于城乡低保对象名单的公示")
    d.add_paragraph(f"申请人：王秀英，身份证号：{id_number(900)}，联系电话：{mobile(900)}。")
    table = d.add_table(rows=rows + 1, cols=len(HEADER))
    for col, head in enumerate(HEADER):
        table.cell(0, col).text = head
    for i in range(rows):
        for col, value in enumerate(person(i)):
            table.cell(i + 1, col).text = value
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def text_pdf(*pages: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("noto", fname=str(FONT))
    pdf.set_font("noto", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def scanned_pdf(pages: int = 2) -> bytes:
    """Pages that are only a picture (what a scanner writes): no text layer at all."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    pdf = FPDF()
    for n in range(pages):
        image = Image.new("RGB", (400, 560), "white")
        draw = ImageDraw.Draw(image)
        for y in range(40, 520, 24):
            draw.rectangle((40, y, 360 - (y * 7 + n * 13) % 120, y + 10), fill="black")  # lines of "print"
        pdf.add_page()
        pdf.image(image, x=10, y=10, w=190)
    return bytes(pdf.output())


def encrypted_pdf(data: bytes, user_password: str = "secret", owner_password: str = "owner") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_office(data: bytes, password: str = "secret") -> bytes:
    """An .xlsx/.docx with an open password (ECMA-376 agile encryption: an OLE file)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


def zip_bomb_xlsx(inflated: int = 256 << 20) -> bytes:
    """A workbook whose sheet inflates to ``inflated`` bytes of spaces (about 1000:1)."""
    base = zipfile.ZipFile(io.BytesIO(roster_xlsx(2)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in base.infolist():
            if info.filename == "xl/worksheets/sheet2.xml":
                bomb = zipfile.ZipInfo(info.filename)
                bomb.compress_type = zipfile.ZIP_DEFLATED
                with z.open(bomb, "w", force_zip64=True) as member:
                    block = b" " * (1 << 20)
                    for _ in range(inflated >> 20):
                        member.write(block)
            else:
                z.writestr(info, base.read(info.filename))
    return out.getvalue()


OFD_NS = "http://www.ofdspec.org/2016"


def ofd(pages: list[list[str]], *, title: str = "公示通知", order: list[int] | None = None,
        bomb: int = 0) -> bytes:
    """An OFD package in the real structure, written with lxml: OFD.xml → Doc_0/Document.xml,
    whose Pages list (in ``order``, default as given) points at Pages/Page_N/Content.xml; each
    line of a page one TextObject (a line of two parts: two TextObjects at the same height).
    ``bomb`` adds that many bytes of compressible padding to the first page."""
    from lxml import etree

    def el(parent, tag, text=None, **attrs):
        node = etree.SubElement(parent, f"{{{OFD_NS}}}{tag}", {k: str(v) for k, v in attrs.items()})
        node.text = text
        return node

    def xml(root) -> bytes:
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

    root = etree.Element(f"{{{OFD_NS}}}OFD", nsmap={"ofd": OFD_NS}, Version="1.0", DocType="OFD")
    body = el(root, "DocBody")
    el(el(body, "DocInfo"), "Title", title)
    el(body, "DocRoot", "Doc_0/Document.xml")
    document = etree.Element(f"{{{OFD_NS}}}Document", nsmap={"ofd": OFD_NS})
    el(el(document, "CommonData"), "MaxUnitID", "999")
    listed = el(document, "Pages")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", xml(root))
        for n in order if order is not None else range(len(pages)):
            el(listed, "Page", ID=n + 1, BaseLoc=f"Pages/Page_{n}/Content.xml")
        z.writestr("Doc_0/Document.xml", xml(document))
        for n, lines in enumerate(pages):
            page = etree.Element(f"{{{OFD_NS}}}Page", nsmap={"ofd": OFD_NS})
            layer = el(el(page, "Content"), "Layer", ID=100 + n)
            for i, line in enumerate(lines):
                for j, part in enumerate(line.split("|")):
                    obj = el(layer, "TextObject", ID=1000 * n + 10 * i + j, Boundary=f"{20 + 80 * j} {30 + 8 * i} 80 6",
                             Font="3", Size="4.2")
                    el(obj, "TextCode", part, X="0", Y="4.5")
            if bomb and n == 0:
                el(layer, "PathObject", " " * bomb, ID=9)
            z.writestr(f"Doc_0/Pages/Page_{n}/Content.xml", xml(page))
    return out.getvalue()

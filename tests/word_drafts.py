"""Word drafts made by python-docx (and, for what it cannot write, lxml into its parts): list
numbering, headers and footers, a text box, a footnote, the markup WPS adds, and a long draft
with planted errors. Shared by tests/test_docx_annotate.py and scripts/bench_annotate.py."""
from __future__ import annotations

import io
import zipfile

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.shared import Pt, RGBColor
from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WPS_DATA_NS = "http://www.wps.cn/officeDocument/2013/wpsCustomData"
_NS = (f'xmlns:w="{W_NS}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
       'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
       'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
       'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
       'xmlns:v="urn:schemas-microsoft-com:vml"')


def save(d: docx.document.Document) -> bytes:
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def add_numbering(d: docx.document.Document) -> str:
    """A three-level list as Chinese documents number them: 一、 （一） 1. — its numId."""
    numbering = d.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {_NS} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
        '</w:abstractNum>')
    first_num = numbering.find(f"{{{W_NS}}}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {_NS} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return "90"


def numbered(d: docx.document.Document, text: str, num_id: str, level: int):
    p = d.add_paragraph(text)
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {_NS}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return p


def text_box(paragraph, text: str) -> None:
    """A floating text box as Word and WPS write it: DrawingML in mc:Choice, the same text
    again as VML in mc:Fallback."""
    paragraph._p.append(parse_xml(
        f'<w:r {_NS}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:inline><wp:extent cx="2000000" cy="500000"/><wp:docPr id="50" name="文本框 1"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2000000" cy="500000"/>'
        '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>'
        f'<wps:txbx><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></wps:txbx>'
        '<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice>'
        '<mc:Fallback><w:pict><v:shape style="width:160pt;height:40pt"><v:textbox><w:txbxContent>'
        f'<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>'
        '</mc:AlternateContent></w:r>'))


def add_footnote(d: docx.document.Document, paragraph, text: str) -> None:
    """A footnote part (python-docx does not write one) and its reference at the paragraph's end."""
    part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, parse_xml(
        f'<w:footnotes {_NS}>'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
        f'<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p>'
        '</w:footnote></w:footnotes>'), d.part.package)
    d.part.relate_to(part, RT.FOOTNOTES)
    paragraph._p.append(parse_xml(f'<w:r {_NS}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                                  '<w:footnoteReference w:id="1"/></w:r>'))


def rich_draft() -> bytes:
    """Every part of a real draft the reader follows."""
    d = docx.Document()
    d.add_heading("关于开展燃气安全检查的通知", level=0)
    d.sections[0].header.paragraphs[0].text = "某某县人民政府办公室"
    d.sections[0].footer.paragraphs[0].text = "第 1 页"
    d.sections[0].footer.add_paragraph("联系电话：13812345678")
    d.add_paragraph("各乡镇人民政府：")
    num = add_numbering(d)
    numbered(d, "总体要求", num, 0)
    numbered(d, "检查范围", num, 1)
    numbered(d, "城镇燃气经营企业。", num, 2)
    numbered(d, "餐饮场所。", num, 2)
    numbered(d, "工作安排", num, 0)
    box = d.add_paragraph("详见下图：")
    text_box(box, "咨询电话由县应急管理局公布")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "单位", "联系人"
    table.cell(1, 0).text, table.cell(1, 1).text = "县应急管理局", "王五"
    closing = d.add_paragraph("特此通知。")
    add_footnote(d, closing, "本通知自印发之日起施行。")
    return save(d)


def wps_styled(data: bytes) -> bytes:
    """``data`` with what WPS Office adds when it saves a .docx: its wpsCustomData namespace
    declared and marked ignorable on the document, and a wpsCustomData element in the body."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "word/document.xml":
                old = etree.fromstring(blob)
                root = etree.Element(old.tag, nsmap={**old.nsmap, "wpsCustomData": WPS_DATA_NS})
                for key, value in old.attrib.items():
                    root.set(key, value)
                mc = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Ignorable"
                root.set(mc, (old.get(mc, "") + " wpsCustomData").strip())
                root.extend(list(old))
                body = root.find(f"{{{W_NS}}}body")
                marker = etree.SubElement(body, f"{{{WPS_DATA_NS}}}docInfo")
                marker.set(f"{{{WPS_DATA_NS}}}kso", "12.1.0.16388")
                body.remove(marker)
                body.insert(0, marker)
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(info, blob)
    return out.getvalue()


# Sentences of a county notice; some carry planted errors (a typo, a 发文字号 in square brackets,
# a placeholder, a phone number).
_SENTENCES = [
    "为切实做好燃气安全隐患排查整治工作，根据上级有关部署，结合我县实际，制定本方案。",
    "各乡镇、各有关部门要高度重视，明确责任分工，确保各项工作落到实处。",
    "按照县政府办公室印发的县政办发[2024]12号文件要求，认真组织开展自查自纠。",
    "请XX乡镇于本月底前将检查情况报送县应急管理局。",
    "检查中发现的问题要建立台账，逐项整改销号，确保整改到位。",
    "联系人：李明，联系电话：13812345678。",
    "各单位要加强宣传引导，提高群众安全用气意识，营造良好社会氛围。",
]


def long_draft(pages: int = 20) -> bytes:
    """About ``pages`` pages (≈ 900 characters a page: 20 pages in LibreOffice's PDF of
    python-docx's default template), formatted in runs of their own (bold lead-ins, a coloured
    phrase), planted errors throughout."""
    d = docx.Document()
    d.add_heading("关于开展全县燃气安全专项整治工作的通知", level=0)
    d.add_paragraph("各乡镇人民政府，县直各有关单位：")
    chars, i = 0, 0
    while chars < pages * 900:
        p = d.add_paragraph()
        lead = p.add_run(f"第{i + 1}项。")
        lead.bold = True
        for k in range(3):
            sentence = _SENTENCES[(i + k) % len(_SENTENCES)]
            run = p.add_run(sentence)
            if k == 1:
                run.font.color.rgb = RGBColor(0xC0, 0, 0)
                run.font.size = Pt(14)
            chars += len(sentence)
        i += 1
    return save(d)

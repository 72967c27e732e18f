"""Word in, Word out (issue 15): the reader's fuller reading of a draft (list numbers, text
boxes, headers, footers, footnotes, WPS markup) with a map from offsets back to runs, and the
annotated copy: one comment per finding on exactly its characters, suggestions as tracked
changes, opened by python-docx and by LibreOffice."""
from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import RGBColor
from lxml import etree

from auditor.ingest import IngestError, read_bytes
from auditor.ingest.docx_reader import format_number, read_docx
from auditor.pipeline import Auditor
from auditor.report.docx_annotate import AUTHOR, annotate_docx
from auditor.report.fixes import apply_fixes
from auditor.types import Finding, Severity

from support import ROOT, system_program
from word_drafts import W_NS, long_draft, rich_draft, save, wps_styled

W = f"{{{W_NS}}}"
CAP = 20 * 1024 * 1024


@pytest.fixture(scope="module")
def auditor():
    return Auditor()


def audited(auditor, data: bytes):
    document = read_bytes(data, name="稿件.docx", suffix=".docx")
    return document, auditor.audit(document).findings


def body_xml(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml"))


def anchored_texts(data: bytes) -> dict[str, str]:
    """Comment id -> the original text between its range marks (w:t outside insertions, and
    deleted text)."""
    open_ids: list[str] = []
    texts: dict[str, list[str]] = {}
    for el in body_xml(data).iter():
        if el.tag == W + "commentRangeStart":
            open_ids.append(el.get(W + "id"))
            texts[el.get(W + "id")] = []
        elif el.tag == W + "commentRangeEnd":
            open_ids.remove(el.get(W + "id"))
        elif el.tag in (W + "t", W + "delText") and not any(a.tag == W + "ins" for a in el.iterancestors()):
            for cid in open_ids:
                texts[cid].append(el.text or "")
        elif el.tag == W + "tab" and el.getparent().tag == W + "r":
            for cid in open_ids:
                texts[cid].append("\t")
    return {cid: "".join(parts) for cid, parts in texts.items()}


def comments_of(data: bytes) -> list:
    return list(docx.Document(io.BytesIO(data)).comments)


def finding(text: str, needle: str, code: str = "TYP001", suggestion: str | None = None, nth: int = 0) -> Finding:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Finding(code, "test-finding", Severity.ERROR, start, start + len(needle), needle, "测试问题",
                   (suggestion,) if suggestion is not None else ())


def revised(data: bytes, accept: bool) -> bytes:
    """The document with every tracked change accepted (or rejected), as Word would leave it."""
    root = body_xml(data)
    drop, keep = ("del", "ins") if accept else ("ins", "del")
    for mark in list(root.iter(W + "rPr")):  # deleted paragraph marks: accepted, the paragraph joins the next
        if mark.getparent().tag == W + "pPr" and mark.find(W + "del") is not None:
            mark.remove(mark.find(W + "del"))
            if accept:
                p = mark.getparent().getparent()
                following = p.getnext()
                if following is not None and following.tag == W + "p":
                    at = 1 if following.find(W + "pPr") is not None else 0
                    for child in reversed([c for c in p if c.tag != W + "pPr"]):
                        following.insert(at, child)
                    p.getparent().remove(p)
    for el in list(root.iter(W + drop)):
        el.getparent().remove(el)
    for el in list(root.iter(W + keep)):
        for t in el.iter(W + "delText"):
            t.tag = W + "t"
        parent, at = el.getparent(), el.getparent().index(el)
        for child in reversed(list(el)):
            parent.insert(at, child)
        parent.remove(el)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) \
                if info.filename == "word/document.xml" else src.read(info.filename)
            dst.writestr(info, blob)
    return out.getvalue()


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


# --- annotating ------------------------------------------------------------------------------


def test_every_finding_gets_a_comment_on_exactly_its_text(auditor):
    data = long_draft(pages=3)
    document, findings = audited(auditor, data)
    codes = {f.code for f in findings}
    assert {"TYP001", "WRD001", "TXT007", "PII003"} <= codes or len(findings) > 20
    out = annotate_docx(data, findings)
    comments = comments_of(out)
    assert len(comments) == len(findings)
    anchored = anchored_texts(out)
    for f, comment in zip(sorted(findings, key=lambda f: (f.start, f.end, f.code)), comments):
        assert comment.author == AUTHOR and comment.initials
        assert f.message in comment.text and f.code in comment.text
        if f.suggestions:
            assert f.suggestions[0] in comment.text
        if "\n" in f.text:  # a duplicated section, a run of records: noted on its first paragraph
            assert "跨越多个段落" in comment.text
            assert f.text.startswith(anchored[str(comment.comment_id)])
        elif f.end > f.start:
            assert anchored[str(comment.comment_id)] == document.text[f.start:f.end] == f.text
    # the annotated copy still reads as the draft did
    assert read_docx(out, "批注.docx", CAP).text == document.text


def test_runs_are_split_at_the_finding_and_keep_their_formatting():
    d = docx.Document()
    p = d.add_paragraph()
    p.add_run("请")
    bold = p.add_run("XX县")
    bold.bold = True
    red = p.add_run("应急管理局")
    red.font.color.rgb = RGBColor(0xFF, 0, 0)
    red.font.name = "仿宋"
    p.add_run("报送。")
    data = save(d)
    text = read_docx(data, "x.docx", CAP).text

    def formatting(blob: bytes) -> list[tuple[str, bool, str | None, str | None]]:
        out = []
        for run in docx.Document(io.BytesIO(blob)).paragraphs[0].runs:
            colour = str(run.font.color.rgb) if run.font.color and run.font.color.type else None
            out.extend((ch, bool(run.bold), colour, run.font.name) for ch in run.text)
        return out

    f = finding(text, "X县应急")  # from inside the bold run into the red one
    out = annotate_docx(data, [f])
    assert list(anchored_texts(out).values()) == ["X县应急"]
    assert formatting(out) == formatting(data)  # every character keeps its run's properties
    assert [r.text for r in docx.Document(io.BytesIO(out)).paragraphs[0].runs] == ["请", "X", "X县", "应急", "", "管理局", "报送。"]


def test_suggestions_become_tracked_changes_that_accept_to_the_fixed_text(auditor):
    data = long_draft(pages=2)
    document, findings = audited(auditor, data)
    assert any(f.suggestions for f in findings)
    out = annotate_docx(data, findings, apply_suggestions=True)
    root = body_xml(out)
    dels, inss = list(root.iter(W + "del")), list(root.iter(W + "ins"))
    assert dels and inss
    for mark in dels + inss:
        assert mark.get(W + "author") == AUTHOR and mark.get(W + "date", "").endswith("Z") and mark.get(W + "id")
    assert len({m.get(W + "id") for m in dels + inss}) == len(dels) + len(inss)
    accepted = read_docx(revised(out, accept=True), "x.docx", CAP).text
    # a duplicated section deleted whole takes its paragraphs with it (the text keeps no empty line)
    assert accepted == re.sub(r"\n+", "\n", apply_fixes(document.text, findings)[0]).strip("\n") != document.text
    assert read_docx(revised(out, accept=False), "x.docx", CAP).text == document.text
    assert len(comments_of(out)) == len(findings)


def test_findings_that_cannot_be_anchored_are_noted_on_the_nearest_paragraph():
    data = rich_draft()
    text = read_docx(data, "x.docx", CAP).text
    findings = [
        finding(text, "一、总体"),  # takes in a list number no run holds
        finding(text, "人民政府：\n一、总体"),  # spans paragraphs
        finding(text, "某某县", "TXT007"),  # in the header
        finding(text, "本通知", "WRD001"),  # in the footnote
        Finding("TXT009", "whole", Severity.WARNING, 0, 0, "", "全文问题"),
        Finding("TYP001", "stale", Severity.ERROR, 3, 5, "不符", "文字与原稿不一致"),
        finding(text, "咨询电话"),  # in the text box: exact
    ]
    out = annotate_docx(data, findings, apply_suggestions=True)
    comments = {c.text.split("\n")[-2].split()[0] + str(i): c.text for i, c in enumerate(comments_of(out))}
    assert len(comments) == len(findings)
    notes = "".join(comments.values())
    for reason in ("跨越多个段落", "页眉", "脚注", "针对全文", "不一致", "自动编号"):
        assert reason in notes
    assert "咨询电话" in anchored_texts(out).values()
    assert all(anchored_texts(out).values())  # every note sits on some text


def test_a_wps_file_is_annotated_and_reopens(auditor):
    data = wps_styled(rich_draft())
    _, findings = audited(auditor, data)
    out = annotate_docx(data, findings)
    assert len(comments_of(out)) == len(findings)
    assert b"wpsCustomData" in zipfile.ZipFile(io.BytesIO(out)).read("word/document.xml")


def test_a_broken_docx_is_one_ingest_error():
    with pytest.raises(IngestError, match="无法读取 .docx"):
        annotate_docx(b"PK\x05\x06" + b"\x00" * 18, [])
    with pytest.raises(IngestError):
        annotate_docx(b"not a zip at all", [])


def test_a_twenty_page_draft_is_annotated_within_five_seconds(auditor):
    data = long_draft(pages=20)
    document, findings = audited(auditor, data)
    assert len(document.text) >= 20 * 900 and len(findings) >= 100
    started = time.perf_counter()
    out = annotate_docx(data, findings, apply_suggestions=True)
    elapsed = time.perf_counter() - started
    assert elapsed <= 5.0, f"20 页稿件加批注用了 {elapsed:.2f} 秒"
    anchored = anchored_texts(out)
    exact = sorted(f.text for f in findings if f.end > f.start and "\n" not in f.text)
    assert len(exact) >= 100 and all(text in anchored.values() for text in exact)


def test_libreoffice_opens_the_annotated_copy(auditor, tmp_path):
    soffice = system_program("soffice", "libreoffice", package="libreoffice-writer-nogui")
    files = []
    for name, data in (("word", long_draft(pages=3)), ("wps", wps_styled(rich_draft()))):
        _, findings = audited(auditor, data)
        path = tmp_path / f"{name}.docx"
        path.write_bytes(annotate_docx(data, findings, apply_suggestions=True))
        files.append(path)
    result = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                             "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, files)],
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    for path in files:
        pdf = path.with_suffix(".pdf")
        assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF"), result.stdout + result.stderr


# --- the command -----------------------------------------------------------------------------


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "AUDITOR_DB": f"sqlite:///{cwd}/store.db"}
    return subprocess.run([sys.executable, "-m", "auditor.cli", "check", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=300)


def test_the_command_writes_the_annotated_copy(tmp_path):
    draft = tmp_path / "稿件.docx"
    draft.write_bytes(long_draft(pages=1))
    result = run_cli(str(draft), "--annotate", "稿件（批注）.docx", "--apply-suggestions", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = (tmp_path / "稿件（批注）.docx").read_bytes()
    assert comments_of(out) and list(body_xml(out).iter(W + "ins"))
    assert "已写出批注稿" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["page.txt", "--annotate", "out.docx"], "--annotate 只能用于一个 .docx"),
    (["broken.docx", "--annotate", "out.docx"], "不是有效的 .docx"),
    (["稿件.docx", "--apply-suggestions"], "须与 --annotate 同用"),
    (["稿件.docx", "--annotate", "稿件.docx"], "不能覆盖原稿"),
])
def test_the_command_refuses_in_one_line(tmp_path, args, message):
    (tmp_path / "page.txt").write_text("会议于三月召开。", encoding="utf-8")
    (tmp_path / "broken.docx").write_bytes(b"not a zip")
    (tmp_path / "稿件.docx").write_bytes(rich_draft())
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("错误")]
    assert len(errors) == 1 and message in errors[0] and "Traceback" not in result.stderr
    assert not (tmp_path / "out.docx").exists()

"""Word elements behind the reader's layout map (``read_docx(..., layout=True)``): a part's
paragraphs in the order the reader counted them, each paragraph's own runs, and the text of a run
rewritten in place. The annotator and the masked copy both go through here, so the offsets they
write at are the ones the audit read."""
from __future__ import annotations

from auditor.ingest.docx_reader import NOTE_SEPARATORS, run_piece, w_local

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def paragraph_elements(root) -> list:
    """Every w:p of a part in document order, less those in mc:Fallback (WPS and Word write a
    text box twice) and in the notes' separators, which the reader skips; ``ParagraphLayout.index``
    counts in this list."""
    from docx.oxml.ns import qn

    skipped = [*root.iter(f"{{{MC}}}Fallback")]
    skipped += [n for n in root.iter(qn("w:footnote"), qn("w:endnote")) if n.get(qn("w:type")) in NOTE_SEPARATORS]
    left_out = {p for el in skipped for p in el.iter(qn("w:p"))}
    return [p for p in root.iter(qn("w:p")) if p not in left_out]


def owned_runs(p) -> list:
    """The paragraph's own runs (not those of a text box's paragraphs inside it), in the order the
    reader counted them (``ParagraphLayout.runs`` names them by this ordinal)."""
    from docx.oxml.ns import qn

    out = []
    for r in p.iter(qn("w:r")):
        for a in r.iterancestors():
            if a is p:
                out.append(r)
                break
            if a.tag == qn("w:p") or a.tag == f"{{{MC}}}Fallback":
                break
    return out


def overwrite_run_text(run, offset: int, text: str) -> bool:
    """Put ``text`` over the run's characters from ``offset``, one for one, in its w:t elements
    (tabs and breaks are not text to overwrite: a character of ``text`` that falls on one must be
    what it gives). False, with the run unchanged, where it cannot be done."""
    from docx.oxml.ns import qn

    rpr = run.find(qn("w:rPr"))
    edits, pos, end = [], 0, offset + len(text)
    for child in run:
        if child is rpr or not isinstance(child.tag, str):
            continue
        local = w_local(child)
        piece = run_piece(local, child)
        a, b = max(offset, pos), min(end, pos + len(piece))
        if a < b and piece[a - pos:b - pos] != text[a - offset:b - offset]:
            if local != "t" or len(child):  # an unexpanded entity inside: leave the run whole
                return False
            edits.append((child, piece[:a - pos] + text[a - offset:b - offset] + piece[b - pos:]))
        pos += len(piece)
        if pos >= end:
            break
    if pos < end:
        return False
    for child, new in edits:
        child.text = new
        child.set(XML_SPACE, "preserve")
    return True

"""Word in, Word out: a copy of the draft with one comment (批注) per finding, anchored on the
exact characters the finding names, and optionally its suggestions as tracked changes (修订)
that the editor accepts or rejects in Word or WPS.

The draft is read again by ingest's checked reader with ``layout=True``: the same text the audit
saw (so the findings' offsets hold) plus, for each paragraph, which runs hold which characters.
Runs are split where a finding starts or ends inside one; both halves keep the run's
properties (bold, fonts, colours). A finding that spans paragraphs, lies in a header, footer or
note, or covers characters no run holds (a list number) is noted on the nearest body paragraph.
"""
from __future__ import annotations

import bisect
import copy
import io
from datetime import datetime, timezone
from typing import Iterable

from auditor.ingest.docx_reader import read_docx, run_piece, w_local
from auditor.ingest.errors import IngestError
from auditor.report.docx_layout import XML_SPACE, owned_runs, paragraph_elements
from auditor.report.fixes import chosen_fixes
from auditor.settings import FetchOptions
from auditor.types import Finding

AUTHOR = "内容检查"
INITIALS = "NRJC"
_REVISIONS = ("del", "ins", "moveFrom", "moveTo")


class _Unanchorable(Exception):
    """A run cannot be cut there (inside a w:t holding an unexpanded entity)."""


def annotate_docx(data: bytes, findings: Iterable[Finding], apply_suggestions: bool = False, *,
                  name: str = "稿件.docx", max_bytes: int | None = None) -> bytes:
    """The .docx ``data`` with a comment per finding; with ``apply_suggestions`` each suggested
    replacement also as a tracked change. Offsets are those of ``read_bytes`` on the same
    bytes. Raises ``IngestError`` for a file the checked reader refuses."""
    import docx
    from docx.oxml.ns import qn

    read = read_docx(data, name, max_bytes or FetchOptions().max_bytes, layout=True)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError … on packages it cannot map
        raise IngestError(f"无法打开 .docx 文件 {name}: {str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__}") from None
    story = _Story(document, read)
    findings = sorted(findings, key=lambda f: (f.start, f.end, f.code))
    edits = chosen_fixes(findings, len(read.text)) if apply_suggestions else []
    anchors = {}
    for f in findings:
        anchors[id(f)] = story.locate(f.start, f.end) if read.text[f.start:f.end] == f.text else None
    edit_spans = [(e, story.locate_edit(e[0], e[1])) for e in edits]
    spans = [s for s in anchors.values() if s is not None and s.paragraph is not None]
    spans += [piece for _, pieces in edit_spans for piece in pieces]
    # Every cut first, then the runs of each span, then the markup: a later cut would leave
    # an earlier span's run list short, and cutting never moves a run that markup wraps.
    for span in spans:
        story.cut(span.paragraph, span.start)
        story.cut(span.paragraph, span.end)
    for span in spans:
        span.runs = story.runs_of(span)
    revisions = _Revisions(story, qn)
    for (_, _, replacement), pieces in edit_spans:
        # every character of the edit in runs (a paragraph mark between pieces is its newline)
        if pieces and all(p.runs or p.start == p.end for p in pieces) and any(p.runs for p in pieces):
            revisions.replace(pieces, replacement, story.deleted_marks(pieces))
    for f in findings:
        span = anchors[id(f)]
        note = ""
        if span is None or not span.runs:
            span, note = story.fallback(f, span)
        comment = document.comments.add_comment(text=_comment_text(f, note), author=AUTHOR, initials=INITIALS)
        first, last = revisions.outer(span.runs[0], span.runs[-1])
        first.addprevious(_element("w:commentRangeStart", {qn("w:id"): str(comment.comment_id)}))
        last.addnext(_reference_run(comment.comment_id))
        last.addnext(_element("w:commentRangeEnd", {qn("w:id"): str(comment.comment_id)}))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _comment_text(f: Finding, note: str) -> str:
    lines = [f"【{f.severity.label}】{f.message}"]
    if f.suggestions:
        lines.append("建议：" + " / ".join(s if s else "（删除）" for s in f.suggestions[:3]))
    lines.append(f"{f.code} {f.name}")
    if note:
        lines.append(note)
    return "\n".join(lines)


def _element(tag: str, attrs: dict[str, str] | None = None):
    from docx.oxml import OxmlElement

    return OxmlElement(tag, attrs=attrs or {})


def _reference_run(comment_id: int):
    from docx.oxml.ns import qn

    r = _element("w:r")
    rpr = _element("w:rPr")
    rpr.append(_element("w:rStyle", {qn("w:val"): "CommentReference"}))
    r.append(rpr)
    r.append(_element("w:commentReference", {qn("w:id"): str(comment_id)}))
    return r


class _Span:
    """Characters [start, end) of the text in one document.xml paragraph (``paragraph`` is its
    ordinal; None when the span is not in one) and, once split, the runs that hold them."""

    __slots__ = ("start", "end", "paragraph", "reason", "runs")

    def __init__(self, start: int, end: int, paragraph: int | None, reason: str = ""):
        self.start, self.end, self.paragraph, self.reason = start, end, paragraph, reason
        self.runs: list | None = None


class _Story:
    """document.xml's paragraphs in the reader's order, and their runs as segments of the text
    ([start, end, run element, offset in the run's text]) split on demand."""

    def __init__(self, document, read):
        from docx.oxml.ns import qn

        self.qn = qn
        self.read = read
        self.elements = paragraph_elements(document.element)
        main = read.paragraphs[0].part if read.paragraphs else ""
        self.layouts = list(read.paragraphs)
        self.starts = [p.start for p in self.layouts]
        self.main = {p.index: p for p in self.layouts if p.part == main}
        self.main_part = main
        self.labels = [(r.start, r.end, r.label) for r in read.regions]
        self.segments: dict[int, list[list]] = {}

    # --- where a span lies ---------------------------------------------------------------

    def locate(self, start: int, end: int) -> _Span:
        i = bisect.bisect_right(self.starts, start) - 1
        if i < 0 or self.layouts[i].end < start:
            return _Span(start, end, None, "未能在原文中精确定位，批注标在最近的段落")
        layout = self.layouts[i]
        if layout.part != self.main_part:
            label = next((lb for s, e, lb in self.labels if s <= start <= e), "页眉页脚")
            return _Span(start, end, None, f"问题位于{label}，Word 不能在{label}中加批注，批注标在最近的正文段落")
        if end > layout.end:
            return _Span(start, end, None, "问题跨越多个段落，批注标在起始段落")
        return _Span(start, end, layout.index)

    def locate_edit(self, start: int, end: int) -> list[_Span]:
        """An edit as one span per paragraph it touches; [] where it cannot be a tracked change
        (outside the body's plain paragraphs, across a table, in a text box)."""
        span = self.locate(start, end)
        if span.paragraph is not None:
            return [span]
        if span.reason != "问题跨越多个段落，批注标在起始段落":
            return []
        i = bisect.bisect_right(self.starts, start) - 1
        pieces: list[_Span] = []
        body = self.elements[self.layouts[i].index].getparent()
        while i < len(self.layouts) and self.layouts[i].start <= end:
            layout = self.layouts[i]
            if pieces:
                before = self.layouts[i - 1]
                if self.read.text[before.end:layout.start] != "\n" or layout.index != before.index + 1:
                    return []
            if layout.part != self.main_part or self.elements[layout.index].getparent() is not body:
                return []
            pieces.append(_Span(max(start, layout.start), min(end, layout.end), layout.index))
            if layout.end >= end:
                return pieces
            i += 1
        return []

    def deleted_marks(self, pieces: list[_Span]) -> list:
        """The paragraphs whose marks an edit over ``pieces`` deletes: each but the last, and the
        last too where the edit takes whole paragraphs and a paragraph follows (no empty one left)."""
        marks = [self.elements[p.paragraph] for p in pieces[:-1]]
        first, last = self.main[pieces[0].paragraph], self.main[pieces[-1].paragraph]
        following = self.elements[last.index].getnext()
        if (len(pieces) > 1 and pieces[0].start == first.start and pieces[-1].end == last.end
                and following is not None and following.tag == self.qn("w:p")):
            marks.append(self.elements[last.index])
        return marks

    def fallback(self, f: Finding, span: _Span | None) -> tuple[_Span, str]:
        """The runs of the body paragraph nearest to the finding, and the note that says so."""
        if f.start == f.end == 0:
            reason, index = "针对全文", None
        elif span is None:
            reason, index = "原文与检查时的文字不一致，批注标在最近的段落", None
        else:
            reason, index = span.reason or "问题含自动编号等无法单独标注的文字，批注标在所在段落", span.paragraph
        if index is None and self.layouts:
            i = min(max(bisect.bisect_right(self.starts, f.start) - 1, 0), len(self.layouts) - 1)
            index = self.layouts[i].host
        near = _Span(f.start, f.end, index)
        near.runs = self._nearest_runs(index or 0)
        if not near.runs:  # not one character of text in the body: the comment gets an empty run
            if not self.elements:
                raise IngestError("Word 文档没有任何段落，无法添加批注")
            near.runs = [_element("w:r")]
            self.elements[0].append(near.runs[0])
        return near, f"（批注位置：{reason}）"

    def _nearest_runs(self, index: int) -> list:
        order = sorted(range(len(self.elements)), key=lambda j: (abs(j - index), j))
        for j in order:
            runs = self._owned_runs(j)
            if any((t.text or "").strip() for r in runs for t in r.iter(self.qn("w:t"))):
                return [runs[0], runs[-1]]
        return []

    # --- runs ---------------------------------------------------------------------------

    def _owned_runs(self, index: int) -> list:
        """The paragraph's own runs, in the order the reader counted them."""
        return owned_runs(self.elements[index]) if 0 <= index < len(self.elements) else []

    def _segments(self, index: int) -> list[list]:
        if index not in self.segments:
            runs = self._owned_runs(index)
            layout = self.main.get(index)
            self.segments[index] = [[s, e, runs[r], off] for s, e, r, off in (layout.runs if layout else ())
                                    if r < len(runs)]
        return self.segments[index]

    def cut(self, index: int, x: int) -> None:
        """Split the run that position ``x`` falls inside, if any."""
        segments = self._segments(index)
        for k, (s, e, run, off) in enumerate(segments):
            if s < x < e:
                try:
                    right = _split_run(run, off + x - s)
                except _Unanchorable:
                    return
                segments[k:k + 1] = [[s, x, run, off], [x, e, right, 0]]
                return

    def runs_of(self, span: _Span) -> list:
        """The runs holding exactly [span.start, span.end); empty when no runs do (the span
        takes in a list number, or a run could not be cut there)."""
        segments = self._segments(span.paragraph)
        inside = [seg for seg in segments if span.start <= seg[0] and seg[1] <= span.end]
        pos = span.start
        for s, e, _, _ in inside:
            if s != pos:
                return []
            pos = e
        if pos != span.end or span.start == span.end:
            return []
        runs: list = []
        for seg in inside:
            if not runs or runs[-1] is not seg[2]:
                runs.append(seg[2])
        return runs




def _split_run(run, k: int):
    """Split ``run`` after ``k`` characters of its text; the new right-hand run (a copy of the
    run's properties with the rest of its children) follows it."""
    from docx.oxml.ns import qn

    rpr = run.find(qn("w:rPr"))
    children = [c for c in run if c is not rpr and isinstance(c.tag, str)]
    pos = 0
    for i, child in enumerate(children):
        piece = run_piece(w_local(child), child)
        if pos + len(piece) > k:
            cut = k - pos
            if cut:
                if w_local(child) != "t" or len(child):
                    raise _Unanchorable
                tail = copy.deepcopy(child)
                child.text, tail.text = piece[:cut], piece[cut:]
                for t in (child, tail):
                    t.set(XML_SPACE, "preserve")
                moved = [tail, *children[i + 1:]]
            else:
                moved = children[i:]
            right = _element("w:r")
            if rpr is not None:
                right.append(copy.deepcopy(rpr))
            for m in moved:
                right.append(m)
            run.addnext(right)
            return right
        pos += len(piece)
    raise _Unanchorable


class _Revisions:
    """Tracked changes: each replaced run wrapped in its own w:del (its text as w:delText), the
    suggestion in a w:ins after the last one, with the first run's properties."""

    def __init__(self, story: _Story, qn):
        self.qn = qn
        root = story.elements[0].getroottree().getroot() if story.elements else None
        ids = [int(v) for el in (root.iter() if root is not None else ()) if isinstance(el.tag, str)
               for v in [el.get(qn("w:id"))] if v and v.isdigit()]
        self.next_id = max(ids, default=0) + 100_000  # clear of comment and bookmark ids
        self.date = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.wrapper: dict = {}  # run -> its w:del
        self.after: dict = {}  # last replaced run -> the w:ins after it

    def _mark(self, tag: str):
        qn = self.qn
        self.next_id += 1
        return _element(tag, {qn("w:id"): str(self.next_id), qn("w:author"): AUTHOR, qn("w:date"): self.date})

    def replace(self, pieces: list[_Span], replacement: str, marks: list) -> None:
        qn = self.qn
        runs = [r for p in pieces for r in p.runs or ()]
        if any(a.tag in {qn(f"w:{t}") for t in _REVISIONS} for r in runs for a in r.iterancestors()):
            return  # already inside someone's revision: left to the comment
        for r in runs:
            for t in r.iter(qn("w:t")):
                t.tag = qn("w:delText")
            for t in r.iter(qn("w:instrText")):
                t.tag = qn("w:delInstrText")
            wrap = self._mark("w:del")
            r.addprevious(wrap)
            wrap.append(r)
            self.wrapper[r] = wrap
        for p in marks:  # a deleted paragraph mark: w:pPr/w:rPr/w:del
            ppr = p.get_or_add_pPr()
            rpr = ppr.find(qn("w:rPr"))
            if rpr is None:
                rpr = _element("w:rPr")
                later = [c for c in ppr if c.tag in (qn("w:sectPr"), qn("w:pPrChange"))]
                if later:
                    later[0].addprevious(rpr)
                else:
                    ppr.append(rpr)
            rpr.append(self._mark("w:del"))
        if replacement:
            ins = self._mark("w:ins")
            new = _element("w:r")
            rpr = runs[0].find(qn("w:rPr"))
            if rpr is not None:
                new.append(copy.deepcopy(rpr))
            for i, part in enumerate(replacement.split("\n")):
                if i:
                    new.append(_element("w:br"))
                for j, piece in enumerate(part.split("\t")):
                    if j:
                        new.append(_element("w:tab"))
                    if piece:
                        t = _element("w:t")
                        t.text = piece
                        t.set(XML_SPACE, "preserve")
                        new.append(t)
            ins.append(new)
            self.wrapper[runs[-1]].addnext(ins)
            self.after[runs[-1]] = ins

    def outer(self, first, last):
        """Where a comment's range starts and ends: outside the revisions around its runs."""
        end = self.after.get(last)
        return self.wrapper.get(first, first), end if end is not None else self.wrapper.get(last, last)


__all__ = ["annotate_docx", "AUTHOR"]
